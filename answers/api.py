"""``GET /api/v1/answers?q=…``: the same card as the question page, as JSON."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from amtsplatz.infra import ratelimit
from amtsplatz.infra.api_errors import ApiError
from answers.forms import MAX_QUESTION
from answers.selectors import answer
from answers.views import questions_hit

router = Router(tags=["answers"])


class AnswerQuery(Schema):
    q: str = Field(min_length=1, max_length=MAX_QUESTION, description="The question, as a citizen would ask it.")
    topic: str = Field(
        default="", max_length=120, description="The `topic` of the previous answer, for follow-up questions."
    )
    lang: str = Field(default="", pattern="^(de|en)?$", description="Language when the question does not tell.")


class FactOut(Schema):
    kind: str
    label: str
    text: str
    source: str
    source_url: str


class ActionOut(Schema):
    kind: str
    label: str
    url: str


class ContactOut(Schema):
    name: str
    phone: str
    email: str
    phone_115: str
    form_url: str = Field(description="The portal's contact form (path), carrying the question and service.")


class AlternativeOut(Schema):
    topic: str
    title: str


class CardOut(Schema):
    status: str = Field(description='"answer", or "unsure" when the platform does not know (then: contact).')
    language: str
    question: str
    topic: str
    focus: str
    follow_up: bool
    title: str
    summary: str
    facts: list[FactOut]
    actions: list[ActionOut]
    contact: ContactOut
    alternatives: list[AlternativeOut]


@router.get("/answers", response={200: CardOut, 429: ApiError}, summary="Answer a citizen's question")
def answers_get(request: HttpRequest, query: Query[AnswerQuery]) -> tuple[int, dict[str, object]]:
    try:
        questions_hit(request)
    except ratelimit.RateLimited as limited:
        raise HttpError(
            429, f"Too many questions; try again in {limited.retry_after} s. / Zu viele Fragen; bitte später erneut."
        ) from limited
    card = answer(query.q, page_language=query.lang or get_language() or "de", last_topic=query.topic)
    return 200, card.as_dict()
