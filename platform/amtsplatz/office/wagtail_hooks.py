"""The office's announcements on each municipality's /cms/ dashboard."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from wagtail import hooks
from wagtail.admin.ui.components import Component

from amtsplatz.office.announcements import announcements_for
from tenants.models import Municipality


class AnnouncementsPanel(Component):
    name = "office_announcements"
    template_name = "office/announcements_panel.html"
    order = 50

    def __init__(self, municipality: Municipality) -> None:
        self.municipality = municipality

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {"announcements": list(announcements_for(self.municipality))}


@hooks.register("construct_homepage_panels")
def add_announcements_panel(request: HttpRequest, panels: list[Component]) -> None:
    municipality = getattr(request, "tenant", None)
    if isinstance(municipality, Municipality):
        panels.append(AnnouncementsPanel(municipality))
