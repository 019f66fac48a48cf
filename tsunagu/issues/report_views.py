"""Views over all issues: heat map and trend, the city-meeting documents, text mining."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from tsunagu.audit.services import record
from tsunagu.lib.downloads import XLSX, attachment
from tsunagu.lib.fiscal import fiscal_year
from tsunagu.lib.gate import member_required
from tsunagu.lib.listing import is_htmx
from tsunagu.lib.period import PeriodForm

from . import access, documents, mining, overview, services
from .forms import MiningForm


@member_required("issues.view")
def issue_overview(request):
    """The heat map of areas × themes for a period, the trend by 年度, the longest open."""
    municipality = request.member.municipality
    form = PeriodForm(request.GET or None)
    start, end, fy = form.period()
    heat = overview.heat_map(municipality, start, end)
    current = fiscal_year(timezone.localdate())
    themes, trend = overview.trend(municipality, list(range(current - 4, current + 1)))
    trend_max = max((n for _year, counts in trend for n in counts), default=0)
    return render(
        request,
        "issues/overview.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "fy": fy,
            "heat": heat,
            "heat_rows": [
                (name, [(n, overview.heat_level(n, heat.maximum)) for n in cells], total)
                for name, cells, total in heat.rows
            ],
            "trend_themes": themes,
            "trend": [
                (year, [(n, overview.heat_level(n, trend_max)) for n in counts])
                for year, counts in trend
            ],
            "longest": overview.longest_open(municipality),
            "today": timezone.localdate(),
        },
    )


def documents_for(request):
    form = PeriodForm(request.GET or None)
    start, end, fy = form.period()
    return form, fy, overview.city_meeting_documents(request.member.municipality, start, end)


@member_required("issues.view")
def city_documents(request):
    form, fy, docs = documents_for(request)
    return render(
        request,
        "issues/city_documents.html",
        {
            "form": form,
            "fy": fy,
            "docs": docs,
            "period": documents.period_label(docs),
            "area_rows": documents.area_rows(docs)[1:],
            "query": request.GET.urlencode(),
        },
    )


def download(request, docs, content: bytes, content_type: str, extension: str):
    record(
        "issues.documents_exported",
        request=request,
        summary=documents.period_label(docs),
        format=extension,
    )
    name = f"city-meeting-{docs.start:%Y%m%d}-{docs.end:%Y%m%d}.{extension}"
    return attachment(content, content_type, name)


@member_required("issues.view")
def city_documents_xlsx(request):
    _form, _fy, docs = documents_for(request)
    return download(request, docs, documents.to_xlsx(docs), XLSX, "xlsx")


@member_required("issues.mine")
def mining_page(request):
    """Choose an area, a period and the kinds of record; the job runs in the background."""
    member = request.member
    access.require_mining(member)
    form = MiningForm(request.POST or None, municipality=member.municipality)
    if request.method == "POST" and form.is_valid():
        start, end, _fy = form.period()
        job = services.start_mining(
            municipality=member.municipality,
            area=form.cleaned_data["area"],
            start=start,
            end=end,
            sources=form.cleaned_data["sources"],
            by=request.user,
            request=request,
        )
        return redirect("issues:mining_job", pk=job.pk)
    jobs = access.recent_mining_jobs(member)
    return render(request, "issues/mining.html", {"form": form, "jobs": jobs})


@member_required("issues.mine")
def mining_job(request, pk):
    """Progress while it runs (htmx polls the status part), then the results."""
    job, result = access.open_mining_job(request, pk)
    template = "issues/_mining_status.html" if is_htmx(request) else "issues/mining_job.html"
    return render(
        request,
        template,
        {"job": job, "result": result, "min_records": mining.MIN_RECORDS},
    )


@member_required("issues.mine")
def mining_network(request, pk):
    _job, svg = access.open_mining_network(request, pk)
    if not svg:
        messages.error(request, "共起ネットワークはまだできていません。")
        return redirect("issues:mining_job", pk=pk)
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@member_required("issues.mine")
def mining_kwic(request, pk):
    word = request.GET.get("word", "").strip()[:30]
    job, lines = access.open_kwic(request, pk, word)
    return render(request, "issues/mining_kwic.html", {"job": job, "word": word, "lines": lines})
