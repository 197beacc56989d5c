from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.otp_views import token_step
from core.errors import ApplicationError

from .access import has_confirmed_totp, is_vendor_staff
from .enrolment import enrolment_confirm, enrolment_link_check
from .otp import (
    totp_device_pending,
    totp_qr_svg,
    totp_secret_text,
    totp_sign_in,
)


def _staff_only(request: HttpRequest) -> None:
    if not is_vendor_staff(request.user):
        raise PermissionDenied


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    if not has_confirmed_totp(request.user):
        return redirect("console:otp_no_device")
    return token_step(request, check=totp_sign_in, template="console/otp_verify.html", context={})


@login_required
def otp_no_device(request: HttpRequest) -> HttpResponse:
    """All a staff account without a confirmed device sees: the password alone enrols nothing
    (whoever stole it would enrol their own phone)."""
    _staff_only(request)
    if has_confirmed_totp(request.user):
        return redirect("console:otp_verify")
    return render(request, "console/otp_no_device.html")


@login_required
def otp_enrol(request: HttpRequest, key: str) -> HttpResponse:
    """The page of an enrolment link: for its own account only, signed in with its password."""
    _staff_only(request)
    try:
        enrolment_link_check(key=key, user=request.user)
    except ApplicationError as exc:
        return render(request, "console/otp_enrol_invalid.html", {"message": str(exc)}, status=400)
    device = totp_device_pending(request.user)
    return token_step(
        request,
        check=lambda *, request, token: enrolment_confirm(request=request, key=key, token=token),
        template="console/otp_enrol.html",
        context={"qr_svg": totp_qr_svg(device), "secret": totp_secret_text(device)},
    )
