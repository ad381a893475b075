"""Citizen accounts of one municipality: sign up with a verified e-mail address, log in, log out.

Accounts are users of the municipality's schema (not staff); a Gera account means nothing on
Wurzen's host. The address is verified by a signed link before the account can log in.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
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

from citizens import login_methods, registry, selectors, services, trust
from citizens.decorators import citizen_required
from tenants.db import current_schema


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


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField()


def _same_host_path(request: HttpRequest, candidate: str, default: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return default


def next_path(request: HttpRequest, default: str) -> str:
    """The same-host path in ``?next=`` (or the POSTed ``next``), else ``default``."""
    return _same_host_path(request, request.POST.get("next") or request.GET.get("next") or "", default)


def language_of(request: HttpRequest) -> str:
    return "en" if getattr(request, "LANGUAGE_CODE", "de") == "en" else "de"


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    """Create an inactive account and send the link that activates it."""
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        services.account_register(email=email, password=form.cleaned_data["password"], language=language_of(request))
        return render(request, "citizens/check_inbox.html", {"email": email})
    return render(request, "citizens/account_form.html", {"form": form, "sign_up": True})


def activate(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the sign-up e-mail: activate the account and log in."""
    try:
        payload = signing.loads(token, salt=services.ACTIVATION_SALT, max_age=services.ACTIVATION_MAX_AGE)
    except signing.BadSignature:
        payload = None
    user = None
    if isinstance(payload, dict) and payload.get("schema") == current_schema() and payload.get("user"):
        user = get_user_model().objects.filter(pk=payload["user"], is_staff=False).first()
    if user is None:
        return render(request, "citizens/link_invalid.html", status=400)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    trust.record(request, method="magic_link", level="low")
    return redirect(next_path(request, reverse("applications:mine")))


@require_http_methods(["GET", "POST"])
def log_in(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    form.fields["username"].label = _("E-mail address")
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        trust.record(request, method="password", level="low")
        return redirect(next_path(request, reverse("applications:mine")))
    target = next_path(request, "")
    wanted = login_methods.Wanted(next_path=target)
    others = [button for button in login_methods.buttons(request, wanted) if button.method != "password"]
    context = {"form": form, "sign_up": False, "next": target, "other_methods": others}
    return render(request, "citizens/account_form.html", context)


@require_POST
def log_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("applications:mine")


@citizen_required
def my_data(request: HttpRequest) -> HttpResponse:
    """GDPR self-service: everything about the account, from every capability, as a JSON download."""
    data = json.dumps(selectors.personal_data(request.user), ensure_ascii=False, indent=2)  # type: ignore[arg-type]
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meine-daten.json"'
    return response


@require_POST
@citizen_required
def delete_account(request: HttpRequest) -> HttpResponse:
    """Delete the account once confirmed; ``next`` is where to go afterwards, ``back`` where to go if not."""
    if not DeleteAccountForm(request.POST).is_valid():
        messages.error(request, _("Please confirm that you want to delete your account."))
        return redirect(_same_host_path(request, request.POST.get("back", ""), "/"))
    services.account_delete(user=request.user)  # type: ignore[arg-type]
    logout(request)
    notes = [str(handler.erasure_note) for handler in registry.handlers() if handler.erasure_note]
    messages.success(request, " ".join([_("Your account has been deleted."), *notes]))
    return redirect(next_path(request, "/"))
