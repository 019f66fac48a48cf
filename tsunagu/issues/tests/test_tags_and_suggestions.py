"""Tags said plainly, and suggestions only when they mean something (issue 16)."""

from django.urls import reverse

from conftest import logged_in
from tsunagu.issues import services, suggestions
from tsunagu.issues.models import CommunityIssue

from .conftest import new_issue, reviewed_case, sign, tag


def test_it_suggests_nothing_for_an_unrelated_text(municipality, area):
    new_issue(
        municipality, "バスの減便で移動手段がない", area=area, description="通院や買い物に困る"
    )
    found = suggestions.similar_issues(
        CommunityIssue.objects.all(), municipality.pk, "認知症の方の金銭管理と成年後見"
    )
    assert found == []


def test_it_keeps_a_close_match_with_a_meaningful_score(municipality, area):
    new_issue(
        municipality, "バスの減便で移動手段がない", area=area, description="通院や買い物に困る"
    )
    found = suggestions.similar_issues(
        CommunityIssue.objects.all(), municipality.pk, "バスが減り通院に行けない。移動手段がない。"
    )
    assert [issue.title for issue, _ in found] == ["バスの減便で移動手段がない"]
    assert all(score >= suggestions.MIN_SCORE for _, score in found)


def test_a_duplicate_tag_is_refused_once_in_a_plain_sentence(
    client, municipality, center, center_staff
):
    review = reviewed_case(municipality, center, 1, policy="通院の足がない")
    first = tag(review, "移動・交通")
    sign(center_staff, municipality, review.meeting)
    page = (
        logged_in(client, center_staff)
        .post(
            reverse("issues:review_tags", args=[review.pk]), {"theme": first.theme_id, "note": ""}
        )
        .content.decode()
    )
    assert page.count("この事例検討には、このテーマがすでに記録されています。") == 1
    assert "既に存在します" not in page


def test_a_recorded_tag_is_linked_to_an_issue_afterwards(
    client, municipality, center, area, center_staff
):
    review = reviewed_case(municipality, center, 2, policy="通院の足がない")
    recorded = tag(review, "移動・交通")
    issue = new_issue(municipality, "通院の移動手段", area=area)
    sign(center_staff, municipality, review.meeting)
    staff = logged_in(client, center_staff)
    page = staff.get(reverse("issues:review_tags", args=[review.pk])).content.decode()
    assert reverse("issues:tag_edit", args=[recorded.pk]) in page
    staff.post(reverse("issues:tag_edit", args=[recorded.pk]), {"issue": issue.pk})
    recorded.refresh_from_db()
    issue.refresh_from_db()
    assert recorded.issue == issue and issue.case_count == 1


def test_a_recorded_tag_gets_another_theme_and_note(client, municipality, center, center_staff):
    review = reviewed_case(municipality, center, 3, policy="通院の足がない")
    recorded = tag(review, "移動・交通")
    other = services.theme_named(municipality, "買い物・配食")
    sign(center_staff, municipality, review.meeting)
    staff = logged_in(client, center_staff)
    page = staff.get(reverse("issues:review_tags", args=[review.pk])).content.decode()
    assert f'id="tag-note-{recorded.pk}"' in page and f'id="tag-theme-{recorded.pk}"' in page
    response = staff.post(
        reverse("issues:tag_edit", args=[recorded.pk]),
        {"theme": other.pk, "note": "バス停まで遠い", "issue": ""},
        follow=True,
    )
    recorded.refresh_from_db()
    assert (recorded.theme, recorded.note) == (other, "バス停まで遠い")
    assert "「買い物・配食」のタグを変更しました。" in response.content.decode()


def test_a_changed_note_with_a_name_is_offered_masked_first(
    client, municipality, center, center_staff
):
    review = reviewed_case(municipality, center, 5, policy="通院の足がない")
    recorded = tag(review, "移動・交通")
    sign(center_staff, municipality, review.meeting)
    staff = logged_in(client, center_staff)
    url = reverse("issues:tag_edit", args=[recorded.pk])
    note = "電話 047-123-4567 の方は通院が難しい"
    page = staff.post(url, {"theme": recorded.theme_id, "note": note}).content.decode()
    recorded.refresh_from_db()
    assert recorded.note == ""  # not saved yet: the masking choice is offered
    assert "伏せ字にして保存" in page
    staff.post(url, {"theme": recorded.theme_id, "note": note, "masking_choice": "masked"})
    recorded.refresh_from_db()
    assert "047-123-4567" not in recorded.note and "通院が難しい" in recorded.note


def test_a_tag_changed_to_a_theme_already_recorded_is_refused_once(
    client, municipality, center, center_staff
):
    review = reviewed_case(municipality, center, 6, policy="通院の足がない")
    first = tag(review, "移動・交通")
    second = tag(review, "買い物・配食")
    sign(center_staff, municipality, review.meeting)
    page = (
        logged_in(client, center_staff)
        .post(reverse("issues:tag_edit", args=[second.pk]), {"theme": first.theme_id})
        .content.decode()
    )
    assert page.count("この事例検討には、このテーマがすでに記録されています。") == 1
    assert "既に存在します" not in page
    second.refresh_from_db()
    assert second.theme_id != first.theme_id
