from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from tsunagu.audit.services import client_ip, log
from tsunagu.lib.fields import WarekiDateField
from tsunagu.lib.params import MAX_ID
from tsunagu.lib.security import DIGITS, normalize_code
from tsunagu.organizations.models import Center, Person

from . import throttle
from .models import Membership, Role, User


class LoginForm(AuthenticationForm):
    """Django's login form, refusing a login ID or address locked by too many failures.

    The lock is checked before the password, so a locked attempt says nothing about whether
    the password was right (and costs no password hashing). Wrong passwords still reach the
    audit log through Django's `user_login_failed` signal (signals.py).
    """

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and self.cleaned_data.get("password"):
            scope = throttle.lockout(username=username, ip=client_ip(self.request))
            if scope:
                log("user.locked_out", request=self.request, username=username[:150], scope=scope)
                raise forms.ValidationError(throttle.message(scope), code="locked")
        return super().clean()


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
    username = forms.RegexField(
        label="ログインID",
        max_length=150,
        regex=r"^[A-Za-z0-9_.@+-]+$",
        error_messages={"invalid": "ログインIDは半角英数字と _ . @ + - で入力してください。"},
        help_text="すでに他の市町村で使われているIDなら、その人にこの市町村の権限を追加します。",
    )
    full_name = forms.CharField(label="氏名", max_length=50, required=False)
    password = forms.CharField(
        label="初期パスワード",
        required=False,
        max_length=128,
        widget=forms.PasswordInput(render_value=True),
        help_text="新しいIDのときだけ使います。10文字以上。",
    )

    class Meta(MembershipFields.Meta):
        fields = ["username", "full_name", "password", *MembershipFields.Meta.fields]

    def clean(self):
        cleaned = super().clean()
        username = cleaned.get("username")
        if not username:
            return cleaned
        self.existing_user = User.objects.filter(username=username).first()
        if self.existing_user is None:
            if not cleaned.get("full_name"):
                self.add_error("full_name", "新しいIDには氏名が必要です。")
            if not cleaned.get("password"):
                self.add_error("password", "新しいIDには初期パスワードが必要です。")
            else:
                try:
                    password_validation.validate_password(
                        cleaned["password"], User(username=username)
                    )
                except forms.ValidationError as error:
                    self.add_error("password", error)
        elif Membership.objects.filter(
            user=self.existing_user, municipality=self.instance.municipality
        ).exists():
            self.add_error("username", "この利用者はすでにこの市町村のメンバーです。")
        return cleaned


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
