import datetime

import pytest
from django_tenants.utils import schema_context

from tenants.services import schema_name_for
from tests.conftest import TOWN_A, TOWN_B
from theming.models import LegalPage
from theming.selectors import legal_links_forget, site_theme_forget


def _forget_theming_caches() -> None:
    for slug in (TOWN_A, TOWN_B):
        with schema_context(schema_name_for(slug)):
            site_theme_forget()
            legal_links_forget()


@pytest.fixture(autouse=True)
def theming_caches_forgotten():
    """Redis and the process cache are not rolled back with the test's transaction: each test
    starts and ends with no cached theme or footer links in either town."""
    _forget_theming_caches()
    yield
    _forget_theming_caches()


STATEMENT = {
    "body": "# Contenus non accessibles\n- Les anciens comptes rendus en PDF.",
    "conformity": LegalPage.Conformity.PARTIAL,
    "audit_date": datetime.date(2026, 9, 1),
    "accessibility_contact": "accessibilite@ville-a.fr",
}


@pytest.fixture(autouse=True)
def own_media_root(media_root):
    """Every test here may store a logo: each in its own directory."""
    return media_root
