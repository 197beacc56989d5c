"""The database backend keeps the content-type cache across schema switches: safe only while
content types live in the public schema alone."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django_tenants.utils import tenant_context

from participation.news.models import NewsPost


def test_content_types_live_in_the_public_schema_only():
    assert "django.contrib.contenttypes" in settings.SHARED_APPS
    assert "django.contrib.contenttypes" not in settings.TENANT_APPS


def test_a_content_type_has_the_same_id_from_every_town(town_a, town_b):
    with tenant_context(town_a):
        in_a = ContentType.objects.get_for_model(NewsPost).pk
    ContentType.objects.clear_cache()
    with tenant_context(town_b):
        in_b = ContentType.objects.get_for_model(NewsPost).pk
    assert in_a == in_b


def test_switching_towns_keeps_the_content_type_cache(town_a, town_b, django_assert_num_queries):
    with tenant_context(town_a):
        ContentType.objects.get_for_model(NewsPost)
    with tenant_context(town_b), django_assert_num_queries(0):
        ContentType.objects.get_for_model(NewsPost)
