"""Consultations: the topic with its statements and the statement form, supports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from participation import selectors, services
from participation.antispam import rate_limit_hit
from participation.forms import StatementForm
from participation.models import Participant, Space, Statement
from participation.views.common import _held_message, _space, _user_id, guarded, participant_for, participant_required


@guarded
@require_http_methods(["GET", "POST"])
@participant_for(methods={"POST"})
def consultation(request: HttpRequest, slug: str, participant: Participant | None) -> HttpResponse:
    """The topic, its documents and deadline, the statements (no replies) and the statement form."""
    space = _space(slug, Space.Kind.CONSULTATION)
    form = StatementForm(request.POST or None)
    if request.method == "POST" and participant is not None:
        rate_limit_hit(scope="contribution", request=request, user_id=_user_id(request))
        if form.is_valid():
            try:
                statement = services.statement_post(
                    participant=participant, space=space, text=form.cleaned_data["text"], checked=form.checked
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                _held_message(request, statement)
                return redirect(reverse("participation:consultation", kwargs={"slug": slug}) + "#statements")
    statements = selectors.public_statements(space)
    supported = (
        set(participant.statement_supports.filter(statement__space=space).values_list("statement_id", flat=True))
        if participant
        else set()
    )
    context = {
        "space": space,
        "documents": space.documents.all(),
        "statements": statements,
        "supported": supported,
        "form": form,
        "participant": participant,
    }
    return render(request, "participation/consultation.html", context, status=400 if form.errors else 200)


@guarded
@require_POST
@participant_required
def statement_support(request: HttpRequest, slug: str, pk: int, participant: Participant) -> HttpResponse:
    statement = get_object_or_404(Statement, pk=pk, space__slug=slug)
    rate_limit_hit(scope="reaction", request=request, user_id=_user_id(request))
    try:
        added = services.statement_support(statement=statement, participant=participant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Thank you for your support.") if added else _("You support this statement already.")
        )
    return redirect(reverse("participation:consultation", kwargs={"slug": slug}) + f"#statement-{pk}")
