"""An OpenID Connect provider on 127.0.0.1, over real HTTP, with RSA keys of its own (signed by
joserfc, Authlib's JOSE): FranceConnect or a town's Keycloak, which cannot be reached from here.

It answers discovery, /authorize (consent given at once: a redirect back with a code), /token
(client authentication, PKCE S256 and redirect_uri checked; an ID token signed with its key),
/userinfo, /jwks and /logout. Knobs make it misbehave as a forger would: ``sign_with`` another
key, ``expires_in`` in the past, ``nonce`` overridden."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey


def rsa_key(kid: str):
    return RSAKey.generate_key(2048, parameters={"kid": kid})


@dataclass
class Person:
    sub: str
    email: str
    given_name: str = "Camille"
    family_name: str = "Martin"
    birthdate: str = "1985-04-12"


@dataclass
class FakeOidc:
    client_id: str = "agora-ville-a"
    client_secret: str = "secret-de-ville-a"
    person: Person = field(default_factory=lambda: Person("fc-sub-1", "camille@exemple.fr"))
    key: object = field(default_factory=lambda: rsa_key("cle-1"))
    # Misbehaviour, for the tests that must see it refused.
    sign_with: object | None = None
    expires_in: int = 300
    nonce: str | None = None
    codes: dict = field(default_factory=dict)
    token_requests: list = field(default_factory=list)
    logouts: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def issuer(self) -> str:
        host, port = self._server.server_address
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeOidc:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()

    def metadata(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/logout",
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def id_token(self, *, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": self.person.sub,
            "iat": now,
            "exp": now + self.expires_in,
            "nonce": self.nonce if self.nonce is not None else nonce,
            "acr": "eidas1",
        }
        key = self.sign_with or self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)

    # The HTTP side

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet tests
                pass

            def _send(self, status: int, body: dict | str, headers: dict | None = None) -> None:
                data = body if isinstance(body, str) else json.dumps(body)
                self.send_response(status)
                for name, value in (headers or {"Content-Type": "application/json"}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data.encode())

            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = {name: values[0] for name, values in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    return self._send(200, provider.metadata())
                if url.path == "/jwks":
                    return self._send(200, {"keys": [provider.key.as_dict(private=False)]})
                if url.path == "/authorize":
                    return self._authorize(query)
                if url.path == "/userinfo":
                    return self._userinfo()
                if url.path == "/logout":
                    provider.logouts.append(query)
                    return self._send(200, "déconnecté", {"Content-Type": "text/plain"})
                return self._send(404, {"error": "not_found"})

            def _authorize(self, query: dict) -> None:
                if query.get("client_id") != provider.client_id:
                    return self._send(400, {"error": "unauthorized_client"})
                if query.get("code_challenge_method") != "S256" or not query.get("nonce"):
                    return self._send(400, {"error": "invalid_request"})
                code = secrets.token_urlsafe(16)
                provider.codes[code] = query
                back = urlencode({"code": code, "state": query["state"]})
                self.send_response(302)
                self.send_header("Location", f"{query['redirect_uri']}?{back}")
                self.end_headers()

            def _userinfo(self) -> None:
                if not self.headers.get("Authorization", "").startswith("Bearer at-"):
                    return self._send(401, {"error": "invalid_token"})
                person = provider.person
                return self._send(200, {**person.__dict__})

            def do_POST(self) -> None:
                if urlparse(self.path).path != "/token":
                    return self._send(404, {"error": "not_found"})
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.token_requests.append(form)
                expected = base64.b64encode(
                    f"{provider.client_id}:{provider.client_secret}".encode()
                ).decode()
                if self.headers.get("Authorization") != f"Basic {expected}":
                    return self._send(401, {"error": "invalid_client"})
                asked = provider.codes.pop(form.get("code", ""), None)
                if asked is None or form.get("redirect_uri") != asked["redirect_uri"]:
                    return self._send(400, {"error": "invalid_grant"})
                verifier = form.get("code_verifier", "")
                challenge = (
                    base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                    .rstrip(b"=")
                    .decode()
                )
                if challenge != asked["code_challenge"]:
                    return self._send(400, {"error": "invalid_grant", "pkce": "mismatch"})
                return self._send(
                    200,
                    {
                        "access_token": f"at-{secrets.token_hex(8)}",
                        "token_type": "Bearer",
                        "expires_in": 60,
                        "id_token": provider.id_token(nonce=asked["nonce"]),
                    },
                )

        return Handler
