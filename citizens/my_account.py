""" "Mein Konto": everything of the logged-in citizen in this municipality, the Postfach and the profile.

The sections come from the capabilities through ``citizens.registry.register_account_section``; this
module imports none of them. The pages are personal: never cached (``/konto/`` is outside the page cache).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from citizens import selectors, services
from citizens.decorators import citizen_required
from citizens.models import Profile


class ProfileForm(forms.ModelForm):
    postcode = forms.RegexField(
        label=gettext_lazy("postcode"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": gettext_lazy("A postcode has five digits.")},
    )

    class Meta:
        model = Profile
        fields = ["given_name", "family_name", "birth_date", "street", "postcode", "city", "prefill_allowed"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "prefill_allowed": gettext_lazy(
                "Online forms of this municipality then start with these details; you can change them in each form."
            )
        }


@never_cache
@citizen_required
@require_http_methods(["GET", "POST"])
def overview(request: HttpRequest) -> HttpResponse:
    """The account page; a POST saves the profile."""
    user = request.user
    form = ProfileForm(request.POST or None, instance=selectors.profile_of(user))  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        services.profile_save(user=user, values=form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Your details are saved."))
        return redirect("citizens:account")
    context = {
        "sections": selectors.account_overview(user),  # type: ignore[arg-type]
        "postbox": selectors.postbox(user)[:50],  # type: ignore[arg-type]
        "form": form,
    }
    return render(request, "citizens/my_account.html", context, status=400 if form.errors else 200)


@never_cache
@citizen_required
def message(request: HttpRequest, message_id: int) -> HttpResponse:
    """One Postfach message (marked read); only the account's own."""
    found = services.postbox_mark_read(user=request.user, message_id=message_id)  # type: ignore[arg-type]
    if found is None:
        raise Http404
    return render(request, "citizens/postbox_message.html", {"message": found})
