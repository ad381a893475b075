"""The metadata of a hand-over after FIT-Connect's metadata schema 1.0.0, validated against the kept copy."""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_PATH = Path(__file__).parent / "schema" / "metadata-1.0.0.schema.json"
SCHEMA_URI = "https://schema.fitko.de/fit-connect/metadata/1.0.0/metadata.schema.json"
# Attachment ids must be UUIDs; ours are row ids, so they are derived stably from municipality and row.
ATTACHMENT_NAMESPACE = uuid.UUID("6f1f3b0e-2a5c-4d3e-9a51-0d7f0c1e2b24")


class MetadataInvalid(ValueError):
    """The metadata does not validate against the FIT-Connect schema (a bug on our side, never sent)."""


@functools.cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def data_bytes(data: dict[str, Any]) -> bytes:
    """The exact bytes of the submission data that the hash covers (and that JWE encrypts)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def service_identifier(leika_key: str, key: str) -> str:
    """``urn:de:fim:leika:leistung:<LeiKa>`` where the service has a LeiKa key, else our own URN."""
    return f"urn:de:fim:leika:leistung:{leika_key}" if leika_key else f"urn:amtsplatz:service:{key}"


def attachment_id(schema: str, pk: int) -> str:
    return str(uuid.uuid5(ATTACHMENT_NAMESPACE, f"{schema}:{pk}"))


def build(
    *,
    data: dict[str, Any],
    schema_uri: str,
    service_name: str,
    service_identifier: str,
    reference: str,
    application_date: str | None,
    reply_email: str,
    attachments: list[dict[str, Any]],
) -> dict[str, Any]:
    """Metadata for one submission; ``attachments`` carry id, filename, mimeType and the sha512 of the content."""
    metadata: dict[str, Any] = {
        "$schema": SCHEMA_URI,
        "publicServiceType": {"name": service_name, "identifier": service_identifier},
        "contentStructure": {
            "data": {
                "hash": {"type": "sha512", "content": hashlib.sha512(data_bytes(data)).hexdigest()},
                "submissionSchema": {"schemaUri": schema_uri, "mimeType": "application/json"},
            },
            "attachments": [
                {
                    "attachmentId": item["id"],
                    "purpose": "attachment",
                    "filename": item["filename"],
                    "mimeType": item["mimeType"],
                    "hash": {"type": "sha512", "content": item["sha512"]},
                }
                for item in attachments
            ],
        },
        "additionalReferenceInfo": {"senderReference": reference},
    }
    if application_date:
        metadata["additionalReferenceInfo"]["applicationDate"] = application_date
    if reply_email:
        metadata["replyChannel"] = {"eMail": {"address": reply_email}}
    validate(metadata)
    return metadata


def validate(metadata: dict[str, Any]) -> None:
    """Raise :class:`MetadataInvalid` naming every place where ``metadata`` breaks the schema."""
    errors = sorted(_validator().iter_errors(metadata), key=lambda error: list(error.absolute_path))
    if errors:
        raise MetadataInvalid(
            "; ".join(f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}" for error in errors)
        )
