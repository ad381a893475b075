"""Fees of applications: the amount, paying through the municipality's provider, confirmation."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, Payment
from applications.payments import get_provider
from applications.services.base import IllegalTransition, User
from applications.services.decisions import _enter_review, queue_auto_decision
from applications.services.transitions import note
from applications.states import Status
from services_catalog.rules import compute_fee
from tenants.db import current_municipality


def fee_for(application: Application) -> Decimal:
    """The municipality's local fee when it set one, otherwise the version's fee rule."""
    if application.service.fee_amount is not None:
        return application.service.fee_amount
    return compute_fee(application.version.fee_rule, application.data)


@transaction.atomic
def payment_start(application: Application, *, return_url: str, cancel_url: str) -> str | None:
    """Start paying the fee with the municipality's provider; where to send the citizen (or None)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Status.AWAITING_PAYMENT:
        raise IllegalTransition(_("This application is not waiting for a payment."))
    provider = get_provider(current_municipality().payment_provider)
    # Paying again (a second click, the back button) resumes the open attempt: one fee, one charge.
    payment = application.payments.filter(
        provider=provider.key, status=Payment.State.PENDING, amount=application.fee
    ).first() or Payment.objects.create(application=application, provider=provider.key, amount=application.fee)
    if not provider.online:
        payment.status = Payment.State.ON_SITE
        payment.save(update_fields=["status"])
        _enter_review(application, comment=_("The fee is paid on site."))
        return None
    return provider.start(payment, return_url=return_url, cancel_url=cancel_url)


@transaction.atomic
def payment_confirm(payment: Payment, *, provider_reference: str = "", actor: User = None) -> bool:
    """Mark a payment paid and move its application on; False when it was paid already (replay)."""
    payment = Payment.objects.select_for_update().select_related("application").get(pk=payment.pk)
    if payment.status == Payment.State.PAID:
        return False
    if payment.status not in (Payment.State.PENDING, Payment.State.ON_SITE):
        raise ValidationError(_("This payment was cancelled or refunded and cannot be confirmed."))
    payment.status = Payment.State.PAID
    payment.provider_reference = provider_reference or payment.provider_reference
    payment.confirmed_at = timezone.now()
    payment.save(update_fields=["status", "provider_reference", "confirmed_at"])
    application = Application.objects.select_for_update().select_related("version").get(pk=payment.application_id)
    if application.status == Status.AWAITING_PAYMENT:
        _enter_review(application, comment=_("Fee paid."))
    else:
        note(application, _("Fee paid."), actor=actor, public=True)
        queue_auto_decision(application)
    return True


@transaction.atomic
def payment_record_on_site(application: Application, *, actor: User) -> None:
    """A caseworker records that the fee was paid at the counter."""
    payment = application.payments.filter(status=Payment.State.ON_SITE).first()
    if payment is None:
        payment = Payment.objects.create(
            application=application, provider="onsite", amount=application.fee, status=Payment.State.ON_SITE
        )
    payment_confirm(payment, actor=actor)
