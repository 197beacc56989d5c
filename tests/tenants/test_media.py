from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tenants.utils import tenant_context

from tests.conftest import client_for


def test_a_towns_file_is_served_on_its_host_only(town_a, town_b):
    with tenant_context(town_a):
        name = default_storage.save("documents/compte-rendu.txt", ContentFile(b"Conseil du 3"))
        url = default_storage.url(name)
    try:
        assert url.startswith(f"/media/{town_a.schema_name}/")
        served = client_for(town_a).get(url)
        assert served.status_code == 200
        assert b"".join(served.streaming_content) == b"Conseil du 3"
        assert client_for(town_b).get(url).status_code == 404
    finally:
        with tenant_context(town_a):
            default_storage.delete(name)


def test_a_path_outside_the_towns_media_is_a_404(town_a):
    url = f"/media/{town_a.schema_name}/../../../config/settings/base.py"
    assert client_for(town_a).get(url).status_code == 404


def test_a_url_naming_another_towns_schema_is_a_404_even_for_a_file_of_this_town(town_a, town_b):
    # The storage reads the current town's folder whatever the URL says: only the schema check
    # stops town B's host from answering a URL of town A (with B's file of the same name).
    with tenant_context(town_b):
        name = default_storage.save("documents/meme-nom.txt", ContentFile(b"fichier de B"))
    try:
        assert client_for(town_b).get(f"/media/{town_b.schema_name}/{name}").status_code == 200
        assert client_for(town_b).get(f"/media/{town_a.schema_name}/{name}").status_code == 404
    finally:
        with tenant_context(town_b):
            default_storage.delete(name)
