"""The cooperation office's catalogue pages on the platform host (thin: parse, call, render)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amtsplatz.core.access import office_permission_required
from services_catalog.constants import LifeSituation
from services_catalog.forms import ServiceDraftForm
from services_catalog.models import ServiceDefinition
from services_catalog.selectors import adoption_overview, catalogue_search
from services_catalog.services import definition_has_unpublished_changes, definition_save_draft, service_publish

EDIT = "services_catalog.change_servicedefinition"


@office_permission_required(EDIT)
def catalogue_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    situation = request.GET.get("lebenslage", "")
    situation = situation if situation in LifeSituation.values else ""
    definitions = catalogue_search(query=query, life_situation=situation or None, include_drafts=True)
    rows = [(d, definition_has_unpublished_changes(d)) for d in definitions]
    return render(
        request,
        "services_catalog/office/list.html",
        {"rows": rows, "query": query, "situation": situation, "life_situations": LifeSituation.choices},
    )


@office_permission_required(EDIT)
def definition_edit(request: HttpRequest, key: str | None = None) -> HttpResponse:
    definition = get_object_or_404(ServiceDefinition, key=key) if key else None
    form = ServiceDraftForm(request.POST or None, definition=definition)
    if request.method == "POST" and form.is_valid():
        try:
            definition = definition_save_draft(document=form.document, definition=definition)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Draft saved. Publish it to make it visible to the municipalities."))
            return redirect("office-service", key=definition.key)
    return render(request, "services_catalog/office/edit.html", {"form": form, "definition": definition})


@office_permission_required(EDIT)
def definition_detail(request: HttpRequest, key: str) -> HttpResponse:
    definition = get_object_or_404(ServiceDefinition.objects.select_related("latest_version"), key=key)
    return render(
        request,
        "services_catalog/office/detail.html",
        {
            "definition": definition,
            "versions": definition.versions.order_by("-number"),
            "unpublished_changes": definition_has_unpublished_changes(definition),
            "adoptions": adoption_overview(definition),
        },
    )


@office_permission_required(EDIT)
def definition_preview(request: HttpRequest, key: str) -> HttpResponse:
    """The application form as citizens will see it, generated from the draft's form schema."""
    definition = get_object_or_404(ServiceDefinition, key=key)
    return render(request, "services_catalog/office/preview.html", {"definition": definition})


@require_POST
@office_permission_required("services_catalog.add_serviceversion")
def definition_publish(request: HttpRequest, key: str) -> HttpResponse:
    definition = get_object_or_404(ServiceDefinition, key=key)
    try:
        version = service_publish(definition=definition, user=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Version %(number)s is published and visible to every municipality.") % {"number": version.number},
        )
    return redirect("office-service", key=key)
