"""E-mails to residents and staff: rendered here, sent by a Celery task once the transaction
that caused them has committed (a rolled-back sign-up sends nothing)."""

from django.db import transaction
from django.template.loader import render_to_string

from .tasks import send_email


def email_send_on_commit(*, to: str, subject: str, template: str, context: dict) -> None:
    body = render_to_string(template, context)
    transaction.on_commit(lambda: send_email.delay(to=to, subject=subject, body=body))
