"""An office's opening hours, closures and services are the ``offices`` app's; when they change, the cached
opening calendar and offer of the office's appointment calendar are stale (ADR 0065)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from appointments import services
from appointments.models import Calendar
from offices.models import Office, OpeningException, OpeningInterval


def _office_changed(office_id: int | None) -> None:
    calendar = Calendar.objects.filter(office_id=office_id).first() if office_id else None
    if calendar is not None:
        services.plan_changed(calendar=calendar)


def _office_saved(sender: type[Office], instance: Office, **kwargs: Any) -> None:
    _office_changed(instance.pk)


def _hours_changed(sender: type[OpeningInterval | OpeningException], instance: Any, **kwargs: Any) -> None:
    _office_changed(instance.office_id)


def _services_changed(sender: Any, instance: Any, pk_set: set[int] | None, **kwargs: Any) -> None:
    if isinstance(instance, Office):
        _office_changed(instance.pk)
    else:  # a service's offices changed
        for office_id in pk_set or ():
            _office_changed(office_id)


def connect() -> None:
    post_save.connect(_office_saved, sender=Office, dispatch_uid="appointments-office-saved")
    m2m_changed.connect(_services_changed, sender=Office.services.through, dispatch_uid="appointments-office-services")
    for model in (OpeningInterval, OpeningException):
        for signal in (post_save, post_delete):
            signal.connect(_hours_changed, sender=model, dispatch_uid=f"appointments-{model.__name__}-{signal}")
