"""Two users saving the same record at the same moment, each on a database connection of its own.

Both read the record first, as their pages did; then both save. No save may be lost silently:
either both changes are kept, or the one that could not be applied is refused with a message.

On PostgreSQL the first save keeps its transaction open until the second is seen waiting for one
of its locks, so the row locks and version checks decide, not the timing. SQLite lets one writer
at a time into the database, so there the second save starts when the first has committed (the
reads still happen before either save).
"""

import threading
import time
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from conftest import make_user
from tsunagu.accounts.models import Role
from tsunagu.audit.models import AuditEntry
from tsunagu.audit.verification import verify_database
from tsunagu.cases import services
from tsunagu.cases.choices import ActionStatus, CaseStatus
from tsunagu.cases.choices import Outcome as Result
from tsunagu.cases.models import Action, Advice, Case, CaseReview, FollowUp
from tsunagu.confidentiality.services import policy_for_signing
from tsunagu.lib import concurrency
from tsunagu.meetings import services as meeting_services
from tsunagu.meetings.choices import Status
from tsunagu.meetings.models import Attendance, Meeting, MeetingType, Pledge

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = timezone.localdate()
LABELS = {"question": "検討したい点", "wishes": "本人・家族の意向"}
WAIT = 20  # seconds; only reached if something hangs


@dataclass
class Outcome:
    first: object  # what the first save returned, or the exception it raised
    second: object
    second_waited: bool  # PostgreSQL: the second save was seen waiting for the first's lock


def refused(outcome) -> bool:
    return isinstance(outcome, ValidationError)


def _waiting_for_a_lock(pid: int) -> bool:
    # pg_locks is read live on every call (pg_stat_activity would be a per-transaction snapshot).
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE pid = %s AND NOT granted", [pid])
        return cursor.fetchone()[0] > 0


def race(first, second) -> Outcome:
    """Run two users' saves at once. Each argument reads (in its own thread and connection)
    and returns the save to run, a function of no arguments."""
    postgres = connection.vendor == "postgresql"
    both_read = threading.Barrier(2, timeout=WAIT)
    first_wrote, first_done, second_done = (threading.Event() for _ in range(3))
    second_pid: list[int] = []
    results: dict[str, object] = {"waited": False}

    def run_first():
        try:
            save = first()
            both_read.wait()
            with transaction.atomic():
                try:
                    results["first"] = save()
                finally:
                    first_wrote.set()
                # Keep the locks until the second save is stuck behind them (or has finished
                # without needing them).
                deadline = time.monotonic() + WAIT
                while postgres and not second_done.is_set() and time.monotonic() < deadline:
                    if second_pid and _waiting_for_a_lock(second_pid[0]):
                        results["waited"] = True
                        break
                    time.sleep(0.01)
        except Exception as error:  # noqa: BLE001 - the outcome is what the test looks at
            results["first"] = error
        finally:
            first_wrote.set()
            first_done.set()
            connection.close()

    def run_second():
        try:
            save = second()
            if postgres:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    second_pid.append(cursor.fetchone()[0])
            both_read.wait()
            (first_wrote if postgres else first_done).wait(WAIT)
            results["second"] = save()
        except Exception as error:  # noqa: BLE001
            results["second"] = error
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 2)
    assert not any(thread.is_alive() for thread in threads), "a save hung"
    return Outcome(results["first"], results["second"], results["waited"])


def assert_real_concurrency(outcome: Outcome):
    """On PostgreSQL the second save really ran while the first held its locks."""
    if connection.vendor == "postgresql":
        assert outcome.second_waited
    else:
        assert connection.vendor == "sqlite" and not outcome.second_waited


def assert_audit_chain_intact():
    assert verify_database().problems == []


@pytest.fixture
def staff_a(municipality, center):
    return make_user("staff_a", (municipality, Role.CENTER_STAFF, center))


@pytest.fixture
def staff_b(municipality, center):
    return make_user("staff_b", (municipality, Role.CENTER_STAFF, center))


@pytest.fixture
def case(municipality, center):
    return Case.objects.create(
        municipality=municipality,
        code="2026-001-001",
        center=center,
        status=CaseStatus.READY,
        case_type="independence",
        age_band="80",
        sex="female",
        care_level="care_1",
        household="alone",
        question="外出の機会を増やすには",
        wishes="自分で買い物に行きたい",
    )


