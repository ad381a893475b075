"""Appointments in the municipality's /cms/: calendars and counters (snippets), the counter views, statistics."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet, SnippetViewSetGroup

from appointments import selectors, services
from appointments.admin_forms import CalendarForm, CounterForm, service_choices
from appointments.models import Calendar, Counter, HomeVisitRequest, Visit, VisitBooking
from appointments.staff_views import PERMISSION, STATISTICS_DAYS


class CounterMenuItem(MenuItem):
    """Shown only to staff allowed to work appointments."""

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm(PERMISSION))


@hooks.register("register_admin_menu_item")
def counter_menu_item() -> Any:
    return CounterMenuItem(_("Appointments"), reverse("appointments:counter"), icon_name="date", order=170)


class RefusedWith400:
    """A refused edit answers 400 (bad input) with the form and its messages, like every form of the platform."""

    def form_invalid(self, form: Any) -> Any:
        response = super().form_invalid(form)  # type: ignore[misc]
        response.status_code = 400
        return response


class RefusedCreateView(RefusedWith400, CreateView):
    pass


class RefusedEditView(RefusedWith400, EditView):
    pass


class RecomputingCreateView(RefusedWith400, CreateView):
    def save_instance(self) -> Any:
        instance = super().save_instance()
        services.loads_recompute(calendar=instance if isinstance(instance, Calendar) else instance.calendar)
        return instance


class RecomputingEditView(RefusedWith400, EditView):
    def save_instance(self) -> Any:
        instance = super().save_instance()
        services.loads_recompute(calendar=instance if isinstance(instance, Calendar) else instance.calendar)
        return instance


_CLOSURES_HELP = _(
    "Opening hours, closures and public holidays are those of the office (menu “Offices”); appointments are "
    "offered only while the office is open and a counter is staffed."
)


_SERVICE_SELECT = forms.Select(choices=service_choices)  # type: ignore[arg-type]  # Django evaluates it per form


class CalendarViewSet(SnippetViewSet):
    model = Calendar
    add_view_class = RecomputingCreateView
    edit_view_class = RecomputingEditView
    icon = "date"
    menu_label = _("Appointment calendars")
    list_display = ["office", "grid_minutes", "horizon_days", "lead_minutes", "active"]
    copy_view_enabled = False
    edit_handler = ObjectList([
        HelpPanel(content=_CLOSURES_HELP),
        FieldPanel("office"),
        FieldPanel("active"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("grid_minutes"), FieldPanel("hold_minutes")]),
             FieldRowPanel([FieldPanel("horizon_days"), FieldPanel("lead_minutes")]),
             FieldPanel("max_per_email")],
            _("Booking"),
        ),
        FieldRowPanel([FieldPanel("ticket_prefix"), FieldPanel("walk_in_prefix")], _("Tickets")),
        InlinePanel(
            "durations", heading=_("Appointment length per service"), label=_("appointment length"),
            help_text=_("Without an entry a service takes the catalogue's length (15 minutes if it has none)."),
            panels=[FieldPanel("service_key", widget=_SERVICE_SELECT), FieldPanel("minutes")],
        ),
    ], base_form_class=CalendarForm)  # fmt: skip


class CounterViewSet(SnippetViewSet):
    model = Counter
    add_view_class = RecomputingCreateView
    edit_view_class = RecomputingEditView
    icon = "group"
    menu_label = _("Counters and staffing")
    list_display = ["name", "calendar"]
    list_filter = ["calendar"]
    copy_view_enabled = False
    edit_handler = ObjectList([
        FieldPanel("calendar"),
        FieldPanel("name"),
        InlinePanel(
            "staffing", heading=_("Staff by weekday and time"), label=_("staffing"),
            help_text=_("How many people serve appointments at this counter; rows of one weekday must not overlap."),
        ),
    ], base_form_class=CounterForm)  # fmt: skip


class VisitForm(WagtailAdminModelForm):
    """Fewer places than already booked would strand citizens: refused, naming how many hold a place."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity is not None and capacity < self.instance.booked:
            self.add_error(
                "capacity",
                _gettext("%(count)s citizens hold a place already: cancel places first or keep at least that many.")
                % {"count": self.instance.booked},
            )
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _gettext("The visit ends before it begins."))
        return cleaned


