from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from tsunagu.audit.services import client_ip, log
from tsunagu.lib.gate import member_required
from tsunagu.lib.listing import is_htmx, paginate, search
from tsunagu.lib.security import group_secret, otpauth_uri, qr_code_svg

from . import access, services, throttle, twofactor
from .forms import (
    CodeForm,
    InvitationAnswerForm,
    LoginForm,
    MemberCreateForm,
    MemberEditForm,
    PasswordChangeForm,
    SwitchMembershipForm,
)
from .middleware import two_factor_exempt
from .models import Membership, Role

WRONG_CODE = (
    "確認コードが正しくありません。認証アプリに表示されている最新のコードを入力してください。"
)
CODE_EXPIRED = "確認コードの入力時間が過ぎました。もう一度ログインしてください。"
INVITED = (
    "ログインID「{username}」を招待しました。"
    "本人が次にログインして招待を承諾すると、この市町村で使えるようになります。"
)
CSRF_REFUSED = (
    "画面の有効期限が切れたか、正しくない送信のため、受け付けませんでした。"
    "画面を読み込み直してから、もう一度操作してください。"
)


class LoginView(auth_views.LoginView):
    """Step 1: the password. A user with two-factor authentication continues to step 2
    (`login_code`) without being logged in; everyone else is logged in here."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        next_url = landing_url(user, self.get_success_url())
        if user.has_two_factor:
            twofactor.start_login(self.request, user, next_url)
            return redirect("accounts:login_code")
        twofactor.end_login(self.request)  # a second step begun for someone else
        auth_login(self.request, user)
        return redirect(next_url)


def landing_url(user, next_url: str) -> str:
    """Where a login ends: the invitations waiting for an answer come first. A system
    administrator with no municipality of their own starts at the administration site, not at
    a dashboard they may not see."""
    if access.pending_invitations_for(user).exists():
        return reverse("accounts:invitations")
    if (
        user.is_staff
        and next_url == resolve_url(settings.LOGIN_REDIRECT_URL)
        and not access.current_memberships(user).exists()
    ):
        return reverse("admin:index")
    return next_url


login = two_factor_exempt(login_not_required(LoginView.as_view()))
logout = two_factor_exempt(auth_views.LogoutView.as_view())


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, with the request handed to the form for the lockout and the audit."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = "/password/done/"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


password_change = PasswordChangeView.as_view()
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)


@two_factor_exempt
@login_not_required
@sensitive_post_parameters("code")
@never_cache
def login_code(request):
    """Step 2: the code from the authenticator app. Only a right code logs the user in."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    pending = twofactor.pending_login(request)
    if pending is None and request.method == "POST":
        # A code sent after the session was lost, or without a password step at all.
        log("user.2fa_expired", request=request)
        messages.error(request, CODE_EXPIRED)
        return redirect("accounts:login")
    if pending is None:
        return redirect("accounts:login")
    if pending.expired:
        log("user.2fa_expired", request=request, username=pending.username)
        messages.error(request, CODE_EXPIRED)
        return redirect("accounts:login")
    user = pending.user
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scope = throttle.lockout(username=user.get_username(), ip=client_ip(request))
        if scope:
            log("user.locked_out", by=user, request=request, scope=scope)
            twofactor.end_login(request)
            messages.error(request, throttle.message(scope))
            return redirect("accounts:login")
        if twofactor.accept_code(user, form.cleaned_data["code"]):
            twofactor.end_login(request)
            auth_login(request, user, backend=pending.backend)
            return redirect(pending.next_url or settings.LOGIN_REDIRECT_URL)
        log("user.2fa_failed", by=user, request=request)
        form.add_error("code", WRONG_CODE)
    return render(request, "accounts/login_code.html", {"form": form})


@two_factor_exempt
@sensitive_post_parameters("code")
def two_factor(request):
    """Set up two-factor authentication, or see that it is on (and turn it off if allowed)."""
    user = request.user
    required = twofactor.is_required(user, getattr(request, "current_memberships", None))
    if user.has_two_factor:
        return render(
            request,
            "accounts/two_factor.html",
            {"required": required, "disable_form": CodeForm(auto_id="disable_%s")},
        )
    secret = twofactor.setup_secret(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.accept_code(user, form.cleaned_data["code"], secret=secret):
            services.enable_two_factor(user=user, secret=secret, by=user, request=request)
            twofactor.forget_setup_secret(request)
            messages.success(
                request,
                "二段階認証を設定しました。次回からログインのときに確認コードを入力します。",
            )
            return redirect("reports:dashboard")
        form.add_error("code", WRONG_CODE)
    uri = otpauth_uri(secret, user.get_username(), settings.TOTP_ISSUER)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "required": required,
            "form": form,
            "secret": group_secret(secret),
            "uri": uri,
            "qr_svg": mark_safe(qr_code_svg(uri)),  # noqa: S308 - segno's own SVG markup
        },
    )


