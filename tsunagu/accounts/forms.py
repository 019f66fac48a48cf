from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from tsunagu.audit.services import client_ip, log
from tsunagu.lib.fields import WarekiDateField
from tsunagu.lib.params import MAX_ID
from tsunagu.lib.security import DIGITS, normalize_code
from tsunagu.organizations.models import Center, Person

from . import throttle
from .models import Invitation, Membership, Role, User


class LoginForm(AuthenticationForm):
    """Django's login form, refusing a login ID or address locked by too many failures.

    The lock is checked before the password, so a locked attempt says nothing about whether
    the password was right (and costs no password hashing). Wrong passwords still reach the
    audit log through Django's `user_login_failed` signal (signals.py). The words are the
    page's own: ログインID, said once.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "ログインIDまたはパスワードが正しくありません。",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "ログインID"
        self.fields["password"].label = "パスワード"

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and self.cleaned_data.get("password"):
            scope = throttle.lockout(username=username, ip=client_ip(self.request))
            if scope:
                log("user.locked_out", request=self.request, username=username[:150], scope=scope)
                raise forms.ValidationError(throttle.message(scope), code="locked")
        return super().clean()


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, where a wrong current password counts as a failed login.

    Someone at a shared PC left logged in must not be able to guess the current password
    without limit and then take the login over: every wrong one is audited as
    `user.password_change_failed`, which the login throttle counts, and a locked login ID
    or address is refused here as on the login page, before the password is checked.
    """

    def __init__(self, user, *args, request=None, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self):
        scope = throttle.lockout(username=self.user.get_username(), ip=client_ip(self.request))
        if scope:
            log("user.locked_out", by=self.user, request=self.request, scope=scope)
            raise forms.ValidationError(throttle.message(scope), code="locked")
        try:
            return super().clean_old_password()
        except forms.ValidationError:
            log("user.password_change_failed", by=self.user, request=self.request)
            raise


class CodeForm(forms.Form):
    """The six digits an authenticator app shows. Full-width digits and spaces are accepted."""

    code = forms.CharField(
        label="確認コード（6桁）",
        max_length=20,
        help_text="スマートフォンなどの認証アプリに表示される数字です。",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "size": 8,
            }
        ),
    )

    def clean_code(self):
        code = normalize_code(self.cleaned_data["code"])
        if len(code) != DIGITS or not code.isascii() or not code.isdigit():
            raise forms.ValidationError("確認コードは6桁の数字で入力してください。")
        return code


class MembershipFields(forms.ModelForm):
    """The fields of a membership, with choices limited to the admin's municipality."""

    required_css_class = "required"

    expires_on = WarekiDateField(
        label="有効期限", required=False, help_text="空欄なら期限なし。外部の助言者などに使います。"
    )

    class Meta:
        model = Membership
        fields = ["role", "center", "person", "expires_on", "is_active"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        self.fields["center"].queryset = Center.objects.filter(municipality=municipality)
        self.fields["person"].queryset = Person.objects.filter(municipality=municipality)
        self.fields["person"].help_text = "名簿に登録済みの人と結び付けると、職種が表示されます。"


class MemberCreateForm(MembershipFields):
    """Invites a login to a role in the admin's municipality.

    The same fields are required and checked whether the login ID exists or not, so that the
    form's answer never tells which login IDs exist (another municipality's staff among them).
    """

    username = forms.RegexField(
        label="ログインID",
        max_length=150,
        regex=r"^[A-Za-z0-9_.@+-]+$",
        error_messages={"invalid": "ログインIDは半角英数字と _ . @ + - で入力してください。"},
        help_text=(
            "本人が次にログインしたときに招待を承諾すると、この市町村で使えるようになります。"
        ),
    )
    full_name = forms.CharField(label="氏名", max_length=50)
    password = forms.CharField(
        label="初期パスワード",
        max_length=128,
        widget=forms.PasswordInput(render_value=True),
        help_text=(
            "10文字以上。まだ無いログインIDなら、この氏名と初期パスワードで作ります。"
            "すでにあるログインIDなら、本人の登録内容はそのままです。"
        ),
    )

    class Meta(MembershipFields.Meta):
        fields = ["username", "full_name", "password", "role", "center", "person", "expires_on"]

    def clean(self):
        cleaned = super().clean()
        username = cleaned.get("username")
        if not username:
            return cleaned
        if cleaned.get("password"):
            try:
                password_validation.validate_password(
                    cleaned["password"], User(username=username, full_name=cleaned.get("full_name"))
                )
            except forms.ValidationError as error:
                self.add_error("password", error)
        # The admin's list already shows both, so saying so reveals nothing.
        municipality = self.instance.municipality
        if Membership.objects.filter(user__username=username, municipality=municipality).exists():
            self.add_error("username", "この利用者はすでにこの市町村のメンバーです。")
        elif Invitation.objects.filter(
            user__username=username, municipality=municipality, status=Invitation.Status.PENDING
        ).exists():
            self.add_error("username", "この利用者はすでにこの市町村に招待されています。")
        return cleaned


class InvitationAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "承諾する"), ("decline", "辞退する")])


class MemberEditForm(MembershipFields):
    def __init__(self, *args, acting_member, **kwargs):
        super().__init__(*args, **kwargs)
        self.acting_member = acting_member

    def clean(self):
        cleaned = super().clean()
        # An admin who removed their own admin role could lock the municipality out.
        if self.instance.pk == self.acting_member.pk and (
            cleaned.get("role") != Role.CITY_ADMIN or not cleaned.get("is_active")
        ):
            raise forms.ValidationError(
                "自分自身の管理者権限は外せません。別の管理者に依頼してください。"
            )
        return cleaned


class SwitchMembershipForm(forms.Form):
    membership = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
