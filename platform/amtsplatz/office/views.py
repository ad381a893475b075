"""The office's pages on the platform host: municipalities, their lifecycle, the audit log."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from amtsplatz.core.access import office_permission_required
from amtsplatz.office import roles
from amtsplatz.office.announcements import announcement_post
from amtsplatz.office.bulk import (
    MAX_BYTES,
    MAX_ROWS,
    bulk_confirm,
    bulk_preview,
    bulk_progress,
    bulk_report_csv,
    bulk_upload,
)
from amtsplatz.office.dashboard import dashboard_first_figures
from amtsplatz.office.export import ExportError, export_request, latest_export, municipality_restore, office_delete
from amtsplatz.office.forms import (
    MAX_SELECTED,
    AnnouncementForm,
    BulkUploadForm,
    BundleForm,
    DeleteForm,
    LifecycleForm,
    MunicipalitySearchForm,
    OfficeAuthenticationForm,
    OnboardingForm,
    RestoreForm,
)
from amtsplatz.office.models import (
    BulkOnboarding,
    MunicipalityExport,
    OfficeApiToken,
    OnboardingJob,
    ServiceBundle,
)
from amtsplatz.office.onboarding import api_token_create, api_token_revoke, onboarding_request
from amtsplatz.office.selectors import (
    FIND_LIMIT,
    PAGE_SIZE,
    announcement_list,
    audit_log,
    dashboard,
    exports_of,
    municipality_picker,
    municipality_rows,
    municipality_search,
    payment_state,
)
from amtsplatz.office.services import bundle_save, office_resume, office_suspend
from tenants.models import Municipality
from tenants.services import GoLiveRefused, municipality_go_live_missing
from tenants.tasks import enqueue_on_commit


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: at its field, or above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class OfficeLoginView(LoginView):
    template_name = "office/login.html"
    authentication_form = OfficeAuthenticationForm
    next_page = "office-home"


@office_permission_required(roles.DASHBOARD)
def home(request: HttpRequest) -> HttpResponse:
    """The municipalities, a page at a time, searchable and sortable: status, plan, subscription, citizen payments.

    The number of queries does not depend on the number of municipalities (tests/office/test_list_at_scale.py).
    """
    form = MunicipalitySearchForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = filters.get("sort") or "name"
    municipalities = municipality_search(query=filters.get("q", ""), state=filters.get("state", ""), sort=sort)
    page = Paginator(municipalities, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": municipality_rows(page.object_list),
        "sort": sort,
        "searched": bool(filters.get("q") or filters.get("state")),
    }
    return render(request, "office/home.html", context, status=400 if form.errors else 200)


@office_permission_required(roles.DASHBOARD)
def municipality_detail(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = get_object_or_404(Municipality, slug=slug)
    context = {
        "municipality": municipality,
        "missing": municipality_go_live_missing(municipality),
        "payment": payment_state(municipality),
        "form": LifecycleForm(),
        "actions": audit_log(municipality=municipality),
        "exports": exports_of(municipality=municipality),
    }
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
    try:
        resumed = office_resume(municipality=municipality, actor=request.user, note=note)
    except GoLiveRefused as refused:
        messages.error(request, refused.messages[0])
        return redirect("office-municipality", slug=slug)
    if resumed:
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
    context = {"form": form, "groups": form.groups()}
    return render(request, "office/onboarding_new.html", context, status=400 if form.errors else 200)


@office_permission_required(roles.MANAGE)
def onboarding_status(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(OnboardingJob, pk=job_id)
    return render(request, "office/onboarding_status.html", {"job": job})


@office_permission_required(roles.MANAGE)
def onboarding_bulk(request: HttpRequest) -> HttpResponse:
    """Upload a CSV of municipalities; a readable file leads to its preview, a broken one is refused whole."""
    form = BulkUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            raw = upload.read(MAX_BYTES + 1)
            bulk = bulk_upload(raw=raw, filename=upload.name or "", actor=request.user, language=get_language() or "de")
        except ValidationError as exc:  # the file as a whole: shown at the file field, linked to it
            form.add_error("file", exc.messages)
        else:
            return redirect("office-onboarding-bulk-status", bulk_id=bulk.pk)
    uploads = BulkOnboarding.objects.all()[:20]
    context = {"form": form, "uploads": uploads, "max_rows": MAX_ROWS}
    return render(request, "office/onboarding_bulk.html", context, status=400 if form.errors else 200)


@office_permission_required(roles.MANAGE)
def onboarding_bulk_status(request: HttpRequest, bulk_id: int) -> HttpResponse:
    """Before confirmation every row checked; afterwards the progress, and at the end what became of each row."""
    bulk = get_object_or_404(BulkOnboarding, pk=bulk_id)
    context: dict[str, object] = {"bulk": bulk, "progress": bulk_progress(bulk)}
    if bulk.status == BulkOnboarding.Status.PREVIEW:
        checks = bulk_preview(bulk)
        context["checks"] = checks
        context["creatable"] = sum(1 for check in checks if check.will_be_created)
        context["existing"] = sum(1 for check in checks if check.existing and not check.errors)
        context["faulty"] = sum(1 for check in checks if check.errors)
    elif bulk.is_finished:
        context["rows"] = bulk.rows.select_related("municipality").order_by("line")
    return render(request, "office/onboarding_bulk_status.html", context)


@require_POST
@office_permission_required(roles.MANAGE)
def onboarding_bulk_confirm(request: HttpRequest, bulk_id: int) -> HttpResponse:
    bulk = get_object_or_404(BulkOnboarding, pk=bulk_id)
    try:
        bulk_confirm(bulk=bulk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("office-onboarding-bulk-status", bulk_id=bulk.pk)
    messages.success(request, _("Confirmed; the municipalities are being created one after the other."))
    return redirect("office-onboarding-bulk-status", bulk_id=bulk.pk)


@office_permission_required(roles.MANAGE)
def onboarding_bulk_report(request: HttpRequest, bulk_id: int) -> HttpResponse:
    """What became of every row, as a CSV download (cells a spreadsheet would run as formulas neutralised)."""
    bulk = get_object_or_404(BulkOnboarding, pk=bulk_id)
    response = HttpResponse(bulk_report_csv(bulk), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="onboarding-{bulk.pk}-report.csv"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@office_permission_required(roles.MANAGE)
def export(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue an export (schema dump + media to S3); its page shows the progress."""
    municipality = get_object_or_404(Municipality, slug=slug)
    job = export_request(municipality=municipality, actor=request.user)
    return redirect("office-export", export_id=job.pk)


