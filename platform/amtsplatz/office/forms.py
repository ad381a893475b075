"""Forms of the cooperation office."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _


class OfficeAuthenticationForm(AuthenticationForm):
    """Only office staff (users of the public schema marked as staff) may log in to the office."""

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if not getattr(user, "is_staff", False):
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class LifecycleForm(forms.Form):
    note = forms.CharField(label=_("Note for the audit log"), max_length=500, required=False)
