"""Forms of the participation portal; every contribution form carries the anti-spam fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from citizens.accounts import SignUpForm as AccountSignUpForm
from participation.antispam import AntiSpamForm
from participation.models import (
    BudgetLine,
    Participant,
    Project,
    ProjectGoal,
    ProjectMilestone,
    ProjectTask,
    ReportCategory,
    Topic,
)

PSEUDONYM_HELP = _("Shown with everything you contribute. Please do not use your real name.")


class PseudonymFields(forms.Form):
    pseudonym = forms.RegexField(
        label=_("Public pseudonym"),
        regex=r"^[\w .\-]{3,40}$",
        max_length=40,
        help_text=PSEUDONYM_HELP,
        error_messages={"invalid": _("3 to 40 letters, digits, spaces, dots, hyphens or underscores, please.")},
    )
    real_name = forms.CharField(
        label=_("Real name (optional)"),
        max_length=200,
        required=False,
        help_text=_("Never shown publicly; only the administration sees it."),
    )


class SignUpForm(AntiSpamForm, PseudonymFields, AccountSignUpForm):
    """A citizen account of the municipality with the participation profile."""

    field_order = ["email", "pseudonym", "real_name", "password", "password_again"]

    def clean_pseudonym(self) -> str:
        pseudonym = str(self.cleaned_data["pseudonym"]).strip()
        if Participant.objects.filter(pseudonym__iexact=pseudonym).exists():
            raise forms.ValidationError(_("This pseudonym is taken. Please choose another one."))
        return pseudonym


class ProfileForm(PseudonymFields):
    pass


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, delete my account. My contributions stay, without my pseudonym."))


def _coordinate(label: Any, low: str, high: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, max_digits=9, decimal_places=6,
        validators=[MinValueValidator(Decimal(low)), MaxValueValidator(Decimal(high))],
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )  # fmt: skip


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to three photos in one input; each is checked and cleaned by the service."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(PhotosField, self).clean(item, initial) for item in files]


class ReportForm(AntiSpamForm):
    category = forms.ModelChoiceField(
        label=_("What is it about?"), queryset=ReportCategory.objects.filter(is_active=True), empty_label=None
    )
    description = forms.CharField(
        label=_("Description"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is broken or in the way? Please name no persons."),
    )  # fmt: skip
    address = forms.CharField(
        label=_("Address or place"), max_length=200, required=False,
        help_text=_("E.g. “Sorge 12” or “playground at the town park”. Or set the pin on the map."),
    )  # fmt: skip
    latitude = _coordinate(_("Latitude"), "-90", "90")
    longitude = _coordinate(_("Longitude"), "-180", "180")
    photos = PhotosField(
        label=_("Photos (optional, up to 3)"), required=False,
        help_text=_("JPEG or PNG, up to 8 MB each. We remove location and camera data from the files."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )  # fmt: skip
    contact_allowed = forms.BooleanField(
        label=_("The office may contact me by e-mail about this report"), required=False
    )
    contact_phone = forms.CharField(label=_("Phone for questions (optional)"), max_length=40, required=False)
    confirm_new = forms.BooleanField(
        label=_("My report is about a different defect than the ones listed above"), required=False
    )
    field_order = ["category", "description", "address", "latitude", "longitude", "photos", "contact_allowed",
                   "contact_phone"]  # fmt: skip


class GuestReportForm(ReportForm):
    """A defect report without an account: the e-mail address is confirmed by a link before anyone sees it."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send you a link to confirm the report. The address is not published."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["email", *ReportForm.field_order]


class IdeaForm(AntiSpamForm):
    title = forms.CharField(label=_("Title"), max_length=140)
    text = forms.CharField(label=_("Your idea"), max_length=4000, widget=forms.Textarea(attrs={"rows": 8}))
    topic = forms.ModelChoiceField(
        label=_("Category"), queryset=Topic.objects.all(), required=False, empty_label=_("— none —")
    )
    address = forms.CharField(label=_("Place (optional)"), max_length=200, required=False)
    latitude = _coordinate(_("Latitude"), "-90", "90")
    longitude = _coordinate(_("Longitude"), "-180", "180")
    image = forms.FileField(
        label=_("Image (optional)"), required=False,
        help_text=_("JPEG or PNG, up to 8 MB. We remove location and camera data from the file."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )  # fmt: skip
    field_order = ["title", "text", "topic", "address", "latitude", "longitude", "image"]


class StatementForm(AntiSpamForm):
    text = forms.CharField(label=_("Your statement"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6}))


class MembershipFields(forms.Form):
    motivation = forms.CharField(label=_("Why do you join?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    skills = forms.CharField(label=_("What can you contribute?"), max_length=300)


class ProjectForm(AntiSpamForm, MembershipFields):
    title = forms.CharField(label=_("Project title"), max_length=140)
    summary = forms.CharField(
        label=_("What the project wants to achieve"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6})
    )
    field_order = ["title", "summary", "motivation", "skills"]


class JoinForm(MembershipFields):
    pass


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with it? (optional)"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class ReportFilterForm(forms.Form):
    kategorie = forms.ModelChoiceField(
        label=_("Category"), queryset=ReportCategory.objects.all(), required=False, to_field_name="slug",
        empty_label=_("all"),
    )  # fmt: skip
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from participation.states import ReportStatus

        super().__init__(*args, **kwargs)
        public = [(value, label) for value, label in ReportStatus.choices if value != ReportStatus.RECEIVED]
        self.fields["status"].choices = [("", _("all")), *public]  # type: ignore[attr-defined]


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PLAN_FORMSETS: dict[str, Any] = {
    "goals": inlineformset_factory(Project, ProjectGoal, fields=["text"], extra=1, can_delete=True),
    "milestones": inlineformset_factory(
        Project, ProjectMilestone, fields=["title", "due", "done"], extra=1, can_delete=True,
        widgets={"due": DATE_INPUT},
    ),
    "budget": inlineformset_factory(Project, BudgetLine, fields=["item", "amount"], extra=1, can_delete=True),
    "tasks": inlineformset_factory(
        Project, ProjectTask, fields=["title", "responsible", "done"], extra=1, can_delete=True
    ),
}  # fmt: skip
