"""Staff views of participation in the municipality's /cms/: moderation queue, defect reports, idea answers,
consultations, participants, moderation log. Each view checks its permission of the municipality's groups."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from participation import selectors, services
from participation.models import Idea, ModerationLog, Participant, Report, ReportCategory, Space
from participation.states import IDEA_TRANSITIONS, REPORT_TRANSITIONS, IdeaStatus, ReportStatus

View = Callable[..., HttpResponse]


def needs(permission: str) -> Callable[[View], View]:
    """Only staff of this municipality with ``participation.<permission>`` (superusers pass)."""

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not selectors.may(request.user, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (the author is told)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note (optional)"), required=False)


class ReportFilter(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False, choices=[("", gettext_lazy("all")), *ReportStatus.choices]
    )
    assignee = forms.ChoiceField(
        label=gettext_lazy("Assigned to"),
        required=False,
        choices=[("", gettext_lazy("anyone")), ("me", gettext_lazy("me")), ("nobody", gettext_lazy("nobody"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = [(c.slug, c.name_de) for c in ReportCategory.objects.all()]
        self.fields["category"].choices = [("", _("all")), *categories]  # type: ignore[attr-defined]


class ReportStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("New status"))
    note = forms.CharField(label=gettext_lazy("Public note"), widget=forms.Textarea(attrs={"rows": 3}))
    duplicate_of = forms.IntegerField(label=gettext_lazy("Duplicate of report no."), required=False, min_value=1)

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = REPORT_TRANSITIONS[report.status] - {ReportStatus.PUBLISHED}
        choices = [(value, label) for value, label in ReportStatus.choices if value in allowed]
        self.fields["status"].choices = choices  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"))
    answer = forms.CharField(
        label=gettext_lazy("Public answer (required for a rejection)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, idea: Idea, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = IDEA_TRANSITIONS[idea.status]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in IdeaStatus.choices if value in allowed
        ]


class SummaryForm(forms.Form):
    summary = forms.CharField(label=gettext_lazy("Published summary"), widget=forms.Textarea(attrs={"rows": 8}))


def _error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- Moderation -----------------------------------------------------------------------------------------


@needs("moderate")
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/staff/queue.html", {"items": selectors.moderation_queue()})


def _item(kind: str, pk: int) -> Any:
    item = selectors.item_of(kind, pk)
    if item is None:
        raise Http404(_("No such contribution."))
    return item


@needs("moderate")
def item(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """One contribution with approve, reject-with-reason and edit-with-note."""
    contribution = _item(kind, pk)
    fields = services.EDITABLE_FIELDS[kind]
    edit_form = forms.Form(initial={field: getattr(contribution, field) for field in fields})
    for field in fields:
        edit_form.fields[field] = forms.CharField(
            label=contribution._meta.get_field(field).verbose_name,
            widget=forms.Textarea(attrs={"rows": 5}) if field in ("description", "text", "summary") else None,
        )
    edit_form.fields["note"] = forms.CharField(label=_("What did you change and why? (the author is told)"))
    context = {
        "kind": kind,
        "item": contribution,
        "photos": contribution.photos.all() if isinstance(contribution, Report) else [],
        "reject_form": RejectForm(),
        "note_form": NoteForm(),
        "edit_form": edit_form,
        "log": ModerationLog.objects.filter(kind=kind, item_id=pk).select_related("actor"),
        "public_url": selectors.public_url(contribution),
    }
    return render(request, "participation/staff/item.html", context)


@needs("moderate")
@require_POST
def moderate(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    contribution = _item(kind, pk)
    action = request.POST.get("action", "")
    try:
        if action == "approve":
            services.moderation_approve(item=contribution, actor=request.user, note=request.POST.get("note", ""))
        elif action == "reject":
            services.moderation_reject(item=contribution, actor=request.user, reason=request.POST.get("reason", ""))
        elif action == "edit":
            changes = {field: request.POST.get(field, "") for field in services.EDITABLE_FIELDS[kind]}
            services.moderation_edit(
                item=contribution, actor=request.user, note=request.POST.get("note", ""), changes=changes
            )
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        _error(request, error)
        return redirect("participation_admin:item", kind=kind, pk=pk)
    messages.success(request, _("Done."))
    return redirect("participation_admin:queue")


@needs("moderate")
def participants(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:80]
    found = Participant.objects.select_related("user").order_by("pseudonym")
    if query:
        found = found.filter(pseudonym__icontains=query)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "participation/staff/participants.html", {"page": page, "query": query})


@needs("moderate")
@require_POST
def block(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_object_or_404(Participant, pk=pk)
    try:
        if request.POST.get("action") == "unblock":
            services.participant_unblock(participant=participant, actor=request.user)
        else:
            services.participant_block(
                participant=participant, actor=request.user, reason=request.POST.get("reason", "")
            )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Done."))
    return redirect("participation_admin:participants")


@needs("moderate")
def log(request: HttpRequest) -> HttpResponse:
    page = Paginator(ModerationLog.objects.select_related("actor"), 100).get_page(request.GET.get("page"))
    return render(request, "participation/staff/log.html", {"page": page})


# --- Defect reports -----------------------------------------------------------------------------------------


@needs("work_reports")
def reports(request: HttpRequest) -> HttpResponse:
    form = ReportFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.reports_for_staff(user=request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "participation/staff/reports.html", {"form": form, "page": page})


@needs("work_reports")
def report(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Report.objects.select_related("category", "author__user", "assignee"), pk=pk)
    staff = get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
    context = {
        "report": item,
        "photos": item.photos.all(),
        "history": item.history.select_related("actor"),
        "status_form": ReportStatusForm(report=item),
        "staff": staff,
        "followers": item.followers.count(),
    }
    return render(request, "participation/staff/report.html", context)


@needs("work_reports")
@require_POST
def report_act(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Report, pk=pk)
    action = request.POST.get("action", "")
    try:
        if action == "assign":
            raw = request.POST.get("assignee", "")
            assignee = get_user_model().objects.filter(pk=int(raw), is_staff=True).first() if raw.isdigit() else None
            services.report_assign(report=item, assignee=assignee)
        elif action == "status":
            form = ReportStatusForm(request.POST, report=item)
            if not form.is_valid():
                raise ValidationError(_("Please choose a status and write a public note."))
            duplicate_id = form.cleaned_data.get("duplicate_of")
            duplicate = Report.objects.filter(pk=duplicate_id).first() if duplicate_id else None
            services.report_transition(
                report=item, to_status=form.cleaned_data["status"], note=form.cleaned_data["note"],
                actor=request.user, duplicate_of=duplicate,
            )  # fmt: skip
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Done."))
    return redirect("participation_admin:report", pk=pk)


# --- Ideas and consultations -----------------------------------------------------------------------------


@needs("manage_participation")
def ideas(request: HttpRequest) -> HttpResponse:
    found = selectors.public_ideas().order_by("status", F("support_count").desc())
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "participation/staff/ideas.html", {"page": page})


@needs("manage_participation")
def idea(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Idea.objects.public().select_related("space", "topic"), pk=pk)
    form = AnswerForm(request.POST or None, idea=item)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.idea_answer(idea=item, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _error(request, error)
            else:
                messages.success(request, _("The answer is published."))
                return redirect("participation_admin:ideas")
        else:
            messages.error(request, _("Please choose a status."))
    context = {
        "idea": item,
        "form": form,
        "history": item.history.select_related("actor"),
        "supports": item.supports.count(),
    }
    return render(request, "participation/staff/idea.html", context)


@needs("manage_participation")
def consultations(request: HttpRequest) -> HttpResponse:
    spaces = Space.objects.filter(kind=Space.Kind.CONSULTATION).order_by("-created")
    return render(request, "participation/staff/consultations.html", {"spaces": spaces})


@needs("manage_participation")
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    space = get_object_or_404(Space, pk=pk, kind=Space.Kind.CONSULTATION)
    form = SummaryForm(request.POST or None, initial={"summary": space.summary})
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_close(space=space, summary=form.cleaned_data["summary"], actor=request.user)
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("The consultation is closed and the summary published."))
            return redirect("participation_admin:consultations")
    context = {"space": space, "form": form, "statements": selectors.public_statements(space)}
    return render(request, "participation/staff/consultation.html", context)
