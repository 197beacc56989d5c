"""Who may use the vendor console: vendor staff (public-schema accounts), signed in with their
password and then with a TOTP code (django-otp)."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from accounts.otp import has_confirmed_totp


def is_vendor_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_vendor_staff


def console_staff_required(view):
    """Vendor staff verified by TOTP, else: sign in, then type a code; without a confirmed
    device, only the page saying to ask a colleague for an enrolment link."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        # Any other account is shown the sign-in form, to switch to a vendor staff account.
        if not is_vendor_staff(user):
            return redirect_to_login(request.get_full_path())
        if not user.is_verified():
            if not has_confirmed_totp(user):
                return redirect("console:otp_no_device")
            step = reverse("console:otp_verify")
            return redirect(f"{step}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapped
