"""Each role sees and does exactly what it should on every back-office URL.

The URLs are read from the town's URL conf (every route under ``gestion/``), so a new page is
in the matrix as soon as it is mounted. Each page names its permission (core.guards); the
table ALLOWED says which roles pass each permission: a page with a new permission fails here
until its line is written, and a page without any guard fails too.

Each role asks each page with a GET, or a POST (empty form) when the page takes only POST; it
is refused when it is sent to sign in, gets 403 or 404 (an object out of its scope); anything
else means it got in. Each request runs in a savepoint rolled back afterwards, so that what one
role does (a phase deleted) does not change what the next one sees."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import IdentityProvider
from network.library.services import template_publish
from participation.budgets import services as budget_services
from participation.budgets.models import Budget, PaperBallot
from participation.comments.models import Comment
from participation.councils import services as council_services
from participation.councils.models import CouncilMember
from participation.documents.models import Document
from participation.elections.models import Candidate, Election, Elector
from participation.home.services import block_add
from participation.ideas.models import Category, Proposal
from participation.integrations.services import integration_token_create
from participation.news.models import NewsPost
from participation.questions import services as question_services
from participation.surveys import services as survey_services
from participation.surveys.models import Question as SurveyQuestion
from participation.team.services import invitation_send
from participation.volunteering.models import Association
from tenants.domains import custom_domain_request
from tests.participation.conftest import logged_in
from tests.participation.councils.conftest import schedule
from tests.participation.factories import (
    AdminFactory,
    ComponentFactory,
    ParticipantFactory,
    PhaseFactory,
    SpaceFactory,
)
from tests.participation.phases_support import running_phase_then
from tests.participation.team.factories import (
    Kind,
    MunicipalServiceFactory,
    OfficialFactory,
    member,
)
from tests.participation.volunteering.factories import AssociationFactory, MissionFactory
from tests.tenants.fake_dns import FakeDns
from theming.models import LegalPage

ROLES = (
    "anonymous",
    "citizen",
    "analyst_elsewhere",
    "analyst",
    "official",
    "paper_agent",
    "manager_elsewhere",
    "manager",
    "moderator",
    "admin",
)
TEAM = set(ROLES) - {"anonymous", "citizen"}
SPACE_STAFF = {"admin", "moderator", "manager"}
MODERATORS_SOMEWHERE = SPACE_STAFF | {"manager_elsewhere"}

# Which roles pass each permission a back-office page names, on the matrix's objects.
ALLOWED: dict[str, set[str]] = {
    "volunteering.moderate_mission": {"admin", "moderator"},
    "participation.view_backoffice": TEAM,
    "participation.list_spaces": MODERATORS_SOMEWHERE,
    "participation.change_space": SPACE_STAFF,
    # The town's modules, archiving and deleting spaces, removing components.
    "participation.admin_town": {"admin"},
    "participation.view_neighbourhoods": {"admin", "moderator"},
    "participation.change_homepage": {"admin"},
    "participation.invite_team": {"admin", "manager", "manager_elsewhere"},
    "participation.manage_team": {"admin"},
    "participation.view_audit": {"admin"},
    "theming.change_sitetheme": {"admin"},
    "theming.change_legalpage": {"admin"},
    "comments.view_moderation_queue": MODERATORS_SOMEWHERE,
    "budgets.open_backoffice": SPACE_STAFF | {"paper_agent"},
    "budgets.change_budget": SPACE_STAFF,
    "budgets.override_results": {"admin"},
    "budgets.enter_paper_ballot": {"admin", "moderator", "paper_agent"},
    "documents.add_document": SPACE_STAFF,
    "news.add_newspost": SPACE_STAFF,
    "polls.change_poll": SPACE_STAFF,
    "surveys.change_survey": SPACE_STAFF,
    "surveys.export_survey": SPACE_STAFF,
    "ideas.open_backoffice": SPACE_STAFF | {"analyst", "analyst_elsewhere"},
    "ideas.analyse_proposal": SPACE_STAFF,
    # A council's and an election's back office: whoever manages the space.
    "councils.change_council": SPACE_STAFF,
    "elections.change_election": SPACE_STAFF,
    "elections.open_backoffice": SPACE_STAFF | {"paper_agent"},
    # Paper votes are typed in by the town's agents, not by a space's managers (as budgets').
    "elections.enter_paper": {"admin", "moderator", "paper_agent"},
    # The queue of questions: the space's staff, and whoever answers some (an official with an
    # account, a service's members), who see there only what is routed to them.
    "questions.view_queue": SPACE_STAFF | {"official", "analyst", "analyst_elsewhere"},
    "questions.change_settings": SPACE_STAFF,
    "participation.change_official": {"admin"},
    "theming.change_domain": {"admin"},
    "theming.change_identityprovider": {"admin"},
    "template_library.view_library": {"admin", "moderator"},
    "template_library.use_library": {"admin"},
    "network.enter_network": {"admin", "moderator"},
    "integrations.manage_tokens": {"admin"},
}
# Where the object of the page narrows its permission's roles.
NARROWED: dict[str, set[str]] = {
    # A comment of the matrix's space: the other space's manager does not moderate it.
    "participation:comments_admin:hide": SPACE_STAFF,
    "participation:comments_admin:restore": SPACE_STAFF,
    # Paper ballots are typed in by the town's agents, not by a space's managers.
    "budgets_admin:paper_enter": {"admin", "moderator", "paper_agent"},
    # The matrix's budget has projects: nobody imports a pabulib file into it.
    "budgets_admin:pabulib_preview": set(),
    # The proposal is assigned to the analyst's service, not to the other analyst's.
    **{
        f"ideas_admin:{name}": SPACE_STAFF | {"analyst"}
        for name in ("proposal", "note", "eligible", "ineligible", "follow_up")
    },
    # The question is routed to the official: the services' members do not hold it.
    **{
        f"questions_admin:{name}": SPACE_STAFF | {"official"}
        for name in ("question", "route", "answer", "decline")
    },
}


def _routes(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), namespace + entry.name, entry.callback


def backoffice_routes() -> list[tuple[str, str, object]]:
    return [
        route
        for route in _routes(get_resolver("config.urls_town").url_patterns)
        if route[0].startswith("gestion/")
    ]


ROUTES = {name: (route, view) for route, name, view in backoffice_routes()}


def test_the_matrix_finds_the_back_office():
    assert {"backoffice:dashboard", "team:team", "ideas_admin:proposal"} <= set(ROUTES)
    assert {
        "backoffice:modules",
        "backoffice:space_archive",
        "backoffice:space_delete",
        "backoffice:component_remove",
    } <= set(ROUTES)
    assert len(ROUTES) > 40


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_every_back_office_page_names_a_permission_of_the_matrix(name):
    permission = getattr(ROUTES[name][1], "permission", None)
    assert permission, f"{name} n'est gardée par aucune permission (core.guards)"
    assert permission in ALLOWED, f"{permission} ({name}) : ajoutez sa ligne à ALLOWED"


@pytest.fixture
def world(in_town_a, town_a, media_root, settings):
    """One space with a component of each module, an object of each kind the pages name, and
    one account per role."""
    admin = AdminFactory()
    space, elsewhere = SpaceFactory(), SpaceFactory()
    service, other_service = MunicipalServiceFactory(), MunicipalServiceFactory()
    official = OfficialFactory()
    components = {
        key: ComponentFactory(space=space, type_key=key)
        for key in (
            "budgets",
            "councils",
            "documents",
            "elections",
            "ideas",
            "news",
            "polls",
            "questions",
            "surveys",
            "volunteering",
        )
    }
    phase = PhaseFactory(component=components["news"])
    # A vote that has closed: its results may be published.
    PhaseFactory(
        component=components["budgets"],
        kind="vote",
        starts_at=timezone.now() - datetime.timedelta(days=10),
        ends_at=timezone.now() - datetime.timedelta(days=1),
    )
    budget = budget_services.budget_create(
        actor=admin,
        component=components["budgets"],
        title="Capitole",
        amount=1000,
        ballot_rule=Budget.BallotRule.APPROVAL,
        min_projects=1,
        max_projects=1,
    )
    citizen = ParticipantFactory()
    post = NewsPost.objects.create(
        component=components["news"], title="Travaux", body="Lundi.", published_at=timezone.now()
    )
    proposal = Proposal.objects.create(
        component=components["ideas"],
        author=citizen,
        title="Des arceaux",
        description="Pour les vélos.",
        service=service,
    )
    comment = Comment.objects.create(
        component=components["news"],
        content_type=ContentType.objects.get_for_model(NewsPost),
        object_id=post.pk,
        author=citizen,
        body="Bravo",
    )
    survey = survey_services.survey_create(
        actor=admin, component=components["surveys"], title="Mobilités"
    )
    users = {
        "anonymous": None,
        "citizen": citizen,
        "analyst": member(Kind.ANALYST, service=service),
        "analyst_elsewhere": member(Kind.ANALYST, service=other_service),
        "official": member(Kind.OFFICIAL, official=official),
        "paper_agent": member(Kind.PAPER_AGENT),
        "manager": member(Kind.SPACE_MANAGER, spaces=[space]),
        "manager_elsewhere": member(Kind.SPACE_MANAGER, spaces=[elsewhere]),
        "moderator": member(Kind.MODERATOR),
        "admin": admin,
    }
    kwargs = {
        "slug": space.slug,
        "space_slug": space.slug,
        "phase_id": phase.pk,
        "budget_id": budget.pk,
        "paper_id": PaperBallot.objects.create(
            budget=budget, polling_station="Mairie", entered_by=admin
        ).pk,
        "proposal_id": proposal.pk,
        "category_id": Category.objects.create(component=components["ideas"], name="Vélo").pk,
        "post_id": post.pk,
        "document_id": Document.objects.create(
            component=components["documents"],
            title="Plan",
            file="documents/plan.pdf",
            content_type="application/pdf",
            size=1,
        ).pk,
        "survey_id": survey.pk,
        "comment_id": comment.pk,
        "user_id": users["moderator"].pk,
        "pk": block_add(actor=admin, kind="hero", title="Bienvenue").pk,
        "kind": "hero",
        "fmt": "csv",
        "official_id": official.pk,
        "service_id": service.pk,
        "question_id": _routed_question(admin, citizen, components["questions"], official).pk,
        **_council_kwargs(admin, components["councils"]),
        **_election_kwargs(components["elections"], citizen),
        "domain_id": custom_domain_request(
            actor=admin, tenant=town_a, domain="participez.matrice.fr"
        ).pk,
        "invitation_id": invitation_send(
            actor=admin, email="invitee@ville-a.fr", roles=[Kind.MODERATOR]
        ).pk,
        "token_id": integration_token_create(
            actor=admin,
            name="Site de la mairie",
            scopes=["ideas:read"],
            expires_on=timezone.localdate() + datetime.timedelta(days=30),
        )[0].pk,
        "provider_id": IdentityProvider.objects.create(
            kind=IdentityProvider.Kind.FRANCECONNECT,
            name="FranceConnect",
            issuer="https://fc.invalid",
            client_id="agora",
            client_secret="secret",
        ).pk,
    }
    # The same name of URL argument for other objects in some namespaces.
    kwargs_of = {
        "surveys_admin": {"question_id": _survey_question(admin, survey).pk},
        "volunteering_admin": {
            "association_id": AssociationFactory(status=Association.Status.PENDING).pk,
            "mission_id": MissionFactory(component=components["volunteering"]).pk,
            "name": "associations",
        },
        "template_library": {
            "pk": template_publish(
                actor=admin, space_id=space.pk, title="Matrice", description="Un espace.", tags=""
            ).template_id
        },
    }
    # A custom domain's check asks a local DNS server (speaking the real protocol).
    with FakeDns() as dns_server:
        settings.DNS_RESOLVER = dns_server.address
        yield {"users": users, "kwargs": kwargs, "kwargs_of": kwargs_of, "components": components}


def _routed_question(admin, citizen, component, official):
    running_phase_then(component, kind="questions", then="answers")
    question = question_services.question_ask(
        author=citizen, component=component, title="L'éclairage", body="Rue Trivalle, éteint."
    )
    return question_services.question_route(actor=admin, question=question, official=official)


def _council_kwargs(admin, component) -> dict[str, int]:
    return {
        "meeting_id": schedule(admin, component, starts_in_hours=24).pk,
        "member_id": council_services.member_add(
            actor=admin, component=component, role=CouncilMember.Role.RESIDENT, name="Lou"
        ).pk,
        "shop_id": council_services.shop_add(
            actor=admin, component=component, name="Boulangerie", address="1 place du Marché"
        ).pk,
    }


def _election_kwargs(component, citizen) -> dict[str, int]:
    Election.objects.create(component=component, seats=2)
    return {
        "candidate_id": Candidate.objects.create(
            component=component, user=citizen, name="Alice", gender="f", statement="Ma foi."
        ).pk,
        "elector_id": Elector.objects.create(
            component=component, user=citizen, email=citizen.email, source=Elector.Source.RESIDENT
        ).pk,
    }


def _survey_question(admin, survey):
    section = survey_services.section_add(actor=admin, survey=survey, title="Vos habitudes")
    return survey_services.question_add(
        actor=admin,
        section=section,
        kind=SurveyQuestion.Kind.SHORT_TEXT,
        label="Comment venez-vous ?",
    )


def _url(name: str, world) -> str:
    route, _view = ROUTES[name]
    namespace = name.split(":")[-2] if ":" in name else ""
    given = {**world["kwargs"], **world["kwargs_of"].get(namespace, {})}
    kwargs = {key: value for key, value in given.items() if f":{key}>" in route}
    if namespace.endswith("_admin") and namespace != "site_admin" and "component_id" in route:
        kwargs["component_id"] = world["components"][namespace.removesuffix("_admin")].pk
    if namespace == "backoffice" and "component_id" in route:
        kwargs["component_id"] = world["components"]["news"].pk
    if namespace == "site_admin" and "slug" in kwargs:
        kwargs["slug"] = LegalPage.SLUGS[LegalPage.Kind.LEGAL_NOTICE]
    return reverse(name, kwargs=kwargs)


def _got_in(client, url: str) -> bool:
    with transaction.atomic():
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        transaction.set_rollback(True)
    if response.status_code == 302 and response["Location"].startswith("/compte/connexion/"):
        return False
    assert response.status_code < 500, (url, response.status_code)
    return response.status_code not in (403, 404)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_each_role_gets_exactly_its_pages(world, town_a, name):
    url = _url(name, world)
    expected = NARROWED.get(name, ALLOWED[ROUTES[name][1].permission])
    got_in = set()
    for role in ROLES:
        user = world["users"][role]
        if _got_in(logged_in(town_a, user), url):
            got_in.add(role)
    assert got_in == expected, url
