"""Forms of the cooperation office."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from amtsplatz.office.onboarding import OnboardingInput
from billing.models import Plan
from tenants.models import FederalState, Municipality
from themes import registry


class OfficeAuthenticationForm(AuthenticationForm):
    """Only office staff (users of the public schema marked as staff) may log in to the office."""

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if not getattr(user, "is_staff", False):
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class LifecycleForm(forms.Form):
    note = forms.CharField(label=_("Note for the audit log"), max_length=500, required=False)


def _theme_choices() -> list[tuple[str, str]]:
    from django.utils.translation import get_language

    return [(key, theme.label(get_language() or "de")) for key, theme in registry.themes().items()]


class OnboardingForm(forms.Form):
    """The onboarding wizard's input; the service checks it again (the same rules as CLI and API)."""

    name = forms.CharField(label=_("Name"), max_length=200, help_text=_('e.g. "Stadt Gera"'))
    slug = forms.SlugField(label=_("Short name"), max_length=40, help_text=_("Becomes the database schema, e.g. gera."))
    ags = forms.CharField(label=_("Municipality key (AGS)"), max_length=8)
    state = forms.ChoiceField(label=_("Federal state"), choices=FederalState.choices)
    domains = forms.CharField(
        label=_("Domains"), widget=forms.Textarea(attrs={"rows": 3}), help_text=_("One per line; the first is primary.")
    )
    contact_name = forms.CharField(label=_("Contact: office name"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact: e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact: phone"), max_length=50, required=False)
    theme = forms.ChoiceField(label=_("Theme"), choices=_theme_choices)
    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=Plan.objects.filter(active=True), required=False, to_field_name="key"
    )
    inhabitants = forms.IntegerField(label=_("Inhabitants"), min_value=0, required=False)
    admin_email = forms.EmailField(label=_("E-mail of the first administrator"))

    def to_input(self) -> OnboardingInput:
        data = self.cleaned_data
        plan = data.get("plan")
        return OnboardingInput(
            name=data["name"],
            slug=data["slug"],
            ags=data["ags"],
            state=data["state"],
            domains=[line.strip() for line in data["domains"].splitlines() if line.strip()],
            admin_email=data["admin_email"],
            theme=data["theme"],
            plan=plan.key if plan else "",
            inhabitants=data.get("inhabitants"),
            contact={key: data[key] for key in ("contact_name", "contact_email", "contact_phone") if data.get(key)},
        )


class RestoreForm(forms.Form):
    """A new municipality to load an export into: its own short name, domain and key."""

    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Short name"), max_length=40, help_text=_("Becomes the database schema, e.g. gera."))
    domain = forms.CharField(label=_("Domain"), max_length=253)
    ags = forms.CharField(label=_("Municipality key (AGS)"), max_length=8)
    state = forms.ChoiceField(label=_("Federal state"), choices=FederalState.choices)


class DeleteForm(forms.Form):
    confirm = forms.CharField(
        label=_("Type the short name to confirm"), max_length=40, help_text=_("Deleting cannot be undone.")
    )


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))
    link = forms.URLField(label=_("Link (optional)"), required=False)
    audience = forms.ChoiceField(
        label=_("To"),
        choices=[("all", _("all municipalities")), ("selected", _("the municipalities selected below"))],
        widget=forms.RadioSelect,
        initial="all",
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("audience") == "selected" and not data.get("municipalities"):
            self.add_error("municipalities", _("Select at least one municipality, or send to all."))
        return data

    def recipients(self) -> list[Municipality] | None:
        """None for all municipalities, else the selected ones."""
        if self.cleaned_data["audience"] == "all":
            return None
        return list(self.cleaned_data["municipalities"])
