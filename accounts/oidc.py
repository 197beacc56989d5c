"""The OpenID Connect protocol with a town's identity provider (FranceConnect, or the town's
own for its staff), done by Authlib: the authorisation request (``state``, ``nonce``, PKCE
S256), the code exchanged for tokens, the ID token's signature checked against the provider's
published keys and its claims (issuer, audience, expiry, nonce), the userinfo. What the claims
then do to accounts is accounts.identity's."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2 import OAuth2Error
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from core.errors import Invalid, Unavailable

from .models import IdentityProvider

HTTP_TIMEOUT_SECONDS = 10
METADATA_CACHE_SECONDS = 3600
# Asymmetric signatures only: never "none", never a shared-secret algorithm an attacker could
# sign with the provider's public key.
ALGORITHMS = ["RS256", "ES256", "PS256"]
CLOCK_LEEWAY_SECONDS = 60


class IdentityRefused(Invalid):
    """The provider's answer cannot be trusted or used: nobody is signed in."""


@dataclass(frozen=True)
class AuthorisationRequest:
    url: str
    state: str
    nonce: str
    code_verifier: str


def issuer_of(provider: IdentityProvider) -> str:
    if provider.issuer:
        return provider.issuer.rstrip("/")
    return settings.FRANCECONNECT_ISSUERS[provider.environment].rstrip("/")


def _get_json(url: str, **kwargs) -> Any:
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT_SECONDS, **kwargs)
        response.raise_for_status()
    except requests.RequestException as exc:
        raise Unavailable(
            _("Le fournisseur d'identité ne répond pas : réessayez dans quelques minutes.")
        ) from exc
    return response


def provider_metadata(provider: IdentityProvider) -> dict:
    """The provider's discovery document (cached an hour), whose issuer must be the one
    configured (a document served elsewhere is refused)."""
    issuer = issuer_of(provider)
    key = f"oidc:metadata:{issuer}"
    metadata = cache.get(key)
    if metadata is None:
        metadata = _get_json(f"{issuer}/.well-known/openid-configuration").json()
        if metadata.get("issuer", "").rstrip("/") != issuer:
            raise IdentityRefused(_("Le fournisseur d'identité ne s'annonce pas sous son nom."))
        cache.set(key, metadata, METADATA_CACHE_SECONDS)
    return metadata


def _keys(metadata: dict, *, fresh: bool = False):
    key = f"oidc:jwks:{metadata['jwks_uri']}"
    keys = None if fresh else cache.get(key)
    if keys is None:
        keys = _get_json(metadata["jwks_uri"]).json()
        cache.set(key, keys, METADATA_CACHE_SECONDS)
    return KeySet.import_key_set(keys)


def _client(provider: IdentityProvider, metadata: dict, redirect_uri: str) -> OAuth2Session:
    methods = metadata.get("token_endpoint_auth_methods_supported", ["client_secret_basic"])
    return OAuth2Session(
        provider.client_id,
        provider.client_secret,
        scope=provider.scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method=(
            "client_secret_basic" if "client_secret_basic" in methods else "client_secret_post"
        ),
    )


def authorisation_request(provider: IdentityProvider, *, redirect_uri: str) -> AuthorisationRequest:
    """Where to send the browser, with the secrets to check the way back against."""
    metadata = provider_metadata(provider)
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    extra = {"acr_values": "eidas1"} if provider.kind == IdentityProvider.Kind.FRANCECONNECT else {}
    url, _state = _client(provider, metadata, redirect_uri).create_authorization_url(
        metadata["authorization_endpoint"],
        state=state,
        nonce=nonce,
        code_verifier=verifier,
        **extra,
    )
    return AuthorisationRequest(url=url, state=state, nonce=nonce, code_verifier=verifier)


def _decoded(token: str, metadata: dict, claims_options: dict) -> dict:
    """The token's claims once its signature (by the provider's published keys) and the
    claims asked for (issuer, audience, nonce…; expiry always) are checked."""
    try:
        decoded = jwt.decode(token, _keys(metadata), algorithms=ALGORITHMS)
    except (JoseError, ValueError):
        try:  # the provider may have rotated its keys since they were cached
            decoded = jwt.decode(token, _keys(metadata, fresh=True), algorithms=ALGORITHMS)
        except (JoseError, ValueError) as exc:
            raise IdentityRefused(_("La signature du jeton d'identité n'est pas valide.")) from exc
    try:
        jwt.JWTClaimsRegistry(leeway=CLOCK_LEEWAY_SECONDS, **claims_options).validate(
            decoded.claims
        )
    except JoseError as exc:
        raise IdentityRefused(
            _("Le jeton d'identité n'est pas valable (%(error)s).") % {"error": exc.error}
        ) from exc
    return dict(decoded.claims)


def identity_claims(
    provider: IdentityProvider, *, code: str, code_verifier: str, nonce: str, redirect_uri: str
) -> tuple[dict, dict]:
    """Exchange the code for tokens; the ID token's claims, checked, and the userinfo."""
    metadata = provider_metadata(provider)
    client = _client(provider, metadata, redirect_uri)
    try:
        token = client.fetch_token(
            metadata["token_endpoint"],
            code=code,
            code_verifier=code_verifier,
            grant_type="authorization_code",
            timeout=HTTP_TIMEOUT_SECONDS,
        )
    except (OAuth2Error, requests.RequestException) as exc:
        raise IdentityRefused(_("Le fournisseur d'identité a refusé la connexion.")) from exc
    if "id_token" not in token:
        raise IdentityRefused(_("Le fournisseur d'identité n'a pas envoyé de jeton d'identité."))
    claims = _decoded(
        token["id_token"],
        metadata,
        {
            "iss": {"essential": True, "value": metadata["issuer"]},
            "aud": {"essential": True, "value": provider.client_id},
            "sub": {"essential": True},
            "exp": {"essential": True},
            "nonce": {"essential": True, "value": nonce},
        },
    )
    claims["id_token"] = token["id_token"]
    return claims, _userinfo(metadata, token["access_token"], claims["sub"])


def _userinfo(metadata: dict, access_token: str, subject: str) -> dict:
    if "userinfo_endpoint" not in metadata:
        return {}
    response = _get_json(
        metadata["userinfo_endpoint"], headers={"Authorization": f"Bearer {access_token}"}
    )
    if response.headers.get("Content-Type", "").startswith("application/jwt"):
        info = _decoded(response.text, metadata, {"sub": {"essential": True, "value": subject}})
    else:
        info = json.loads(response.text)
    if info.get("sub") != subject:
        raise IdentityRefused(_("Les informations d'identité ne sont pas celles de ce compte."))
    return info


def logout_url(provider: IdentityProvider, *, id_token: str, redirect_uri: str) -> str | None:
    """Where to end the session at the provider too (FranceConnect asks for it), if it has
    such an endpoint."""
    endpoint = provider_metadata(provider).get("end_session_endpoint")
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": generate_token(16),
            "post_logout_redirect_uri": redirect_uri,
        }
    )
    return f"{endpoint}?{query}"
