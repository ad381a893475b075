"""The feedback form of the accessibility statement."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class AccessibilityFeedbackForm(forms.Form):
    message = forms.CharField(
        label=_("What did not work?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Describe the barrier and, if you can, what you were trying to do."),
        error_messages={"required": _("Please describe the barrier.")},
    )
    page_url = forms.CharField(label=_("Page concerned (optional)"), max_length=500, required=False)
    name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        help_text=_("Only if you want an answer."),
        error_messages={"invalid": _("Enter an e-mail address like name@example.de.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["message"].required_marker = True  # type: ignore[attr-defined]
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
