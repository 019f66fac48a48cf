"""What each kind of notification says, in Japanese. Only a meeting's name, date, time, place
and format, an issue's title and status, counts and links: never case content."""

from django.urls import reverse

from tsunagu.lib.wareki import format_wareki


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
    return reverse("meeting_detail", args=[meeting.pk])


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
        reverse("meeting_pledge", args=[meeting.pk]),
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
        reverse("meeting_agenda", args=[meeting.pk]),
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
        reverse("dashboard"),
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
        reverse("issue_detail", args=[issue.pk]),
    )
