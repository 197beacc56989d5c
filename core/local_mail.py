"""The local setup's e-mails, kept where a newcomer can read them (``./agora up`` serves them at
/courriels/ on every host): the web server and the Celery worker are two processes, so each
message is a file of LOCAL_MAIL_DIR. Set only by config/settings/local.py; production has no
such directory and the page answers 404 there."""

from __future__ import annotations

import datetime
import email
import email.policy
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.utils import timezone

# The newest ones: a long-running local setup piles up e-mails nobody reads again.
SHOWN = 100


def mail_dir() -> Path | None:
    directory = getattr(settings, "LOCAL_MAIL_DIR", None)
    return Path(directory) if directory else None


class KeepingEmailBackend(ConsoleBackend):
    """Prints each message (the worker's log, as before) and keeps it as an .eml file."""

    def send_messages(self, email_messages):
        directory = mail_dir()
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)
            for message in email_messages:
                stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
                path = directory / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
                path.write_bytes(message.message().as_bytes())
        return super().send_messages(email_messages)


@dataclass(frozen=True)
class KeptMail:
    name: str
    sent_at: datetime.datetime
    sender: str
    to: str
    subject: str
    text: str


def _text_of(message: email.message.EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else ""


def kept_mails() -> list[KeptMail]:
    """The e-mails sent in the local setup, newest first."""
    directory = mail_dir()
    if directory is None or not directory.is_dir():
        return []
    mails = []
    for path in sorted(directory.glob("*.eml"), reverse=True)[:SHOWN]:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        sent_at = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
        mails.append(
            KeptMail(
                name=path.stem,
                sent_at=sent_at,
                sender=str(message["From"] or ""),
                to=str(message["To"] or ""),
                subject=str(message["Subject"] or ""),
                text=_text_of(message),
            )
        )
    return mails