@pytest.fixture
def review_body(municipality):
    return MeetingType.objects.create(
        municipality=municipality,
        name="地域個別ケア会議",
        category="individual",
        level="center",
        host="each_center",
        handles_personal_info=True,
        reviews_cases=True,
        follow_up_months="3,6",
    )


@pytest.fixture
def meeting(municipality, center, review_body):
    meeting = Meeting.objects.create(
        municipality=municipality, meeting_type=review_body, center=center, date=TODAY
    )
    chair = Attendance.objects.create(
        meeting=meeting, name="司会 一郎", profession="social_worker", attended=True
    )
    # Present and signed (on paper), so the meeting can be closed.
    Pledge.objects.create(
        municipality=municipality,
        meeting=meeting,
        attendance=chair,
        signer_name=chair.name,
        affiliation="センター",
        method="paper",
        policy_version=policy_for_signing(municipality),
    )
    return meeting


@pytest.fixture
def review(case, meeting):
    return CaseReview.objects.create(case=case, meeting=meeting)


def edit(pk, user, **changes):
    """What the case page does on save: read the case, apply the form, save with the version
    the page was opened at (here: the version read)."""

    def read():
        opened = Case.objects.get(pk=pk)
        seen = opened.version
        for name, value in changes.items():
            setattr(opened, name, value)
        return lambda: services.save_case(
            case=opened, seen_version=seen, changed=list(changes), labels=LABELS, by=user
        )

    return read


def move(pk, user, to):
    def read():
        opened = Case.objects.get(pk=pk)
        return lambda: services.move(case=opened, to=to, by=user)

    return read


def record_policy(review_pk, user, policy):
    def read():
        opened = CaseReview.objects.select_related("case", "meeting__meeting_type").get(
            pk=review_pk
        )
        return lambda: services.record_review(review=opened, support_policy=policy, by=user)

    return read


def test_two_saves_of_the_same_case_keep_the_first_and_refuse_the_second(case, staff_a, staff_b):
    outcome = race(
        edit(case.pk, staff_a, question="Aさんの書いた点"),
        edit(case.pk, staff_b, question="Bさんの書いた点"),
    )
    assert_real_concurrency(outcome)
    assert isinstance(outcome.first, Case)
    assert isinstance(outcome.second, services.EditConflict)
    assert outcome.second.changed == ["検討したい点"]
    case.refresh_from_db()
    assert case.question == "Aさんの書いた点" and case.version == 2
    assert AuditEntry.objects.filter(action="case.updated").count() == 1
    assert_audit_chain_intact()


def test_saves_of_different_fields_from_the_same_version_are_still_refused(case, staff_a, staff_b):
    # The second page showed the old question: saving it as it stood would undo the first save.
    outcome = race(
        edit(case.pk, staff_a, question="Aさんの書いた点"),
        edit(case.pk, staff_b, wishes="Bさんの書いた意向"),
    )
    assert_real_concurrency(outcome)
    assert isinstance(outcome.second, services.EditConflict)
    case.refresh_from_db()
    assert case.question == "Aさんの書いた点" and case.wishes == "自分で買い物に行きたい"


@pytest.mark.parametrize("edit_first", [True, False], ids=["edit-first", "move-first"])
def test_an_edit_and_a_move_at_once_lose_neither(case, staff_a, staff_b, edit_first):
    saves = [
        edit(case.pk, staff_a, question="Aさんの書いた点"),
        move(case.pk, staff_b, CaseStatus.SUBMITTED),
    ]
    outcome = race(*(saves if edit_first else reversed(saves)))
    assert_real_concurrency(outcome)
    edited, moved = (
        (outcome.first, outcome.second) if edit_first else (outcome.second, outcome.first)
    )
    assert isinstance(moved, Case)  # a move is judged on the status, which the edit keeps
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    if edit_first:
        assert isinstance(edited, Case) and case.question == "Aさんの書いた点"
    else:
        # The edit's page predates the move: refused, and it says so.
        assert isinstance(edited, services.EditConflict) and case.question != "Aさんの書いた点"
    # Every save that went through moved the version on, so a third page is judged correctly.
    assert case.version == 1 + sum(isinstance(o, Case) for o in (edited, moved))
    assert_audit_chain_intact()


def test_two_moves_at_once_the_second_is_judged_on_the_first(case, staff_a, staff_b):
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.MONITORING)
    outcome = race(
        move(case.pk, staff_a, CaseStatus.CLOSED),
        move(case.pk, staff_b, CaseStatus.READY),  # allowed from monitoring, not from closed
    )
    assert_real_concurrency(outcome)
    assert isinstance(outcome.first, Case)
    assert refused(outcome.second) and "移せません" in outcome.second.messages[0]
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_on == TODAY and case.version == 2
    assert list(
        AuditEntry.objects.filter(action="case.moved").values_list("data__status", flat=True)
    ) == [CaseStatus.CLOSED]


