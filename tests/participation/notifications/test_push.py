"""Web push beside the e-mails: a fake push service at the protocol level (a local HTTP server
receiving the encrypted POST) checks the VAPID signature with the public key and decrypts the
message with the browser's keys."""

import base64
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django_tenants.utils import tenant_context

from participation.comments import services as comments
from participation.notifications.management.commands.vapid_keys import vapid_key_pair
from participation.notifications.models import PushSubscription
from participation.notifications.services import notify
from tests.conftest import client_for
from tests.participation.comments.conftest import component, phase, post  # noqa: F401
from tests.participation.factories import ModeratorFactory, ParticipantFactory

PUSH_URL = "/mon-profil/notifications/push/"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class FakePushService:
    """Answers each POST with the status set for its path (201 by default), keeps them all."""

    def __init__(self):
        self.received: list[dict] = []
        self.statuses: dict[str, int] = {}
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                service.received.append(
                    {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": self.rfile.read(length),
                    }
                )
                self.send_response(service.statuses.get(self.path, 201))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Browser:
    """What a browser keeps for one subscription: its ECDH key pair and auth secret."""

    def __init__(self, endpoint: str):
        self.endpoint = endpoint
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.p256dh = b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )
        self.secret = os.urandom(16)
        self.auth = b64url(self.secret)

    def subscribe(self, user) -> PushSubscription:
        return PushSubscription.objects.create(
            user=user, endpoint=self.endpoint, p256dh=self.p256dh, auth=self.auth
        )

    def read(self, body: bytes) -> dict:
        clear = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.secret, version="aes128gcm"
        )
        return json.loads(clear)


@pytest.fixture
def vapid(settings):
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = vapid_key_pair()
    settings.VAPID_SUBJECT = "mailto:exploitation@agora.test"
    return settings


@pytest.fixture
def push_service():
    service = FakePushService()
    yield service
    service.close()


def check_vapid(request: dict, *, public_key: str, origin: str, subject: str) -> None:
    """The Authorization header is ``vapid t=<JWT>, k=<public key>`` (RFC 8292), the JWT
    signed ES256 by the private key matching ``public_key``."""
    scheme, _, params = request["headers"]["authorization"].partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert fields["k"] == public_key
    header, claims, signature = fields["t"].split(".")
    assert json.loads(unb64url(header)) == {"typ": "JWT", "alg": "ES256"}
    raw = unb64url(signature)
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(public_key))
    key.verify(  # raises InvalidSignature when forged
        encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
        f"{header}.{claims}".encode(),
        ec.ECDSA(hashes.SHA256()),
    )
    claims = json.loads(unb64url(claims))
    assert claims["aud"] == origin
    assert claims["sub"] == subject
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600


@pytest.fixture
def citizen(in_town_a):
    return ParticipantFactory(display_name="Camille")


def test_a_reply_reaches_the_subscribed_browser_signed_and_encrypted(
    vapid,
    push_service,
    post,  # noqa: F811 (the comments tests' fixture)
    citizen,
    django_capture_on_commit_callbacks,
):
    phone = Browser(f"{push_service.origin}/push/telephone")
    phone.subscribe(citizen)
    comment = comments.comment_add(author=citizen, item=post, body="Ma question")
    with django_capture_on_commit_callbacks(execute=True):
        comments.comment_add(author=ModeratorFactory(), item=post, body="Réponse", parent=comment)

    assert [m.to for m in mail.outbox] == [[citizen.email]]  # the e-mail, as before
    [request] = push_service.received
    assert request["path"] == "/push/telephone"
    assert request["headers"]["content-encoding"] == "aes128gcm"
    assert request["headers"]["ttl"] == str(24 * 3600)
    check_vapid(
        request,
        public_key=vapid.VAPID_PUBLIC_KEY,
        origin=push_service.origin,
        subject="mailto:exploitation@agora.test",
    )
    message = phone.read(request["body"])
    assert message["title"] == "Ville A"
    assert "nouvelle réponse à votre commentaire" in message["body"]
    assert message["url"].endswith(f"#comment-{comment.replies.get().pk}")


