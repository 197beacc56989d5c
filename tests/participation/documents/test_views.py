import pytest
from django_tenants.utils import tenant_context

from participation.documents import services
from participation.documents.models import Document
from participation.models import Space
from tests.conftest import client_for, stored_files
from tests.participation.conftest import logged_in
from tests.participation.documents.files import EXE, PDF, PNG, big_pdf, upload
from tests.participation.factories import (
    AdminFactory,
    ComponentFactory,
    ModeratorFactory,
    ParticipantFactory,
)

MB = 1024 * 1024


@pytest.fixture
def document(documents_component):
    return services.document_upload(
        actor=AdminFactory(),
        component=documents_component,
        file=upload("compte-rendu.pdf", PDF),
        title="Compte rendu du 3 mars",
    )


def list_url(component) -> str:
    return f"/espaces/{component.space.slug}/documents/{component.pk}/"


def admin_url(component) -> str:
    return f"/gestion/espaces/{component.space.slug}/documents/{component.pk}/"


def test_the_list_shows_type_size_and_links(document, documents_component, town_a):
    page = client_for(town_a).get(list_url(documents_component))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Compte rendu du 3 mars" in html
    assert f"PDF · {len(PDF)}\xa0octets" in html
    assert f'href="/media/{town_a.schema_name}/documents/' in html
    assert f'href="{list_url(documents_component)}{document.pk}/telecharger/"' in html


def test_the_space_page_shows_the_documents_card(document, documents_component, town_a):
    page = client_for(town_a).get(f"/espaces/{documents_component.space.slug}/")
    assert page.status_code == 200
    assert f'href="{list_url(documents_component)}"' in page.content.decode()


def test_download_is_an_attachment_with_the_real_content(document, documents_component, town_a):
    response = client_for(town_a).get(f"{list_url(documents_component)}{document.pk}/telecharger/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert ".pdf" in disposition
    assert b"".join(response.streaming_content) == PDF


def test_the_media_url_is_served_on_the_towns_host_only(document, town_a, town_b):
    url = document.file.url
    assert url.startswith(f"/media/{town_a.schema_name}/documents/")
    served = client_for(town_a).get(url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF
    assert client_for(town_b).get(url).status_code == 404


def test_town_b_cannot_reach_town_as_documents(document, documents_component, town_b):
    client = client_for(town_b)
    assert client.get(list_url(documents_component)).status_code == 404
    download = f"{list_url(documents_component)}{document.pk}/telecharger/"
    assert client.get(download).status_code == 404


def test_a_draft_spaces_documents_are_hidden_from_residents(document, documents_component, town_a):
    Space.objects.filter(pk=documents_component.space_id).update(status=Space.Status.DRAFT)
    download = f"{list_url(documents_component)}{document.pk}/telecharger/"
    for client in (client_for(town_a), logged_in(town_a, ParticipantFactory())):
        assert client.get(list_url(documents_component)).status_code == 404
        assert client.get(download).status_code == 404
    with tenant_context(town_a):
        moderator = ModeratorFactory()
    assert logged_in(town_a, moderator).get(download).status_code == 200


def test_a_document_of_another_component_is_a_404(document, documents_component, town_a):
    other = ComponentFactory(type_key="documents", space=documents_component.space)
    assert client_for(town_a).get(f"{list_url(other)}{document.pk}/telecharger/").status_code == 404


def test_a_script_in_a_title_is_shown_escaped(documents_component, town_a):
    services.document_upload(
        actor=AdminFactory(),
        component=documents_component,
        file=upload("a.pdf", PDF),
        title="<script>alert('x')</script>",
    )
    html = client_for(town_a).get(list_url(documents_component)).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


# Back office


def test_anonymous_is_sent_to_log_in(documents_component, town_a):
    response = client_for(town_a).get(admin_url(documents_component))
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/?next=")


@pytest.mark.parametrize("factory", [ParticipantFactory])
def test_a_citizen_is_refused(documents_component, town_a, media_root, factory):
    client = logged_in(town_a, factory())
    assert client.get(admin_url(documents_component)).status_code == 403
    response = client.post(
        admin_url(documents_component), {"title": "x", "file": upload("a.pdf", PDF)}
    )
    assert response.status_code == 403
    with tenant_context(town_a):
        assert not Document.objects.exists()
    assert stored_files(media_root, town_a.schema_name) == []


@pytest.mark.parametrize("role", ["moderator", "admin", "space_moderator"])
def test_staff_and_space_moderators_upload_with_a_multipart_form(
    documents_component, town_a, media_root, role
):
    if role == "space_moderator":
        user = ParticipantFactory()
        documents_component.space.moderators.add(user)
    else:
        user = {"moderator": ModeratorFactory, "admin": AdminFactory}[role]()
    client = logged_in(town_a, user)
    page = client.get(admin_url(documents_component))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    response = client.post(
        admin_url(documents_component),
        {"title": "Plan du quartier", "description": "", "file": upload("plan.png", PNG)},
    )
    assert response.status_code == 302
    assert response["Location"] == admin_url(documents_component)
    with tenant_context(town_a):
        document = Document.objects.get()
    assert (document.title, document.content_type, document.uploaded_by_id) == (
        "Plan du quartier",
        "image/png",
        user.pk,
    )
    assert len(stored_files(media_root, town_a.schema_name)) == 1
    listing = client.get(admin_url(documents_component)).content.decode()
    assert "Plan du quartier" in listing
    assert "Image PNG" in listing


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (lambda: upload("rapport.pdf", EXE), "« rapport.pdf » n&#x27;est ni un PDF"),
        (lambda: big_pdf(30 * MB), "Le fichier fait 30,0\xa0Mio : 20,0\xa0Mio au plus."),
    ],
)
def test_a_refused_file_shows_why_and_saves_nothing(
    documents_component, town_a, media_root, file, message
):
    client = logged_in(town_a, AdminFactory())
    response = client.post(admin_url(documents_component), {"title": "", "file": file()})
    assert response.status_code == 400
    assert message in response.content.decode()
    with tenant_context(town_a):
        assert not Document.objects.exists()
    assert stored_files(media_root, town_a.schema_name) == []


def test_a_post_without_file_is_refused(documents_component, town_a):
    response = logged_in(town_a, AdminFactory()).post(
        admin_url(documents_component), {"title": "x"}
    )
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()


def test_delete_from_the_back_office(
    document, documents_component, town_a, media_root, django_capture_on_commit_callbacks
):
    delete_url = f"{admin_url(documents_component)}{document.pk}/supprimer/"
    assert logged_in(town_a, ParticipantFactory()).post(delete_url).status_code == 403
    with tenant_context(town_a):
        assert Document.objects.count() == 1
        moderator = ModeratorFactory()
    client = logged_in(town_a, moderator)
    assert client.get(delete_url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url)
    assert response.status_code == 302
    with tenant_context(town_a):
        assert not Document.objects.exists()
    assert stored_files(media_root, town_a.schema_name) == []


def test_the_space_page_of_the_back_office_links_to_the_module(documents_component, town_a):
    page = logged_in(town_a, AdminFactory()).get(
        f"/gestion/espaces/{documents_component.space.slug}/"
    )
    assert page.status_code == 200
    assert f'href="{admin_url(documents_component)}"' in page.content.decode()


def test_town_b_staff_cannot_reach_town_as_back_office(documents_component, town_b):
    with tenant_context(town_b):
        admin_b = AdminFactory()
    assert logged_in(town_b, admin_b).get(admin_url(documents_component)).status_code == 404