@office_permission_required(roles.MANAGE)
def export_status(request: HttpRequest, export_id: int) -> HttpResponse:
    job = get_object_or_404(MunicipalityExport, pk=export_id)
    return render(request, "office/export_status.html", {"export": job})


@office_permission_required(roles.MANAGE)
def restore(request: HttpRequest, export_id: int) -> HttpResponse:
    """Load a finished export into a new municipality (new short name, domain and key)."""
    job = get_object_or_404(MunicipalityExport, pk=export_id, status=MunicipalityExport.Status.DONE)
    form = RestoreForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            municipality = municipality_restore(export=job, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        except ExportError as exc:
            form.add_error(None, _("The export could not be restored: %(reason)s") % {"reason": exc})
            status = 500
        else:
            messages.success(request, _("%(name)s was restored from the export.") % {"name": municipality.name})
            return redirect("office-municipality", slug=municipality.slug)
    if form.errors and status == 200:
        status = 400
    return render(request, "office/restore.html", {"export": job, "form": form}, status=status)


@office_permission_required(roles.MANAGE)
def delete(request: HttpRequest, slug: str) -> HttpResponse:
    """Delete a municipality: only after a finished export, with its short name typed."""
    municipality = get_object_or_404(Municipality, slug=slug)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            office_delete(municipality=municipality, actor=request.user, confirm=form.cleaned_data["confirm"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(name)s and all its data were deleted.") % {"name": municipality.name})
            return redirect("office-home")
    context = {"municipality": municipality, "form": form, "export": latest_export(municipality)}
    return render(request, "office/delete.html", context, status=400 if form.errors else 200)


@office_permission_required(roles.DASHBOARD)
def dashboard_view(request: HttpRequest) -> HttpResponse:
    """Figures across all municipalities, as stored by the last aggregation (no query per municipality).

    Before the first aggregation the figures are computed at once in a small installation, else queued: a request
    never reads thousands of schemas.
    """
    figures = dashboard()
    if figures.computed is None and dashboard_first_figures(actor=request.user):
        figures = dashboard()
    return render(request, "office/dashboard.html", {"dashboard": figures})


@require_POST
@office_permission_required(roles.DASHBOARD)
def dashboard_refresh(request: HttpRequest) -> HttpResponse:
    """Queue a new aggregation now instead of waiting for the nightly one."""
    enqueue_on_commit("office.aggregate_dashboard", [request.user.pk], what="the dashboard figures")
    messages.info(request, _("The figures are being computed; reload this page in a minute."))
    return redirect("office-dashboard")


@office_permission_required(roles.ANNOUNCE)
def announcements(request: HttpRequest) -> HttpResponse:
    """Post an announcement to all municipalities, a federal state, a district, or municipalities picked by search.

    "Search" re-shows the form with the hits as checkboxes next to the ones picked before; the page never lists
    every municipality, and its queries do not grow with their number (tests/office/test_pages_at_scale.py).
    """
    data = request.POST if request.method == "POST" else None
    form = AnnouncementForm(data)
    status = 200
    if data is not None and data.get("action") == "find":
        # Only a search: show the form again as typed, without complaining about what is not filled in yet.
        typed = {key: data[key] for key in form.fields if key in data and key != "municipalities"}
        form = AnnouncementForm(initial=typed)
    elif data is not None:
        if form.is_valid():
            selected, ags_prefix = form.addressees()
            cleaned = form.cleaned_data
            announcement_post(
                title=cleaned["title"],
                text=cleaned["text"],
                link=cleaned["link"],
                municipalities=selected,
                ags_prefix=ags_prefix,
                actor=request.user,
            )
            messages.success(request, _("The announcement was posted; the e-mails are on their way."))
            return redirect("office-announcements")
        status = 400
    picker = municipality_picker(
        query=data.get("find", "") if data is not None else "",
        selected=data.getlist("municipalities") if data is not None else [],
    )
    context = {
        "form": form,
        "picker": picker,
        "find_limit": FIND_LIMIT,
        "max_selected": MAX_SELECTED,
        "announcements": announcement_list(),
    }
    return render(request, "office/announcements.html", context, status=status)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_lazy("Name (what the token is for)"), max_length=100, help_text=_lazy("e.g. the district's script")
    )


@office_permission_required(roles.MANAGE)
def api_tokens(request: HttpRequest) -> HttpResponse:
    """Issue office API tokens (the key is shown once, only its hash is stored) and see or revoke one's own."""
    form = ApiTokenForm(request.POST or None)
    new_key = ""
    if request.method == "POST" and form.is_valid():
        new_key = api_token_create(user=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
        form = ApiTokenForm()
    tokens = OfficeApiToken.objects.filter(user=request.user.pk).order_by("-created")
    context = {"form": form, "tokens": tokens, "new_key": new_key}
    response = render(request, "office/api_tokens.html", context, status=400 if form.errors else 200)
    response["Cache-Control"] = "no-store"  # the page may show a key once
    return response


@require_POST
@office_permission_required(roles.MANAGE)
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    if api_token_revoke(user=request.user, token_id=token_id):  # type: ignore[arg-type]
        messages.success(request, _("The token was revoked; it no longer works."))
    else:
        messages.error(request, _("This token does not exist or is not yours."))
    return redirect("office-api-tokens")


@office_permission_required(roles.MANAGE)
def bundles(request: HttpRequest) -> HttpResponse:
    """The recommended service bundles, per federal state and kind of municipality."""
    rows = ServiceBundle.objects.prefetch_related("services")
    return render(request, "office/bundles.html", {"bundles": rows})


@office_permission_required(roles.MANAGE)
def bundle_edit(request: HttpRequest, bundle_id: int | None = None) -> HttpResponse:
    bundle = get_object_or_404(ServiceBundle, pk=bundle_id) if bundle_id else None
    form = BundleForm(request.POST or None, instance=bundle)
    if request.method == "POST" and form.is_valid():
        saved = bundle_save(form=form, actor=request.user)
        messages.success(request, _("The bundle %(name)s was saved.") % {"name": saved.name})
        return redirect("office-bundles")
    context = {"form": form, "bundle": bundle}
    return render(request, "office/bundle_edit.html", context, status=400 if form.errors else 200)
