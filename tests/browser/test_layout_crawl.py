"""The layout of a demo-like town's pages in Chromium, at a phone's 375 px and a laptop's
1280 px, anonymously and signed in as a resident: the pages found by following links from the
home page (same host, GET only, a bounded number), surveys and a budget ballot among them.

On each page: nothing wider than the screen, no radio button or checkbox more than 24 px from
its words, and no axe violation of impact serious or critical."""

from __future__ import annotations

import datetime
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from participation import services
from participation.budgets import services as budget_services
from participation.budgets.models import Budget
from participation.demo import demo_content_seed
from participation.ideas.services import proposal_submit
from tenants.models import Tenant
from tenants.services import town_create
from tests.browser.conftest import town_drop
from tests.factories import PASSWORD
from tests.participation.factories import AdminFactory, ParticipantFactory

CRAWL_TOWN = "vitrine"
RESIDENT = "habitante@vitrine.fr"
# Enough for the crawl to reach every module's forms from the homepage (each module adds pages).
MAX_PAGES = 90
MAX_LABEL_GAP_PX = 24
VIEWPORTS = {"phone": (375, 812), "laptop": (1280, 900)}
BLOCKING_IMPACTS = {"serious", "critical"}
# Not pages to read: language switches (the same pages again, in English), files, the API,
# the back office (not a resident's), and what signs out.
SKIPPED_PREFIXES = ("/langue/", "/media/", "/static/", "/api/", "/gestion/", "/i18n/")


@pytest.fixture(scope="module")
def demo_town(django_db_setup, django_db_blocker):
    """A town seeded as the demo towns are (a consultation with a survey whose questions
    include a grid, a poll, news, documents), plus a budget campaign: a call for ideas
    collecting and a ballot open for the vote. Dropped at the end."""
    with django_db_blocker.unblock():
        tenant = town_create(
            slug=CRAWL_TOWN,
            name="Ville Vitrine",
            kind=Tenant.Kind.COMMUNE,
            population=8_000,
            status=Tenant.Status.ACTIVE,
        ).tenant
        try:
            with tenant_context(tenant):
                _seed()
            yield tenant
        finally:
            town_drop(tenant)


def _seed() -> None:
    admin = AdminFactory(email="mairie@vitrine.fr")
    resident = ParticipantFactory(email=RESIDENT, display_name="Habitante")
    neighbour = ParticipantFactory(email="voisin@vitrine.fr", display_name="Voisin")
    demo_content_seed(admin=admin, residents=[resident, neighbour])
    space = services.space_create(
        actor=admin,
        kind="budget_campaign",
        title="Budget participatif 2027",
        summary="10 000 € pour les projets des habitants.",
        publish=True,
    )
    now = timezone.now()
    ideas = services.component_add(actor=admin, space=space, type_key="ideas", title="Vos idées")
    services.phase_add(
        actor=admin,
        component=ideas,
        kind="collect",
        starts_at=now - datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(days=20),
    )
    proposal_submit(
        author=neighbour,
        component=ideas,
        title="Des bancs le long du canal",
        description="Pour se reposer pendant la promenade.",
    )
    votes = services.component_add(
        actor=admin, space=space, type_key="budgets", title="Votez pour vos projets"
    )
    budget = budget_services.budget_create(
        actor=admin,
        component=votes,
        title="Enveloppe 2027",
        amount=10_000,
        ballot_rule=Budget.BallotRule.KNAPSACK,
    )
    for title, cost in (
        ("Jardin partagé rue des Lilas, avec composteur et récupérateur d'eau", 4_000),
        ("Abri à vélos près de la gare", 6_500),
        ("Boîte à livres devant l'école", 800),
    ):
        budget_services.project_add(
            actor=admin, budget=budget, title=title, cost=cost, description="Chiffré."
        )
    services.phase_add(
        actor=admin,
        component=votes,
        kind="vote",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(days=14),
    )


@pytest.fixture
def crawl_url(demo_town, live_server_port):
    origin = f"http://{demo_town.slug}.localhost:{live_server_port}"
    return lambda path="/": origin + path


# The measures, in the page.

PAGE_WIDER_THAN_SCREEN = "document.scrollingElement.scrollWidth - window.innerWidth"

