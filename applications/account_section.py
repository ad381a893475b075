"""Applications' section of the citizen's "Mein Konto": each application with its status and status page."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.personal_data import of_account
from citizens.registry import AccountItem, AccountSection


def items(user: User) -> list[AccountItem]:
    return [
        AccountItem(
            title=f"{application.service_name} {application.reference or ''}".strip(),
            status=str(application.get_status_display()),
            url=reverse("applications:status", kwargs={"token": application.access_token}),
            when=application.submitted_at or application.created,
        )
        for application in of_account(user).select_related("version").order_by("-created")
    ]


SECTION = AccountSection(key="applications", title=_("My applications"), items=items, order=10)
