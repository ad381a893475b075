"""The caseworkers' inbox in the municipality's /cms/: list, detail, assign, ask, decide, download.

Every view of an application and every download is written to its audit log.
"""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from applications import decision_documents, selectors, services
from applications.documents import render_decision_html
from applications.models import Application
from applications.services import MISSING_SIGNATURE
from applications.states import Status
from citizens import login_methods
from services_catalog.local.models import LocalService


class InboxFilter(forms.Form):
    query = forms.CharField(label=gettext_lazy("Reference or name"), required=False)
    service = forms.ChoiceField(label=gettext_lazy("Service"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    assignee = forms.ChoiceField(
        label=gettext_lazy("Assigned to"),
        required=False,
        choices=[("", gettext_lazy("anyone")), ("me", gettext_lazy("me")), ("nobody", gettext_lazy("nobody"))],
    )
    older_than_days = forms.IntegerField(label=gettext_lazy("Older than (days)"), required=False, min_value=0)
    overdue = forms.BooleanField(label=gettext_lazy("Only overdue"), required=False)
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"),
        required=False,
        choices=[
            ("", gettext_lazy("newest first")),
            ("due", gettext_lazy("due date, earliest first")),
            ("submitted", gettext_lazy("oldest first")),
            ("reference", gettext_lazy("reference")),
            ("service", gettext_lazy("service")),
            ("status", gettext_lazy("status")),
            ("applicant", gettext_lazy("applicant")),
        ],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        services_offered = LocalService.objects.select_related("definition").order_by("definition__name_de")
        self.fields["service"].choices = [("", _("all"))] + [  # type: ignore[attr-defined]
            (service.definition.key, service.definition.name_de) for service in services_offered
        ]
        self.fields["status"].choices = [("", _("all"))] + [  # type: ignore[attr-defined]
            (value, label) for value, label in Status.choices if value != Status.DRAFT
        ]


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("approve", gettext_lazy("approve")), ("reject", gettext_lazy("reject"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=gettext_lazy("Reasons"), widget=forms.Textarea(attrs={"rows": 6}))


class InformationForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("What do you need?"), widget=forms.Textarea(attrs={"rows": 4}))


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Internal note (not shown to the applicant)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


PAGE_SIZE = 50


def inbox(request: HttpRequest) -> HttpResponse:
    form = InboxFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.inbox(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "staff": selectors.assignable_staff(request.user),
    }
    return render(request, "applications/staff/inbox.html", context)


@require_POST
def assign_bulk(request: HttpRequest) -> HttpResponse:
    """Assign the ticked applications of the inbox to one colleague."""
    ids = [value for value in request.POST.getlist("applications") if _is_uuid(value)]
    chosen = list(selectors.applications_visible_to(request.user).filter(public_id__in=ids))
    assignee = selectors.assignable_staff(request.user).filter(pk=_int(request.POST.get("assignee"))).first()
    back = request.POST.get("back", "")
    target = reverse("applications_admin:inbox") + (f"?{back}" if back and "//" not in back else "")
    if assignee is None:
        messages.error(request, _("Please choose who should work the applications."))
        return redirect(target)
    try:
        count = services.applications_assign(applications=chosen, assignee=assignee, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d application assigned to %(name)s.",
                "%(count)d applications assigned to %(name)s.",
                count,
            )
            % {"count": count, "name": services.staff_name(assignee)},
        )
    return redirect(target)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


def _visible(request: HttpRequest, public_id: uuid.UUID) -> Application:
    application = selectors.applications_visible_to(request.user).filter(public_id=public_id).first()
    if application is None:
        raise Http404(_("No application with this address is open to you."))
    return application


def detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    application = _visible(request, public_id)
    services.audit(application, request.user, "view")
    context = {
        "application": application,
        "summary": selectors.answers(application),
        "verified_labels": selectors.verified_labels(application),
        "login_method": login_methods.label_of(application.auth_method),
        "attachments": selectors.attachments_named(application),
        "notes": application.notes.select_related("author"),
        "note_form": NoteForm(),
        "history": application.history.select_related("actor"),
        "messages_": application.messages.all(),
        "payments": application.payments.all(),
        "handovers": application.handovers.all(),
        "audit": application.audit.select_related("user")[:50],
        "decision_form": DecisionForm(initial=selectors.decision_draft(application)),
        "reason_templates": selectors.reason_templates(application),
        "facts": selectors.verified_facts(application),
        "authority": decision_documents.authority(application),
        "signature": services.signature(request.user),
        "information_form": InformationForm(),
        "can_decide": application.status == Status.IN_REVIEW,
    }
    return render(request, "applications/staff/detail.html", context)


@require_POST
def act(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """One action on an application: assign, ask for information, record payment, decide."""
    application = _visible(request, public_id)
    action = request.POST.get("action", "")
    try:
        if action == "assign_me":
            services.application_assign(application, assignee=request.user, actor=request.user)
        elif action == "unassign":
            services.application_assign(application, assignee=None, actor=request.user)
        elif action == "request_information":
            information = InformationForm(request.POST)
            if not information.is_valid():
                raise ValidationError(_("Please write what information is needed."))
            services.information_request(application, actor=request.user, text=information.cleaned_data["text"])
        elif action == "record_payment":
            services.payment_record_on_site(application, actor=request.user)
        elif action == "decide":
            decision = DecisionForm(request.POST)
            if not decision.is_valid():
                raise ValidationError(_("Please choose a decision and give reasons."))
            services.decide_application(
                application,
                approve=decision.cleaned_data["outcome"] == "approve",
                reasons=decision.cleaned_data["reasons"],
                actor=request.user,
            )
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        services.audit(application, request.user, action)
        application.refresh_from_db()
        messages.success(request, _confirmation(application, action))
    return redirect("applications_admin:detail", public_id=public_id)


def _confirmation(application: Application, action: str) -> str:
    """What just happened, in words, naming the application."""
    reference = application.reference or ""
    if action == "assign_me":
        name = services.staff_name(application.assignee)
        return _("Application %(reference)s assigned to %(name)s.") % {"reference": reference, "name": name}
    if action == "unassign":
        return _("Application %(reference)s is no longer assigned to anyone.") % {"reference": reference}
    if action == "request_information":
        return _("Request for more information on %(reference)s sent to %(email)s.") % {
            "reference": reference,
            "email": application.applicant_email,
        }
    if action == "record_payment":
        return _("Payment at the counter recorded for %(reference)s.") % {"reference": reference}
    return _("Application %(reference)s decided: %(status)s. The applicant has been informed.") % {
        "reference": reference,
        "status": application.get_status_display(),
    }


@require_POST
def note(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Add an internal note to an application."""
    application = _visible(request, public_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please write a note of at most 5000 characters."))
    else:
        try:
            services.note_add(application=application, author=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Internal note added to %(reference)s.") % {"reference": application.reference})
    return redirect(reverse("applications_admin:detail", kwargs={"public_id": public_id}) + "#notizen")


def _named(application: Application, attachment_id: int) -> selectors.NamedAttachment:
    for named in selectors.attachments_named(application):
        if named.attachment.pk == attachment_id:
            return named
    raise Http404(_("This application has no such file."))


@require_POST
def decision_preview(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The letter as it would be issued with the entered outcome and reasons, signed by this caseworker.

    The same template and data as the PDF; nothing is stored (except the audit entry).
    """
    application = _visible(request, public_id)
    decision = DecisionForm(request.POST)
    if not decision.is_valid():
        message = _("Please choose a decision and give reasons.")
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    signer = services.signature(request.user)
    if signer is None:
        return HttpResponse(_(MISSING_SIGNATURE), status=400, content_type="text/plain; charset=utf-8")
    approve = decision.cleaned_data["outcome"] == "approve"
    application.decision_reasons = decision.cleaned_data["reasons"]
    document = decision_documents.decision_document(
        application, Status.APPROVED if approve else Status.REJECTED, signer=signer
    )
    services.audit(application, request.user, "preview", "decision")
    return HttpResponse(render_decision_html(document))


def attachment(request: HttpRequest, public_id: uuid.UUID, attachment_id: int) -> FileResponse:
    application = _visible(request, public_id)
    named = _named(application, attachment_id)
    services.audit(application, request.user, "download", named.name)
    response = FileResponse(named.attachment.file.open("rb"), as_attachment=True, filename=named.name,
                            content_type=named.attachment.content_type)  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return response


@xframe_options_sameorigin
def preview(request: HttpRequest, public_id: uuid.UUID, attachment_id: int) -> FileResponse:
    """A PDF, PNG or JPEG shown inline (in the detail page's frame); other types are never served inline.

    The content type comes from the checked upload, never from the file name; the response runs under a
    Content-Security-Policy that allows no scripts, no connections and no forms (images: a sandbox too).
    """
    application = _visible(request, public_id)
    named = _named(application, attachment_id)
    if not named.previewable:
        raise Http404(_("This file cannot be shown here; please download it."))
    services.audit(application, request.user, "preview", named.name)
    content_type = named.attachment.content_type
    response = FileResponse(named.attachment.file.open("rb"), as_attachment=False, filename=named.name,
                            content_type=content_type)  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    policy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"
    response["Content-Security-Policy"] = policy if content_type == "application/pdf" else f"{policy}; sandbox"
    return response


def decision_document(request: HttpRequest, public_id: uuid.UUID) -> FileResponse:
    application = _visible(request, public_id)
    if not application.decision_document:
        raise Http404(_("There is no decision document yet."))
    services.audit(application, request.user, "download", "decision")
    return FileResponse(application.decision_document.open("rb"), as_attachment=True,
                        filename=f"Bescheid-{application.reference}.pdf", content_type="application/pdf")  # fmt: skip


def assisted(request: HttpRequest) -> HttpResponse:
    """Services this caseworker may file for a citizen at the counter."""
    offered = LocalService.objects.filter(enabled=True, online_available=True).select_related("definition")
    allowed = [service for service in offered if selectors.may_file_for_citizens(request.user, service)]
    return render(request, "applications/staff/assisted.html", {"services": allowed})
