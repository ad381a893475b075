"""Citizen views: start, fill step by step, review and submit, pay, follow the status."""

from __future__ import annotations

import functools
import uuid
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from amtsplatz.infra.prefill import values as prefill_values
from applications import facts, notifications, selectors, services
from applications.models import Application, Payment
from applications.payments.providers import TestProvider
from applications.prefill import requested_keys
from applications.schema_forms import SchemaStepForm, all_specs, localised, step_initial, step_keys
from applications.states import CLOSED
from citizens import notifications as citizen_notifications
from citizens import trust
from citizens.identity import email_from_token, email_token, remember_email, verified_email
from citizens.levels import meets, rank


class EmailForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your e-mail address"), max_length=254)


class AnswerForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Your answer"), widget=forms.Textarea(attrs={"rows": 5}), required=False)


def _language(request: HttpRequest) -> str:
    return "en" if getattr(request, "LANGUAGE_CODE", "de") == "en" else "de"


def _stronger_login(request: HttpRequest, level: str, form_schema: dict[str, Any] | None) -> HttpResponse:
    """Ask for a login at ``level``; afterwards the citizen comes back to this very page (and draft)."""
    query = {"level": level, "next": request.get_full_path()}
    # The form's fields, and the address the application's messages go to (a draft needs one).
    query["attributes"] = ",".join([*requested_keys(form_schema or {}), "contact.email"])
    return redirect(f"{reverse('citizens:stronger-login')}?{urlencode(query)}")


def _below(level_needed: str, request: HttpRequest) -> bool:
    return rank(level_needed) > rank("low") and not meets(trust.current(request).level, level_needed)


def _send_link(request: HttpRequest, email: str, next_path: str, purpose: str) -> None:
    link = reverse("applications:verify", kwargs={"token": email_token(email)}) + f"?next={next_path}"
    citizen_notifications.magic_link(
        email=email, link=notifications.absolute(link), purpose=purpose, language=_language(request)
    )


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, service_key: str) -> HttpResponse:
    """Begin an application: with a verified address (or as staff at the counter), else send a link."""
    service = selectors.service_for_application(service_key)
    assisted = selectors.may_file_for_citizens(request.user, service)
    version = service.offered_version
    if version is not None and not assisted and _below(version.trust_level, request):
        return _stronger_login(request, version.trust_level, version.form_schema)
    email = verified_email(request)
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if assisted:
            email = form.cleaned_data["email"]
        else:
            _send_link(request, form.cleaned_data["email"], request.path, "verify")
            return render(request, "citizens/check_inbox.html", {"email": form.cleaned_data["email"]})
    if email and not assisted and (draft := selectors.open_draft(service, email)) is not None:
        return redirect("applications:step", public_id=draft.public_id, step=draft.step)  # resume, no second draft
    if email and (request.method == "POST" or not assisted):
        try:
            draft = services.draft_start(
                service=service,
                email=email,
                applicant=request.user if not assisted else None,
                assisted_by=request.user if assisted else None,
                language=_language(request),
                authentication=None if assisted else trust.current(request),
                suggestions=None if assisted else prefill_values(request),
            )
        except ValidationError as error:
            return render(request, "applications/unavailable.html", {"message": error.messages[0]}, status=409)
        return redirect("applications:step", public_id=draft.public_id, step=0)
    context = {"service_name": version.name(_language(request)) if version else "", "form": form, "assisted": assisted}
    return render(request, "applications/start.html", context)


def verify(request: HttpRequest, token: str) -> HttpResponse:
    """The magic link: remember the verified address and continue where the citizen was."""
    email = email_from_token(token)
    if email is None:
        return render(request, "citizens/link_invalid.html", status=400)
    remember_email(request, email)
    next_path = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_path, allowed_hosts={request.get_host()}):
        next_path = reverse("applications:mine")
    return redirect(next_path)


