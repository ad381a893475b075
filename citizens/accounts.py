"""Citizen accounts of one municipality: sign up with a verified e-mail address, log in, log out.

Accounts are users of the municipality's schema (not staff); a Gera account means nothing on
Wurzen's host. The address is verified by a signed link before the account can log in.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from applications import notifications
from tenants.db import current_schema

SALT = "amtsplatz.applications.citizen-account"
MAX_AGE = 3 * 24 * 3600


class SignUpForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=254)
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(label=gettext_lazy("Password (again)"), widget=forms.PasswordInput, strip=False)

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password and password != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        elif password:
            try:
                validate_password(str(password))
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


def _activation_token(user_id: int) -> str:
    return signing.dumps({"user": user_id, "schema": current_schema()}, salt=SALT)


def next_path(request: HttpRequest, default: str) -> str:
    """The same-host path in ``?next=`` (or the POSTed ``next``), else ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return default


def _with_next(path: str, next_url: str) -> str:
    return f"{path}?{urlencode({'next': next_url})}" if next_url else path


def account_register(*, email: str, password: str, language: str, next_url: str = "") -> AbstractBaseUser | None:
    """Create an inactive account and mail the link that activates it; returns the new user.

    For an address that already has an account nothing is created (None) and its owner gets a login
    link instead, so that the answer to the visitor is the same either way (no account probing).
    """
    if get_user_model().objects.filter(username=email).exists():
        user = None
        link, purpose = _with_next(reverse("applications:log-in"), next_url), "account_exists"
    else:
        user = get_user_model().objects.create_user(email, email, password, is_active=False)
        link = _with_next(reverse("applications:activate", kwargs={"token": _activation_token(user.pk)}), next_url)
        purpose = "account"
    notifications.magic_link(email=email, link=notifications.absolute(link), purpose=purpose, language=language)
    return user


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    """Create an inactive account and send the link that activates it."""
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        language = "en" if getattr(request, "LANGUAGE_CODE", "de") == "en" else "de"
        account_register(email=email, password=form.cleaned_data["password"], language=language)
        return render(request, "applications/check_inbox.html", {"email": email})
    return render(request, "applications/account_form.html", {"form": form, "sign_up": True})


def activate(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the sign-up e-mail: activate the account and log in."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        payload = None
    user = None
    if isinstance(payload, dict) and payload.get("schema") == current_schema() and payload.get("user"):
        user = get_user_model().objects.filter(pk=payload["user"], is_staff=False).first()
    if user is None:
        return render(request, "applications/link_invalid.html", status=400)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(next_path(request, reverse("applications:mine")))


@require_http_methods(["GET", "POST"])
def log_in(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    form.fields["username"].label = _("E-mail address")
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        return redirect(next_path(request, reverse("applications:mine")))
    context = {"form": form, "sign_up": False, "next": next_path(request, "")}
    return render(request, "applications/account_form.html", context)


@require_POST
def log_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("applications:mine")
