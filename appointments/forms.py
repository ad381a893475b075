"""Forms of the booking pages: choose services, choose a time with contact details (plus the anti-spam check)."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from amtsplatz import antispam
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


class BookingForm(forms.Form):
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
    website = forms.CharField(
        label=_("Please leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    pow_challenge = forms.CharField(required=False, widget=forms.HiddenInput)
    pow_nonce = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, starts: list[datetime], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["start"].choices = [(s.isoformat(), time_label(s)) for s in starts]  # type: ignore[attr-defined]
        self.initial["pow_challenge"] = antispam.challenge_issue(salt=POW_SALT, bits=POW_BITS)
        self.initial["pow_nonce"] = ""
        self.checked = False
        self.automated = False

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        self.automated = bool(cleaned.get("website"))
        self.checked = antispam.solution_valid(
            str(cleaned.get("pow_challenge") or ""),
            str(cleaned.get("pow_nonce") or ""),
            salt=POW_SALT,
            spent_prefix="appointments",
        )
        return cleaned

    def start_value(self) -> datetime:
        return datetime.fromisoformat(self.cleaned_data["start"])


class MoveForm(forms.Form):
    start = forms.ChoiceField(
        label=_("New time"), widget=forms.RadioSelect, error_messages={"required": _("Please choose a time.")}
    )

    def __init__(self, *args: object, starts: list[datetime], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["start"].choices = [(s.isoformat(), time_label(s)) for s in starts]  # type: ignore[attr-defined]
