"""Text mining jobs over the records of an area and period.

A job is a row (MiningJob); the work runs as a background task (tasks.run_mining_job, queued
when the request's transaction commits), so tens of thousands of texts block no web worker.
The page polls the row for its progress. Tests run the job in-process
(settings.MINING_INLINE)."""

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone

from tsunagu.cases.access import readable_reviews, reviews_refusals
from tsunagu.cases.models import Advice, CaseReview
from tsunagu.lib.background import enqueue_after_commit
from tsunagu.meetings.content_rule import content_refusals
from tsunagu.meetings.models import Meeting

from . import textmining
from .models import CommunityIssue, MiningJob

MAX_KWIC_TEXTS = 2000
MAX_GROUPED = 1000  # the most recent untagged reviews looked at for groups
PROGRESS_EVERY = 500
# Words and network links are shown only when found in at least this many different records:
# a rarer word could point at one person.
MIN_RECORDS = 5


def texts_for(municipality, *, area, start, end, sources, member=None) -> list[str]:
    """The texts of the chosen kinds in the period (and area), in a stable order. With
    `member`, only those the member may read (the case rule, record by record): the word
    counts cover everything, but texts shown as they are (KWIC) must not."""
    texts = []
    in_area = {} if area is None else {"review__case__center__area": area}
    meetings = Meeting.objects.filter(municipality=municipality, date__range=(start, end))
    readable_advice = readable_policy = Q()
    if member is not None:
        period = list(meetings.select_related("meeting_type"))
        readable_advice = readable_reviews(member, period, prefix="review__")
        readable_policy = readable_reviews(member, period)
        refusals = content_refusals(member, period)
        meetings = meetings.filter(pk__in=[pk for pk, why in refusals.items() if why is None])
    if "advice" in sources:
        texts += (
            Advice.objects.filter(
                readable_advice,
                review__case__municipality=municipality,
                review__meeting__date__range=(start, end),
                **in_area,
            )
            .order_by("id")
            .values_list("text", flat=True)
        )
    if "minutes" in sources:
        if area is not None:
            meetings = meetings.filter(center__area=area)
        texts += meetings.exclude(minutes="").order_by("id").values_list("minutes", flat=True)
        texts += (
            CaseReview.objects.filter(
                readable_policy,
                case__municipality=municipality,
                meeting__date__range=(start, end),
                **({} if area is None else {"case__center__area": area}),
            )
            .exclude(support_policy="")
            .order_by("id")
            .values_list("support_policy", flat=True)
        )
    if "issues" in sources:
        issues = CommunityIssue.objects.filter(
            municipality=municipality, opened_on__range=(start, end)
        )
        if area is not None:
            issues = issues.filter(area=area)
        texts += [
            f"{title}。{description}"
            for title, description in issues.order_by("id").values_list("title", "description")
        ]
    return [text for text in texts if text.strip()]


def untagged_reviews(municipality, *, area, start, end) -> list[tuple[int, str, str]]:
    """(review id, case code, text) of reviews in the period that carry no issue tag."""
    reviews = (
        CaseReview.objects.filter(
            case__municipality=municipality,
            meeting__date__range=(start, end),
            issue_tags__isnull=True,
        )
        .select_related("case")
        .prefetch_related(Prefetch("advice", queryset=Advice.objects.only("review_id", "text")))
    )
    if area is not None:
        reviews = reviews.filter(case__center__area=area)
    return [
        (
            review.pk,
            review.case.code,
            "\n".join([review.support_policy, *(a.text for a in review.advice.all())]),
        )
        for review in reviews.order_by("id")
    ]


def start(job: MiningJob) -> None:
    """Queue the job for a worker once the current transaction commits (the job row must be
    visible to it); in tests, run it at once in this process."""
    if getattr(settings, "MINING_INLINE", False):
        run(job.pk)
        return
    from .tasks import run_mining_job  # tasks imports this module

    enqueue_after_commit(run_mining_job, job.pk)


