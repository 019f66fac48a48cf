"""Cases: creating, the work list, the 生活援助 flag, agenda, review, follow-up, and the gate."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import logged_in, make_user
from tsunagu.accounts.models import Role
from tsunagu.audit.models import AuditEntry
from tsunagu.cases import services
from tsunagu.cases.choices import CaseStatus
from tsunagu.cases.forms import ActionForm
from tsunagu.cases.models import CarePlanService, Case, CaseReview, FollowUp, end_of_next_month
from tsunagu.confidentiality.services import policy_for_signing
from tsunagu.meetings.models import Attendance, Meeting, MeetingType, Pledge
from tsunagu.organizations.models import Person

TODAY = timezone.localdate()


def case_data(**changes):
    data = {
        "center": "",
        "center_reference": "明1-2026-15",
        "care_manager": "",
        "case_type": "independence",
        "age_band": "80",
        "sex": "female",
        "care_level": "care_1",
        "household": "alone",
        "main_diseases": "変形性膝関節症",
        "medication_count": "7",
        "wishes": "自分で買い物に行きたい",
        "question": "外出の機会を増やすには",
        "exercise": "",
        "oral": "",
        "nutrition": "",
        "cognition": "",
        "social": "",
        "plan_changed_on": "R8.10.5",
        "version": "1",
        "services-TOTAL_FORMS": "2",
        "services-INITIAL_FORMS": "0",
        "services-0-service_type": "home_help_life",
        "services-0-monthly_count": "27",
        "services-1-service_type": "day_service",
        "services-1-monthly_count": "8",
        "assessment-TOTAL_FORMS": "1",
        "assessment-INITIAL_FORMS": "0",
        "assessment-0-item": "shopping",
        "assessment-0-current": "partial",
        "assessment-0-factors": "膝の痛み",
        "assessment-0-prospect": "improve",
    }
    data.update(changes)
    return data


@pytest.fixture
def created(staff_client, center):
    response = staff_client.post(reverse("cases:case_create"), case_data(center=center.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Case.objects.get()


def test_it_creates_an_anonymous_case_with_a_generated_code(created, center):
    assert created.code.endswith("-001") and str(center.pk).zfill(3) in created.code
    assert created.status == CaseStatus.DRAFT
    assert created.services.count() == 2
    assert created.assessment.get().get_current_display() == "一部介助"
    assert AuditEntry.objects.filter(action="case.created").exists()


@pytest.mark.parametrize(
    "level,threshold",
    [("care_1", 27), ("care_2", 34), ("care_3", 43), ("care_4", 38), ("care_5", 31)],
)
@pytest.mark.parametrize("offset,flagged", [(-1, False), (0, True), (1, True)])
def test_it_flags_life_support_plans_at_the_threshold(
    staff_client, center, level, threshold, offset, flagged
):
    staff_client.post(
        reverse("cases:case_create"),
        case_data(
            center=center.pk,
            care_level=level,
            **{
                "services-0-monthly_count": threshold + offset,
                "services-1-service_type": "home_help_body",
                "services-1-monthly_count": "30",
            },
        ),
    )
    body = staff_client.get(reverse("cases:case_detail", args=[Case.objects.get().pk])).content
    assert ("届出対象" in body.decode()) is flagged
    if flagged:
        assert "令和8年11月30日" in body.decode()  # end of the month after 2026-10-05


def test_support_levels_are_never_flagged(staff_client, center):
    staff_client.post(
        reverse("cases:case_create"),
        case_data(center=center.pk, care_level="support_2", **{"services-0-monthly_count": "60"}),
    )
    body = staff_client.get(reverse("cases:case_detail", args=[Case.objects.get().pk])).content
    assert "届出対象" not in body.decode()


def test_the_deadline_is_the_end_of_the_following_month():
    assert end_of_next_month(datetime.date(2021, 10, 5)) == datetime.date(2021, 11, 30)
    assert end_of_next_month(datetime.date(2021, 12, 31)) == datetime.date(2022, 1, 31)
    assert end_of_next_month(datetime.date(2024, 1, 15)) == datetime.date(2024, 2, 29)


def test_it_refuses_bad_counts_and_keeps_the_input(staff_client, center):
    response = staff_client.post(
        reverse("cases:case_create"),
        case_data(center=center.pk, **{"services-0-monthly_count": "-3"}),
    )
    assert response.status_code == 200 and "0以上" in response.content.decode()
    assert "自分で買い物に行きたい" in response.content.decode()
    assert not Case.objects.exists()


def test_it_offers_masking_for_identifiers(staff_client, center):
    response = staff_client.post(
        reverse("cases:case_create"),
        case_data(center=center.pk, wishes="山田花子さんは自分で買い物に行きたい"),
    )
    assert "伏せ字にして保存" in response.content.decode()
    staff_client.post(
        reverse("cases:case_create"),
        case_data(
            center=center.pk, wishes="山田花子さんは自分で買い物に行きたい", masking_choice="masked"
        ),
    )
    assert Case.objects.get().wishes.startswith("A氏")


def test_a_second_save_from_a_stale_page_is_refused_with_what_changed(staff_client, created):
    url = reverse("cases:case_edit", args=[created.pk])
    first = case_data(center=created.center_id, question="Aさんの変更", version="1")
    second = case_data(center=created.center_id, question="Bさんの変更", version="1")
    assert staff_client.post(url, first).status_code == 302
    response = staff_client.post(url, second)
    body = response.content.decode()
    assert "他の人が先に保存したため" in body and "検討したい点" in body
    assert Case.objects.get().question == "Aさんの変更"


@pytest.fixture
def review_meeting(municipality, center):
    body = MeetingType.objects.create(
        municipality=municipality,
        name="地域個別ケア会議",
        category="individual",
        level="center",
        host="each_center",
        handles_personal_info=True,
        reviews_cases=True,
        follow_up_months="3,6",
    )
    return Meeting.objects.create(
        municipality=municipality,
        meeting_type=body,
        center=center,
        date=TODAY + datetime.timedelta(days=7),
    )


def move(client, case, to):
    return client.post(reverse("cases:case_move", args=[case.pk]), {"to": to})


def test_it_moves_along_the_work_list_and_refuses_jumps(
    staff_client, created, review_meeting, center_staff
):
    assert (
        "移せません"
        in staff_client.post(
            reverse("cases:case_move", args=[created.pk]), {"to": "closed"}, follow=True
        ).content.decode()
    )
    move(staff_client, created, "submitted")
    move(staff_client, created, "ready")
    staff_client.post(
        reverse("cases:case_put_on_agenda", args=[created.pk]), {"meeting": review_meeting.pk}
    )
    review = CaseReview.objects.get()
    # Its custodians (the center's staff, its care manager) read it on an agenda too, without
    # the meeting's pledge: they hold duties of their own and follow the case up. Others need
    # the pledge (tsunagu/cases/tests/test_content_rule.py).
    assert staff_client.get(reverse("cases:case_detail", args=[created.pk])).status_code == 200
    Pledge.objects.create(
        municipality=created.municipality,
        meeting=review_meeting,
        user=center_staff,
        signer_name="職員",
        affiliation="センター",
        method="online",
        policy_version=policy_for_signing(created.municipality),
    )
    assert staff_client.get(reverse("cases:case_detail", args=[created.pk])).status_code == 200
    staff_client.post(
        reverse("cases:review_record", args=[review.pk]),
        {"form": "policy", "support_policy": "通いの場への参加を目標にする"},
    )
    staff_client.post(
        reverse("cases:review_record", args=[review.pk]),
        {
            "form": "advice",
            "adviser_name": "青木 修",
            "profession": "physiotherapist",
            "text": "立ち上がり練習を",
        },
    )
    staff_client.post(
        reverse("cases:review_record", args=[review.pk]),
        {
            "form": "action",
            "responsible_label": "地域包括支援センター",
            "what": "サロンの情報を届ける",
            "due_on": "2026-12-01",
        },
    )
    created.refresh_from_db()
    assert created.status == CaseStatus.REVIEWED
    assert review.advice.get().get_profession_display() == "理学療法士"
    assert list(review.follow_ups.values_list("months_after", flat=True)) == [3, 6]
    follow_up = FollowUp.objects.get(months_after=3)
    assert follow_up.due_on.month == (review_meeting.date.month + 2) % 12 + 1
    staff_client.post(
        reverse("cases:follow_up_record", args=[follow_up.pk]),
        {"outcome": "improved", "goal": "mostly", "care_level_after": "support_2"},
    )
    created.refresh_from_db()
    assert created.status == CaseStatus.MONITORING
    move(staff_client, created, "closed")
    created.refresh_from_db()
    assert created.status == CaseStatus.CLOSED and created.closed_on == TODAY


def test_only_ready_cases_go_on_an_agenda(staff_client, created, review_meeting):
    response = staff_client.post(
        reverse("cases:case_put_on_agenda", args=[created.pk]),
        {"meeting": review_meeting.pk},
        follow=True,
    )
    assert "会議準備完了" in response.content.decode()
    assert not CaseReview.objects.exists()


def test_the_gate(created, outsider, viewer, municipality, person):
    url = reverse("cases:case_detail", args=[created.pk])
    assert Client().get(url).status_code == 302  # anonymous
    assert logged_in(Client(), outsider).get(url).status_code == 404
    viewer_client = Client()
    viewer_client.force_login(viewer)
    # Not yet on an agenda: only those who prepare it may read it.
    assert viewer_client.get(url).status_code == 403
    assert viewer_client.get(reverse("cases:case_edit", args=[created.pk])).status_code == 403
    adviser = make_user("adviser", (municipality, Role.ADVISER, None))
    adviser.memberships.update(person=person)
    adviser_client = Client()
    adviser_client.force_login(adviser)
    assert adviser_client.get(url).status_code == 404
    assert adviser_client.get(reverse("cases:case_list")).status_code == 200


def test_the_work_list_counts_and_filters(staff_client, created):
    body = staff_client.get(reverse("cases:case_list"), {"status": "draft"}).content.decode()
    assert created.code in body and "下書き（1）" in body
    body = staff_client.get(reverse("cases:case_list"), {"status": "closed"}).content.decode()
    assert created.code not in body


def test_drafts_save_as_they_go_but_hold_identifiers(staff_client, created):
    url = reverse("cases:case_autosave", args=[created.pk])
    data = case_data(
        center=created.center_id,
        question="外出の機会を増やすには（追記）",
        wishes="山田花子さんは店まで歩きたい",
        version="1",
    )
    response = staff_client.post(url, data, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "下書きを自動保存しました" in body and "本人・家族の意向" in body
    assert 'value="2"' in body  # the page's version moves on with the save
    created.refresh_from_db()
    assert created.question.endswith("（追記）")
    assert created.wishes == "自分で買い物に行きたい"  # held until the user chooses
    stale = staff_client.post(url, data).content.decode()
    assert "他の人が先に保存したため" in stale


def test_only_drafts_are_saved_automatically(staff_client, created):
    move(staff_client, created, "submitted")
    body = staff_client.post(
        reverse("cases:case_autosave", args=[created.pk]),
        case_data(center=created.center_id, version="2"),
    ).content.decode()
    assert "下書きの間だけ" in body


def test_the_meeting_lists_its_agenda(staff_client, created, review_meeting):
    move(staff_client, created, "submitted")
    move(staff_client, created, "ready")
    staff_client.post(
        reverse("cases:case_put_on_agenda", args=[created.pk]), {"meeting": review_meeting.pk}
    )
    body = staff_client.get(reverse("cases:meeting_agenda", args=[review_meeting.pk])).content
    assert created.code in body.decode() and "未記録" in body.decode()
    assert (
        logged_in(Client(), make_user("x"))
        .get(reverse("cases:meeting_agenda", args=[review_meeting.pk]))
        .status_code
        == 403
    )


def test_a_case_is_not_left_half_written_when_its_plan_cannot_be_saved(
    staff_client, center, monkeypatch
):
    def refuse(**kwargs):
        raise ValidationError("課題整理総括表を保存できませんでした。")

    monkeypatch.setattr(services, "save_assessment", refuse)
    response = staff_client.post(reverse("cases:case_create"), case_data(center=center.pk))
    assert response.status_code == 200
    assert "課題整理総括表を保存できませんでした。" in response.content.decode()
    assert not Case.objects.exists() and not CarePlanService.objects.exists()


def test_the_action_form_offers_the_people_around_the_case_not_the_whole_directory(
    municipality, center, organization
):
    def person(name, **fields):
        return Person.objects.create(
            municipality=municipality, name=name, furigana="ア", profession="nurse", **fields
        )

    attendee = person("出席 者")
    staff = person("センター 職員", center=center)
    manager = person("担当 ケアマネ", organization=organization)
    stranger = person("無関係 者", organization=organization)
    body = MeetingType.objects.create(
        municipality=municipality,
        name="個別会議",
        category="individual",
        level="center",
        host="each_center",
        reviews_cases=True,
    )
    meeting = Meeting.objects.create(
        municipality=municipality, meeting_type=body, center=center, date=timezone.localdate()
    )
    Attendance.objects.create(meeting=meeting, person=attendee, name=attendee.name)
    case = Case.objects.create(
        municipality=municipality,
        code="X-1",
        center=center,
        care_manager=manager,
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="care_1",
        household="alone",
    )
    review = CaseReview.objects.create(case=case, meeting=meeting)
    offered = set(ActionForm(review=review).fields["responsible"].queryset)
    assert offered == {attendee, staff, manager} and stranger not in offered
