"""Forms of the booking pages: choose services, choose a time with contact details (plus the anti-spam check)."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from amtsplatz.infra import antispam
from appointments.slots import BERLIN

POW_SALT = "amtsplatz.appointments.proof-of-work"
POW_BITS = 14  # about 16 000 hashes: a fraction of a second in a browser (ADR 0068)


def time_label(start: datetime) -> str:
    return formats.date_format(start.astimezone(BERLIN), "H:i")


class ServicesForm(forms.Form):
    leistung = forms.MultipleChoiceField(
        label=_("Which services do you need?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one service.")},
    )

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["leistung"].choices = choices  # type: ignore[attr-defined]


class BotCheckedForm(antispam.BotCheckedForm):
    """The shared honeypot and proof of work (amtsplatz.infra.antispam) with appointments' salt and difficulty."""

    salt = POW_SALT
    bits = POW_BITS
    spent_prefix = "appointments"


class BookingForm(BotCheckedForm):
    """A free time of the chosen day, name and e-mail; honeypot and proof of work against bots."""

    start = forms.ChoiceField(
        label=_("Time"), widget=forms.RadioSelect, error_messages={"required": _("Please choose a time.")}
    )
    name = forms.CharField(label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send you a link to confirm the appointment. Without confirmation it is released."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )

    def __init__(self, *args: object, starts: list[datetime], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start"].choices = [(s.isoformat(), time_label(s)) for s in starts]  # type: ignore[attr-defined]

    def start_value(self) -> datetime:
        return datetime.fromisoformat(self.cleaned_data["start"])


class MoveForm(forms.Form):
    start = forms.ChoiceField(
        label=_("New time"), widget=forms.RadioSelect, error_messages={"required": _("Please choose a time.")}
    )

    def __init__(self, *args: object, starts: list[datetime], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["start"].choices = [(s.isoformat(), time_label(s)) for s in starts]  # type: ignore[attr-defined]


class VisitBookingForm(BotCheckedForm):
    """A place at a mobile-service visit: services, name, e-mail; honeypot and proof of work against bots."""

    leistung = forms.MultipleChoiceField(
        label=_("Which services do you need?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one service.")},
    )
    name = BookingForm.base_fields["name"]
    email = BookingForm.base_fields["email"]

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leistung"].choices = choices  # type: ignore[attr-defined]


class HomeVisitForm(forms.Form):
    """A short request for a home visit, routed to the chosen office."""

    office = forms.ChoiceField(label=_("Office"))
    leistung = forms.MultipleChoiceField(
        label=_("Which services do you need?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one service.")},
    )
    name = forms.CharField(label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("The office replies to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )
    street = forms.CharField(
        label=_("Street and number"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "street-address"})
    )
    postcode = forms.RegexField(
        label=_("Postcode"), regex=r"^\d{5}$", error_messages={"invalid": _("A German postcode has five digits.")},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )  # fmt: skip
    city = forms.CharField(
        label=_("City"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "address-level2"})
    )
    message = forms.CharField(
        label=_("Why can you not come to the office? When would a visit suit you? (optional)"),
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    website = BookingForm.base_fields["website"]

    def __init__(
        self, *args: object, offices: list[tuple[str, str]], choices: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["office"].choices = offices  # type: ignore[attr-defined]
        self.fields["leistung"].choices = choices  # type: ignore[attr-defined]
