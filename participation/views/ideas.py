"""Ideas: a space's ideas, proposing, detail, support, image."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from participation import selectors, services
from participation.antispam import rate_limit_hit
from participation.forms import IdeaForm
from participation.models import Idea, Participant, Space
from participation.views.common import (
    PHOTO_ERRORS,
    _held_message,
    _map_settings,
    _may_see_unpublished,
    _space,
    _user_id,
    guarded,
    participant_required,
)


def idea_space(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(slug, Space.Kind.IDEAS)
    page = Paginator(selectors.public_ideas(space), 20).get_page(request.GET.get("seite"))
    context = {"space": space, "page": page, "participant": selectors.participant_of(request.user)}
    return render(request, "participation/idea_space.html", context)


@guarded
@require_http_methods(["GET", "POST"])
@participant_required
def idea_new(request: HttpRequest, slug: str, participant: Participant) -> HttpResponse:
    space = _space(slug, Space.Kind.IDEAS)
    form = IdeaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and space.accepts_contributions:
        rate_limit_hit(scope="contribution", request=request, user_id=_user_id(request))
        if form.is_valid():
            data = form.cleaned_data
            try:
                idea = services.idea_propose(
                    participant=participant, space=space, title=data["title"], text=data["text"], topic=data["topic"],
                    address=data["address"], latitude=data["latitude"], longitude=data["longitude"],
                    image=data["image"], checked=form.checked,
                )  # fmt: skip
            except ValidationError as error:
                form.add_error("image" if error.code in PHOTO_ERRORS else None, error)
            else:
                _held_message(request, idea)
                return redirect("participation:idea", slug=slug, pk=idea.pk)
    context = {"space": space, "form": form, "map": _map_settings()}
    return render(request, "participation/idea_form.html", context, status=400 if form.errors else 200)


def _idea_for(request: HttpRequest, slug: str, pk: int) -> Idea:
    idea = get_object_or_404(Idea.objects.select_related("space", "topic", "author"), pk=pk, space__slug=slug)
    if not selectors.visible_to(idea, selectors.participant_of(request.user)):
        raise Http404(_("This idea is not public."))
    return idea


def idea_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    idea = _idea_for(request, slug, pk)
    participant = selectors.participant_of(request.user)
    context = {
        "idea": idea,
        "supports": idea.supports.count(),
        "supported": participant is not None and idea.supports.filter(participant=participant).exists(),
        "history": idea.history.all(),
        "projects": idea.projects.public(),
        "participant": participant,
    }
    return render(request, "participation/idea_detail.html", context)


@guarded
@require_POST
@participant_required
def idea_support(request: HttpRequest, slug: str, pk: int, participant: Participant) -> HttpResponse:
    idea = _idea_for(request, slug, pk)
    rate_limit_hit(scope="reaction", request=request, user_id=_user_id(request))
    try:
        added = services.idea_support(idea=idea, participant=participant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you for your support.") if added else _("You support this idea already."))
    return redirect("participation:idea", slug=slug, pk=pk)


def idea_image(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    idea = get_object_or_404(Idea, pk=pk, space__slug=slug)
    if not (selectors.visible_to(idea, selectors.participant_of(request.user)) or _may_see_unpublished(request)):
        raise Http404
    if not idea.image:
        raise Http404
    response = FileResponse(idea.image.open("rb"), content_type=idea.image_type)
    response["Cache-Control"] = "public, max-age=300" if idea.is_public else "private, no-store"
    return response
