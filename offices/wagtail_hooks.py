"""Offices in the municipality's /cms/: an "Offices" snippet with hours, closures, area rules; the phone view;
the contact requests (read-only, marked done by staff allowed to change them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from offices import services, staff_views
from offices.admin_forms import OfficeForm
from offices.models import ContactRequest, Office


class RefusedWith400:
    """A refused edit answers 400 (bad input), not 200, like every other form of the platform."""

    def form_invalid(self, form: Any) -> Any:
        response = super().form_invalid(form)  # type: ignore[misc]
        response.status_code = 400
        return response


class OfficeCreateView(RefusedWith400, CreateView):
    pass


class OfficeEditView(RefusedWith400, EditView):
    pass


class OfficeViewSet(SnippetViewSet):
    model = Office
    add_view_class = OfficeCreateView
    edit_view_class = OfficeEditView
    icon = "home"
    menu_label = _("Offices")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["name", "kind", "street", "phone"]
    list_filter = ["kind"]
    search_fields = ["name", "street"]
    copy_view_enabled = False
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("name"), FieldPanel("slug"), FieldPanel("kind"),
                    MultiFieldPanel(
                        [FieldPanel("street"), FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
                         FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")])],
                        _("Address"),
                    ),
                    MultiFieldPanel(
                        [FieldPanel("phone"), FieldPanel("email"), FieldPanel("contact_url")], _("Contact")
                    ),
                    FieldPanel("services", widget=forms.CheckboxSelectMultiple),
                ],
                heading=_("Office"),
            ),
            ObjectList(
                [
                    FieldPanel("closed_on_holidays"),
                    InlinePanel("opening_intervals", heading=_("Weekly opening hours"), label=_("opening hours")),
                    InlinePanel("opening_exceptions", heading=_("Closures and special hours"), label=_("exception")),
                ],
                heading=_("Opening hours"),
            ),
            ObjectList(
                [
                    FieldPanel("step_free"), FieldPanel("disabled_parking"), FieldPanel("induction_loop"),
                    FieldPanel("accessibility_de"), FieldPanel("accessibility_en"), FieldPanel("languages"),
                ],
                heading=_("Accessibility and languages"),
            ),
            ObjectList(
                [InlinePanel("area_rules", heading=_("Area rules"), label=_("area rule"))],
                heading=_("Area"),
                help_text=_(
                    "Only needed when several offices provide the same service: citizens living in these "
                    "areas are sent to this office."
                ),
            ),
        ],
        base_form_class=OfficeForm,
    )  # fmt: skip


register_snippet(OfficeViewSet)


class NoAddView(CreateView):
    """Contact requests come from citizens only."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        raise PermissionDenied


class ContactRequestDoneView(OfficeEditView):
    """Everything read-only but "done"; marking records who and when (offices.services)."""

    def save_instance(self) -> Any:
        instance = super().save_instance()
        return services.contact_request_mark_done(
            contact_request=instance, done=instance.done, by=self.request.user.get_username()
        )


class ContactRequestViewSet(SnippetViewSet):
    model = ContactRequest
    add_view_class = NoAddView
    edit_view_class = ContactRequestDoneView
    icon = "mail"
    menu_label = _("Contact requests")
    menu_order = 265
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["reference", "subject", "office", "created", "done"]
    list_filter = ["office", "done"]
    search_fields = ["reference", "subject", "name", "email"]
    edit_handler = ObjectList([
        FieldPanel("office", read_only=True), FieldPanel("name", read_only=True), FieldPanel("email", read_only=True),
        FieldPanel("subject", read_only=True), FieldPanel("message", read_only=True),
        FieldPanel("service_key", read_only=True), FieldPanel("question", read_only=True),
        FieldPanel("created", read_only=True), FieldPanel("done"), FieldPanel("done_at", read_only=True),
        FieldPanel("done_by", read_only=True),
    ])  # fmt: skip


register_snippet(ContactRequestViewSet)


@hooks.register("register_admin_urls")
def register_phone_view() -> list[Any]:
    return [
        path("telefon/", staff_views.phone_index, name="offices-phone"),
        path("telefon/<slug:service_key>/", staff_views.phone_view, name="offices-phone-service"),
    ]


@hooks.register("register_admin_menu_item")
def phone_menu_item() -> MenuItem:
    return MenuItem(_("Phone desk"), reverse("offices-phone"), icon_name="mail", order=270)
