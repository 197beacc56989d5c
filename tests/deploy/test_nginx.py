"""deploy/nginx/agora.conf in front of two gunicorn nodes: towns reached by their host name
(wildcard sub-domains), answered by both nodes in turn, plain HTTP sent to HTTPS."""

from __future__ import annotations

import pytest

from core.hosts import town_host

from .servers import (
    LEGAL_NOTICE_PATH,
    Nginx,
    gunicorn_nodes,
    http_get,
    marker,
    served_by,
    towns_with_their_own_page,
)


@pytest.fixture
def towns(committed_db):
    with towns_with_their_own_page(4, "lb") as slugs:
        yield slugs


@pytest.fixture
def nodes(towns, tmp_path):
    with gunicorn_nodes(tmp_path, town_host(towns[0]), workers=1) as started:
        yield started


@pytest.fixture
def nginx(nodes, tmp_path):
    server = Nginx(tmp_path / "nginx", [node.port for node in nodes])
    yield server
    server.stop()


def test_towns_are_reached_by_host_name_through_nginx_on_both_nodes(towns, nodes, nginx):
    for _ in range(3):
        for slug in towns:
            status, body = http_get(nginx.https_port, town_host(slug), LEGAL_NOTICE_PATH, tls=True)
            assert status == 200
            assert marker(slug) in body
            assert all(marker(other) not in body for other in towns if other != slug)
    served = served_by(nodes, LEGAL_NOTICE_PATH, 3 * len(towns))
    assert sum(served) == 3 * len(towns)
    assert min(served) >= len(towns)  # round robin: about half each


def test_an_unknown_host_gets_the_unknown_host_page_and_http_goes_to_https(nginx):
    status, body = http_get(nginx.https_port, town_host("nulle-part"), "/", tls=True)
    assert status == 404
    assert "nulle-part" in body
    status, _body = http_get(nginx.http_port, town_host("nulle-part"), "/")
    assert status == 301
