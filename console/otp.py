"""The console's second factor: the kernel's TOTP (accounts.otp), with the console's audit
entries."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.otp import (
    DEVICE_NAME,
    totp_confirm,
    totp_device_pending,
    totp_qr_svg,
    totp_secret_text,
    totp_verify,
)
from core.errors import ApplicationError

from .audit import audit_record

__all__ = [
    "DEVICE_NAME",
    "totp_device_pending",
    "totp_enrol_confirm",
    "totp_qr_svg",
    "totp_secret_text",
    "totp_sign_in",
]


def totp_enrol_confirm(*, request: HttpRequest, token: str) -> TOTPDevice:
    """Confirm the pending device with a first code, and sign the session in with it."""
    with transaction.atomic():
        device = totp_confirm(request=request, token=token)
        audit_record(actor=request.user, action="console.otp_enrolled", request=request)
    return device


def totp_sign_in(*, request: HttpRequest, token: str) -> TOTPDevice:
    """Check a code against the account's confirmed devices; the session is then verified.
    A refusal is logged (in its own statement: the caller's transaction may not commit)."""
    try:
        device = totp_verify(request=request, token=token)
    except ApplicationError:
        audit_record(actor=request.user, action="console.otp_refused", request=request)
        raise
    audit_record(actor=request.user, action="console.login", request=request)
    return device
