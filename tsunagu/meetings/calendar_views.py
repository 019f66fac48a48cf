"""The user's private calendar feed (.ics): issuing the address, and the feed itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from tsunagu.audit.services import log_refusal

from . import calendar


def calendar_settings(request):
    """Issue, reissue or stop the user's private feed address; the address is shown once."""
    feed_url = None
    if request.method == "POST" and request.POST.get("action") == "issue":
        token = calendar.issue_token(user=request.user, request=request)
        feed_url = request.build_absolute_uri(f"/calendar/{token}.ics")
        messages.success(request, "カレンダーのURLを発行しました。以前のURLは使えなくなりました。")
    elif request.method == "POST" and request.POST.get("action") == "revoke":
        calendar.revoke_token(user=request.user, request=request)
        messages.success(request, "カレンダーのURLを無効にしました。")
        return redirect("meetings:calendar_settings")
    token = getattr(request.user, "calendar_token", None) if feed_url is None else None
    return render(
        request,
        "meetings/calendar_settings.html",
        {
            "feed_url": feed_url,
            "token": token,
            "count": calendar.meetings_for_calendar(request.user).count(),
        },
    )


@login_not_required
def calendar_feed(request, token):
    user = calendar.user_for_token(token)
    if user is None:
        # A forged, reissued or revoked address: refused, and kept for the log's reviewers.
        log_refusal(request, "無効なカレンダーのURL", status=404)
        raise Http404
    body = calendar.feed(
        calendar.meetings_for_calendar(user), base_url=request.build_absolute_uri("/").rstrip("/")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tsunagu.ics"'
    return response
