"""The office's pages on the platform host: municipalities, their lifecycle, the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtsplatz.core.access import office_permission_required
from amtsplatz.office import roles
from amtsplatz.office.forms import LifecycleForm, OfficeAuthenticationForm, OnboardingForm
from amtsplatz.office.models import OnboardingJob
from amtsplatz.office.onboarding import onboarding_request
from amtsplatz.office.selectors import audit_log
from amtsplatz.office.services import office_resume, office_suspend
from billing.selectors import billing_overview
from tenants.models import Municipality


class OfficeLoginView(LoginView):
    template_name = "office/login.html"
    authentication_form = OfficeAuthenticationForm
    next_page = "office-home"


@office_permission_required(roles.DASHBOARD)
def home(request: HttpRequest) -> HttpResponse:
    """Every municipality with status, plan, subscription state and whether it can take citizen payments."""
    return render(request, "office/home.html", {"rows": billing_overview()})


@office_permission_required(roles.DASHBOARD)
def municipality_detail(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality, slug=slug)
    context = {"municipality": municipality, "form": LifecycleForm(), "actions": audit_log(municipality=municipality)}
    return render(request, "office/municipality.html", context)


@require_POST
@office_permission_required(roles.MANAGE)
def suspend(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality, slug=slug)
    form = LifecycleForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    if office_suspend(municipality=municipality, actor=request.user, note=note):
        messages.success(request, _("%(name)s is suspended. Nothing was deleted.") % {"name": municipality.name})
    else:
        messages.info(request, _("%(name)s was suspended already.") % {"name": municipality.name})
    return redirect("office-municipality", slug=slug)


@require_POST
@office_permission_required(roles.MANAGE)
def resume(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality, slug=slug)
    form = LifecycleForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    if office_resume(municipality=municipality, actor=request.user, note=note):
        messages.success(request, _("%(name)s is active again.") % {"name": municipality.name})
    else:
        messages.info(request, _("%(name)s was not suspended.") % {"name": municipality.name})
    return redirect("office-municipality", slug=slug)


@office_permission_required("office.view_officeaction")
def audit(request: HttpRequest) -> HttpResponse:
    return render(request, "office/audit.html", {"actions": audit_log()})


@office_permission_required(roles.MANAGE)
def onboarding_new(request: HttpRequest) -> HttpResponse:
    """The onboarding wizard: checks everything at once, then a worker creates the municipality."""
    form = OnboardingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = onboarding_request(data=form.to_input(), requested_by=request.user, via="office")
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            return redirect("office-onboarding", job_id=job.pk)
    return render(request, "office/onboarding_new.html", {"form": form}, status=400 if form.errors else 200)


@office_permission_required(roles.MANAGE)
def onboarding_status(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(OnboardingJob, pk=job_id)
    return render(request, "office/onboarding_status.html", {"job": job})
