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
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from applications import decision_documents, selectors, services
from applications.documents import render_decision_html
from applications.models import Application
from applications.services import MISSING_SIGNATURE
from applications.states import Status
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


def inbox(request: HttpRequest) -> HttpResponse:
    form = InboxFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.inbox(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "applications/staff/inbox.html", {"form": form, "page": page})


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
        "attachments": application.attachments.all(),
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
        messages.success(request, _("Done."))
    return redirect("applications_admin:detail", public_id=public_id)


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
    item = get_object_or_404(application.attachments, pk=attachment_id)
    services.audit(application, request.user, "download", item.original_name)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name,
                        content_type=item.content_type)  # fmt: skip


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
