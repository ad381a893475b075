"""Editors' area: the barriers people reported through the accessibility statement."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
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
