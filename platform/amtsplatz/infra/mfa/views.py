"""The second factor of staff logins: enrolment with a QR code (SVG made here), code entry, recovery codes.

Failed codes count as failed logins for django-axes (same account, same client address), so guessing a
code is locked out like guessing a password.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.contrib.auth import user_logged_in, user_login_failed
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from amtsplatz.infra.mfa import policy, services


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The six digits of your authenticator app, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self) -> str:
        return "".join(str(self.cleaned_data["code"]).split())


def staff_only(view: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """The second factor is for staff of this area: a citizen account of the portal gets a 404, and no device is
    made for it."""

    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        area = policy.staff_area(request.path) or "/cms/"
        if not policy.is_staff_member(request.user, area):
            raise Http404
        return view(request)

    return login_required(wrapped)


def _next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return "/office/" if request.path_info.startswith("/office/") else "/cms/"


def _credentials(user: User) -> dict[str, str]:
    return {"username": user.get_username()}


@staff_only
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for a code of a confirmed device (or a recovery code, usable once)."""
    user: User = request.user  # type: ignore[assignment]
    if not user_has_device(user):
        return redirect("mfa:enrol")
    credentials = _credentials(user)
    if not AxesProxyHandler.is_allowed(request, credentials):
        return get_lockout_response(request, None, credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            user_logged_in.send(sender=user.__class__, request=request, user=user)  # axes: reset the failures
            return redirect(_next(request))
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        form.add_error("code", _("This code is not valid. Please try again."))
        status = 400
    else:
        status = 200
    return render(request, "mfa/verify.html", {"form": form, "next": _next(request)}, status=status)


@staff_only
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code, confirm with a code, then see the recovery codes once."""
    user: User = request.user  # type: ignore[assignment]
    if user_has_device(user) and not policy.passed(request):
        return redirect("mfa:verify")
    device = services.pending_totp_device(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        credentials = _credentials(user)
        if not AxesProxyHandler.is_allowed(request, credentials):
            return get_lockout_response(request, None, credentials)
        if device.verify_token(form.cleaned_data["code"]):
            codes = services.totp_device_confirm(device=device)
            otp_login(request, device)
            return render(request, "mfa/recovery_codes.html", {"codes": codes, "next": _next(request)})
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        form.add_error("code", _("This code is not valid. Please try again."))
    context = {
        "form": form,
        "qr_code": _qr_svg(device),
        "secret": services.secret_in_groups(device),
        "mandatory": policy.second_factor_mandatory(user),
        "next": _next(request),
    }
    return render(request, "mfa/enrol.html", context, status=400 if form.errors else 200)


def _qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG drawn here (no image service sees the secret)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-labelledby="qr-title" ', 1))  # noqa: S308
