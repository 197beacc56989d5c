"""Renewal reminders, 60 and 30 days before a subscription's period ends, each sent once."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.emails import email_send_on_commit

from ..models import RenewalReminder, Subscription

REMINDER_DAYS = (60, 30)


def renewal_reminders_send(*, today: datetime.date | None = None) -> int:
    """Daily. A subscription whose period ends within 60 days gets the reminder of the nearest
    delay reached (60, then 30), unless that one was already sent for this period: a missed day
    catches up, a later run sends nothing twice (a unique row per reminder). How many sent."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=max(REMINDER_DAYS))
    subscriptions = (
        Subscription.objects.exclude(status=Subscription.Status.CANCELED)
        .filter(current_period_end__gt=today, current_period_end__lte=horizon)
        .select_related("tenant", "plan")
        .prefetch_related("addons__addon")
    )
    sent = 0
    for subscription in subscriptions:
        days_left = (subscription.current_period_end - today).days
        days_before = min(days for days in REMINDER_DAYS if days_left <= days)
        try:
            with transaction.atomic():
                RenewalReminder.objects.create(
                    subscription=subscription,
                    period_end=subscription.current_period_end,
                    days_before=days_before,
                )
                _reminder_email(subscription=subscription, days_left=days_left)
        except IntegrityError:
            continue  # already sent
        sent += 1
    return sent


def _reminder_email(*, subscription: Subscription, days_left: int) -> None:
    yearly_cents = subscription.plan.annual_price_cents + sum(
        item.quantity * item.addon.annual_unit_price_cents for item in subscription.addons.all()
    )
    email_send_on_commit(
        to=subscription.billing_email,
        subject=_("%(town)s : votre abonnement Agora se renouvelle le %(date)s")
        % {
            "town": subscription.tenant.name,
            "date": date_format(subscription.current_period_end, "SHORT_DATE_FORMAT"),
        },
        template="billing/emails/renewal_reminder.txt",
        context={
            "subscription": subscription,
            "days_left": days_left,
            "yearly_cents": yearly_cents,
        },
    )
