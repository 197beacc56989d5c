"""One-time links (e-mail verification, password reset, invitations), valid in one town only.

Django's token hashes the account's id, password hash and last login; every town numbers its
accounts from 1, so the schema name is hashed in too: a link made for town A is refused by B.
"""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import connection


class TownTokenGenerator(PasswordResetTokenGenerator):
    def _make_hash_value(self, user, timestamp):
        return f"{connection.schema_name}:{super()._make_hash_value(user, timestamp)}"


class PasswordResetTokens(TownTokenGenerator):
    key_salt = "agora.accounts.password-reset"


class EmailVerificationTokens(TownTokenGenerator):
    key_salt = "agora.accounts.email-verification"

    def __init__(self):
        super().__init__()
        self.timeout = settings.EMAIL_VERIFICATION_TIMEOUT

    def _make_hash_value(self, user, timestamp):
        # Not the last login (sign-up logs the new resident in right after the e-mail is made)
        # nor the password hash (re-hashed on login when the hasher's parameters change).
        # Once the address is verified, the link stops working.
        return (
            f"{connection.schema_name}:{user.pk}:{timestamp}:{user.email}:{user.email_verified_at}"
        )


password_reset_tokens = PasswordResetTokens()
email_verification_tokens = EmailVerificationTokens()


def key_hash(key: str) -> str:
    """What is stored of a random one-time key (an invitation's, a console enrolment link's,
    an API token's): the key is 256 random bits, so a fast hash is enough, unlike a password;
    a copy of the database gives no usable key."""
    return hashlib.sha256((key or "").encode()).hexdigest()


def one_time_key() -> tuple[str, str]:
    """A new random key for a link, and its hash (only the hash is stored)."""
    key = secrets.token_urlsafe(32)
    return key, key_hash(key)
