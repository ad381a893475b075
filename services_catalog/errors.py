"""Validation errors that name the path of the offending value, e.g. ``form_schema.groups[0]``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError


@dataclass
class SchemaErrors:
    """Collects path → message pairs while a document is checked."""

    items: list[tuple[str, str]] = field(default_factory=list)

    def add(self, path: str, message: str) -> None:
        self.items.append((path, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def messages(self) -> list[str]:
        return [f"{path}: {message}" for path, message in self.items]

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationError(self.messages())
