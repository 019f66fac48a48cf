from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tsunagu.lib.fiscal import fiscal_year
from tsunagu.lib.gate import NO_MEMBERSHIP, member_required
from tsunagu.lib.listing import is_htmx, paginate, search
from tsunagu.meetings.access import meetings_visible_to
from tsunagu.meetings.choices import Status
from tsunagu.organizations import access as directory
from tsunagu.organizations.choices import Profession
from tsunagu.organizations.models import Area, Center, Organization, Person

from . import access, services
from .forms import MemberCreateForm, MemberEditForm, SwitchMembershipForm
from .models import Membership, Role

login = login_not_required(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html", redirect_authenticated_user=True
    )
)
logout = auth_views.LogoutView.as_view()
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html", success_url="/password/done/"
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)


def dashboard(request):
    member = request.member
    if member is None:
        raise PermissionDenied(NO_MEMBERSHIP)
    people = directory.visible_to(member, Person)
    by_profession = dict(people.values_list("profession").annotate(n=Count("id")))
    today = timezone.localdate()
    return render(
        request,
        "accounts/dashboard.html",
        {
            "today": today,
            "fiscal_year": fiscal_year(today),
            "counts": {
                "areas": directory.visible_to(member, Area).count(),
                "centers": directory.visible_to(member, Center).count(),
                "organizations": directory.visible_to(member, Organization).count(),
                "people": sum(by_profession.values()),
            },
            "core_center": directory.visible_to(member, Center).filter(is_core=True).first(),
            "upcoming": meetings_visible_to(member)
            .filter(date__gte=today, status=Status.PLANNED)
            .select_related(
                "meeting_type", "center", "municipality", "meeting_type__host_organization"
            )
            .order_by("date", "start_time")[:5],
            "professions": [
                (label, by_profession[value])
                for value, label in Profession.choices
                if value in by_profession
            ],
        },
    )


@require_POST
def switch_membership(request):
    form = SwitchMembershipForm(request.POST)
    membership = form.is_valid() and access.membership_to_switch_to(
        request.user, form.cleaned_data["membership"]
    )
    if not membership:
        raise PermissionDenied("この市町村に切り替える権限がありません。")
    services.switch_membership(request=request, membership=membership)
    messages.success(request, f"{membership.municipality}に切り替えました。")
    return redirect("dashboard")


@member_required("members.manage")
def member_list(request):
    rows = access.memberships_managed_by(request.member).order_by("role", "user__username")
    rows = search(
        rows, request.GET.get("q", ""), ["user__username", "user__full_name", "center__name"]
    )
    role = request.GET.get("role", "")
    if role in Role.values:
        rows = rows.filter(role=role)
    template = "accounts/_member_results.html" if is_htmx(request) else "accounts/member_list.html"
    return render(
        request,
        template,
        {
            "page": paginate(request, rows),
            "q": request.GET.get("q", ""),
            "roles": Role.choices,
            "role": role,
        },
    )


@member_required("members.manage")
def member_create(request):
    membership = Membership(municipality=request.member.municipality)
    form = MemberCreateForm(
        request.POST or None, instance=membership, municipality=request.member.municipality
    )
    if request.method == "POST" and form.is_valid():
        services.add_member(
            membership=form.instance,
            username=form.cleaned_data["username"],
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password"],
            by=request.user,
            request=request,
        )
        messages.success(request, f"{form.instance.user}さんを登録しました。")
        return redirect("member_list")
    return render(request, "accounts/member_form.html", {"form": form, "title": "メンバーを追加"})


@member_required("members.manage")
def member_edit(request, pk):
    membership = get_object_or_404(access.memberships_managed_by(request.member), pk=pk)
    form = MemberEditForm(
        request.POST or None,
        instance=membership,
        municipality=request.member.municipality,
        acting_member=request.member,
    )
    if request.method == "POST" and form.is_valid():
        services.update_member(
            membership=form.instance, changed=form.changed_data, by=request.user, request=request
        )
        messages.success(request, f"{membership.user}さんの権限を保存しました。")
        return redirect("member_list")
    return render(
        request,
        "accounts/member_form.html",
        {"form": form, "title": f"{membership.user}さんの権限", "membership": membership},
    )
