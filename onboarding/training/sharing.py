"""Links to a session's materials for the people of the town: a file is served on the
console's host through a signed link (no account needed), a link material is its own URL."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from core.hosts import console_url

from .models import TrainingMaterial, TrainingSession

SALT = "training.material"


def material_link(material: TrainingMaterial) -> str:
    """An absolute URL that works from any host and from an e-mail."""
    if material.url:
        return material.url
    token = signing.dumps(material.pk, salt=SALT)
    path = reverse("training:material_shared", args=[token], urlconf=settings.PUBLIC_SCHEMA_URLCONF)
    return console_url(path)


def material_from_token(token: str) -> TrainingMaterial | None:
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return TrainingMaterial.objects.exclude(file="").filter(pk=pk).first()


def material_links(session: TrainingSession) -> list[tuple[str, str]]:
    """(title, absolute URL) of each of the session's materials."""
    return [(material.title, material_link(material)) for material in session.materials.all()]
