"""What a booking can run into; each carries a message for the citizen (German source, English in the .po)."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _


class BookingError(Exception):
    """A booking request that cannot be fulfilled; ``message`` says why and what to do next."""

    status = 400

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


class SlotTaken(BookingError):
    """The time was free when shown but someone else got it first; ``alternatives`` are the next free starts."""

    status = 409

    def __init__(self, alternatives: list[datetime]) -> None:
        super().__init__(_("This time has just been taken. Please choose one of the next free times."))
        self.alternatives = alternatives


class LimitReached(BookingError):
    status = 429


class CalendarConflict(BookingError):
    """Staffing or hours that contradict each other; the message names every conflict."""


class VisitFull(BookingError):
    """Every place of a mobile-service visit is taken."""

    status = 409

    def __init__(self) -> None:
        super().__init__(_("All places of this visit are taken. Please choose another visit or request a home visit."))
