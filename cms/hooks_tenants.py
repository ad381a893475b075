"""What cms contributes to a new municipality's schema and to the template schema (``tenants.hooks``)."""

from __future__ import annotations

from cms.services import portal_personalise, portal_skeleton_ensure
from tenants.hooks import NewPortal


def portal_setup(portal: NewPortal) -> None:
    """Site and page titles of the cloned page tree, for the new municipality."""
    portal_personalise(name=portal.name, hostname=portal.hostname, port=portal.port)


def template_setup() -> None:
    """The default page tree every new municipality starts from."""
    portal_skeleton_ensure()
