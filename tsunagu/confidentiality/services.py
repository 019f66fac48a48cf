"""Settings and published policy versions: validated, atomic and logged. Pledges are recorded
by meetings.services."""

from django.db import transaction

from tsunagu.accounts.models import User
from tsunagu.audit.services import record
from tsunagu.lib.acting import MemberRequest
from tsunagu.organizations.models import Municipality

from . import defaults
from .access import current_policy
from .models import PolicyVersion, PrivacySettings


@transaction.atomic
def save_settings(
    *, settings: PrivacySettings, by: User, request: MemberRequest | None = None
) -> PrivacySettings:
    settings.full_clean()
    settings.save()
    record(
        "privacy.settings_changed",
        by=by,
        municipality=settings.municipality_id,
        request=request,
        scope=settings.pledge_scope,
        retention_years=settings.retention_years,
        days_before=settings.adviser_days_before,
        days_after=settings.adviser_days_after,
    )
    return settings


@transaction.atomic
def publish_policy(
    *,
    municipality: Municipality,
    policy_text: str,
    pledge_text: str,
    by: User | None,
    request: MemberRequest | None = None,
) -> PolicyVersion:
    """A new version; earlier versions and the pledges signed under them stay as they were."""
    latest = current_policy(municipality)
    version = PolicyVersion(
        municipality=municipality,
        version=(latest.version + 1) if latest else 1,
        policy_text=policy_text.strip(),
        pledge_text=pledge_text.strip(),
        published_by=by.get_username() if by else "",
    )
    version.full_clean()
    version.save()
    record(
        "privacy.policy_published",
        by=by,
        municipality=municipality,
        target=version,
        request=request,
        summary=f"第{version.version}版",
    )
    return version


def policy_for_signing(municipality: Municipality, *, by: User | None = None) -> PolicyVersion:
    """The version to sign now; the first use publishes the default texts as version 1."""
    policy = current_policy(municipality)
    if policy is None:
        text = {"municipality": municipality.name}
        policy = publish_policy(
            municipality=municipality,
            policy_text=defaults.POLICY.format(**text),
            pledge_text=defaults.PLEDGE.format(**text),
            by=by,
        )
    return policy
