from django_tenants.utils import tenant_context

from participation.documents import services
from participation.models import Space
from tests.conftest import client_for
from tests.participation.documents.files import PDF, PNG, upload
from tests.participation.factories import AdminFactory


def api_url(component) -> str:
    return f"/api/v1/espaces/{component.space.slug}/documents/{component.pk}/"


def test_the_list_gives_each_document_with_its_urls(documents_component, town_a):
    admin = AdminFactory()
    first = services.document_upload(
        actor=admin, component=documents_component, file=upload("cr.pdf", PDF), title="CR"
    )
    services.document_upload(
        actor=admin, component=documents_component, file=upload("plan.png", PNG), title="Plan"
    )
    response = client_for(town_a).get(api_url(documents_component))
    assert response.status_code == 200
    rows = {row["title"]: row for row in response.json()["results"]}
    assert set(rows) == {"CR", "Plan"}
    cr = rows["CR"]
    assert cr["content_type"] == "application/pdf"
    assert cr["size"] == len(PDF)
    assert cr["url"].endswith(first.file.url)
    assert f"/media/{town_a.schema_name}/documents/" in cr["url"]
    assert cr["download_url"].endswith(
        f"/espaces/{documents_component.space.slug}/documents/{documents_component.pk}/"
        f"{first.pk}/telecharger/"
    )
    assert rows["Plan"]["type_label"] == "Image PNG"


def test_a_draft_space_is_a_404_for_residents(documents_component, town_a):
    Space.objects.filter(pk=documents_component.space_id).update(status=Space.Status.DRAFT)
    assert client_for(town_a).get(api_url(documents_component)).status_code == 404
    with tenant_context(town_a):
        admin = AdminFactory()
    client = client_for(town_a)
    client.force_login(admin)
    assert client.get(api_url(documents_component)).status_code == 200


def test_town_b_cannot_list_town_as_documents(documents_component, town_b):
    assert client_for(town_b).get(api_url(documents_component)).status_code == 404