@require_POST
@sensitive_post_parameters("code")
def two_factor_disable(request):
    """Turn two-factor authentication off, with a current code, where the role allows it."""
    user = request.user
    if not user.has_two_factor:
        return redirect("accounts:two_factor")
    if twofactor.is_required(user, getattr(request, "current_memberships", None)):
        raise PermissionDenied("役割により二段階認証が必須のため、無効にできません。")
    form = CodeForm(request.POST, auto_id="disable_%s")
    if form.is_valid():
        scope = throttle.lockout(username=user.get_username(), ip=client_ip(request))
        if scope:
            form.add_error("code", throttle.message(scope))
        elif twofactor.accept_code(user, form.cleaned_data["code"]):
            services.disable_two_factor(user=user, by=user, request=request)
            messages.success(request, "二段階認証を無効にしました。")
            return redirect("accounts:two_factor")
        else:
            log("user.2fa_failed", by=user, request=request)
            form.add_error("code", WRONG_CODE)
    return render(request, "accounts/two_factor.html", {"required": False, "disable_form": form})


def csrf_failure(request, reason=""):
    """A form sent from an outdated page or from another site: refused in Japanese, logged.

    settings.CSRF_FAILURE_VIEW points here instead of Django's English page.
    """
    log(
        "security.csrf_failed",
        by=getattr(request, "user", None),
        request=request,
        path=request.path[:200],
        reason=str(reason)[:200],
    )
    return render(request, "errors/403.html", {"reason": CSRF_REFUSED}, status=403)


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
    return redirect("reports:dashboard")


def invitations(request):
    """The invitations waiting for the user's answer; a login with any comes here first."""
    return render(
        request,
        "accounts/invitations.html",
        {"invitations": access.pending_invitations_for(request.user)},
    )


@require_POST
def invitation_answer(request, pk):
    invitation = access.invitation_to_answer(request.user, pk)
    if invitation is None:
        raise Http404
    form = InvitationAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "「承諾する」か「辞退する」を選んでください。")
        return redirect("accounts:invitations")
    try:
        if form.cleaned_data["answer"] == "accept":
            membership = services.accept_invitation(invitation=invitation, request=request)
            services.switch_membership(request=request, membership=membership)
            messages.success(request, f"{invitation.municipality}の招待を承諾しました。")
        else:
            services.decline_invitation(invitation=invitation, request=request)
            messages.info(request, f"{invitation.municipality}の招待を辞退しました。")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if access.pending_invitations_for(request.user).exists():
        return redirect("accounts:invitations")
    return redirect(settings.LOGIN_REDIRECT_URL)


@member_required("members.manage")
def member_list(request):
    rows = access.memberships_managed_by(request.member).order_by("role", "user__username")
    rows = search(
        rows, request.GET.get("q", ""), ["user__username", "user__full_name", "center__name"]
    )
    role = request.GET.get("role", "")
    if role in Role.values:
        rows = rows.filter(role=role)
    context = {
        "page": paginate(request, rows),
        "q": request.GET.get("q", ""),
        "roles": Role.choices,
        "role": role,
    }
    if is_htmx(request):
        return render(request, "accounts/_member_results.html", context)
    context["invitations"] = access.invitations_managed_by(request.member)
    return render(request, "accounts/member_list.html", context)


@member_required("members.manage")
def member_create(request):
    membership = Membership(municipality=request.member.municipality)
    form = MemberCreateForm(
        request.POST or None, instance=membership, municipality=request.member.municipality
    )
    if request.method == "POST" and form.is_valid():
        services.invite_member(
            membership=form.instance,
            login=services.NewLogin(
                form.cleaned_data["username"],
                form.cleaned_data["full_name"],
                form.cleaned_data["password"],
            ),
            by=request.user,
            request=request,
        )
        messages.success(request, INVITED.format(username=form.cleaned_data["username"]))
        return redirect("accounts:member_list")
    return render(request, "accounts/member_form.html", {"form": form, "title": "メンバーを追加"})


@member_required("members.manage")
def member_edit(request, pk):
    membership = access.membership_managed_by(request.member, pk)
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
        return redirect("accounts:member_list")
    return render(
        request,
        "accounts/member_form.html",
        {"form": form, "title": f"{membership.user}さんの権限", "membership": membership},
    )
