"""Sign-in attempts on the console go to the audit log, the refused ones included."""

from django.contrib.auth.signals import user_login_failed
from django.db import connection
from django.dispatch import receiver
from django_tenants.utils import get_public_schema_name

from .audit import audit_record


@receiver(user_login_failed)
def console_password_refused(sender, credentials, request=None, **kwargs) -> None:
    # A town's own sign-in page is the town's business, not the operator's log.
    if connection.schema_name != get_public_schema_name():
        return
    audit_record(
        actor=None,
        action="console.password_refused",
        # The address typed, never the password (Django has already masked it anyway).
        details={"email": str(credentials.get("username", ""))[:254]},
        request=request,
    )
