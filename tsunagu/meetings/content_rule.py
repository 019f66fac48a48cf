"""The rule in front of case content (介護保険法 第115条の48第5項), in one function.

Content recorded at a meeting — its minutes, decisions and summary; the advice, 支援方針,
役割分担 and tag notes of each case review at it; the follow-up findings of that review — is
shown only to a member who holds a pledge covering THAT meeting (the meeting's own, or its
年度's when pledges are signed per year) and, for an external adviser, only inside the
window around the meeting; or to the case's custodians (the staff of the case's center and
its care manager), who hold statutory duties of their own and need it for follow-up.
`content_refusal()` is that rule; cases.access applies it per case review, and the `open_*`
gate functions of the access modules record every showing (confidentiality.gate).
It lives with the meetings because the pledges it asks about are signed for meetings
(docs/ARCHITECTURE.md); the settings it reads are confidentiality's. The
caller has already fetched the meeting through its own access module, so "in scope" is
settled before this is asked.
"""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from tsunagu.accounts.models import Membership
from tsunagu.confidentiality.access import adviser_window, privacy_settings
from tsunagu.confidentiality.models import PledgeScope, PrivacySettings
from tsunagu.lib.fiscal import fiscal_year
from tsunagu.lib.wareki import format_wareki

from .models import Pledge


def pledge_filter(meeting: Any, scope: str) -> Q:
    """Pledges covering `meeting`: for the meeting itself, or its 年度 when signed per year."""
    covers = Q(meeting_id=meeting.pk)
    if scope == PledgeScope.PER_FISCAL_YEAR:
        covers |= Q(fiscal_year=fiscal_year(meeting.date))
    return covers & Q(municipality_id=meeting.municipality_id)


def signed(meeting: Any, signer: Q, scope: str | None = None) -> bool:
    """Whether a pledge covering the meeting was signed by someone `signer` matches."""
    if scope is None:
        scope = privacy_settings(meeting.municipality_id).pledge_scope
    return Pledge.objects.filter(pledge_filter(meeting, scope) & signer).exists()


def member_signer(member: Membership) -> Q:
    """Pledges the member signed: as a user, or as their directory person."""
    signer = Q(user_id=member.user_id)
    if member.person_id:
        signer |= Q(person_id=member.person_id)
    return signer


def pledges_cover(member: Membership, scope: str) -> Callable[[Any], bool]:
    """Whether the member's pledges cover a meeting of their municipality: signed for it, or
    for its 年度 when pledges are signed per year. One query, however many meetings are asked."""
    pledges = list(
        Pledge.objects.filter(
            member_signer(member), municipality_id=member.municipality_id
        ).values_list("meeting_id", "fiscal_year")
    )
    meetings = {meeting_id for meeting_id, _year in pledges if meeting_id}
    years = (
        {year for _meeting_id, year in pledges if year}
        if scope == PledgeScope.PER_FISCAL_YEAR
        else set()
    )
    return lambda meeting: meeting.pk in meetings or fiscal_year(meeting.date) in years


def has_pledge(member: Membership, meeting: Any, scope: str | None = None) -> bool:
    """Whether the member (as a user, or as their directory person) signed for this meeting."""
    return signed(meeting, member_signer(member), scope)


NEEDS_PLEDGE = "この会議は個人情報を扱うため、内容を見るには誓約書への署名が必要です。"


def content_refusal(
    member: Membership,
    meeting: Any,
    *,
    custodian: bool = False,
    today: datetime.date | None = None,
    settings: PrivacySettings | None = None,
) -> str | None:
    """Why the member may not read content recorded at this meeting, or None if they may.

    `custodian`: the content is about a case the member is a custodian of (cases.access
    decides that). `settings` spares reading the municipality's settings again."""
    if custodian:
        return None
    return content_refusals(member, [meeting], today=today, settings=settings)[meeting.pk]


def content_refusals(
    member: Membership,
    meetings: Iterable[Any],
    *,
    today: datetime.date | None = None,
    settings: PrivacySettings | None = None,
) -> dict[int, str | None]:
    """The rule for many meetings of the member's municipality at once (one query for the
    pledges, however many meetings): meeting id → why its content is withheld, or None.

    1. A meeting body that does not handle personal information: shown.
    2. An external adviser: only from N days before to M days after the meeting.
    3. Otherwise a pledge covering THAT meeting: signed for it, or for its 年度 when the
       municipality has pledges signed per year. A pledge for another meeting does not count.
    (Custodians of a case are let in before this is asked: see content_refusal.)"""
    meetings = list(meetings)
    personal = [m for m in meetings if m.meeting_type.handles_personal_info]
    answer: dict[int, str | None] = {m.pk: None for m in meetings}
    if not personal:
        return answer
    settings = settings or privacy_settings(personal[0].municipality_id)
    covered = pledges_cover(member, settings.pledge_scope)
    today = today or timezone.localdate()
    for meeting in personal:
        if not member.may("content.read_any_time"):
            start, end = adviser_window(meeting, settings)
            if not start <= today <= end:
                answer[meeting.pk] = (
                    f"外部の助言者は、会議の{settings.adviser_days_before}日前から"
                    f"{settings.adviser_days_after}日後まで"
                    f"（{format_wareki(start)}〜{format_wareki(end)}）"
                    "だけ事例の内容を閲覧できます。"
                )
                continue
        if not covered(meeting):
            answer[meeting.pk] = NEEDS_PLEDGE
    return answer


class ContentRefused(PermissionDenied):
    """403 with the reason, and the meetings where the member could sign to be let in."""

    def __init__(self, reason: str, meetings: Iterable[Any] = ()) -> None:
        super().__init__(reason)
        self.meetings = list(meetings)


def require_content(member: Membership, meeting: Any) -> None:
    """Raise ContentRefused with the reason unless the member may read the meeting's content."""
    reason = content_refusal(member, meeting)
    if reason:
        # A sign link only where signing is what is missing (not outside an adviser's window).
        raise ContentRefused(reason, [meeting] if reason == NEEDS_PLEDGE else [])
