"""Hand-over of applications to a service's back-office endpoint (FIT-Connect-shaped, HMAC-signed, JWE on request)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from typing import Any

import requests
from django.utils import timezone

from applications.fit_connect import metadata as fit_metadata
from applications.fit_connect.encryption import UnusableKey, encrypt, endpoint_key
from applications.models import Application, Attachment, Handover, ServiceDesk
from tenants.db import current_municipality, current_schema
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


def _sha512(attachment: Attachment) -> str:
    digest = hashlib.sha512()
    with attachment.file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def payload(application: Application) -> dict[str, Any]:
    """The JSON body: FIT-Connect metadata (validated against FITKO's schema), our own references, and data."""
    version = application.version
    schema = current_schema()
    municipality = current_municipality()
    attachments = list(application.attachments.all())
    metadata = fit_metadata.build(
        data=application.data,
        schema_uri=version.schema_uri,
        service_name=version.name_de,
        service_identifier=fit_metadata.service_identifier(version.leika_key, version.definition.key),
        reference=application.reference or str(application.public_id),
        application_date=application.submitted_at.date().isoformat() if application.submitted_at else None,
        reply_email=application.applicant_email,
        attachments=[
            {"id": fit_metadata.attachment_id(schema, attachment.pk), "filename": attachment.original_name,
             "mimeType": attachment.content_type, "sha512": _sha512(attachment)}
            for attachment in attachments
        ],
    )  # fmt: skip
    return {
        "metadata": metadata,
        "amtsplatz": {
            "reference": application.reference,
            # The official key (Amtlicher Gemeindeschlüssel) a back office knows, never our schema name.
            "municipality": {"ags": municipality.ags, "name": municipality.name},
            "service": {"key": version.definition.key, "leikaKey": version.leika_key},
            "status": application.status,
            "submittedAt": application.submitted_at.isoformat() if application.submitted_at else None,
            # How the applicant logged in: the method, the trust level reached, the fields the eID confirmed.
            "authentication": {
                "method": application.auth_method or None,
                "trustLevel": application.auth_level or None,
                "verifiedFields": sorted(application.verified),
            },
            "attachments": {
                fit_metadata.attachment_id(schema, attachment.pk): {"id": attachment.pk, "field": attachment.field_id}
                for attachment in attachments
            },
        },
        "data": application.data,
    }


def body(application: Application, url: str) -> bytes:
    """The request body; encrypted as JWE to the endpoint's key when the endpoint publishes one.

    An endpoint that publishes an unusable key gets nothing (``UnusableKey``): never plain text instead.
    """
    document = payload(application)
    key = endpoint_key(url)
    if key is not None:
        document = {
            "encryptedMetadata": encrypt(json.dumps(document["metadata"], ensure_ascii=False).encode(), key),
            "encryptedData": encrypt(fit_metadata.data_bytes(document["data"]), key),
            "amtsplatz": {"reference": application.reference, "municipality": document["amtsplatz"]["municipality"]},
        }
    return json.dumps(document, ensure_ascii=False).encode()


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliver(handover: Handover) -> bool:
    """POST once; record the outcome. True when the endpoint answered 2xx."""
    application = handover.application
    desk = application.service.desk
    handover.attempts += 1
    try:
        content = body(application, desk.handover_url)
        response = requests.post(
            desk.handover_url,
            data=content,
            headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(desk.handover_secret, content)},
            timeout=10,
        )
        ok = 200 <= response.status_code < 300
        handover.last_error = "" if ok else f"HTTP {response.status_code}: {response.text[:300]}"
    except (requests.RequestException, UnusableKey) as error:
        ok = False
        handover.last_error = str(error)[:500]
    handover.status = Handover.State.DELIVERED if ok else Handover.State.PENDING
    if ok:
        handover.delivered_at = timezone.now()
    handover.save()
    return ok