class VisitViewSet(SnippetViewSet):
    model = Visit
    add_view_class = RefusedCreateView
    edit_view_class = RefusedEditView
    icon = "site"
    menu_label = _("Mobile service visits")
    list_display = ["place", "day", "start", "end", "booked", "capacity", "published"]
    list_filter = ["published", "office"]
    ordering = ["-day"]
    edit_handler = ObjectList([
        FieldPanel("office"), FieldPanel("place"),
        MultiFieldPanel(
            [FieldPanel("street"), FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")])], _("Address")
        ),
        FieldRowPanel([FieldPanel("day"), FieldPanel("start"), FieldPanel("end")], _("When")),
        FieldPanel("services", widget=forms.CheckboxSelectMultiple),
        FieldPanel("capacity"), FieldPanel("published"), FieldPanel("note_de"), FieldPanel("note_en"),
    ], base_form_class=VisitForm)  # fmt: skip


class HomeVisitReplyView(RefusedEditView):
    def save_instance(self) -> Any:
        instance = super().save_instance()
        if instance.reply.strip():
            services.home_visit_reply(request=instance, reply=instance.reply)
        return instance


class NoAddView(CreateView):
    """Requests come from citizens only."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        raise PermissionDenied


class HomeVisitRequestViewSet(SnippetViewSet):
    model = HomeVisitRequest
    add_view_class = NoAddView
    edit_view_class = HomeVisitReplyView
    add_to_admin_menu = False
    inspect_view_enabled = True
    icon = "mail"
    menu_label = _("Home-visit requests")
    list_display = ["name", "city", "office", "created", "replied_at"]
    list_filter = ["office"]
    copy_view_enabled = False
    edit_handler = ObjectList([
        FieldPanel("office", read_only=True), FieldPanel("name", read_only=True),
        FieldPanel("email", read_only=True), FieldPanel("phone", read_only=True),
        FieldPanel("street", read_only=True), FieldPanel("postcode", read_only=True),
        FieldPanel("city", read_only=True), FieldPanel("service_keys", read_only=True),
        FieldPanel("message", read_only=True), FieldPanel("reply"),
    ])  # fmt: skip


class VisitBookingViewSet(SnippetViewSet):
    """Who comes to which visit: the list staff take along (places are booked and cancelled by citizens)."""

    model = VisitBooking
    add_view_class = NoAddView
    icon = "list-ul"
    menu_label = _("Visit bookings")
    list_display = ["name", "email", "visit", "status"]
    list_filter = ["status", "visit"]
    search_fields = ["name", "email"]
    copy_view_enabled = False
    inspect_view_enabled = True
    edit_handler = ObjectList([
        FieldPanel("visit", read_only=True), FieldPanel("name", read_only=True), FieldPanel("email", read_only=True),
        FieldPanel("service_keys", read_only=True), FieldPanel("status", read_only=True),
    ])  # fmt: skip


class AppointmentsGroup(SnippetViewSetGroup):
    items = (CalendarViewSet, CounterViewSet, VisitViewSet, VisitBookingViewSet, HomeVisitRequestViewSet)
    menu_icon = "date"
    menu_label = _("Appointment planning")
    menu_order = 171


register_snippet(AppointmentsGroup)


class StatisticsPanel(Component):
    """The municipality's appointment figures of the last 30 days, per office and service, on the /cms/ dashboard."""

    name = "appointment_statistics"
    template_name = "appointments/staff/statistics_panel.html"
    order = 120

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        since = timezone.now() - timedelta(days=STATISTICS_DAYS)
        offices = [
            (calendar, selectors.waiting_minutes(calendar), selectors.statistics(calendar, since=since))
            for calendar in Calendar.objects.select_related("office").order_by("office__name")
        ]
        return {"offices": offices, "days": STATISTICS_DAYS}


@hooks.register("construct_homepage_panels")
def add_statistics_panel(request: HttpRequest, panels: list[Component]) -> None:
    if request.user.has_perm(PERMISSION):
        panels.append(StatisticsPanel())
