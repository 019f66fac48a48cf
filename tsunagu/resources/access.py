"""The only way views reach resources, needs and coordinator activities.

Every role of the municipality reads them ("resources.view"); 市職員, 基幹型 and センター職員
change them ("resources.edit"). Another municipality's rows and rows that do not exist both
answer 404; a read-only role gets 403 on a write.

Cases are reached only through tsunagu/cases/access.py. A need shows its case's code, and
matching "from a case" uses the case's center's area, never the case's content, so neither
asks for a 誓約書 (pledge).
"""

import contextlib
import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tsunagu.accounts.models import Membership
from tsunagu.cases.access import case_in_scope, cases_visible_to
from tsunagu.cases.models import Case
from tsunagu.lib.wareki import parse_date
from tsunagu.meetings.access import meetings_visible_to
from tsunagu.organizations.models import Area

from .models import Need, Resource

VIEW = "resources.view"
EDIT = "resources.edit"


def visible_to(member: Membership | None, model: type[Model]) -> QuerySet:
    """The rows of `model` (Resource, Need, Activity) in the member's municipality."""
    if member is None or not member.may(VIEW):
        return model._default_manager.none()
    return model._default_manager.filter(municipality_id=member.municipality_id)


def may_edit(member: Membership | None) -> bool:
    return member is not None and member.may(EDIT)


def require_edit(member: Membership) -> None:
    if not may_edit(member):
        raise PermissionDenied("社会資源・ニーズを登録する権限がありません。")


def for_user(member: Membership, model: type[Model], pk: int | str, *, write: bool = False) -> Any:
    """One row the member may see (404 otherwise); with write=True, also one it may change."""
    row = get_object_or_404(visible_to(member, model), pk=pk)
    if write and not may_edit(member):
        raise PermissionDenied("この情報を変更する権限がありません。")
    return row


def resource_for_user(member: Membership, pk: int | str, *, write: bool = False) -> Resource:
    return for_user(member, Resource, pk, write=write)


def need_for_user(member: Membership, pk: int | str, *, write: bool = False) -> Need:
    return for_user(member, Need, pk, write=write)


def need_for_matching(member: Membership, pk: int | str) -> Need:
    """One need the member may see (404 otherwise), with what its matching page shows."""
    return get_object_or_404(
        visible_to(member, Need).select_related(
            "area",
            "case",
            "meeting__meeting_type",
            "meeting__center",
            "recorded_by",
            "issue",
            "met_by",
        ),
        pk=pk,
    )


def area_of(member: Membership, pk: int | str) -> Area:
    """One 日常生活圏域 of the member's municipality (404 otherwise)."""
    return get_object_or_404(Area, pk=pk, municipality_id=member.municipality_id)


def case_area_for_user(member: Membership, pk: int | str) -> Case:
    """The case (in the member's scope, else 404) for matching, with its center's area.

    Only the case's code, center and the center's area are used: no content, so no pledge is
    asked for (the same rule as the case list, which shows the codes to anyone in scope).
    """
    return case_in_scope(member, pk)


def case_by_code(member: Membership, code: str) -> Case | None:
    """The case with this code among those the member is in scope for, or None."""
    return cases_visible_to(member).filter(code=code).first()


def cases_in_scope_among(member: Membership, case_ids: Iterable[int | None]) -> set[int]:
    """Which of these cases the member may open (one query): only those get a link."""
    ids = {pk for pk in case_ids if pk is not None}
    if not ids:
        return set()
    return set(cases_visible_to(member).filter(pk__in=ids).values_list("pk", flat=True))


# How far the need form's meeting list reaches: the past year and the coming three months.
MEETINGS_BACK_DAYS, MEETINGS_AHEAD_DAYS = 366, 92


def meetings_for_need(
    member: Membership,
    *,
    area_id: int | None,
    keep: Iterable[int | None] = (),
    search: str = "",
) -> QuerySet:
    """The meetings the need form offers, newest first: those of the past year and the
    coming months, of the 圏域's centers and the city's when a 圏域 is given, matching the
    search (会議体, センター, 会場, テーマ, or a date such as R8.5.10) when one is typed.
    The meetings in `keep` (the one already chosen) always stay, if the member sees them.
    Hundreds of meetings make an unfiltered list unusable."""
    today = timezone.localdate()
    offered = Q(
        date__range=(
            today - datetime.timedelta(days=MEETINGS_BACK_DAYS),
            today + datetime.timedelta(days=MEETINGS_AHEAD_DAYS),
        )
    )
    if area_id is not None:
        offered &= Q(center__area_id=area_id) | Q(center__isnull=True)
    search = search.strip()[:50]
    if search:
        found = (
            Q(meeting_type__name__icontains=search)
            | Q(center__name__icontains=search)
            | Q(venue__icontains=search)
            | Q(theme__icontains=search)
        )
        with contextlib.suppress(ValueError):  # not a date: searched as text only
            found |= Q(date=parse_date(search))
        offered &= found
    kept = [pk for pk in keep if pk]
    if kept:
        offered |= Q(pk__in=kept)
    return (
        meetings_visible_to(member)
        .filter(offered)
        .select_related("meeting_type__host_organization", "center", "municipality")
        .order_by("-date", "-id")
    )
