"""Print a new VAPID key pair for web push, as the lines to put in the environment."""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def vapid_key_pair() -> tuple[str, str]:
    """(public, private): the public key as browsers take it (an uncompressed P-256 point),
    the private one as its 32 raw bytes; both base64url without padding."""
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64url(public), _b64url(private.private_numbers().private_value.to_bytes(32, "big"))


class Command(BaseCommand):
    help = "Crée une paire de clés VAPID (notifications push) à mettre dans l'environnement."

    def handle(self, *args, **options):
        public, private = vapid_key_pair()
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}\nVAPID_PRIVATE_KEY={private}\n")
        self.stderr.write(
            "Gardez la clé privée secrète ; en changer désabonne tous les navigateurs."
        )