def run(pk: int) -> MiningJob:
    """Do the work of one job, writing its progress as it goes. A job found 実行中 is one
    whose worker died: it is run again from the start."""
    job = MiningJob.objects.select_related("municipality", "area").get(pk=pk)
    if job.status in (MiningJob.Status.DONE, MiningJob.Status.FAILED):
        return job
    job.status = MiningJob.Status.RUNNING
    job.save(update_fields=["status"])
    try:
        texts = texts_for(
            job.municipality, area=job.area, start=job.start, end=job.end, sources=job.sources
        )
        untagged = untagged_reviews(job.municipality, area=job.area, start=job.start, end=job.end)
        # Grouping compares every pair: 1,000 texts take seconds, 3,000 about a minute.
        untagged = untagged[-MAX_GROUPED:]
        MiningJob.objects.filter(pk=pk).update(total=len(texts))

        def progress(done, total):
            if done % PROGRESS_EVERY == 0 or done == total:
                MiningJob.objects.filter(pk=pk).update(done=done)

        analysis = textmining.analyse(
            texts,
            on_progress=progress,
            min_documents=MIN_RECORDS,
            word_min_documents=MIN_RECORDS,
        )
        codes = {review_id: code for review_id, code, _text in untagged}
        groups = textmining.candidate_groups((rid, text) for rid, _code, text in untagged)
        job.result = {
            "min_records": MIN_RECORDS,
            "texts": len(texts),
            "untagged": len(untagged),
            # The normal form (塵出し) links to KWIC; the label (ゴミ出し) is what users read.
            "words": [[w.word, w.display, w.count, w.documents] for w in analysis.words],
            "network_svg": textmining.network_svg(analysis.network),
            "groups": [
                {
                    "reviews": list(group.keys),
                    "cases": [codes[key] for key in group.keys],
                    "words": list(group.words),
                }
                for group in groups
            ],
        }
        job.done = job.total = len(texts)
        job.status = MiningJob.Status.DONE
    except Exception as error:  # The page must say the job failed, whatever the cause.
        job.status = MiningJob.Status.FAILED
        job.error = f"{type(error).__name__}: {error}"[:300]
    job.finished_at = timezone.now()
    job.save(update_fields=["result", "done", "total", "status", "error", "finished_at"])
    return job


def kwic(job: MiningJob, word: str, *, member, limit: int = 200):
    """A word in its contexts, over the job's texts that contain it and that `member` may
    read (read again, not stored)."""
    texts = texts_for(
        job.municipality,
        area=job.area,
        start=job.start,
        end=job.end,
        sources=job.sources,
        member=member,
    )
    # Only texts that can contain the word are tokenised. The normal form may differ from
    # the surface (行く/行っ, 塵出し/ゴミ出し), so the filter is the first character of the
    # word or of its label; other spellings of a word's first character are missed.
    labels = {row[0]: row[1] for row in job.result.get("words", [])}
    starts = {word[:1], labels.get(word, word)[:1]}
    candidates = [text for text in texts if any(c in text for c in starts)][:MAX_KWIC_TEXTS]
    return textmining.kwic(candidates, word, limit=limit)


def made_under_threshold(job: MiningJob) -> bool:
    """Results made before the threshold existed may hold rare words: not shown."""
    return job.status == MiningJob.Status.DONE and job.result.get("min_records", 0) >= MIN_RECORDS


def network_svg(job: MiningJob) -> str | None:
    return job.result.get("network_svg") if made_under_threshold(job) else None


def visible_result(member, job: MiningJob) -> dict:
    """The job's result as `member` may see it: the words found in at least MIN_RECORDS
    records, and each group of similar reviews only if the member may read every review in
    it (its characteristic words come from all of them)."""
    result = job.result if made_under_threshold(job) else {}
    words = [row for row in result.get("words", []) if row[3] >= MIN_RECORDS]
    groups = result.get("groups", [])
    ids = {pk for group in groups for pk in group["reviews"]}
    reviews = CaseReview.objects.filter(
        pk__in=ids, case__municipality_id=job.municipality_id
    ).select_related("case", "meeting__meeting_type")
    readable = {review.pk for review, why in reviews_refusals(member, reviews) if why is None}
    shown = [group for group in groups if set(group["reviews"]) <= readable]
    return {
        "texts": job.result.get("texts", 0),
        "untagged": job.result.get("untagged", 0),
        "words": words,
        "groups": shown,
        "groups_withheld": len(groups) - len(shown),
        "outdated": job.status == MiningJob.Status.DONE and not made_under_threshold(job),
    }
