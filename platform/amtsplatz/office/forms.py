"""Forms of the cooperation office."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from amtsplatz.office.models import ServiceBundle
from amtsplatz.office.onboarding import OnboardingInput
from amtsplatz.office.selectors import SORTS
from billing.models import Plan, Subscription
from services_catalog.models import ServiceDefinition
from tenants.models import FederalState, Municipality, MunicipalityKind
from themes import registry
from themes.models import EvaluationMethod
from themes.services import LEGAL_FIELDS


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
    kind = forms.ChoiceField(label=_("Kind of municipality"), choices=MunicipalityKind.choices)
    adopt_bundle = forms.BooleanField(
        label=_("Adopt the recommended service bundle of its federal state and kind"), required=False, initial=True
    )
    # The facts the legal pages are generated from (Impressum, contact, privacy notice, accessibility statement).
    authority_name = forms.CharField(label=_("Authority"), max_length=200, help_text=_('e.g. "Stadt Gera"'))
    street = forms.CharField(label=_("Street and number"), max_length=200)
    postcode = forms.RegexField(
        label=_("Postcode"), regex=r"^\d{5}$", error_messages={"invalid": _("A German postcode has five digits.")}
    )
    city = forms.CharField(label=_("City"), max_length=100)
    representative_role = forms.CharField(
        label=_("Legal representative: office"), max_length=100, help_text=_("e.g. Oberbürgermeister")
    )
    representative_name = forms.CharField(label=_("Legal representative: name"), max_length=200)
    phone = forms.CharField(label=_("Authority: phone"), max_length=50)
    email = forms.EmailField(label=_("Authority: e-mail"))
    supervisory_authority = forms.CharField(
        label=_("Supervisory authority (Rechtsaufsicht)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Name and postal address."),
    )
    dpo_name = forms.CharField(label=_("Data-protection officer: name"), max_length=200)
    dpo_email = forms.EmailField(label=_("Data-protection officer: e-mail"))
    dpo_phone = forms.CharField(label=_("Data-protection officer: phone"), max_length=50, required=False)
    data_protection_authority = forms.CharField(
        label=_("Data-protection supervisory authority"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The federal state's data-protection commissioner: name and address (Art. 77 GDPR)."),
    )
    accessibility_enforcement_body = forms.CharField(
        label=_("Accessibility: enforcement body (Schlichtungsstelle)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The federal state's body named in the accessibility statement: name, address, web address."),
    )
    accessibility_evaluated_on = forms.DateField(
        label=_("Accessibility: evaluated on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    accessibility_method = forms.ChoiceField(
        label=_("Accessibility: method of evaluation"), choices=EvaluationMethod.choices
    )

    GROUPS = (
        (_("Municipality"), ("name", "slug", "ags", "state", "kind", "domains", "inhabitants", "plan")),
        (_("Portal"), ("theme", "contact_name", "contact_email", "contact_phone", "adopt_bundle", "admin_email")),
        (
            _("Impressum and contact"),
            ("authority_name", "street", "postcode", "city", "representative_role", "representative_name", "phone",
             "email", "supervisory_authority"),
        ),
        (_("Privacy notice"), ("dpo_name", "dpo_email", "dpo_phone", "data_protection_authority")),
        (
            _("Accessibility statement"),
            ("accessibility_enforcement_body", "accessibility_evaluated_on", "accessibility_method"),
        ),
    )  # fmt: skip

    def groups(self) -> list[dict[str, Any]]:
        """The wizard's fields in fieldsets, in the order of GROUPS."""
        return [{"title": title, "fields": [self[name] for name in names]} for title, names in self.GROUPS]

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
            kind=data["kind"],
            adopt_bundle=bool(data.get("adopt_bundle")),
            legal={
                name: (data[name].isoformat() if hasattr(data[name], "isoformat") else data[name])
                for name in LEGAL_FIELDS
                if data.get(name)
            },
        )


