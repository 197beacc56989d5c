"""E-mails to residents and staff: rendered here, sent by a Celery task once the transaction
that caused them has committed (a rolled-back sign-up sends nothing)."""

from django.db import transaction
from django.template.loader import render_to_string

from .tasks import send_email


def email_send_on_commit(
    *, to: str, subject: str, template: str, context: dict, html_template: str | None = None
) -> None:
    """Render the text body (and, with ``html_template``, an HTML alternative) now, send on
    commit."""
    body = render_to_string(template, context)
    message = {"to": to, "subject": subject, "body": body}
    if html_template:  # only then: a worker not yet updated still takes text-only messages
        message["html"] = render_to_string(html_template, context)
    transaction.on_commit(lambda: send_email.delay(**message))
