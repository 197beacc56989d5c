"""Legal pages: saving, what publishing needs (RGAA statement included), unpublishing, the
database's own guards, and the selectors the go-live checklist reads."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from core.errors import ApplicationError
from tests.theming.conftest import STATEMENT
from theming.models import LegalPage
from theming.selectors import LegalLink, legal_links, legal_page_is_published
from theming.services import legal_page_publish, legal_page_save, legal_page_unpublish


def refused(action, **fields) -> ApplicationError:
    with translation.override("fr"), pytest.raises(ApplicationError) as caught:
        action(**fields)
    return caught.value


def test_a_page_is_saved_then_published_then_unpublished(in_town_a):
    page = legal_page_save(kind="legal_notice", body="  Éditeur : Mairie de Ville A  ")
    assert page.body == "Éditeur : Mairie de Ville A" and not page.is_published
    assert not legal_page_is_published("legal_notice")

    published = legal_page_publish(kind="legal_notice")
    assert published.published_at is not None
    assert legal_page_is_published("legal_notice")
    assert legal_page_publish(kind="legal_notice").published_at == published.published_at

    legal_page_unpublish(kind="legal_notice")
    assert not legal_page_is_published("legal_notice")
    assert LegalPage.objects.get().body == "Éditeur : Mairie de Ville A"  # the text is kept


def test_each_kind_has_one_page(in_town_a):
    legal_page_save(kind="privacy", body="v1")
    legal_page_save(kind="privacy", body="v2")
    assert list(LegalPage.objects.values_list("kind", "body")) == [("privacy", "v2")]


def test_an_empty_page_cannot_be_published(in_town_a):
    error = refused(legal_page_publish, kind="legal_notice")  # never written
    assert error.field == "body"
    assert str(error) == (
        "La page « Mentions légales » est vide : rédigez son texte avant de la publier."
    )
    legal_page_save(kind="legal_notice", body="   \n  ")
    assert refused(legal_page_publish, kind="legal_notice").field == "body"
    assert not legal_page_is_published("legal_notice")


def test_a_published_page_cannot_be_emptied(in_town_a):
    legal_page_save(kind="privacy", body="Vos données")
    legal_page_publish(kind="privacy")
    assert refused(legal_page_save, kind="privacy", body="").field == "body"
    assert LegalPage.objects.get().body == "Vos données"


def test_an_unknown_kind_is_refused_everywhere(in_town_a):
    assert "Page inconnue : « cgu »" in str(refused(legal_page_save, kind="cgu", body="x"))
    refused(legal_page_publish, kind="cgu")
    with pytest.raises(ApplicationError):
        legal_page_is_published("cgu")
    assert not LegalPage.objects.exists()


def test_a_body_longer_than_the_limit_is_refused(in_town_a):
    assert refused(legal_page_save, kind="privacy", body="x" * 50_001).field == "body"


# The accessibility statement (RGAA)


def test_the_statement_is_published_with_status_audit_and_contact(in_town_a):
    page = legal_page_save(kind="accessibility", **STATEMENT)
    assert (page.conformity, page.audit_date) == ("partial", datetime.date(2026, 9, 1))
    legal_page_publish(kind="accessibility")
    assert legal_page_is_published("accessibility")
    assert legal_links() == [LegalLink("accessibility", "partial")]


def test_the_statement_needs_a_status_and_a_contact_to_be_published(in_town_a):
    legal_page_save(kind="accessibility", body="Texte")
    error = refused(legal_page_publish, kind="accessibility")
    assert (error.field, str(error)) == (
        "conformity",
        "Indiquez l'état de conformité au RGAA avant de publier la déclaration.",
    )
    legal_page_save(kind="accessibility", body="Texte", conformity="none")
    assert refused(legal_page_publish, kind="accessibility").field == "accessibility_contact"
    assert not legal_page_is_published("accessibility")


def test_without_an_audit_a_site_can_only_be_declared_non_compliant(in_town_a):
    for conformity in ("partial", "full"):
        error = refused(
            legal_page_save, **{**STATEMENT, "conformity": conformity, "audit_date": None},
            kind="accessibility",
        )  # fmt: skip
        assert error.field == "audit_date"
        assert "qu'après un audit" in str(error)
    page = legal_page_save(kind="accessibility", **{**STATEMENT, "conformity": "none"})
    assert page.conformity == "none"


def test_the_audit_cannot_be_in_the_future(in_town_a):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    error = refused(legal_page_save, kind="accessibility", **{**STATEMENT, "audit_date": tomorrow})
    assert error.field == "audit_date"


@pytest.mark.parametrize(
    "contact", ["javascript:alert(1)", "pas une adresse", "ftp://ville-a.fr/", "a@b"]
)
def test_the_contact_is_an_email_address_or_a_web_form(in_town_a, contact):
    error = refused(
        legal_page_save, kind="accessibility", **{**STATEMENT, "accessibility_contact": contact}
    )
    assert error.field == "accessibility_contact"


def test_a_form_address_is_linked_as_is_and_an_email_with_mailto(in_town_a):
    page = legal_page_save(
        kind="accessibility",
        **{**STATEMENT, "accessibility_contact": "https://ville-a.fr/contact"},
    )
    assert page.accessibility_contact_href == "https://ville-a.fr/contact"
    page = legal_page_save(kind="accessibility", **STATEMENT)
    assert page.accessibility_contact_href == "mailto:accessibilite@ville-a.fr"


def test_other_pages_keep_no_rgaa_fields(in_town_a):
    page = legal_page_save(kind="legal_notice", **STATEMENT)
    assert (page.conformity, page.audit_date, page.accessibility_contact) == ("", None, "")


# The database's own guards


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "cgu"},
        {"kind": "legal_notice", "conformity": "none"},
        {"kind": "accessibility", "conformity": "full"},  # no audit date
        {"kind": "privacy", "body": "", "published_at": timezone.now()},
        {"kind": "accessibility", "body": "x", "published_at": timezone.now()},  # no status
    ],
)
def test_the_database_refuses_inconsistent_rows(in_town_a, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalPage.objects.create(**fields)


# Footer links


def test_the_footer_lists_the_published_pages_in_order(in_town_a):
    for kind in ("privacy", "legal_notice"):
        legal_page_save(kind=kind, body="Texte")
        legal_page_publish(kind=kind)
    legal_page_save(kind="accessibility", **STATEMENT)  # not published
    assert [link.kind for link in legal_links()] == ["legal_notice", "privacy"]
    with translation.override("fr"):
        assert [(link.label, link.url) for link in legal_links()] == [
            ("Mentions légales", "/mentions-legales/"),
            ("Politique de confidentialité", "/confidentialite/"),
        ]


def test_the_footer_follows_each_change_at_once(in_town_a):
    assert legal_links() == []  # cached, empty
    legal_page_save(kind="accessibility", **{**STATEMENT, "conformity": "none"})
    legal_page_publish(kind="accessibility")
    with translation.override("fr"):
        assert legal_links()[0].label == "Accessibilité : non conforme"
    legal_page_save(kind="accessibility", **STATEMENT)
    with translation.override("fr"):
        assert legal_links()[0].label == "Accessibilité : partiellement conforme"
    legal_page_unpublish(kind="accessibility")
    assert legal_links() == []
