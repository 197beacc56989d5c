"""The forum's pages on the platform's host: what a member sees and sends, and the clear
message of a refused post."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from network import services
from network.models import Thread
from tests.conftest import console_client_for
from tests.network.conftest import network_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(member_a, category) -> Thread:
    return services.thread_start(
        actor=member_a, category=category, title="Vote du budget", body="Comment votez-vous ?"
    )


def test_the_pages_show_author_role_and_town(member_b, thread, category):
    browser = network_client(member_b)
    for address in (
        "/reseau/",
        f"/reseau/categorie/{category.slug}/",
        f"/reseau/discussion/{thread.pk}/",
    ):
        page = browser.get(address)
        assert page.status_code == 200, address
        assert "Claire Martin" in page.content.decode()
        assert "Administrateur de la collectivité · Ville A" in page.content.decode()


def test_a_thread_is_started_and_answered_through_the_pages(member_a, member_b, category):
    created = network_client(member_a).post(
        f"/reseau/categorie/{category.slug}/nouvelle/",
        {"title": "Subventions", "body": "Qui finance quoi ?"},
    )
    thread = Thread.objects.get(title="Subventions")
    assert created.status_code == 302 and created["Location"] == f"/reseau/discussion/{thread.pk}/"
    browser = network_client(member_b)
    opening = thread.posts.get()
    form = browser.get(f"/reseau/discussion/{thread.pk}/?citer={opening.pk}")
    assert f'name="quote" value="{opening.pk}"' in form.content.decode()
    replied = browser.post(
        f"/reseau/discussion/{thread.pk}/repondre/", {"body": "La région.", "quote": opening.pk}
    )
    assert replied.status_code == 302
    answered = network_client(member_a).post(
        f"/reseau/discussion/{thread.pk}/reponse/", {"post": thread.posts.last().pk}
    )
    assert answered.status_code == 302
    page = network_client(member_b).get(f"/reseau/discussion/{thread.pk}/").content.decode()
    assert "Réponse retenue" in page and "Claire Martin (Ville A) a écrit" in page


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<script>alert(1)</script>", "balise HTML"),
        ("x" * 200_000, "200000 caractères, 20000 au plus"),
    ],
    ids=["script", "too-long"],
)
def test_a_bad_post_gets_a_clear_message_and_nothing_is_saved(member_a, category, body, message):
    browser = network_client(member_a)
    page = browser.post(
        f"/reseau/categorie/{category.slug}/nouvelle/", {"title": "Essai", "body": body}
    )
    assert page.status_code == 400
    assert message in page.content.decode()
    assert "<script>alert" not in page.content.decode()
    assert not Thread.objects.exists()


def test_a_bad_reply_keeps_the_thread_as_it_was(member_b, thread):
    page = network_client(member_b).post(
        f"/reseau/discussion/{thread.pk}/repondre/", {"body": "<SCRIPT src=//x>"}
    )
    assert page.status_code == 400 and "balise HTML" in page.content.decode()
    assert thread.posts.count() == 1


def test_a_hidden_thread_is_gone_for_towns_and_kept_for_the_vendor(
    member_b, vendor_staff, vendor_member, thread
):
    services.post_set_hidden(
        actor=vendor_member, post=thread.posts.get(is_opening=True), hidden=True
    )
    assert network_client(member_b).get(f"/reseau/discussion/{thread.pk}/").status_code == 404
    vendor_page = console_client_for(vendor_staff).get(f"/reseau/discussion/{thread.pk}/")
    assert vendor_page.status_code == 200 and "Rétablir" in vendor_page.content.decode()


def test_a_town_member_sees_no_moderation_button_and_cannot_use_one(member_b, thread):
    browser = network_client(member_b)
    page = browser.get(f"/reseau/discussion/{thread.pk}/").content.decode()
    assert "Verrouiller" not in page and "Masquer" not in page
    browser.post(f"/reseau/discussion/{thread.pk}/verrou/", {"verrouiller": "1"})
    thread.refresh_from_db()
    assert not thread.locked


def test_the_search_page_finds_by_a_word_of_a_reply(member_a, member_b, thread):
    services.post_reply(actor=member_b, thread=thread, body="Nous publions les subventions.")
    page = network_client(member_a).get("/reseau/recherche/", {"q": "subvention"})
    assert page.status_code == 200 and "Vote du budget" in page.content.decode()


def test_an_attachment_is_downloaded_by_members_only(member_a, member_b, category, media_root):
    upload = SimpleUploadedFile("note.pdf", b"%PDF-1.4\nnote", content_type="application/pdf")
    thread = services.thread_start(
        actor=member_a, category=category, title="Note", body="Ci-joint", attachments=[upload]
    )
    attachment = thread.posts.get().attachments.get()
    address = f"/reseau/piece-jointe/{attachment.pk}/"
    download = network_client(member_b).get(address)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert Client(HTTP_HOST=settings.PLATFORM_DOMAIN).get(address).status_code == 403
