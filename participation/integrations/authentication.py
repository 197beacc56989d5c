"""The API's integration tokens: ``Authorization: Bearer <key>``, a key of the current town
(another town's is unknown here). A request made with one acts as the administrator who
created it, within the token's scopes: a refused scope is a 403, an unknown, revoked or
expired token (or one whose creator is no longer an administrator) a 401, each saying why.
The token is kept on the request, whatever the answer, for the usage log (middleware)."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied

from accounts.models import TeamRole
from accounts.roles import roles_of

from .models import IntegrationToken
from .scopes import READ, SAFE_METHODS, WRITE, request_area, scope_allows
from .selectors import integration_token_for_key

REQUEST_ATTRIBUTE = "integration_token"


class IntegrationTokenAuthentication(TokenAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None:
            return None
        token: IntegrationToken = found[0]
        setattr(request._request, REQUEST_ATTRIBUTE, token)
        _refuse_unusable(token)
        _check_scope(token, request.method, request._request.resolver_match)
        return (token.created_by, token)

    def authenticate_credentials(self, key):
        token = integration_token_for_key(key)
        if token is None:
            raise AuthenticationFailed(_("Jeton d'intégration inconnu."), code="token_unknown")
        return (token, None)


def _when(moment) -> str:
    return formats.date_format(moment, "SHORT_DATETIME_FORMAT")


def _refuse_unusable(token: IntegrationToken) -> None:
    if token.is_revoked:
        raise AuthenticationFailed(
            _("Ce jeton d'intégration a été révoqué le %(date)s.")
            % {"date": _when(token.revoked_at)},
            code="token_revoked",
        )
    if token.is_expired:
        raise AuthenticationFailed(
            _("Ce jeton d'intégration a expiré le %(date)s.") % {"date": _when(token.expires_at)},
            code="token_expired",
        )
    creator = token.created_by
    if creator is None or TeamRole.Kind.ADMIN not in roles_of(creator):
        raise AuthenticationFailed(
            _(
                "Le compte qui a créé ce jeton d'intégration n'est plus administrateur de la "
                "collectivité : demandez un nouveau jeton."
            ),
            code="token_orphaned",
        )


def _check_scope(token: IntegrationToken, method: str, match) -> None:
    area = request_area(match)
    if area is None:
        raise PermissionDenied(
            _("Les jetons d'intégration ne donnent pas accès à cette adresse."),
            code="token_scope",
        )
    if not scope_allows(token.scopes, area=area, method=method):
        needed = f"{area}:{READ if method.upper() in SAFE_METHODS else WRITE}"
        raise PermissionDenied(
            _("Ce jeton d'intégration n'a pas la portée « %(scope)s », requise ici.")
            % {"scope": needed},
            code="token_scope",
        )


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    """The scheme in the OpenAPI schema: its own name, before drf-spectacular's built-in one
    for DRF's TokenAuthentication (named like the accounts' ``tokenAuth``)."""

    target_class = IntegrationTokenAuthentication
    name = "integrationToken"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "`Bearer <key>`: a town's integration token, limited to its scopes.",
        }
