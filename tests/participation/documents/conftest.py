import pytest

from tests.participation.factories import ComponentFactory


@pytest.fixture(autouse=True)
def own_media_root(media_root):
    """Every test here may store files: each in its own directory."""
    return media_root


@pytest.fixture
def documents_component(in_town_a):
    return ComponentFactory(type_key="documents", title="Documents du conseil")
