"""Send staff to the one-time password step (or to enrolment) before they reach a staff page."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django_otp import user_has_device

from amtsplatz.infra.mfa import policy

ALWAYS_OPEN = ("/cms/login/", "/cms/logout/", "/office/login/", "/office/logout/", "/cms/sso/")


class SecondFactorMiddleware:
    """After django-otp's ``OTPMiddleware``: a logged-in staff member without a passed second factor gets
    redirected to the code entry (device confirmed) or, for administrators without a device, to enrolment."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        redirect_to = self._redirect(request)
        if redirect_to:
            return HttpResponseRedirect(f"{redirect_to}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _redirect(self, request: HttpRequest) -> str | None:
        area = policy.staff_area(request.path_info)
        if area is None or request.path_info.startswith(ALWAYS_OPEN + policy.open_paths()):
            return None
        user = request.user
        if not policy.is_staff_member(user, area) or policy.passed(request):
            return None
        if user_has_device(user):
            return reverse("mfa:verify")
        if policy.second_factor_mandatory(user):  # type: ignore[arg-type]
            return reverse("mfa:enrol")
        return None
