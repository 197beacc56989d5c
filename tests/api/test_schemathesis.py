"""Schemathesis against the live schema of a demo town, over real HTTP (a server thread with
its own connections: the town is committed, seeded as the demo towns are, and dropped at the
end). Every operation gets a few generated requests (queries and bodies generated, the path
naming the town's real spaces, components and items), anonymous and signed in with a token
from /api/v1/auth/token/: none may answer a server error, and every answer must match the
schema (status and body)."""

from __future__ import annotations

import pytest
import requests
import schemathesis
from django_tenants.utils import tenant_context
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from core.hosts import town_host
from participation.demo import demo_content_seed
from participation.elections.models import Candidate, Election, Elector
from participation.models import Space
from tenants.models import Tenant
from tenants.services import town_create
from tests.api.helpers import town_values
from tests.browser.conftest import live_server_port, town_drop  # noqa: F401 (fixture)
from tests.factories import PASSWORD
from tests.participation.factories import AdminFactory, ComponentFactory, ParticipantFactory
from tests.participation.phases_support import running_phase_then

SLUG = "api-essai"
RESIDENT = "habitante@api-essai.fr"
EXAMPLES = 3


@pytest.fixture(scope="module")
def api_town(django_db_setup, django_db_blocker):
    """The demo town's ids, slugs and texts (the town itself is on the server)."""
    with django_db_blocker.unblock():
        tenant = town_create(
            slug=SLUG,
            name="Ville de l'API",
            kind=Tenant.Kind.COMMUNE,
            population=9_000,
            status=Tenant.Status.ACTIVE,
        ).tenant
        try:
            with tenant_context(tenant):
                admin = AdminFactory(email="mairie@api-essai.fr")
                resident = ParticipantFactory(email=RESIDENT, display_name="Habitante")
                demo_content_seed(admin=admin, residents=[resident])
                _election(resident)
                values = town_values()
            yield values
        finally:
            town_drop(tenant)


def _election(elector) -> None:
    """The demo towns hold no election: one in the neighbourhood council, voting now, with
    the resident on its roll and two candidates."""
    space = Space.objects.get(kind=Space.Kind.NEIGHBOURHOOD_COUNCIL)
    component = ComponentFactory(space=space, type_key="elections", title="Élection du conseil")
    Election.objects.create(component=component, seats=1)
    running_phase_then(component, kind="vote", then="results")
    Elector.objects.create(
        component=component, user=elector, email=elector.email, source=Elector.Source.RESIDENT
    )
    for name, gender in (("Alice", "f"), ("Bruno", "m")):
        Candidate.objects.create(
            component=component,
            user=ParticipantFactory(),
            name=name,
            gender=gender,
            status=Candidate.Status.VALIDATED,
        )


@pytest.fixture(scope="module")
def server(api_town, live_server_port):  # noqa: F811
    base = f"http://127.0.0.1:{live_server_port}"
    host = {"Host": town_host(SLUG)}
    response = requests.get(f"{base}/api/v1/schema/?format=json", headers=host, timeout=30)
    response.raise_for_status()
    return base, host, schemathesis.openapi.from_dict(response.json()), api_town


def _token(base: str, host: dict) -> str:
    response = requests.post(
        f"{base}/api/v1/auth/token/",
        json={"username": RESIDENT, "password": PASSWORD},
        headers=host,
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()["token"]


def _checked_calls(operation, parameters: dict, base: str, headers: dict):
    """A few generated requests to ``operation`` at the town's real ``parameters``, each
    answer checked: no server error, the schema's status and body."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        case.path_parameters = parameters
        response = case.call(base_url=base, headers=headers, timeout=30)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    return call


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "token"])
def test_every_operation_answers_within_its_schema(server, signed_in):
    base, host, schema, values = server
    headers = dict(host)
    if signed_in:
        headers["Authorization"] = f"Token {_token(base, host)}"
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    failures = []
    for operation in operations:
        if operation.path == "/api/v1/auth/token/" and signed_in:
            continue  # the sign-in lock-out counts wrong passwords: once is enough
        parameters = values.path_parameters(operation.path)
        if parameters is None:
            continue  # a module the demo town does not show

        call = _checked_calls(operation, parameters, base, headers)
        try:
            call()
        except Exception as exc:  # gathered: one report for every operation
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
