"""DRF is closed by default: an API view that does not say who may call it is refused."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django_tenants.utils import tenant_context
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from accounts.models import User
from core.permissions import DenyAll
from participation.api import RulesPermission
from tests.factories import UserFactory


class Forgotten(APIView):
    """A new API view whose author forgot permission_classes."""

    def get(self, request):
        return Response({"secret": True})


def test_a_view_without_permission_classes_is_refused_even_to_an_admin(town_a):
    with tenant_context(town_a):
        admin = UserFactory(role=User.Role.ADMIN)
    request = APIRequestFactory().get("/api/v1/nouveau/")
    force_authenticate(request, user=admin)
    response = Forgotten.as_view()(request)
    assert response.status_code == 403
    assert "secret" not in response.data


def test_a_view_without_permission_classes_is_refused_to_anonymous_callers():
    response = Forgotten.as_view()(APIRequestFactory().get("/api/v1/nouveau/"))
    assert response.status_code in (401, 403)
    assert "secret" not in response.data


def test_rules_permission_refuses_a_view_that_names_no_permission(town_a):
    class NoPerm(APIView):
        permission_classes = [RulesPermission]

        def get(self, request):
            return Response({"secret": True})

    with tenant_context(town_a):
        admin = UserFactory(role=User.Role.ADMIN)
    request = APIRequestFactory().get("/")
    force_authenticate(request, user=admin)
    assert NoPerm.as_view()(request).status_code == 403


def _api_views(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _api_views(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            view_class = getattr(entry.callback, "cls", None)
            if view_class is not None and issubclass(view_class, APIView):
                yield prefix + str(entry.pattern), view_class


@pytest.mark.parametrize("urlconf", ["config.urls_town", "config.urls_public"])
def test_every_api_view_states_its_own_permission(urlconf):
    views = list(_api_views(get_resolver(urlconf)))
    assert views or urlconf == "config.urls_public"
    for route, view_class in views:
        stated = next(
            (klass for klass in view_class.__mro__ if "permission_classes" in vars(klass)), None
        )
        assert stated is not None and stated is not APIView, route
        assert DenyAll not in view_class.permission_classes, route
