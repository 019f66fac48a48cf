"""What each kind of notification says, in Japanese. Only a meeting's name, date, time, place
and format, an issue's title and status, counts and links: never case content."""

from django.urls import reverse

from tsunagu.lib.wareki import format_wareki
from tsunagu.meetings.choices import Status
from tsunagu.prefecture.choices import RequestStatus


def meeting_name(meeting) -> str:
    return f"{meeting.meeting_type}（{meeting.organizer_name}）"


def meeting_when(meeting) -> str:
    text = format_wareki(meeting.date)
    if meeting.start_time:
        text += f" {meeting.start_time:%H:%M}"
        if meeting.end_time:
            text += f"〜{meeting.end_time:%H:%M}"
    return text


def meeting_details(meeting) -> str:
    return (
        f"会議: {meeting_name(meeting)}\n"
        f"日時: {meeting_when(meeting)}\n"
        f"会場: {meeting.venue or '未定'}\n"
        f"形式: {meeting.get_format_display()}"
    )


def meeting_link(meeting) -> str:
    return reverse("meetings:meeting_detail", args=[meeting.pk])


def invitation(meeting) -> tuple[str, str]:
    return (
        f"会議のご案内: {meeting_name(meeting)} {format_wareki(meeting.date)}",
        "次の会議へのご出席をお願いします。\n\n"
        + meeting_details(meeting)
        + "\n\n予定表に追加できるファイル（.ics）を添付しています。",
    )


def changed(meeting) -> tuple[str, str]:
    return (
        f"【変更】{meeting_name(meeting)} {format_wareki(meeting.date)}",
        "ご案内した会議の日時・会場などが変わりました。変更後の内容は次のとおりです。\n\n"
        + meeting_details(meeting)
        + "\n\n予定表の予定は添付のファイル（.ics）で更新できます。",
    )


def cancelled(meeting) -> tuple[str, str]:
    return (
        f"【中止】{meeting_name(meeting)} {format_wareki(meeting.date)}",
        "ご案内した次の会議は中止になりました。\n\n" + meeting_details(meeting),
    )


def postponed(meeting) -> tuple[str, str]:
    return (
        f"【延期】{meeting_name(meeting)} {format_wareki(meeting.date)}",
        "ご案内した次の会議は延期になりました。新しい日程は改めてお知らせします。\n\n"
        + meeting_details(meeting),
    )


def uninvited(meeting) -> tuple[str, str]:
    return (
        f"【出席の取り消し】{meeting_name(meeting)} {format_wareki(meeting.date)}",
        "次の会議の出席者の一覧から外れました。\n\n" + meeting_details(meeting),
    )


def pledge_request(meeting) -> tuple[str, str, str]:
    return (
        f"誓約書の提出のお願い: {meeting_name(meeting)} {format_wareki(meeting.date)}",
        "この会議では個人情報を扱います（介護保険法 第115条の48）。"
        "ご出席の前に、次のリンクの画面で誓約書への署名をお願いします。\n\n"
        + meeting_details(meeting),
        reverse("meetings:meeting_pledge", args=[meeting.pk]),
    )


def reminder(meeting, days: int) -> tuple[str, str]:
    when = "本日" if days <= 0 else "明日" if days == 1 else f"{days}日後"
    return (
        f"開催前のお知らせ: {meeting_name(meeting)} {format_wareki(meeting.date)}",
        f"{when}、次の会議があります。\n\n" + meeting_details(meeting),
    )


def papers_ready(meeting) -> tuple[str, str, str]:
    return (
        f"会議資料の準備ができました: {meeting_name(meeting)} {format_wareki(meeting.date)}",
        "次の会議で検討する事例が議題に載りました。資料は画面でご確認ください"
        "（個人情報を扱う会議では、誓約書への署名のあとに表示されます）。\n\n"
        + meeting_details(meeting),
        reverse("cases:meeting_agenda", args=[meeting.pk]),
    )


def overdue_work(actions: int, follow_ups: int) -> tuple[str, str, str]:
    lines = []
    if actions:
        lines.append(f"期限を過ぎた役割分担: {actions}件")
    if follow_ups:
        lines.append(f"予定日を過ぎたモニタリング: {follow_ups}件")
    return (
        "期限を過ぎた役割分担・モニタリングのお知らせ",
        "ご担当のうち、次のものが期限（予定日）を過ぎています。内容は画面でご確認ください。\n\n"
        + "\n".join(lines),
        reverse("reports:dashboard"),
    )


def unclosed(meeting, days: int) -> tuple[str, str]:
    return (
        f"記録が確定していない会議: {meeting_name(meeting)} {format_wareki(meeting.date)}",
        f"開催日から{days}日以上たちましたが、この会議の記録が確定していません。"
        "出席と開催結果を記録して確定してください。\n\n" + meeting_details(meeting),
    )


def issue_moved(change) -> tuple[str, str, str]:
    issue = change.issue
    before = f"「{change.old_status}」から" if change.old_status else ""
    return (
        f"地域課題の動き: {issue.title}",
        f"ご担当の事例に関わる地域課題「{issue.title}」の状況が{before}"
        f"「{change.new_status}」になりました。",
        reverse("issues:issue_detail", args=[issue.pk]),
    )


# -- The prefecture's dispatch of advisers (issue 20) ------------------------------------------
# Only the meeting's name, date and place, the profession, and the adviser's name (and, for a
# decline, the adviser's own reason, which the issue asks to pass on): never case content.


