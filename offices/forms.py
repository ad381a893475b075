"""The Zuständigkeitsfinder's form: what you need + where you live."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from offices.base import validate_postcode


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
