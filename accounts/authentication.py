"""The API's token authentication: ``Authorization: Token <key>``, checked against the hashed
keys of accounts.ApiToken in the current town's schema (a key of town A is unknown on B)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .services import api_token_user

REFUSED = _("Jeton invalide, expiré ou révoqué.")


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        user = api_token_user(key=key)
        if user is None:
            raise AuthenticationFailed(REFUSED)
        return (user, None)