@pytest.mark.parametrize("edit_first", [True, False], ids=["edit-first", "review-first"])
def test_recording_the_review_while_the_case_is_edited(case, review, staff_a, staff_b, edit_first):
    saves = [
        edit(case.pk, staff_a, question="Aさんの書いた点"),
        record_policy(review.pk, staff_b, "通いの場への参加を目標にする"),
    ]
    outcome = race(*(saves if edit_first else reversed(saves)))
    assert_real_concurrency(outcome)
    edited, recorded = (
        (outcome.first, outcome.second) if edit_first else (outcome.second, outcome.first)
    )
    assert isinstance(recorded, CaseReview)
    case.refresh_from_db()
    review.refresh_from_db()
    assert case.status == CaseStatus.REVIEWED
    assert review.support_policy == "通いの場への参加を目標にする"
    assert list(review.follow_ups.values_list("months_after", flat=True)) == [3, 6]
    if edit_first:
        assert isinstance(edited, Case) and case.question == "Aさんの書いた点"
    else:
        assert isinstance(edited, services.EditConflict)
    assert case.version == 1 + sum(isinstance(o, Case | CaseReview) for o in (edited, recorded))


def test_advice_added_at_once_is_all_kept(review, staff_a, staff_b):
    def add(user, text):
        def read():
            opened = CaseReview.objects.select_related("case").get(pk=review.pk)
            advice = Advice(review=opened, adviser_name="青木 修", profession="physiotherapist")
            advice.text = text
            return lambda: services.add_advice(advice=advice, by=user)

        return read

    outcome = race(add(staff_a, "立ち上がりの練習を"), add(staff_b, "食事量を確かめる"))
    assert_real_concurrency(outcome)  # both wait on the audit log's single chain
    assert isinstance(outcome.first, Advice) and isinstance(outcome.second, Advice)
    assert sorted(review.advice.values_list("text", flat=True)) == [
        "立ち上がりの練習を",
        "食事量を確かめる",
    ]
    assert AuditEntry.objects.filter(action="case.advice_added").count() == 2
    assert_audit_chain_intact()


# Meetings: the details, the minutes, the status and the closing record have separate saves.


def save_details(pk, user, **changes):
    def read():
        opened = Meeting.objects.select_related("meeting_type").get(pk=pk)
        for name, value in changes.items():
            setattr(opened, name, value)
        return lambda: meeting_services.save_meeting(meeting=opened, by=user)

    return read


def save_minutes(pk, user, minutes):
    def read():
        opened = Meeting.objects.get(pk=pk)
        opened.minutes = minutes
        return lambda: meeting_services.save_minutes(meeting=opened, by=user)

    return read


def close(pk, user, summary):
    def read():
        opened = Meeting.objects.get(pk=pk)
        return lambda: meeting_services.close_meeting(
            meeting=opened, summary=summary, cases_reviewed=1, by=user
        )

    return read


def set_status(pk, user, status):
    def read():
        opened = Meeting.objects.get(pk=pk)
        return lambda: meeting_services.set_status(meeting=opened, status=status, by=user)

    return read


@pytest.mark.parametrize("minutes_first", [True, False], ids=["minutes-first", "details-first"])
def test_details_and_minutes_saved_at_once_are_both_kept(meeting, staff_a, staff_b, minutes_first):
    saves = [
        save_minutes(meeting.pk, staff_a, "1. 事例の概要を確認した。"),
        save_details(meeting.pk, staff_b, venue="第2会議室"),
    ]
    outcome = race(*(saves if minutes_first else reversed(saves)))
    assert_real_concurrency(outcome)
    assert isinstance(outcome.first, Meeting) and isinstance(outcome.second, Meeting)
    meeting.refresh_from_db()
    assert meeting.minutes == "1. 事例の概要を確認した。" and meeting.venue == "第2会議室"


