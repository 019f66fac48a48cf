"""The in-app list of notifications, the email preferences, and the unsubscribe link."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tsunagu.accounts.middleware import two_factor_exempt
from tsunagu.lib.gate import member_required
from tsunagu.lib.listing import paginate
from tsunagu.meetings.access import meeting_types_visible_to

from . import recipients, services
from .forms import PreferencesForm, ReminderDaysForm

NO_PERSON = (
    "この利用者は名簿の人と結び付いていないため、お知らせはありません。"
    "管理者に「所属と役割」の「名簿上の人」の設定を依頼してください。"
)


def reader_required(view):
    """A member who may view meetings reads their person's notifications (and their
    login's); a login with no municipality (the prefecture tier) reads those addressed to
    the login only."""
    checked = member_required("meetings.view")(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "member", None) is None and request.user.is_authenticated:
            return view(request, *args, **kwargs)
        return checked(request, *args, **kwargs)

    return wrapper


def reader(request) -> tuple[int | None, int]:
    member = getattr(request, "member", None)
    return getattr(member, "person_id", None), request.user.pk


@reader_required
def notification_list(request):
    person_id, user_id = reader(request)
    notifications = services.for_person(person_id, user_id)
    page = paginate(request, notifications)
    no_person = person_id is None and not notifications.exists()
    return render(request, "notifications/list.html", {"page": page, "no_person": no_person})


@require_POST
@reader_required
def notification_read(request, pk):
    """Mark one notification read and open what it is about."""
    person_id, user_id = reader(request)
    notification = services.for_person(person_id, user_id).filter(pk=pk).first()
    if notification is None:
        raise Http404
    services.mark_read(person_id=person_id, user_id=user_id, notification_id=notification.pk)
    return redirect(notification.link)


@require_POST
@reader_required
def notification_read_all(request):
    person_id, user_id = reader(request)
    services.mark_read(person_id=person_id, user_id=user_id)
    messages.success(request, "すべて既読にしました。")
    return redirect("notifications:notification_list")


def preference_holders(request) -> list:
    """Whose choices the page sets: the member's directory person, and the login itself where
    notifications come addressed to it (the prefecture tier: prefecture staff, coordinators,
    pooled advisers, who may also hold a municipality's membership after a dispatch)."""
    member = getattr(request, "member", None)
    holders = [member.person] if member is not None and member.person is not None else []
    if member is None or recipients.login_is_addressed(request.user):
        holders.append(request.user)
    return holders


@reader_required
def notification_preferences(request):
    holders = preference_holders(request)
    if not holders:
        return render(request, "notifications/preferences.html", {"no_person": True})
    form = PreferencesForm(request.POST or None, current=services.preferences_of(holders[0]))
    if request.method == "POST" and form.is_valid():
        for holder in holders:
            services.set_preferences(
                person=holder, choices=form.cleaned_data, by=request.user, request=request
            )
        messages.success(request, "お知らせの受け取り方を保存しました。")
        return redirect("notifications:notification_preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "person": holders[0], "has_email": any(h.email for h in holders)},
    )


@login_not_required
@two_factor_exempt
def notification_unsubscribe(request, token):
    """From an email, without logging in: the signed token names the person and the kind.
    GET asks (mail software opens links to check them); POST stops the emails."""
    found = services.unsubscribing(token)
    if found is None:
        raise Http404
    person, kind = found
    done = False
    if request.method == "POST":
        services.unsubscribe(person=person, kind=kind, request=request)
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {"kind": kind, "done": done, "person": person, "name": services.name_of(person)},
    )


@member_required("meeting_types.edit")
def reminder_settings(request):
    """市職員: for each meeting body, how many days before a meeting the reminder goes."""
    meeting_types = list(meeting_types_visible_to(request.member).filter(is_active=True))
    form = ReminderDaysForm(
        request.POST or None,
        meeting_types=meeting_types,
        current=services.reminder_days(meeting_types),
    )
    if request.method == "POST" and form.is_valid():
        services.set_reminder_days(
            meeting_types=meeting_types, days=form.days(), by=request.user, request=request
        )
        messages.success(request, "開催前のお知らせの日数を保存しました。")
        return redirect("notifications:notification_reminder_settings")
    return render(request, "notifications/reminder_settings.html", {"form": form})
