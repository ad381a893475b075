"""A citizen account with pseudonym: sign-up and the participation profile."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from citizens.accounts import next_path
from citizens.decorators import citizen_required
from citizens.services import account_register
from participation import selectors, services
from participation.antispam import rate_limit_hit
from participation.forms import DeleteAccountForm, ProfileForm, SignUpForm
from participation.views.common import _language, guarded


@guarded
@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    """A citizen account with pseudonym; the account is activated by the link we send."""
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        rate_limit_hit(scope="sign_up", request=request)
        if form.is_valid():
            email = form.cleaned_data["email"]
            try:
                with transaction.atomic():
                    user = account_register(
                        email=email, password=form.cleaned_data["password"], language=_language(request),
                        next_url=reverse("participation:start"),
                    )  # fmt: skip
                    if user is not None:
                        services.participant_create(
                            user=user, pseudonym=form.cleaned_data["pseudonym"],
                            real_name=form.cleaned_data["real_name"], language=_language(request),
                        )  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return render(request, "citizens/check_inbox.html", {"email": email})
    return render(request, "participation/sign_up.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@citizen_required
def profile(request: HttpRequest) -> HttpResponse:
    """Choose (or change) the pseudonym; download the data; delete the account."""
    participant = selectors.participant_of(request.user)
    initial = {"pseudonym": participant.pseudonym, "real_name": participant.real_name} if participant else {}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if participant is None:
                services.participant_create(user=request.user, language=_language(request), **form.cleaned_data)
            else:
                services.participant_update(participant=participant, language=_language(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(next_path(request, reverse("participation:profile")))
    context = {"form": form, "participant": participant, "delete_form": DeleteAccountForm()}
    return render(request, "participation/profile.html", context, status=400 if form.errors else 200)
