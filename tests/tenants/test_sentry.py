"""Every Sentry event says which town it happened in."""

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from tenants.observability import init_sentry
from tests.conftest import client_for


class CapturingTransport(Transport):
    """Keeps the events in memory instead of sending them."""

    def __init__(self, options=None):
        super().__init__(options)
        self.events: list[dict] = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            event = item.get_event() or item.get_transaction_event()
            if event is not None:
                self.events.append(event)

    def flush(self, timeout, callback=None):
        pass

    def kill(self):
        pass


@pytest.fixture
def sentry_events(settings):
    settings.ROOT_URLCONF = "tests.tenants.urls_failing"
    transport = CapturingTransport()
    init_sentry(
        dsn="https://public@sentry.invalid/1",
        environment="test",
        traces_sample_rate=0,
        transport=transport,
    )
    try:
        yield transport.events
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)
        sentry_sdk.get_isolation_scope().remove_tag("town")
        sentry_sdk.get_isolation_scope().remove_tag("schema")


def _errors(events: list[dict]) -> list[dict]:
    return [
        event
        for event in events
        if any(
            value.get("type") == "DeliberateFailure"
            for value in event.get("exception", {}).get("values", [])
        )
    ]


def _failing_request(tenant):
    client = client_for(tenant)
    client.raise_request_exception = False
    return client.get("/panne/")


def test_error_in_a_town_view_is_reported_with_the_town_tag(sentry_events, town_a):
    response = _failing_request(town_a)
    assert response.status_code == 500
    errors = _errors(sentry_events)
    assert errors, sentry_events
    assert errors[-1]["tags"]["town"] == "ville-a"
    assert errors[-1]["tags"]["schema"] == "ville_a"
    assert errors[-1]["environment"] == "test"


def test_errors_in_two_towns_carry_each_their_own_tag(sentry_events, town_a, town_b):
    _failing_request(town_a)
    _failing_request(town_b)
    errors = _errors(sentry_events)
    assert [event["tags"]["town"] for event in errors[-2:]] == ["ville-a", "ville-b"]


def test_events_carry_no_personal_data_by_default(sentry_events, town_a):
    _failing_request(town_a)
    event = _errors(sentry_events)[-1]
    assert "cookies" not in event.get("request", {})
    assert "ip_address" not in event.get("user", {})


def test_sentry_is_off_again_after_the_test():
    assert not sentry_sdk.get_client().is_active()
