"""Office pages of the FIM exchange: upload an XDatenfelder form into a draft, download a version's form."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amtsplatz.core.access import office_permission_required
from services_catalog.fim.services import form_import, version_export
from services_catalog.fim.xmlsafe import MAX_BYTES, XmlInputError
from services_catalog.models import ServiceDefinition, ServiceVersion

EDIT = "services_catalog.change_servicedefinition"


class FormImportForm(forms.Form):
    document = forms.FileField(
        label=gettext_lazy("XDatenfelder file (2.0 or 3.0, XML)"),
        help_text=gettext_lazy("A Stammdatenschema or Datenfeldgruppe message; it replaces the draft's form."),
    )


@office_permission_required(EDIT)
def form_import_view(request: HttpRequest, key: str) -> HttpResponse:
    """Upload → import report on the same page; the draft changes only when the import succeeds."""
    definition = get_object_or_404(ServiceDefinition, key=key)
    form = FormImportForm(request.POST or None, request.FILES or None)
    report: list[tuple[str, str]] | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        if upload.size > MAX_BYTES:
            form.add_error("document", _("The file is larger than %(max)s MB.") % {"max": MAX_BYTES // 1024 // 1024})
        else:
            try:
                result = form_import(definition=definition, data=upload.read())
            except XmlInputError as exc:
                form.add_error("document", str(exc))
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                report = result.report
                messages.success(
                    request,
                    _("The form %(id)s v%(version)s is in the draft. Check the report below, then publish.")
                    % {"id": result.fim_id or "-", "version": result.fim_version},
                )
    status = 400 if request.method == "POST" and form.errors else 200
    context = {"definition": definition, "form": form, "report": report}
    return render(request, "services_catalog/office/form_import.html", context, status=status)


@office_permission_required(EDIT)
def form_export_view(request: HttpRequest, key: str, number: int) -> HttpResponse:
    version = get_object_or_404(ServiceVersion.objects.select_related("definition"), definition__key=key, number=number)
    if not version.form_schema:
        raise Http404(_("This version has no form."))
    response = HttpResponse(version_export(version), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{key}-v{number}-xdatenfelder3.xml"'
    return response
