"""The municipality's confidentiality settings and the published 基本方針・誓約書 versions.

The rule in front of case content, which rests on the pledges signed for meetings, lives with
the meetings: tsunagu/meetings/content_rule.py.
"""

import datetime
from typing import Any

from django.db.models import QuerySet

from tsunagu.organizations.models import Municipality

from .models import PolicyVersion, PrivacySettings


def privacy_settings(municipality: Municipality | int) -> PrivacySettings:
    """The municipality's settings; the defaults (unsaved) until a 市職員 saves their own."""
    municipality_id = municipality if isinstance(municipality, int) else municipality.pk
    found = PrivacySettings.objects.filter(municipality_id=municipality_id).first()
    return found or PrivacySettings(municipality_id=municipality_id)


def current_policy(municipality: Municipality) -> PolicyVersion | None:
    return PolicyVersion.objects.filter(municipality=municipality).order_by("-version").first()


def policy_versions(municipality: Municipality) -> QuerySet[PolicyVersion]:
    """Every published version of the municipality's privacy policy."""
    return PolicyVersion.objects.filter(municipality=municipality)


def adviser_window(meeting: Any, settings: PrivacySettings) -> tuple[datetime.date, datetime.date]:
    return (
        meeting.date - datetime.timedelta(days=settings.adviser_days_before),
        meeting.date + datetime.timedelta(days=settings.adviser_days_after),
    )
