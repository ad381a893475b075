"""Password reset of a citizen account: a signed link by e-mail, the same answer for known and unknown addresses.

The request is rate-limited per client address and per e-mail address (``citizens:password-reset`` in
amtsplatz.infra.security.rate_limits). The link carries Django's password-reset token, which depends on the
account's password hash and last login: it works once, expires after ``PASSWORD_RESET_TIMEOUT`` and means
nothing on another municipality's host (another schema, another account).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from citizens import notifications
from citizens.accounts import language_of


class ResetRequestForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=254)


def _account(email: str) -> User | None:
    user = get_user_model().objects.filter(username__iexact=email, is_staff=False, is_active=True).first()
    return user if user is not None and user.has_usable_password() else None


@require_http_methods(["GET", "POST"])
def request_reset(request: HttpRequest) -> HttpResponse:
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = str(form.cleaned_data["email"]).strip().lower()
        user = _account(email)
        if user is not None:
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            link = reverse(
                "citizens:password-set", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)}
            )
            notifications.password_reset(email=email, link=notifications.absolute(link), language=language_of(request))
        return render(request, "citizens/password_reset_sent.html", {"email": email})
    return render(request, "citizens/password_reset.html", {"form": form}, status=400 if form.errors else 200)


def _user_of(uidb64: str) -> User | None:
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    return get_user_model().objects.filter(pk=pk, is_staff=False, is_active=True).first()


@require_http_methods(["GET", "POST"])
def set_password(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = _user_of(uidb64)
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "citizens/link_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your new password is set. You can log in with it now."))
        return redirect("citizens:log-in")
    return render(request, "citizens/password_set.html", {"form": form}, status=400 if form.errors else 200)
