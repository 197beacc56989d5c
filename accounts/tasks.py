from celery import shared_task
from django.core.mail import send_mail


@shared_task(name="accounts.send_email", autoretry_for=(OSError,), retry_backoff=True)
def send_email(*, to: str, subject: str, body: str) -> None:
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[to])
