"""Forms of the office's billing pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from billing.models import Plan


class PlanForm(forms.ModelForm[Plan]):
    class Meta:
        model = Plan
        fields = ["key", "name", "inhabitants_min", "inhabitants_max", "interval", "amount", "active"]


class SubscribeForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.filter(active=True))
    billing_email = forms.EmailField(label=_("Invoice address (e-mail)"))


class ConnectForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail of the municipality's treasury"), help_text=_("Stripe sends the onboarding steps there.")
    )
