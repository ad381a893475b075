"""The question box page: works as a plain form post; the card replaces the page's live region."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from amtsplatz.infra import ratelimit
from answers.forms import QuestionForm
from answers.selectors import answer

SESSION_TOPIC = "answers_last_topic"


def questions_hit(request: HttpRequest) -> None:
    """Count one question against the per-address limit (the page and the API share it)."""
    ratelimit.hit(
        prefix="answers", scope="question", request=request, per_ip=settings.AMTSPLATZ_ANSWERS_QUESTIONS_PER_HOUR
    )


@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    """GET shows the box (``?q=`` from the home page's box answers at once); POST answers the question."""
    data = request.POST if request.method == "POST" else (request.GET if "q" in request.GET else None)
    form = QuestionForm(data)
    card = None
    if data is not None and form.is_valid():
        try:
            questions_hit(request)
        except ratelimit.RateLimited as limited:
            minutes = max(limited.retry_after // 60, 1)
            response = render(request, "answers/rate_limited.html", {"minutes": minutes}, status=429)
            response["Retry-After"] = str(limited.retry_after)
            return response
        card = answer(
            form.cleaned_data["q"],
            page_language=get_language() or "de",
            last_topic=str(request.session.get(SESSION_TOPIC, "")),
        )
        if card.topic:
            request.session[SESSION_TOPIC] = card.topic
        form = QuestionForm()  # an empty box for the next question
    status = 400 if data is not None and form.errors else 200
    return render(request, "answers/ask.html", {"form": form, "card": card}, status=status)
