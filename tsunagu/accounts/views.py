from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tsunagu.lib.gate import member_required
from tsunagu.lib.listing import is_htmx, paginate, search

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