class BundleForm(forms.ModelForm):
    """A recommended service bundle: for which state and kind, with which services."""

    services = forms.ModelMultipleChoiceField(
        label=_("Services"),
        queryset=ServiceDefinition.objects.filter(latest_version__isnull=False).order_by("name_de"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ServiceBundle
        fields = ["name", "state", "kind", "services"]


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


MAX_SELECTED = 500  # more municipalities than this are a federal state or a district, not a hand-picked list


class AnnouncementForm(forms.Form):
    """An announcement and its addressees: all, a federal state, a district or municipalities picked by search.

    The picked municipalities come back as the checkboxes the page rendered (the search's hits and the ones picked
    before); the choice list is never rendered whole.
    """

    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))
    link = forms.URLField(label=_("Link (optional)"), required=False)
    audience = forms.ChoiceField(
        label=_("To"),
        choices=[
            ("all", _("all municipalities")),
            ("state", _("the municipalities of a federal state")),
            ("district", _("the municipalities of a district (Landkreis)")),
            ("selected", _("the municipalities selected below")),
        ],
        widget=forms.RadioSelect,
        initial="all",
    )
    state = forms.ChoiceField(label=_("Federal state"), choices=[("", "–"), *FederalState.choices], required=False)
    district = forms.RegexField(
        label=_("District key"),
        regex=r"^\d{5}$",
        required=False,
        help_text=_("The first five digits of the AGS, e.g. 14729 for the Landkreis Leipzig."),
        error_messages={"invalid": _("A district key has five digits.")},
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities"),
        queryset=Municipality.objects.exclude(schema_name="public"),
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    find = forms.CharField(label=_("Find municipalities"), max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        audience = data.get("audience")
        if audience == "state" and not data.get("state"):
            self.add_error("state", _("Choose the federal state."))
        if audience == "district" and "district" not in self.errors:
            key = data.get("district", "")
            if not key:
                self.add_error("district", _("Enter the district key."))
            elif not Municipality.objects.filter(ags__startswith=key).exists():
                self.add_error("district", _("No municipality's AGS begins with %(key)s.") % {"key": key})
        if audience == "selected" and "municipalities" not in self.errors:
            selected = data.get("municipalities") or []
            if not selected:
                self.add_error("municipalities", _("Select at least one municipality, or send to all."))
            elif len(selected) > MAX_SELECTED:
                self.add_error(
                    "municipalities",
                    _("Select at most %(count)d municipalities; for more, send to a federal state or a district.")
                    % {"count": MAX_SELECTED},
                )
        return data

    def addressees(self) -> tuple[list[Municipality] | None, str]:
        """The selected municipalities (None: not a selection) and the AGS prefix ("": none)."""
        audience = self.cleaned_data["audience"]
        if audience == "state":
            return None, self.cleaned_data["state"]
        if audience == "district":
            return None, self.cleaned_data["district"]
        if audience == "selected":
            return list(self.cleaned_data["municipalities"]), ""
        return None, ""


class MunicipalitySearchForm(forms.Form):
    """The office list's search, state filter and sort order (query parameters)."""

    q = forms.CharField(label=_("Name, AGS or domain"), max_length=100, required=False)
    state = forms.ChoiceField(label=_("Federal state"), choices=[("", _("all")), *FederalState.choices], required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"), choices=[(key, key) for key in SORTS], required=False, widget=forms.HiddenInput
    )


class BulkUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "One municipality per line with the columns name, AGS, state, domain and admin e-mail (first line: "
            "the column names); UTF-8, separated by ; or ,."
        ),
    )


class BillingSearchForm(MunicipalitySearchForm):
    """The billing overview's filters: the list's search, plus the subscription's state and unpaid invoices."""

    subscription = forms.ChoiceField(
        label=_("Subscription"),
        choices=[("", _("all")), ("none", _("none")), *Subscription.State.choices],
        required=False,
    )
    unpaid = forms.BooleanField(label=_("Only with unpaid invoices"), required=False)
