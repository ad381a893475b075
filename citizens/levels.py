"""Trust levels (Vertrauensniveau) of a login and of a service, and how they compare.

The catalogue speaks of ``none``/``low``/``substantial``/``high`` (eIDAS); a login reaches ``low``
(password, magic link), ``substantial`` or ``high`` (eID). ``none`` needs no login at all.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

ORDER = {"none": 0, "low": 1, "substantial": 2, "high": 3}


class Level(models.TextChoices):
    LOW = "low", _("low")
    SUBSTANTIAL = "substantial", _("substantial")
    HIGH = "high", _("high")


def rank(level: str) -> int:
    """The level's place in the order; unknown text counts as no level."""
    return ORDER.get(level, 0)


def meets(reached: str, required: str) -> bool:
    return rank(reached) >= rank(required)
