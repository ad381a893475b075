"""Hand-over of applications to a service's back-office endpoint (FIT-Connect-shaped, HMAC-signed)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from typing import Any

import requests
from django.utils import timezone

from applications.models import Application, Handover, ServiceDesk
from tenants.db import current_municipality
from tenants.tasks import enqueue_on_commit

SIGNATURE_HEADER = "X-Amtsplatz-Signature"
logger = logging.getLogger(__name__)


def handover_queue(application: Application, event: str) -> None:
    """Record a delivery for ``event`` when the service's desk wants one, and queue it after commit."""
    try:
        desk = application.service.desk  # loaded with the service where the caller selected it
    except ServiceDesk.DoesNotExist:
        return
    if not desk or not desk.handover_url or desk.handover_on != event:
        return
    handover, created = Handover.objects.get_or_create(application=application, event=event)
    if created:
        # A broker outage is left to the sweeper, which picks pending deliveries up.
        enqueue_on_commit("applications.deliver_handover", [handover.pk], what=f"the hand-over {handover.pk}")


def payload(application: Application) -> dict[str, Any]:
    """The JSON body: metadata after FIT-Connect (schema reference, content hash, attachments) and data."""
    content = json.dumps(application.data, sort_keys=True, ensure_ascii=False).encode()
    municipality = current_municipality()
    return {
        "metadata": {
            "reference": application.reference,
            # The official key (Amtlicher Gemeindeschlüssel) a back office knows, never our schema name.
            "municipality": {"ags": municipality.ags, "name": municipality.name},
            "service": {"key": application.version.definition.key, "leikaKey": application.version.leika_key},
            "schemaUri": application.version.schema_uri,
            "contentHash": {"type": "sha512", "content": hashlib.sha512(content).hexdigest()},
            "status": application.status,
            "submittedAt": application.submitted_at.isoformat() if application.submitted_at else None,
            "attachments": [
                {
                    "id": attachment.pk,
                    "field": attachment.field_id,
                    "filename": attachment.original_name,
                    "mimeType": attachment.content_type,
                    "size": attachment.size,
                    "hash": {"type": "sha256", "content": attachment.sha256},
                }
                for attachment in application.attachments.all()
            ],
        },
        "data": application.data,
    }


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliver(handover: Handover) -> bool:
    """POST once; record the outcome. True when the endpoint answered 2xx."""
    application = handover.application
    desk = application.service.desk
    body = json.dumps(payload(application), ensure_ascii=False).encode()
    handover.attempts += 1
    try:
        response = requests.post(
            desk.handover_url,
            data=body,
            headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(desk.handover_secret, body)},
            timeout=10,
        )
        ok = 200 <= response.status_code < 300
        handover.last_error = "" if ok else f"HTTP {response.status_code}: {response.text[:300]}"
    except requests.RequestException as error:
        ok = False
        handover.last_error = str(error)[:500]
    handover.status = Handover.State.DELIVERED if ok else Handover.State.PENDING
    if ok:
        handover.delivered_at = timezone.now()
    handover.save()
    return ok