@pytest.mark.parametrize("close_first", [True, False], ids=["close-first", "details-first"])
def test_a_meeting_closed_while_its_details_are_saved(meeting, staff_a, staff_b, close_first):
    saves = [
        close(meeting.pk, staff_a, "2事例を検討した。"),
        save_details(meeting.pk, staff_b, venue="第2会議室"),
    ]
    outcome = race(*(saves if close_first else reversed(saves)))
    assert_real_concurrency(outcome)
    closed, detailed = (
        (outcome.first, outcome.second) if close_first else (outcome.second, outcome.first)
    )
    assert isinstance(closed, Meeting)
    meeting.refresh_from_db()
    assert meeting.closed_at is not None and meeting.status == Status.HELD
    assert meeting.summary == "2事例を検討した。"
    if close_first:  # a closed record is final: the late change is refused, not written over it
        assert refused(detailed) and meeting.venue == ""
    else:
        assert isinstance(detailed, Meeting) and meeting.venue == "第2会議室"


@pytest.mark.parametrize("close_first", [True, False], ids=["close-first", "cancel-first"])
def test_closing_and_cancelling_at_once_one_is_refused(meeting, staff_a, staff_b, close_first):
    saves = [
        close(meeting.pk, staff_a, "2事例を検討した。"),
        set_status(meeting.pk, staff_b, Status.CANCELLED),
    ]
    outcome = race(*(saves if close_first else reversed(saves)))
    assert_real_concurrency(outcome)
    assert isinstance(outcome.first, Meeting) and refused(outcome.second)
    meeting.refresh_from_db()
    if close_first:
        assert meeting.status == Status.HELD and meeting.closed_at is not None
    else:
        assert meeting.status == Status.CANCELLED and meeting.closed_at is None
    assert_audit_chain_intact()


# Saves without a version column: each page carries a fingerprint of the fields it edits as they
# were when it opened (tsunagu.lib.concurrency), and the save is judged on the committed row.


def assert_refused_naming(outcome, labels):
    assert isinstance(outcome, concurrency.SavedMeanwhile)
    assert outcome.changed == labels
    assert outcome.messages == [concurrency.conflict_message(labels)]
    assert "他の人が先に保存したため、保存しませんでした。" in outcome.messages[0]


def edit_details(pk, user, **changes):
    """What the meeting edit page does: fingerprint on opening, then the form's changes."""

    def read():
        opened = Meeting.objects.select_related("meeting_type").get(pk=pk)
        seen = concurrency.fingerprint_of(opened, meeting_services.DETAIL_FIELDS)
        for name, value in changes.items():
            setattr(opened, name, value)
        return lambda: meeting_services.save_meeting(meeting=opened, by=user, fingerprint=seen)

    return read


def edit_minutes(pk, user, **changes):
    def read():
        opened = Meeting.objects.get(pk=pk)
        seen = concurrency.fingerprint_of(opened, meeting_services.MINUTES_FIELDS)
        for name, value in changes.items():
            setattr(opened, name, value)
        return lambda: meeting_services.save_minutes(meeting=opened, by=user, fingerprint=seen)

    return read


def record_policy_seen(review_pk, user, policy):
    def read():
        opened = CaseReview.objects.select_related("case", "meeting__meeting_type").get(
            pk=review_pk
        )
        seen = concurrency.fingerprint_of(opened, services.REVIEW_FIELDS)
        return lambda: services.record_review(
            review=opened, support_policy=policy, by=user, fingerprint=seen
        )

    return read


def record_result(follow_up_pk, user, **changes):
    def read():
        opened = FollowUp.objects.select_related("review__case").get(pk=follow_up_pk)
        seen = concurrency.fingerprint_of(opened, services.FOLLOW_UP_FIELDS)
        for name, value in changes.items():
            setattr(opened, name, value)
        return lambda: services.record_follow_up(follow_up=opened, by=user, fingerprint=seen)

    return read


def change_action(action_pk, user, status):
    def read():
        opened = Action.objects.select_related("review__case").get(pk=action_pk)
        seen = concurrency.fingerprint_of(opened, services.ACTION_FIELDS)
        return lambda: services.set_action_status(
            action=opened, status=status, by=user, fingerprint=seen
        )

    return read


@pytest.fixture
def follow_up(review):
    return FollowUp.objects.create(review=review, months_after=3, due_on=TODAY)


@pytest.fixture
def action(review):
    return Action.objects.create(
        review=review, responsible_label="地域包括支援センター", what="サロンの情報を届ける"
    )


