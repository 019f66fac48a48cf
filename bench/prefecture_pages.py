"""Server time and query count of the prefecture's pages over the bench municipality's 70,000
meetings (bench/data.py), with one accepted dispatch at every 個別 meeting held in 年度 2024.

    .venv/bin/python bench/prefecture_pages.py                 # SQLite (var/bench.sqlite3)
    DATABASE_URL=postgres://... .venv/bin/python bench/prefecture_pages.py

The first run creates the data sets; later runs reuse them.
"""

import time

from django.db import connection, transaction
from pages import migrate, time_pages

from bench import data
from tsunagu.accounts.models import User
from tsunagu.meetings.models import Meeting
from tsunagu.prefecture.choices import AssignmentStatus, PrefectureRole, RequestStatus
from tsunagu.prefecture.models import (
    AdviserProfile,
    Assignment,
    DispatchRequest,
    Prefecture,
    PrefectureMembership,
)

USERNAME = "bench-ken"
ADVISERS = 200
PAGES = {
    "県: 市町村の状況": "/prefecture/overview/?fy=2024",
    "県: 派遣実績": "/prefecture/records/?fy=2024",
    "県: 派遣実績 Excel": "/prefecture/records.xlsx?fy=2024",
    "県: 派遣依頼": "/prefecture/requests/",
}


@transaction.atomic
def dispatches(municipality) -> int:
    prefecture, _ = Prefecture.objects.get_or_create(code=municipality.code[:2])
    user, created = User.objects.get_or_create(username=USERNAME)
    if created:
        user.set_password(data.PASSWORD)
        user.save()
    PrefectureMembership.objects.get_or_create(
        user=user, prefecture=prefecture, defaults={"role": PrefectureRole.STAFF}
    )
    if AdviserProfile.objects.filter(prefecture=prefecture).exists():
        return Assignment.objects.filter(request__prefecture=prefecture).count()
    professions = ["physiotherapist", "dietitian", "dental_hygienist", "pharmacist"]
    advisers = []
    for n in range(ADVISERS):
        login = User.objects.create(username=f"bench-adviser-{n}")
        advisers.append(
            AdviserProfile.objects.create(
                prefecture=prefecture,
                user=login,
                name=f"派遣 {n}",
                furigana="ハケン",
                profession=professions[n % len(professions)],
                availability=2**14 - 1,
            )
        )
    held = Meeting.objects.filter(
        municipality=municipality,
        meeting_type__category="individual",
        status="held",
        date__year__in=[2024, 2025],
    ).values_list("pk", flat=True)
    requests = DispatchRequest.objects.bulk_create(
        DispatchRequest(
            municipality=municipality,
            prefecture=prefecture,
            meeting_id=pk,
            profession=advisers[i % ADVISERS].profession,
            status=RequestStatus.ACCEPTED,
        )
        for i, pk in enumerate(held)
    )
    Assignment.objects.bulk_create(
        Assignment(
            request=request, adviser=advisers[i % ADVISERS], status=AssignmentStatus.ACCEPTED
        )
        for i, request in enumerate(requests)
    )
    return len(requests)


def main():
    from django.test import Client

    migrate()
    started = time.perf_counter()
    municipality = data.generate()
    count = dispatches(municipality)
    print(
        f"データベース: {connection.vendor}  派遣 {count:,}件・アドバイザー {ADVISERS}名"
        f"（準備 {time.perf_counter() - started:.1f}秒）"
    )
    client = Client()
    assert client.login(username=USERNAME, password=data.PASSWORD)
    time_pages(client, PAGES)


if __name__ == "__main__":
    main()
