"""A second factor for staff accounts: a TOTP device (django-otp) enrolled and checked. Shared
by the vendor console (console.otp adds its audit entries and its enrolment links) and the
towns' back office (participation.team.otp)."""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.errors import ApplicationError, Invalid, NotAllowed

from .models import User

DEVICE_NAME = "Application d'authentification"


def has_confirmed_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device_pending(user: User) -> TOTPDevice:
    """The device being enrolled (one unconfirmed device per account, kept across reloads so
    the QR code does not change under the user's phone)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def totp_secret_text(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed in (base32, by groups of four)."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def totp_check(device: TOTPDevice, token: str) -> None:
    token = (token or "").replace(" ", "").strip()
    if not token.isdigit() or len(token) != device.digits:
        raise Invalid(
            _("Saisissez les %(digits)d chiffres affichés par votre application.")
            % {"digits": device.digits}
        )
    # django-otp locks a device for a growing delay after each failure: say so, rather than
    # call a right code typed too soon "incorrect".
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        raise NotAllowed(_("Trop d'essais : patientez quelques instants avant de réessayer."))
    if not device.verify_token(token):
        raise Invalid(_("Code incorrect ou expiré."))


def totp_confirm(*, request: HttpRequest, token: str) -> TOTPDevice:
    """Confirm the pending device with a first code, and sign the session in with it; the
    caller's transaction (its audit entry) commits with it."""
    user = request.user
    device = totp_device_pending(user)
    totp_check(device, token)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    otp_login(request, device)
    return device


def totp_verify(*, request: HttpRequest, token: str) -> TOTPDevice:
    """Check a code against the account's confirmed devices; the session is then verified.
    Raises the last refusal (Invalid or NotAllowed) when no device takes the code."""
    error: ApplicationError = Invalid(
        _("Aucun appareil d'authentification n'est enregistré pour ce compte.")
    )
    for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
        try:
            totp_check(device, token)
        except ApplicationError as exc:
            error = exc
            continue
        otp_login(request, device)
        return device
    raise error


def totp_remove(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