@pytest.mark.parametrize(
    "second_change",
    [{"venue": "第3会議室"}, {"theme": "Bさんの書いたテーマ"}],
    ids=["same-field", "other-field"],
)
def test_two_saves_of_a_meetings_details_refuse_the_second(
    meeting, staff_a, staff_b, second_change
):
    # Even a change of another field: the second page still showed the old venue.
    outcome = race(
        edit_details(meeting.pk, staff_a, venue="第2会議室"),
        edit_details(meeting.pk, staff_b, **second_change),
    )
    assert_real_concurrency(outcome)
    assert isinstance(outcome.first, Meeting)
    assert_refused_naming(outcome.second, ["会場"])
    meeting.refresh_from_db()
    assert (meeting.venue, meeting.theme) == ("第2会議室", "")
    assert AuditEntry.objects.filter(action="meeting.updated").count() == 1
    assert_audit_chain_intact()


def test_two_saves_of_a_meetings_minutes_refuse_the_second(meeting, staff_a, staff_b):
    outcome = race(
        edit_minutes(meeting.pk, staff_a, minutes="Aさんの議事録", decisions="見守りを続ける"),
        edit_minutes(meeting.pk, staff_b, minutes="Bさんの議事録"),
    )
    assert_real_concurrency(outcome)
    assert isinstance(outcome.first, Meeting)
    assert_refused_naming(outcome.second, ["議事録", "決定事項"])
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.decisions) == ("Aさんの議事録", "見守りを続ける")
    assert AuditEntry.objects.filter(action="meeting.minutes_saved").count() == 1
    assert_audit_chain_intact()


@pytest.mark.parametrize("minutes_first", [True, False], ids=["minutes-first", "details-first"])
def test_fingerprinted_details_and_minutes_at_once_are_both_kept(
    meeting, staff_a, staff_b, minutes_first
):
    # The two pages edit different fields: neither fingerprint sees the other's save.
    saves = [
        edit_minutes(meeting.pk, staff_a, minutes="1. 事例の概要を確認した。"),
        edit_details(meeting.pk, staff_b, venue="第2会議室"),
    ]
    outcome = race(*(saves if minutes_first else reversed(saves)))
    assert_real_concurrency(outcome)
    assert isinstance(outcome.first, Meeting) and isinstance(outcome.second, Meeting)
    meeting.refresh_from_db()
    assert meeting.minutes == "1. 事例の概要を確認した。" and meeting.venue == "第2会議室"


def test_two_recordings_of_a_support_policy_refuse_the_second(case, review, staff_a, staff_b):
    outcome = race(
        record_policy_seen(review.pk, staff_a, "通いの場への参加を目標にする"),
        record_policy_seen(review.pk, staff_b, "訪問型サービスを続ける"),
    )
    assert_real_concurrency(outcome)
    assert isinstance(outcome.first, CaseReview)
    assert_refused_naming(outcome.second, ["支援方針"])
    review.refresh_from_db()
    case.refresh_from_db()
    assert review.support_policy == "通いの場への参加を目標にする"
    assert case.status == CaseStatus.REVIEWED and case.version == 2
    assert list(review.follow_ups.values_list("months_after", flat=True)) == [3, 6]
    assert AuditEntry.objects.filter(action="case.reviewed").count() == 1
    assert_audit_chain_intact()


def test_two_recordings_of_a_follow_up_refuse_the_second(follow_up, staff_a, staff_b):
    outcome = race(
        record_result(
            follow_up.pk, staff_a, outcome=Result.IMPROVED, comment="外出が週2回に増えた"
        ),
        record_result(follow_up.pk, staff_b, outcome=Result.WORSENED),
    )
    assert_real_concurrency(outcome)
    assert isinstance(outcome.first, FollowUp)
    assert_refused_naming(outcome.second, ["実施日", "結果", "所見"])
    follow_up.refresh_from_db()
    assert (follow_up.outcome, follow_up.comment) == (Result.IMPROVED, "外出が週2回に増えた")
    assert follow_up.done_on == TODAY
    assert AuditEntry.objects.filter(action="case.follow_up_recorded").count() == 1
    assert_audit_chain_intact()


def test_two_changes_of_an_actions_status_refuse_the_second(action, staff_a, staff_b):
    outcome = race(
        change_action(action.pk, staff_a, ActionStatus.IN_PROGRESS),
        change_action(action.pk, staff_b, ActionStatus.DROPPED),
    )
    assert_real_concurrency(outcome)
    assert isinstance(outcome.first, Action)
    assert_refused_naming(outcome.second, ["状況"])
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    assert list(
        AuditEntry.objects.filter(action="case.action_updated").values_list(
            "data__status", flat=True
        )
    ) == [ActionStatus.IN_PROGRESS]
    assert_audit_chain_intact()
