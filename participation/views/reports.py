"""Defect reports: list and map, filing (citizens and guests), duplicates nearby, detail, following, photos."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amtsplatz.infra.security.headers import permissions_policy_allowing
from citizens.decorators import login_url
from participation import selectors, services
from participation.antispam import rate_limit_hit
from participation.forms import GuestReportForm, ReportFilterForm, ReportForm
from participation.models import Participant, ParticipationSettings, Report, ReportCategory
from participation.views.common import (
    PHOTO_ERRORS,
    _held_message,
    _map_settings,
    _may_see_unpublished,
    _user_id,
    guarded,
    participant_for,
    participant_required,
)


def report_list(request: HttpRequest) -> HttpResponse:
    """Published reports as a list and (when the visitor switches it on) a map, by category and status."""
    form = ReportFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    category = filters.get("kategorie")
    queryset = selectors.public_reports(category=category.slug if category else "", status=filters.get("status", ""))
    page = Paginator(queryset, 25).get_page(request.GET.get("seite"))
    markers = [
        {"lat": float(r.latitude), "lon": float(r.longitude), "title": r.title, "status": r.get_status_display(),
         "url": reverse("participation:report", kwargs={"pk": r.pk})}
        for r in page if r.latitude is not None and r.longitude is not None
    ]  # fmt: skip
    query = {key: value for key, value in request.GET.items() if key != "seite"}
    context = {"form": form, "page": page, "markers": markers, "map": _map_settings(), "query": urlencode(query)}
    return render(request, "participation/reports.html", context)


def _guest_may_report(request: HttpRequest) -> bool:
    """Anonymous visitors report as guests where the municipality allows it (Settings → Participation)."""
    return not request.user.is_authenticated and ParticipationSettings.load().guest_reports


@guarded
@require_http_methods(["GET", "POST"])
@participant_for(guests=_guest_may_report)
def report_new(request: HttpRequest, participant: Participant | None) -> HttpResponse:
    guest = participant is None
    space = services.reports_space()
    form_class = GuestReportForm if guest else ReportForm
    form = form_class(request.POST or None, request.FILES or None)
    duplicates: list[selectors.NearbyReport] = []
    if request.method == "POST" and space.accepts_contributions:
        rate_limit_hit(scope="contribution", request=request, user_id=_user_id(request))
        if form.is_valid():
            data = form.cleaned_data
            if data["latitude"] is not None and data["longitude"] is not None and not data["confirm_new"]:
                duplicates = selectors.likely_duplicates(
                    category_id=data["category"].pk, latitude=data["latitude"], longitude=data["longitude"]
                )
            if not duplicates:
                fields = {key: data[key] for key in ("category", "description", "address", "latitude", "longitude",
                                                     "photos", "contact_allowed", "contact_phone")}  # fmt: skip
                try:
                    if participant is None:
                        report = services.guest_report_file(email=data["email"], checked=form.checked, **fields)
                    else:
                        report = services.report_file(participant=participant, checked=form.checked, **fields)
                except ValidationError as error:
                    form.add_error("photos" if error.code in PHOTO_ERRORS else None, error)
                else:
                    if participant is None:
                        return render(request, "participation/report_check_inbox.html", {"email": data["email"]})
                    _held_message(request, report)
                    return redirect("participation:report", pk=report.pk)
    context = {
        "form": form,
        "space": space,
        "duplicates": duplicates,
        "map": _map_settings(),
        "participant": participant,
        "guest": guest,
        "login_url": login_url(request),
    }
    response = render(request, "participation/report_form.html", context, status=400 if form.errors else 200)
    # "Use my location" asks the browser for the position: allowed on this page, for this origin only.
    response["Permissions-Policy"] = permissions_policy_allowing("geolocation")
    return response


@require_http_methods(["GET", "POST"])
def report_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a guest's e-mail: shows a button (mail scanners follow links), the click confirms."""
    if request.method == "GET":
        return render(request, "participation/report_confirm.html", {"token": token})
    try:
        services.guest_report_confirm(token=token)
    except ValidationError as error:
        return render(request, "participation/report_confirm.html", {"error": " ".join(error.messages)}, status=400)
    return render(request, "participation/report_confirm.html", {"confirmed": True})


def nearby(request: HttpRequest) -> JsonResponse:
    """The duplicate hint while a citizen fills the form: same category, within 50 m, last 30 days."""
    raw_category = request.GET.get("category", "")
    category = ReportCategory.objects.filter(pk=int(raw_category)).first() if raw_category.isdigit() else None
    try:
        lat = ReportForm.base_fields["latitude"].clean(request.GET.get("latitude"))
        lon = ReportForm.base_fields["longitude"].clean(request.GET.get("longitude"))
    except ValidationError:
        return JsonResponse({"detail": _("Latitude and longitude are not valid.")}, status=400)
    if category is None or lat is None or lon is None:
        return JsonResponse({"reports": []})
    found = selectors.likely_duplicates(category_id=category.pk, latitude=lat, longitude=lon)
    return JsonResponse(
        {
            "reports": [
                {
                    "url": reverse("participation:report", kwargs={"pk": n.report.pk}),
                    "title": n.report.title,
                    "status": n.report.get_status_display(),
                    "distance": n.distance,
                }
                for n in found
            ]
        }
    )


def _report_for(request: HttpRequest, pk: int) -> Report:
    report = get_object_or_404(Report.objects.select_related("category", "author"), pk=pk)
    if not selectors.visible_to(report, selectors.participant_of(request.user)):
        raise Http404(_("This report is not public."))
    return report


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    participant = selectors.participant_of(request.user)
    context = {
        "report": report,
        "photos": report.photos.all(),
        "history": report.history.exclude(to_status="received") if report.is_public else report.history.all(),
        "following": participant is not None and report.followers.filter(participant=participant).exists(),
        "participant": participant,
        "map": _map_settings(),
    }
    return render(request, "participation/report_detail.html", context)


@guarded
@require_POST
@participant_required
def report_follow(request: HttpRequest, pk: int, participant: Participant) -> HttpResponse:
    report = _report_for(request, pk)
    rate_limit_hit(scope="reaction", request=request, user_id=_user_id(request))
    follow = request.POST.get("follow") == "1"
    try:
        services.report_follow(report=report, participant=participant, follow=follow)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You follow this report.") if follow else _("You no longer follow this report."))
    return redirect("participation:report", pk=pk)


def report_photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A photo: for everyone while the report is public, else only for its author and staff."""
    report = get_object_or_404(Report, pk=pk)
    if not (selectors.visible_to(report, selectors.participant_of(request.user)) or _may_see_unpublished(request)):
        raise Http404
    photo = get_object_or_404(report.photos, pk=photo_pk)
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "public, max-age=300" if report.is_public else "private, no-store"
    return response