# For each rendered radio or checkbox: the distance in px between its drawn box and the
# nearest box of its label's words (text nodes, so that a label wrapping the input measures its
# words, not itself). Labels not drawn (display: none, or visually hidden to 1 px) do not
# count; an input named only by aria-label (a grid's cell, under its column's heading on a
# wide screen) has no words beside it to measure.
LABEL_GAPS = """() => {
  const drawn = (r) => r.width > 1 && r.height > 1;
  const gap = (a, b) => Math.hypot(
    Math.max(0, b.left - a.right, a.left - b.right),
    Math.max(0, b.top - a.bottom, a.top - b.bottom));
  const found = [];
  for (const input of document.querySelectorAll('input[type=radio], input[type=checkbox]')) {
    const outer = input.getBoundingClientRect();
    if (!drawn(outer)) continue;
    // The box as drawn: a square centred in the element, which CSS may have stretched (a
    // radio 100% wide is drawn in the middle of the column, far from its words).
    const side = Math.min(outer.width, outer.height);
    const x = outer.left + outer.width / 2, y = outer.top + outer.height / 2;
    const box = {left: x - side / 2, right: x + side / 2, top: y - side / 2, bottom: y + side / 2};
    let nearest = Infinity;
    for (const label of input.labels) {
      const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const rect of range.getClientRects()) {
          if (drawn(rect)) nearest = Math.min(nearest, gap(box, rect));
        }
      }
    }
    if (nearest === Infinity && input.hasAttribute('aria-label')) continue;
    found.push({input: input.id || input.name, gap: nearest === Infinity ? null : nearest});
  }
  return found;
}"""

ASK = """async (url) => {
  const answer = await fetch(url, {credentials: 'same-origin', redirect: 'follow'});
  return [answer.status, answer.headers.get('content-type') || ''];
}"""

LINKS = "() => Array.from(document.querySelectorAll('a[href]'), (a) => a.getAttribute('href'))"


def _same_site_paths(page, current: str) -> list[str]:
    """The paths of the page's links that stay on this host. Queries are left out: they are
    mostly "?next=" of the sign-in links, the same page for every page linking to it."""
    here = urlsplit(current)
    paths = []
    for href in page.evaluate(LINKS):
        target = urlsplit(urljoin(current, href))
        if target.scheme not in ("http", "https") or target.netloc != here.netloc:
            continue
        if target.path.startswith(SKIPPED_PREFIXES):
            continue
        paths.append(target.path)
    return paths


def _axe_blocking(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def _problems(page) -> list[str]:
    found = []
    overflow = page.evaluate(PAGE_WIDER_THAN_SCREEN)
    if overflow > 0:
        found.append(f"page wider than the screen by {overflow} px")
    for item in page.evaluate(LABEL_GAPS):
        if item["gap"] is None or item["gap"] > MAX_LABEL_GAP_PX:
            gap = "no visible words" if item["gap"] is None else f"{item['gap']:.0f} px"
            found.append(f"box {item['input']!r} far from its words ({gap})")
    found.extend(f"axe: {violation}" for violation in _axe_blocking(page))
    return found


def _crawl(page, start: str) -> dict[str, list[str]]:
    """Visit pages breadth-first from ``start``: each page's problems, by path."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(start))
    queue, seen, report = ["/"], {"/"}, {}
    page.goto(start)  # the questions below are asked from a page of this host
    while queue and len(report) < MAX_PAGES:
        path = queue.pop(0)
        # Asked first from the page (same cookies; Chromium resolves *.localhost, Playwright's
        # own requests do not): a download (a document, a CSV) is no page to measure.
        status, kind = page.evaluate(ASK, origin + path)
        assert status == 200, f"{path}: {status}"
        if not kind.startswith("text/html"):
            continue
        page.goto(origin + path)
        report[path] = _problems(page)
        for link in _same_site_paths(page, page.url):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return report


def _sign_in(page, url) -> None:
    page.goto(url("/compte/connexion/"))
    page.get_by_label("Adresse e-mail").fill(RESIDENT)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("header")).to_contain_text("Se déconnecter")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("visitor", ["anonymous", "resident"])
def test_every_page_fits_the_screen_with_boxes_beside_their_words(
    chromium, crawl_url, viewport, visitor
):
    width, height = VIEWPORTS[viewport]
    context = chromium.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    page = context.new_page()
    try:
        if visitor == "resident":
            _sign_in(page, crawl_url)
        report = _crawl(page, crawl_url())
    finally:
        context.close()
    visited = set(report)
    # The crawl reached the forms this test is about.
    assert any("/surveys/" in path and path.count("/") >= 6 for path in visited), visited
    assert any("/budgets/" in path and path.count("/") >= 6 for path in visited), visited
    if visitor == "resident":
        assert any(path.startswith("/compte/") for path in visited), visited
    assert {path: problems for path, problems in report.items() if problems} == {}


def test_the_checks_catch_a_wide_page_and_a_box_far_from_its_words(page, crawl_url):
    """The measures can fail: a block wider than the phone, a checkbox 100 px from its label,
    and a checkbox without any label (also an axe violation)."""
    page.goto(crawl_url("/"))
    page.evaluate(
        """document.querySelector('main').insertAdjacentHTML('beforeend',
        '<div style="width: 600px">large</div>'
        + '<p><input type="checkbox" id="far"><label for="far" style="margin-left: 100px">'
        + 'loin</label></p><p><input type="checkbox" id="nameless"></p>')"""
    )
    problems = _problems(page)
    assert any(problem.startswith("page wider than the screen") for problem in problems)
    assert any(problem.startswith("box 'far' far from its words (1") for problem in problems)
    assert "box 'nameless' far from its words (no visible words)" in problems
    assert any(problem.startswith("axe: label") for problem in problems)
