from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(name="accounts.send_email", autoretry_for=(OSError,), retry_backoff=True)
def send_email(*, to: str, subject: str, body: str, html: str | None = None) -> None:
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=None, to=[to])
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
