from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_QUESTION = 300


class QuestionForm(forms.Form):
    q = forms.CharField(
        label=_("Your question"),
        max_length=MAX_QUESTION,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "enterkeyhint": "search"}),
        error_messages={"required": _("Please type a question."), "max_length": _("Please keep the question short.")},
    )
