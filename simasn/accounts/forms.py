from __future__ import annotations

import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from .errors import INVALID_CREDENTIALS_MESSAGE
from .services import normalize_nip

OTP_DIGITS = 6


class BootstrapMixin:
    """Bootstrap 5 classes on every widget, and `is-invalid` on fields with errors after validation."""

    def _style_widgets(self) -> None:
        for name, field in self.fields.items():
            css = field.widget.attrs.get("class", "")
            invalid = " is-invalid" if self.is_bound and name in self.errors else ""
            field.widget.attrs["class"] = f"{css} form-control{invalid}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        self._style_widgets()


class LoginForm(BootstrapMixin, AuthenticationForm):
    """NIP + password. Django's authenticate() runs with the request, so django-axes sees every try."""

    error_messages = {
        "invalid_login": INVALID_CREDENTIALS_MESSAGE,
        "inactive": INVALID_CREDENTIALS_MESSAGE,  # an inactive account must not be told apart
    }

    def __init__(self, request=None, *args, **kwargs) -> None:
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.label = _("NIP")
        # No numeric keypad: system and demo accounts may have a handle instead of a NIP.
        username.widget.attrs.update({"autocomplete": "username", "placeholder": "198609262015051001"})
        username.error_messages["required"] = _("NIP wajib diisi.")
        password = self.fields["password"]
        password.label = _("Kata sandi")
        password.error_messages["required"] = _("Kata sandi wajib diisi.")
        self._style_widgets()

    def clean_username(self) -> str:
        return normalize_nip(self.cleaned_data["username"])

    def get_invalid_login_error(self) -> forms.ValidationError:
        return forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class OtpTokenForm(BootstrapMixin, forms.Form):
    token = forms.CharField(
        label=_("Kode 6 angka dari aplikasi autentikator"),
        max_length=12,
        error_messages={"required": _("Kode wajib diisi.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True,
                   "pattern": "[0-9 ]*", "class": "form-control-lg text-center font-monospace"}
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()

    def clean_token(self) -> str:
        token = re.sub(r"\s+", "", self.cleaned_data["token"])
        if not re.fullmatch(rf"\d{{{OTP_DIGITS}}}", token):
            raise forms.ValidationError(_("Kode harus terdiri dari 6 angka."), code="format")
        return token


class IndonesianPasswordChangeForm(BootstrapMixin, PasswordChangeForm):
    error_messages = {
        "password_incorrect": _("Kata sandi lama salah. Silakan coba lagi."),
        "password_mismatch": _("Kedua kata sandi baru tidak sama."),
    }

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields["old_password"].label = _("Kata sandi lama")
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password1"].help_text = _(
            "Minimal 10 karakter, tidak hanya angka, tidak umum, dan tidak mirip NIP atau nama Anda."
        )
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
        self.fields["new_password2"].help_text = _("Ketik kata sandi baru yang sama sekali lagi.")
        for field in self.fields.values():
            field.error_messages["required"] = _("Kolom ini wajib diisi.")
        self._style_widgets()
