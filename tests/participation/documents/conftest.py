import os
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.utils.functional import empty

from tests.participation.factories import ComponentFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path, monkeypatch) -> Path:
    """Each test stores its files in its own directory, so a run never leaves files behind nor
    sees another run's. django-tenants' storage caches MEDIA_ROOT/%s when first used and does
    not forget it when MEDIA_ROOT changes: the cached value is replaced for the test, and put
    back as it was (cached or not) afterwards."""
    if default_storage._wrapped is empty:
        default_storage._setup()
    monkeypatch.setitem(
        vars(default_storage._wrapped), "relative_media_root", os.path.join(tmp_path, "%s")
    )
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def stored_files(media_root: Path, schema: str) -> list[Path]:
    town_dir = media_root / schema
    return sorted(p for p in town_dir.rglob("*") if p.is_file()) if town_dir.exists() else []


@pytest.fixture
def documents_component(in_town_a):
    return ComponentFactory(type_key="documents", title="Documents du conseil")