class StrongerLoginNeeded(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _draft(request: HttpRequest, public_id: uuid.UUID) -> Application:
    """The requester's draft, speaking the language of the request (e-mails and documents follow it).

    A login below the version's trust level is sent to log in more securely and back here; a login that
    changed since the draft began (e.g. now with an eID) is recorded on the draft.
    """
    application = selectors.draft_for(public_id, user=request.user, email=verified_email(request))
    if application is None:
        raise Http404(_("No draft with this address is open for you."))
    if not application.assisted_by_id:
        if _below(application.version.trust_level, request):
            raise StrongerLoginNeeded(
                _stronger_login(request, application.version.trust_level, application.version.form_schema)
            )
        current = trust.current(request)
        if (current.method, current.level) != (application.auth_method, application.auth_level) or (
            current.attributes and not application.verified
        ):
            services.draft_authenticate(application, authentication=current)
    if application.language != _language(request):
        application.language = _language(request)
        application.save(update_fields=["language"])
    return application


def _with_stronger_login(view: Any) -> Any:
    """Views on a draft answer with the "log in more securely" redirect when ``_draft`` asks for it."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except StrongerLoginNeeded as needed:
            return needed.response

    return wrapper


@require_http_methods(["GET", "POST"])
@_with_stronger_login
def step(request: HttpRequest, public_id: uuid.UUID, step: int) -> HttpResponse:
    """One group of the form; Next keeps it, Back goes back, Save sends a link to resume later."""
    application = _draft(request, public_id)
    schema = application.version.form_schema or {"groups": []}
    groups = schema["groups"]
    if not 0 <= step < len(groups) or step > application.step:
        return redirect("applications:step", public_id=public_id, step=min(application.step, len(groups) - 1))
    known = {k: v for k, v in application.data.items() if k not in step_keys(groups[step])}
    form_kwargs: dict[str, Any] = {
        "language": application.language,
        "known": known,
        "existing_files": services.file_counts(application),
        "initial": step_initial(schema, step, application.data),
    }
    if request.method == "POST":
        action = request.POST.get("action", "next")
        if action == "back":
            return redirect("applications:step", public_id=public_id, step=max(step - 1, 0))
        if action.startswith("add:"):  # one more entry of a repeatable group; nothing is validated yet
            posted = request.POST.copy()
            count_name = f"{action.split(':', 1)[1]}-count"
            count = posted.get(count_name, "0")
            posted[count_name] = str(int(count) + 1 if count.isdigit() else 1)
            # Unbound, filled with what was typed: a new entry is no reason to show errors yet.
            form = SchemaStepForm(schema, step, **{**form_kwargs, "initial": posted.dict()})
            return render(request, "applications/step.html", _step_context(application, form, schema, step))
        if action.startswith("remove:"):
            services.attachment_remove(application, int(action.split(":", 1)[1] or 0))
            return redirect("applications:step", public_id=public_id, step=step)
        if _forged_verified(application, request, form_kwargs["initial"]):
            return HttpResponseBadRequest(_("Values confirmed by your eID cannot be changed."))
        form = _verified_locked(
            application, SchemaStepForm(schema, step, data=request.POST, files=request.FILES, **form_kwargs)
        )
        if form.is_valid():
            try:
                services.draft_save_step(
                    application,
                    group=form.group,
                    answers=form.cleaned_data,
                    uploads=form.step_uploads,
                    step=step,
                    staff=bool(application.assisted_by_id),
                )
            except services.UploadRefused as refused:
                form.add_error(refused.field_id, refused)
        if form.is_valid():  # an upload may have been refused while saving
            if action == "save":
                _send_link(request, application.applicant_email, request.path, "resume")
                messages.success(request, _("Saved. We sent you a link to continue later."))
                return redirect("applications:step", public_id=public_id, step=step)
            if step + 1 < len(groups):
                return redirect("applications:step", public_id=public_id, step=step + 1)
            return redirect("applications:review", public_id=public_id)
    else:
        form = _verified_locked(application, SchemaStepForm(schema, step, **form_kwargs))
    return render(request, "applications/step.html", _step_context(application, form, schema, step))


def _forged_verified(application: Application, request: HttpRequest, initial: dict[str, Any]) -> bool:
    """A POST that sends another value for a field the eID confirmed (the page shows them read-only)."""
    return any(
        field_id in request.POST and request.POST[field_id] != initial.get(field_id)
        for field_id in application.verified
    )


def _verified_locked(application: Application, form: SchemaStepForm) -> SchemaStepForm:
    """Fields with values the eID confirmed: shown, marked, not editable (a disabled field keeps its value)."""
    for field_id in application.verified:
        if field_id in form.fields:
            form.fields[field_id].disabled = True
            form.fields[field_id].help_text = _("Confirmed by your eID; cannot be changed here.")
    return form


def _step_context(application: Application, form: SchemaStepForm, schema: dict[str, Any], step: int) -> dict[str, Any]:
    specs = list(all_specs(schema["groups"][step]))
    return {
        "application": application,
        "form": form,
        "step": step,
        "steps": [localised(group.get("title"), application.language) for group in schema["groups"]],
        "attachments": application.attachments.filter(field_id__in=[spec["id"] for spec in specs]),
        "conditions": {
            **{spec["id"]: spec["show_if"] for spec in specs if "show_if" in spec},
            **{
                f"group-{group['id']}": group["show_if"]
                for group in _subgroups(schema["groups"][step])
                if "show_if" in group
            },
        },
    }


def _subgroups(group: dict[str, Any]) -> list[dict[str, Any]]:
    """Plain sub-groups of a step (their fieldsets carry ``group-<id>``), for the script that hides them."""
    found = []
    for sub in group.get("groups", []):
        if "repeat" not in sub:
            found += [sub, *_subgroups(sub)]
    return found


@require_http_methods(["GET", "POST"])
@_with_stronger_login
def review(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """All answers, the fee, and the submit button (one idempotency key per rendered page)."""
    application = _draft(request, public_id)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            submitted = services.application_submit(
                application, actor=request.user, idempotency_key=request.POST.get("idempotency_key", "")[:100]
            )
        except services.ApplicationIncomplete as incomplete:
            errors = incomplete.field_errors
        except (services.TrustLevelTooLow, services.VerifiedValueChanged) as refused:
            return HttpResponseBadRequest(" ".join(refused.messages))
        else:
            return redirect("applications:status", token=submitted.access_token)
    context = {
        "application": application,
        "summary": selectors.answers(application),
        "fee": services.fee_for(application),
        "parking_zone": facts.zone_preview(application),
        "errors": errors,
        "idempotency_key": uuid.uuid4().hex,
    }
    return render(request, "applications/review.html", context, status=400 if errors else 200)


def _by_token(token: str) -> Application:
    application = selectors.application_by_token(token)
    if application is None:
        raise Http404(_("No application with this link."))
    return application


@require_http_methods(["GET", "POST"])
def status(request: HttpRequest, token: str) -> HttpResponse:
    """The citizen's status page: history, messages, payment, answer, withdraw, documents."""
    application = _by_token(token)
    if request.method == "POST":
        return _status_action(request, application)
    context = {
        "application": application,
        "history": application.history.filter(public=True).select_related("actor"),
        "messages_": application.messages.all(),
        "answer_form": AnswerForm(),
        "can_withdraw": application.status in selectors.WITHDRAWABLE,
        "closed_statuses": CLOSED,
    }
    return render(request, "applications/status.html", context)


@require_http_methods(["GET"])
def status_json(request: HttpRequest, token: str) -> JsonResponse:
    """The application's current status for the status page's self-updating script (same link, no login)."""
    application = _by_token(token)
    response = JsonResponse(
        {
            "status": application.status,
            "label": application.get_status_display(),
            "closed": application.status in CLOSED,
            "history": application.history.filter(public=True).count(),
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _status_action(request: HttpRequest, application: Application) -> HttpResponse:
    action = request.POST.get("action")
    here = reverse("applications:status", kwargs={"token": application.access_token})
    try:
        if action == "pay":
            target = services.payment_start(application, return_url=here, cancel_url=here)
            return redirect(target or here)
        if action == "withdraw":
            services.application_withdraw(application, comment=_("Withdrawn by the applicant."))
            messages.success(request, _("Your application has been withdrawn."))
        elif action == "answer":
            form = AnswerForm(request.POST)
            form.is_valid()
            services.information_answer(
                application, text=form.cleaned_data.get("text", ""), files=request.FILES.getlist("files")
            )
            messages.success(request, _("Thank you, your answer has been sent."))
        else:
            return HttpResponseBadRequest(_("Unknown action."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(here)


def document(request: HttpRequest, token: str) -> FileResponse:
    """The decision document, only through the applicant's own link."""
    application = _by_token(token)
    if not application.decision_document:
        raise Http404(_("There is no decision document yet."))
    return FileResponse(
        application.decision_document.open("rb"),
        as_attachment=True,
        filename=f"Bescheid-{application.reference}.pdf",
        content_type="application/pdf",
    )


def mine(request: HttpRequest) -> HttpResponse:
    """The applications of the verified address or account."""
    email = verified_email(request)
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _send_link(request, form.cleaned_data["email"], request.path, "verify")
        return render(request, "citizens/check_inbox.html", {"email": form.cleaned_data["email"]})
    context = {"applications": selectors.applications_of(email) if email else None, "form": form, "email": email}
    return render(request, "applications/mine.html", context)


@require_http_methods(["GET", "POST"])
def test_payment(request: HttpRequest, payment_id: uuid.UUID) -> HttpResponse:
    """The test provider's payment page (demo only): pay or cancel, no real money."""
    if not TestProvider().available():
        raise Http404
    payment = get_object_or_404(Payment.objects.select_related("application"), public_id=payment_id)
    here = reverse("applications:status", kwargs={"token": payment.application.access_token})
    if request.method == "POST":
        if request.POST.get("action") == "pay":
            confirm = reverse("applications:test-payment-confirm", kwargs={"payment_id": payment.public_id})
            return redirect(f"{confirm}?signature={TestProvider.signature(payment)}")
        return redirect(here)
    return render(request, "applications/test_payment.html", {"payment": payment})


def test_payment_confirm(request: HttpRequest, payment_id: uuid.UUID) -> HttpResponse:
    """The test provider's signed confirmation; a replay finds the payment paid and changes nothing."""
    if not TestProvider().available():
        raise Http404
    payment = get_object_or_404(Payment.objects.select_related("application"), public_id=payment_id)
    if not TestProvider.verify(payment, request.GET.get("signature", "")):
        return HttpResponseBadRequest(_("The payment confirmation is not valid."))
    if services.payment_confirm(payment, provider_reference=f"test-{payment.public_id}"):
        messages.success(request, _("Thank you, your payment has been received."))
    return redirect("applications:status", token=payment.application.access_token)
