"""Publishing policy versions and recording pledges: validated, atomic and logged."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tsunagu.accounts.models import User
from tsunagu.audit.services import record
from tsunagu.lib.acting import MemberRequest
from tsunagu.organizations.models import Municipality

from . import defaults
from .access import current_policy
from .models import ALREADY_SIGNED, Pledge, PledgeMethod, PolicyVersion, PrivacySettings


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


@transaction.atomic
def record_pledge(*, pledge: Pledge, by: User, request: MemberRequest | None = None) -> Pledge:
    """Store a pledge signed on screen or received on paper. One per signer and meeting/年度."""
    if not pledge.signer_name.strip():
        raise ValidationError({"signer_name": "氏名を入力してください。"})
    chosen = pledge.person_id or pledge.attendance_id
    if pledge.method == PledgeMethod.PAPER and not pledge.scan and not chosen:
        raise ValidationError(
            "紙の誓約書は、出席者を選ぶか、スキャンしたファイルを添付してください。"
        )
    pledge.policy_version = policy_for_signing(pledge.municipality, by=by)
    pledge.recorded_by = by.get_username() if by else ""
    pledge.full_clean()
    try:
        with transaction.atomic():
            pledge.save()
    except IntegrityError as error:
        raise ValidationError(ALREADY_SIGNED) from error
    record(
        "pledge.signed" if pledge.method == PledgeMethod.ONLINE else "pledge.paper_recorded",
        by=by,
        municipality=pledge.municipality_id,
        target=pledge,
        request=request,
        summary=str(pledge),
        version=pledge.policy_version.version,
    )
    return pledge
