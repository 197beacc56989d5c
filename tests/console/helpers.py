from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_now(device: TOTPDevice) -> str:
    """The code the staff member's phone shows now for this device."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return str(code).zfill(device.digits)
