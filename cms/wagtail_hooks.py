"""Editors' area: the barriers people reported through the accessibility statement."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.models import AccessibilityFeedback


class AccessibilityFeedbackViewSet(SnippetViewSet):
    model = AccessibilityFeedback
    icon = "help"
    menu_label = _("Accessibility feedback")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["created_at", "message", "page_url", "email", "handled"]
    list_filter = ["handled"]
    search_fields = ["message", "page_url"]
    form_fields = ["handled", "message", "page_url", "name", "email"]


register_snippet(AccessibilityFeedbackViewSet)


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request: HttpRequest) -> dict[str, str]:
    """Account settings in /cms/: set up (or renew) the second factor and the recovery codes."""
    return {
        "url": reverse("mfa:enrol"),
        "label": str(_("Two-factor authentication")),
        "help_text": str(_("Set up an authenticator app; new recovery codes replace the old ones.")),
    }
