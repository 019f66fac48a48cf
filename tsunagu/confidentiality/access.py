"""The gate in front of case content (介護保険法 第115条の48第5項).

Case content — the minutes, decisions and summary of a meeting that handles personal
information, and later the cases reviewed there — is shown only to a member who may see the
meeting AND holds a pledge covering it. External advisers also only inside a window around
the meeting. The caller has already fetched the meeting through its own access module, so
"in scope" is settled before these functions are asked.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from tsunagu.lib.fiscal import fiscal_year
from tsunagu.lib.wareki import format_wareki

from .models import Pledge, PledgeScope, PolicyVersion, PrivacySettings

ADVISER_ROLE = "adviser"


def privacy_settings(municipality) -> PrivacySettings:
    """The municipality's settings; the defaults (unsaved) until a 市職員 saves their own."""
    found = PrivacySettings.objects.filter(municipality=municipality).first()
    return found or PrivacySettings(municipality=municipality)


def current_policy(municipality) -> PolicyVersion | None:
    return PolicyVersion.objects.filter(municipality=municipality).order_by("-version").first()


def pledge_filter(meeting, scope: str) -> Q:
    """Pledges covering `meeting`: for the meeting itself, or its 年度 when signed per year."""
    covers = Q(meeting_id=meeting.pk)
    if scope == PledgeScope.PER_FISCAL_YEAR:
        covers |= Q(fiscal_year=fiscal_year(meeting.date))
    return covers & Q(municipality_id=meeting.municipality_id)


def has_pledge(member, meeting, scope: str | None = None) -> bool:
    """Whether the member (as a user, or as their directory person) signed for this meeting."""
    if scope is None:
        scope = privacy_settings(meeting.municipality).pledge_scope
    signer = Q(user_id=member.user_id)
    if member.person_id:
        signer |= Q(person_id=member.person_id)
    return Pledge.objects.filter(pledge_filter(meeting, scope) & signer).exists()


def adviser_window(meeting, settings: PrivacySettings) -> tuple[datetime.date, datetime.date]:
    return (
        meeting.date - datetime.timedelta(days=settings.adviser_days_before),
        meeting.date + datetime.timedelta(days=settings.adviser_days_after),
    )


def content_refusal(
    member, meeting, *, today: datetime.date | None = None, settings: PrivacySettings | None = None
) -> str | None:
    """Why the member may not read this meeting's case content, or None if they may.
    `settings` spares reading the municipality's settings again when the caller has them."""
    if not meeting.meeting_type.handles_personal_info:
        return None
    settings = settings or privacy_settings(meeting.municipality)
    if member.role == ADVISER_ROLE:
        start, end = adviser_window(meeting, settings)
        if not start <= (today or timezone.localdate()) <= end:
            return (
                f"外部の助言者は、会議の{settings.adviser_days_before}日前から"
                f"{settings.adviser_days_after}日後まで（{format_wareki(start)}〜{format_wareki(end)}）"
                "だけ事例の内容を閲覧できます。"
            )
    if not has_pledge(member, meeting, settings.pledge_scope):
        return "この会議は個人情報を扱うため、内容を見るには誓約書への署名が必要です。"
    return None


def require_content(member, meeting) -> None:
    """Raise PermissionDenied with the reason unless the member may read the case content."""
    reason = content_refusal(member, meeting)
    if reason:
        raise PermissionDenied(reason)
