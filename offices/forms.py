"""Forms of the portal: the Zuständigkeitsfinder (what you need + where you live) and the contact form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amtsplatz.infra import antispam
from offices.base import validate_postcode
from services_catalog.local.selectors import offered_service

CONTACT_POW_SALT = "amtsplatz.offices.contact.proof-of-work"
CONTACT_POW_BITS = 14  # as appointments: a fraction of a second in a browser (ADR 0068)


class FinderForm(forms.Form):
    q = forms.CharField(
        label=_("What do you need?"), max_length=200, required=False,
        help_text=_("For example: register a car, new identity card, moved house"),
    )  # fmt: skip
    leistung = forms.SlugField(required=False, max_length=80, widget=forms.HiddenInput)
    plz = forms.CharField(
        label=_("Postcode"), max_length=5, required=False, validators=[validate_postcode],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code", "size": 6}),
    )  # fmt: skip
    strasse = forms.CharField(
        label=_("Street and house number"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
        help_text=_("Optional; some services are handled by the office for your part of town."),
    )  # fmt: skip


def offered_name(key: str, language: str) -> str:
    """The name of the offered service ``key`` ("" for no key); a key not offered here is refused."""
    if not key:
        return ""
    service = offered_service(key, language=language)
    if service is None:
        raise forms.ValidationError(_("This service is not offered here."), code="unknown_service")
    return service.name


class ContactOriginForm(forms.Form):
    """Where a contact request comes from (an answer card, a service page): GET parameters, validated."""

    frage = forms.CharField(max_length=300, required=False, strip=True)
    leistung = forms.SlugField(max_length=80, required=False)

    def __init__(self, *args: object, language: str = "de", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.language = language
        self.service_name = ""

    def clean_frage(self) -> str:
        return " ".join(str(self.cleaned_data.get("frage") or "").split())

    def clean_leistung(self) -> str:
        key = str(self.cleaned_data.get("leistung") or "")
        self.service_name = offered_name(key, self.language)
        return key


class ContactForm(antispam.BotCheckedForm):
    """The contact form: an office (on the general form), who writes, about what, the privacy notice read."""

    salt = CONTACT_POW_SALT
    bits = CONTACT_POW_BITS
    spent_prefix = "offices"

    buero = forms.ChoiceField(label=_("Who should receive your message?"), required=False)
    name = forms.CharField(
        label=_("Your name"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )  # fmt: skip
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We answer to this address and send you a confirmation with a reference number."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
        error_messages={"required": _("Please enter your e-mail address, so that we can answer you.")},
    )
    subject = forms.CharField(
        label=_("Subject"), max_length=200, error_messages={"required": _("Please enter a subject.")}
    )
    message = forms.CharField(
        label=_("Your message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Up to 5,000 characters. Please do not send health data or identity card numbers."),
        error_messages={"required": _("Please write your message.")},
    )  # fmt: skip
    frage = forms.CharField(max_length=300, required=False, widget=forms.HiddenInput)
    leistung = forms.SlugField(max_length=80, required=False, widget=forms.HiddenInput)
    consent = forms.BooleanField(
        label=_("I have read the privacy notice."),
        widget=forms.CheckboxInput(attrs={"aria-describedby": "id_consent_helptext"}),  # its text links the notice
        error_messages={"required": _("Please confirm that you have read the privacy notice.")},
    )

    def __init__(
        self, *args: object, offices: list[tuple[str, str]] | None, language: str = "de", **kwargs: object
    ) -> None:
        """``offices``: the choice of the general form; None on an office's own form (no choice)."""
        super().__init__(*args, **kwargs)
        self.language = language
        if offices is None:
            del self.fields["buero"]
        else:
            general = [("", _("The municipality in general (we pass it on)"))]
            self.fields["buero"].choices = general + offices  # type: ignore[attr-defined]

    def clean_leistung(self) -> str:
        key = str(self.cleaned_data.get("leistung") or "")
        offered_name(key, self.language)
        return key

    def clean_frage(self) -> str:
        return " ".join(str(self.cleaned_data.get("frage") or "").split())

    def full_clean(self) -> None:
        """Link each field to its error message (aria-describedby), besides its help text."""
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            widget, auto_id = self.fields[name].widget, self[name].auto_id
            helptext = f"{auto_id}_helptext" if self.fields[name].help_text else ""
            described = widget.attrs.get("aria-describedby") or helptext
            widget.attrs = {**widget.attrs, "aria-describedby": f"{described} {auto_id}_error".strip()}
