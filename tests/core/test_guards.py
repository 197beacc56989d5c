"""core.guards.permission_required: the one back-office guard, on django-rules."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django_tenants.utils import tenant_context

from accounts.models import User
from core.guards import permission_required
from tests.factories import UserFactory

PERM = "participation.view_backoffice"


@permission_required(PERM)
def staff_page(request):
    return HttpResponse("ok")


def _get(user, path="/gestion/page/?onglet=2"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def test_an_anonymous_visitor_is_sent_to_log_in_and_back(town_a):
    with tenant_context(town_a):
        response = staff_page(_get(AnonymousUser()))
    assert response.status_code == 302
    assert response["Location"].endswith("?next=/gestion/page/%3Fonglet%3D2")


def test_a_user_without_the_permission_is_refused(town_a):
    with tenant_context(town_a), pytest.raises(PermissionDenied):
        staff_page(_get(UserFactory(role=User.Role.CITIZEN)))


def test_a_user_with_the_permission_gets_the_page(town_a):
    with tenant_context(town_a):
        response = staff_page(_get(UserFactory(role=User.Role.MODERATOR)))
    assert response.content == b"ok"


def test_with_obj_the_permission_is_checked_on_the_object_which_the_view_receives(town_a):
    checked = []

    class Rules:
        """A user stand-in whose has_perm records what it was asked."""

        is_authenticated = True

        def __init__(self, allow):
            self.allow = allow

        def has_perm(self, perm, obj=None):
            checked.append((perm, obj))
            return self.allow

    @permission_required(PERM, obj=lambda request, *, item_id: f"item-{item_id}")
    def item_page(request, item, *, item_id):
        return HttpResponse(item)

    assert item_page(_get(Rules(allow=True)), item_id=7).content == b"item-7"
    with pytest.raises(PermissionDenied):
        item_page(_get(Rules(allow=False)), item_id=8)
    assert checked == [(PERM, "item-7"), (PERM, "item-8")]