def dispatch_details(dispatch_request) -> str:
    return (
        f"職種: {dispatch_request.get_profession_display()}\n"
        f"依頼元: {dispatch_request.municipality}\n" + meeting_details(dispatch_request.meeting)
    )


def dispatch_requested(dispatch_request) -> tuple[str, str, str]:
    meeting = dispatch_request.meeting
    return (
        f"専門職派遣の依頼: {dispatch_request.get_profession_display()}"
        f" {dispatch_request.municipality} {format_wareki(meeting.date)}",
        "次の会議への専門職の派遣を依頼されました。候補者を確認して割り当ててください。\n\n"
        + dispatch_details(dispatch_request),
        reverse("prefecture:pref_request_detail", args=[dispatch_request.pk]),
    )


def dispatch_assigned(assignment) -> tuple[str, str, str]:
    dispatch_request = assignment.request
    return (
        f"派遣のお願い: {meeting_name(dispatch_request.meeting)}"
        f" {format_wareki(dispatch_request.meeting.date)}",
        "次の会議へのアドバイザーとしての派遣をお願いします。"
        "あなたのページで、承諾または辞退（理由を添えて）を回答してください。\n\n"
        + dispatch_details(dispatch_request),
        reverse("prefecture:adviser_home"),
    )


def dispatch_answered(assignment, *, accepted: bool, for_coordinator: bool) -> tuple[str, str, str]:
    dispatch_request = assignment.request
    meeting = dispatch_request.meeting
    adviser = f"{assignment.adviser.name}さん（{assignment.adviser.get_profession_display()}）"
    if accepted:
        head = f"【派遣決定】{meeting_name(meeting)} {format_wareki(meeting.date)}"
        text = f"{adviser}が派遣を承諾しました。会議の出席者に加わっています。"
    else:
        head = f"【派遣辞退】{meeting_name(meeting)} {format_wareki(meeting.date)}"
        text = (
            f"{adviser}が派遣を辞退しました。依頼は調整中に戻りました。\n"
            f"辞退の理由: {assignment.reason}"
        )
    link = (
        reverse("prefecture:pref_request_detail", args=[dispatch_request.pk])
        if for_coordinator
        else meeting_link(meeting)
    )
    return head, text + "\n\n" + dispatch_details(dispatch_request), link


def dispatch_ended(assignment, *, for_coordinator: bool) -> tuple[str, str, str]:
    dispatch_request = assignment.request
    meeting = dispatch_request.meeting
    cancelled = dispatch_request.status == RequestStatus.CANCELLED
    text = (
        "市町村が次の会議への派遣の依頼を取り消しました。"
        if cancelled
        else "派遣調整の担当が次の会議への派遣の割当を取り消しました。"
    )
    if for_coordinator:
        text += f"（派遣予定だった方: {assignment.adviser.name}さん）"
    else:
        text += "この会議に出向いていただく必要はなくなりました。"
    return (
        f"【派遣の取消】{meeting_name(meeting)} {format_wareki(meeting.date)}",
        text + "\n\n" + dispatch_details(dispatch_request),
        reverse("prefecture:pref_request_detail", args=[dispatch_request.pk])
        if for_coordinator
        else reverse("prefecture:adviser_home"),
    )


def dispatch_moved(assignment, *, for_coordinator: bool) -> tuple[str, str, str]:
    dispatch_request = assignment.request
    meeting = dispatch_request.meeting
    if meeting.status == Status.CANCELLED:
        head, text = "【中止】", "派遣の依頼のある会議が中止になりました。"
    else:
        head = "【変更】"
        text = "派遣の依頼のある会議の日時・会場などが変わりました。変更後の内容は次のとおりです。"
    if for_coordinator:
        text += f"（派遣する方: {assignment.adviser.name}さん）"
    return (
        f"{head}派遣先の会議: {meeting_name(meeting)} {format_wareki(meeting.date)}",
        text + "\n\n" + dispatch_details(dispatch_request),
        reverse("prefecture:pref_request_detail", args=[dispatch_request.pk])
        if for_coordinator
        else reverse("prefecture:adviser_home"),
    )


# -- The center's reports to the city (issue 19) ---------------------------------------------
# Only the center, the report's period, its due date and a link. The city's comment on a
# returned report may name a person, so it stays on the screen.


def submission_link(submission) -> str:
    return reverse("centerwork:submission_detail", args=[submission.pk])


def report_due(center, label: str, due_on, *, overdue: bool) -> tuple[str, str]:
    if overdue:
        return (
            f"【提出期限超過】{center} {label}の月次報告",
            f"{center}の{label}の月次報告は、提出期限（{format_wareki(due_on)}）を過ぎましたが、"
            "まだ提出されていません。内容を確認して提出してください。",
        )
    return (
        f"月次報告の提出期限が近づいています: {center} {label}",
        f"{center}の{label}の月次報告の提出期限は{format_wareki(due_on)}です。"
        "内容を確認して提出してください。",
    )


def report_decided(submission, *, accepted: bool) -> tuple[str, str, str]:
    name = f"{submission.center} {submission.get_kind_display()} {submission.period_label}"
    if accepted:
        return (
            f"【受理】{name}",
            f"{name}を市が受理しました。",
            submission_link(submission),
        )
    return (
        f"【差戻し】{name}",
        f"{name}が差し戻されました。市のコメントは画面でご確認ください。",
        submission_link(submission),
    )
