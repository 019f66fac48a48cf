"""Text mining under the content rule: words only when found in 5+ records; KWIC sentences
and similar-review groups only from reviews the viewer may read; one audit entry each."""

from django.urls import reverse

from tsunagu.audit.models import AuditEntry
from tsunagu.issues.mining import MIN_RECORDS
from tsunagu.issues.models import MiningJob

from .conftest import TODAY, reviewed_case, sign

PERIOD = {"start": "令和8年4月1日", "end": "令和9年3月31日", "sources": ["advice"]}
COMMON = "バスの本数が減り、買い物に行けず、通院も難しい。"


def run_job(client):
    client.post(reverse("issues:mining"), PERIOD)
    return MiningJob.objects.get()


def content_actions(before):
    return list(
        AuditEntry.objects.filter(seq__gt=before)
        .exclude(action="access.refused")
        .values_list("action", flat=True)
    )


def last_seq():
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_words_found_in_fewer_than_five_records_are_not_shown(city_client, municipality, center):
    for n in range(MIN_RECORDS):
        reviewed_case(municipality, center, n, advice=[COMMON])
    reviewed_case(municipality, center, 99, advice=["珍妙な坂道で転倒した。"])
    job = run_job(city_client)
    words = {row[1] for row in job.result["words"]}
    assert "買い物" in words or "買物" in words
    assert all(row[3] >= MIN_RECORDS for row in job.result["words"])
    before = last_seq()
    page = city_client.get(reverse("issues:mining_job", args=[job.pk])).content.decode()
    assert "坂道" not in page and "珍妙" not in page
    assert content_actions(before) == ["issues.mining_viewed"]
    before = last_seq()
    svg = city_client.get(reverse("issues:mining_network", args=[job.pk])).content.decode()
    assert "坂道" not in svg
    assert content_actions(before) == ["issues.network_viewed"]


def test_kwic_and_groups_show_only_what_the_viewer_may_read(
    city_client, city_admin, municipality, center
):
    reviews = [reviewed_case(municipality, center, n, advice=[COMMON]) for n in range(4)]
    secret = reviewed_case(municipality, center, 50, advice=["秘密の坂道で買い物に行けない。"])
    job = run_job(city_client)
    assert job.result["groups"], "the similar reviews make a group"
    grouped = {pk for group in job.result["groups"] for pk in group["reviews"]}
    # No pledge for any of these meetings: no sentence, no group.
    before = last_seq()
    kwic = city_client.get(reverse("issues:mining_kwic", args=[job.pk]), {"word": "買い物"})
    assert "行けず" not in kwic.content.decode() and "秘密" not in kwic.content.decode()
    assert content_actions(before) == ["issues.kwic_viewed"]
    page = city_client.get(reverse("issues:mining_job", args=[job.pk])).content.decode()
    assert "件の集まりは表示していません" in page
    assert not any(review.case.code in page for review in reviews)
    # Pledges for the meetings of the grouped reviews: those are shown, the rest still not.
    for review in [*reviews, secret]:
        if review.pk in grouped:
            sign(city_admin, municipality, for_meeting=review.meeting)
    kwic = city_client.get(reverse("issues:mining_kwic", args=[job.pk]), {"word": "買い物"})
    assert "行けず" in kwic.content.decode()
    assert ("秘密" in kwic.content.decode()) is (secret.pk in grouped)
    page = city_client.get(reverse("issues:mining_job", args=[job.pk])).content.decode()
    assert any(review.case.code in page for review in reviews if review.pk in grouped)


def test_mining_no_longer_needs_a_pledge_this_year(city_client):
    assert city_client.get(reverse("issues:mining")).status_code == 200


def test_a_result_made_before_the_threshold_shows_no_words_and_no_network(
    city_client, municipality
):
    job = MiningJob.objects.create(
        municipality=municipality,
        start=TODAY,
        end=TODAY,
        status=MiningJob.Status.DONE,
        result={
            "texts": 1,
            "untagged": 0,
            "words": [["珍語", "珍語", 1, 1]],
            "groups": [],
            "network_svg": "<svg>珍語</svg>",
        },
    )
    page = city_client.get(reverse("issues:mining_job", args=[job.pk])).content.decode()
    assert "もう一度分析してください" in page and "珍語" not in page
    assert city_client.get(reverse("issues:mining_network", args=[job.pk])).status_code == 302
