"""Writes of offices from outside the /cms/ form: the XZuFi import creates or updates a municipality's offices;
contact requests are stored, mailed (office and citizen, each once), marked done and deleted after retention."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from offices.models import CONTACT_RETENTION_DAYS, ContactRequest, Office
from services_catalog.local.models import LocalService
from tenants.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)
CONTACT_MAILS = ("office", "confirmation")  # the office's copy, then the citizen's confirmation


@dataclass(frozen=True)
class Upserted:
    office: Office
    created: bool
    missing_services: tuple[str, ...]  # catalogue keys named for the office that this municipality has not adopted


@transaction.atomic
def upsert_office(
    *,
    slug: str,
    name: str,
    street: str = "",
    postcode: str = "",
    city: str = "",
    phone: str = "",
    email: str = "",
    contact_url: str = "",
    service_keys: list[str] | None = None,
) -> Upserted:
    """Create the office ``slug`` of the current municipality, or update its address, contact and services.

    Opening hours, accessibility and area rules stay as edited in /cms/ (an exchange message carries none of
    them). ``service_keys`` (None: leave the services alone) link adopted services; keys this municipality has
    not adopted are returned, not created. Invalid values raise ``ValidationError`` and change nothing.
    """
    office = Office.objects.select_for_update().filter(slug=slug).first()
    created = office is None
    if office is None:
        office = Office(slug=slug)
    for field, value in (
        ("name", name), ("street", street), ("postcode", postcode), ("city", city), ("phone", phone),
        ("email", email), ("contact_url", contact_url),
    ):  # fmt: skip
        setattr(office, field, value.strip())
    office.full_clean(validate_unique=False)
    office.save()
    missing: tuple[str, ...] = ()
    if service_keys is not None:
        adopted = list(LocalService.objects.filter(definition__key__in=service_keys).select_related("definition"))
        known = {local.definition.key for local in adopted}
        missing = tuple(key for key in service_keys if key not in known)
        office.services.set(adopted)
        office.save()
    return Upserted(office, created, missing)


@transaction.atomic
def contact_request_create(
    *,
    office: Office | None,
    email: str,
    subject: str,
    message: str,
    name: str = "",
    service_key: str = "",
    question: str = "",
    language: str = "de",
) -> ContactRequest:
    """Store a contact request to ``office`` (None: the municipality in general); after commit a worker mails
    the office and sends the citizen a confirmation with the reference. Invalid values raise
    ``ValidationError`` and store nothing."""
    contact = ContactRequest(
        office=office, name=name.strip(), email=email.strip(), subject=subject.strip(), message=message.strip(),
        service_key=service_key, question=question.strip(), language=language[:2],
    )  # fmt: skip
    contact.full_clean(exclude=["reference"])
    contact.save()
    contact_mails_queue(contact.pk)
    return contact


def contact_mails_queue(request_id: int) -> None:
    """After commit, let a worker send the request's mails; with the broker away, send them in the web request."""
    enqueue_on_commit(
        "offices.send_contact_mails",
        [request_id],
        what="the contact request's e-mails",
        fallback=lambda: contact_mails_send(request_id=request_id),
    )


def contact_mails_send(*, request_id: int) -> int:
    """Send what is still owed of the office's copy and the citizen's confirmation; the number sent now.

    Each mail is marked in the transaction that sends it, on the locked row: a retried, redelivered or swept
    task waits for a concurrent one and then sends nothing twice. A failing send leaves its mark unset (and
    raises) for the retry or the sweeper.
    """
    from offices import contact_mails

    sent = 0
    for kind in CONTACT_MAILS:
        with transaction.atomic():
            contact = (
                ContactRequest.objects.select_for_update(of=("self",))
                .select_related("office")
                .filter(pk=request_id)
                .first()
            )
            if contact is None:  # deleted meanwhile (retention, erasure): nothing owed
                return sent
            field = f"{kind}_mailed_at"
            if getattr(contact, field) is not None:
                continue
            if kind == "office":
                contact_mails.office_copy(contact)
            else:
                contact_mails.confirmation(contact)
            setattr(contact, field, timezone.now())
            contact.save(update_fields=[field])
            sent += 1
    return sent


@transaction.atomic
def contact_request_mark_done(*, contact_request: ContactRequest, done: bool, by: str) -> ContactRequest:
    """Mark a contact request done (the first marking records who and when) or open again."""
    if done and contact_request.done_at is None:
        contact_request.done_at, contact_request.done_by = timezone.now(), by
    elif not done:
        contact_request.done_at, contact_request.done_by = None, ""
    contact_request.done = done
    contact_request.save(update_fields=["done", "done_at", "done_by"])
    return contact_request


def contact_requests_purge(*, now: datetime | None = None) -> int:
    """Delete the contact requests received more than ``CONTACT_RETENTION_DAYS`` ago (ADR 0096)."""
    cutoff = (now or timezone.now()) - timedelta(days=CONTACT_RETENTION_DAYS)
    deleted, _by_model = ContactRequest.objects.filter(created__lt=cutoff).delete()
    if deleted:
        logger.info("Deleted %d contact requests past their retention period", deleted)
    return deleted
