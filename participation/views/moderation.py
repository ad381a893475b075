"""Flags: anyone can flag a published contribution for the moderators."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from participation import selectors, services
from participation.antispam import rate_limit_hit
from participation.forms import FlagForm
from participation.views.common import _user_id, guarded

FLAGGED_SESSION_KEY = "participation_flagged"


@guarded
@require_http_methods(["GET", "POST"])
def flag(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Anyone can flag a published contribution; enough flags hide it until a moderator has looked."""
    item = selectors.item_of(kind, pk)
    if item is None or not item.is_public:
        raise Http404
    form = FlagForm(request.POST or None)
    target = selectors.public_url(item)
    if request.method == "POST" and form.is_valid():
        rate_limit_hit(scope="reaction", request=request, user_id=_user_id(request))
        participant = selectors.participant_of(request.user)
        flagged = set(request.session.get(FLAGGED_SESSION_KEY, []))
        key = f"{kind}:{pk}"
        if participant is None and key in flagged:
            added = False
        else:
            try:
                added = services.content_flag(item=item, participant=participant, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect(target)
        request.session[FLAGGED_SESSION_KEY] = sorted(flagged | {key})
        messages.success(
            request, _("Thank you, the moderators will look at it.") if added else _("You flagged this already.")
        )
        item.refresh_from_db()
        return redirect(target if item.is_public else reverse("participation:start"))
    return render(request, "participation/flag.html", {"item": item, "form": form, "target": target})