def test_gone_subscriptions_are_deleted_the_others_kept(
    vapid, push_service, citizen, django_capture_on_commit_callbacks
):
    push_service.statuses = {"/push/ancien": 410, "/push/perdu": 404, "/push/panne": 500}
    browsers = {
        name: Browser(f"{push_service.origin}/push/{name}")
        for name in ("ancien", "perdu", "panne", "nouveau")
    }
    for browser in browsers.values():
        browser.subscribe(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        notify(citizen, "moderation", "Votre idée est retenue", "comments/emails/hidden.txt", {})

    assert sorted(r["path"] for r in push_service.received) == sorted(
        f"/push/{name}" for name in browsers
    )
    assert sorted(PushSubscription.objects.values_list("endpoint", flat=True)) == sorted(
        [browsers["panne"].endpoint, browsers["nouveau"].endpoint]
    )


def test_no_push_when_switched_off_for_other_kinds_or_without_keys(
    settings, vapid, push_service, citizen, django_capture_on_commit_callbacks
):
    Browser(f"{push_service.origin}/push/telephone").subscribe(citizen)
    context = {"comment": None, "link": "/"}
    with django_capture_on_commit_callbacks(execute=True):
        # The weekly digest and phase openings are news, not answers: e-mail only.
        notify(citizen, "digest", "Les nouvelles", "comments/emails/hidden.txt", context)
        citizen.profile.notify_replies = False
        citizen.profile.save()
        notify(citizen, "replies", "Une réponse", "comments/emails/hidden.txt", context)
    settings.VAPID_PRIVATE_KEY = ""
    with django_capture_on_commit_callbacks(execute=True):
        notify(citizen, "moderation", "Masqué", "comments/emails/hidden.txt", context)
    assert push_service.received == []
    assert len(mail.outbox) == 2  # the digest and the moderation e-mails still went


def test_subscribe_and_unsubscribe_endpoint(vapid, town_a, citizen):
    phone = Browser("https://push.example.net/send/abc")
    data = {"action": "subscribe", "endpoint": phone.endpoint, "p256dh": phone.p256dh}
    data["auth"] = phone.auth

    assert client_for(town_a).post(PUSH_URL, data).status_code == 302  # signed-in only
    forged = Client(HTTP_HOST=client_for(town_a).defaults["HTTP_HOST"], enforce_csrf_checks=True)
    forged.force_login(citizen)
    assert forged.post(PUSH_URL, data).status_code == 403  # CSRF-protected

    client = client_for(town_a)
    client.force_login(citizen)
    assert client.post(PUSH_URL, data).json() == {"subscriptions": 1}
    assert client.post(PUSH_URL, data).json() == {"subscriptions": 1}  # the same browser again
    with tenant_context(town_a):
        assert PushSubscription.objects.get().user == citizen

    refused = client.post(PUSH_URL, {**data, "endpoint": "http://127.0.0.1:6379/"})
    assert refused.status_code == 400
    assert refused.json()["detail"] == "L'adresse du service de notification n'est pas valide."
    refused = client.post(PUSH_URL, {**data, "p256dh": "abc"})
    assert refused.json()["detail"] == "Les clés de ce navigateur ne sont pas valides."

    other = client_for(town_a)
    other.force_login(ParticipantFactory())
    other.post(PUSH_URL, {"action": "unsubscribe", "endpoint": phone.endpoint})
    with tenant_context(town_a):
        assert PushSubscription.objects.count() == 1  # not theirs to remove
    response = client.post(PUSH_URL, {"action": "unsubscribe", "endpoint": phone.endpoint})
    assert response.json() == {"subscriptions": 0}


def test_preferences_offer_push_only_with_keys(settings, town_a, citizen):
    client = client_for(town_a)
    client.force_login(citizen)
    assert (
        "Notifications sur cet appareil"
        not in client.get("/mon-profil/notifications/").content.decode()
    )
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = vapid_key_pair()
    html = client.get("/mon-profil/notifications/").content.decode()
    assert "Notifications sur cet appareil" in html
    assert f'data-push-key="{settings.VAPID_PUBLIC_KEY}"' in html


def test_vapid_keys_command_prints_a_usable_pair(capsys):
    call_command("vapid_keys")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    assert len(unb64url(lines["VAPID_PUBLIC_KEY"])) == 65
    assert len(unb64url(lines["VAPID_PRIVATE_KEY"])) == 32
