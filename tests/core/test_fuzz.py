"""Every form page and every API write of both URL confs, fed input no person types: NUL
characters, lone surrogates, deep or huge JSON, huge strings and numbers, wrong types. Any
answer in 5xx (or an exception escaping a view) fails the test.

The routes are read from config.urls_town and config.urls_public, so a new route is fuzzed as
soon as it exists; a route whose parameters this file cannot fill fails the test until
``_kwargs`` learns them. Each request runs in a savepoint rolled back afterwards: a request
that deletes or closes something leaves the world as it was for the next one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_tenants.utils import tenant_context

from accounts.models import IdentityProvider
from network.library.services import template_publish
from participation.demo import demo_content_seed
from participation.ideas.models import Proposal
from participation.ideas.services import proposal_submit
from participation.models import Component, HomeBlock, Space
from tests.conftest import client_for, console_client_for
from tests.participation.factories import AdminFactory, ComponentFactory, ParticipantFactory
from tests.participation.phases_support import running_phase_then

HUGE_TEXT = "x" * 100_000
HUGE_NUMBER = "9" * 40
DEEP_JSON = "[" * 5000 + "]" * 5000
# Form values, each sent in every field of a form at once.
FORM_VALUES = ["a\x00b", HUGE_TEXT, HUGE_NUMBER, "-1", "1e400", "NaN", "2026-13-45", "\ufffd"]
# JSON values, each sent in every field of an API write at once (as parsed JSON).
JSON_VALUES = [
    "a\x00b",
    "\ud800",
    HUGE_TEXT,
    10**40,
    -1,
    1.5e308,
    [],
    {},
    None,
    True,
    [[["x"]]],
    {"a": {"b": "c"}},
]
# Names the API writes read (their serializers and ballot_from_json).
API_FIELDS = [
    "title",
    "description",
    "address",
    "latitude",
    "longitude",
    "estimated_cost",
    "category",
    "neighbourhood",
    "choices",
    "answers",
    "last_name",
    "first_name",
    "birth_date",
    "username",
    "password",
]
# Paths that are not pages: the media files, the monitoring probe, the Stripe endpoint
# (its own test sends signed bodies of the wrong shape: tests/billing/test_webhooks.py).
NOT_FUZZED = {"media/<str:schema>/<path:path>", "healthz", "facturation/stripe/webhook/"}


class Rollback(Exception):
    pass


@dataclass
class Failure:
    route: str
    method: str
    payload: str
    outcome: str


class FormFields(HTMLParser):
    """The fields of a page's POST forms, with a value a person could send."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._in_post_form = False
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_post_form = (attrs.get("method") or "").lower() == "post"
        if not self._in_post_form or not attrs.get("name"):
            if tag == "option" and self._select and self._select not in self.fields:
                self.fields[self._select] = attrs.get("value") or ""
            return
        name = attrs["name"]
        if name == "csrfmiddlewaretoken":
            return
        if tag == "select":
            self._select = name
        elif tag in ("input", "textarea"):
            self.fields.setdefault(name, attrs.get("value") or "1")

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post_form = False
        if tag == "select":
            self._select = None


def _routes(urlconf: str) -> Iterator[str]:
    def walk(patterns, prefix: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return walk(get_resolver(urlconf).url_patterns, "")


@dataclass
class TownWorld:
    admin: object
    resident: object
    schema: str

    def module_of(self, route: str) -> str | None:
        # Surveys before questions: a survey's question pages are under its "/questions/".
        modules = ("budgets", "councils", "documents", "elections", "ideas", "news", "polls")
        for module in (*modules, "surveys", "volunteering", "questions"):
            if f"/{module}/" in route:
                return module
        return None

    def component(self, route: str):
        from participation.models import Component

        module = self.module_of(route)
        components = Component.objects.all()
        return (components.filter(type_key=module) if module else components).first()

    def item(self, model, route: str) -> int:
        component = self.component(route)
        items = model.objects.all()
        if component is not None and any(f.name == "component" for f in model._meta.fields):
            items = items.filter(component=component) or model.objects.all()
        first = items.order_by("pk").first()
        # None: the town has none; the route then answers 404, which is fuzzed too.
        return first.pk if first is not None else 0


def _town_kwargs(world: TownWorld, route: str, names: list[str]) -> dict[str, object]:
    from accounts.models import TeamRole
    from network.library.models import SpaceTemplate
    from participation.budgets.models import Budget, PaperBallot
    from participation.comments.models import Comment
    from participation.councils.models import CouncilMember, Meeting, Shop
    from participation.documents.models import Document
    from participation.elections.models import Candidate, Elector
    from participation.ideas.models import Category, Proposal
    from participation.models import MunicipalService, Official, Phase
    from participation.news.models import NewsPost
    from participation.polls.models import Poll
    from participation.questions.models import Question
    from participation.surveys.models import Question as SurveyQuestion
    from participation.surveys.models import Survey
    from participation.volunteering import models as volunteering
    from tenants.models import Domain

    models = {
        "budget_id": Budget,
        "paper_id": PaperBallot,
        "comment_id": Comment,
        "document_id": Document,
        "candidate_id": Candidate,
        "elector_id": Elector,
        "category_id": Category,
        "proposal_id": Proposal,
        "phase_id": Phase,
        "post_id": NewsPost,
        "poll_id": Poll,
        "survey_id": Survey,
        "mission_id": volunteering.Mission,
        "application_id": volunteering.Application,
        "event_id": volunteering.Event,
        "contact_id": volunteering.ContactRequest,
        "request_id": volunteering.HelpRequest,
        "questionnaire_id": volunteering.Questionnaire,
        "association_id": volunteering.Association,
        "enquiry_id": volunteering.Enquiry,
        "meeting_id": Meeting,
        "member_id": CouncilMember,
        "shop_id": Shop,
        "official_id": Official,
        "service_id": MunicipalService,
        "provider_id": IdentityProvider,
        "question_id": SurveyQuestion if world.module_of(route) == "surveys" else Question,
    }
    component = world.component(route)
    kwargs: dict[str, object] = {}
    for name in names:
        if name in models:
            kwargs[name] = world.item(models[name], route)
        elif name == "component_id":
            kwargs[name] = component.pk
        elif name == "slug" and "/volunteering/" in route:
            first = volunteering.Association.objects.order_by("pk").first()
            kwargs[name] = first.slug if first is not None else "none"
        elif name == "user_id" and "/volunteering/" in route:
            profiles = volunteering.VolunteerProfile.objects.order_by("pk")
            kwargs[name] = profiles.values_list("user_id", flat=True).first() or 0
        elif name == "name" and "/volunteering/" in route:
            kwargs[name] = "chiffres"
        elif name in ("space_slug", "slug") and "/pages/" in route:
            kwargs[name] = "mentions-legales"
        elif name in ("space_slug", "slug"):
            kwargs[name] = component.space.slug
        elif name == "content_type_id":
            kwargs[name] = ContentType.objects.get_for_model(Proposal).pk
        elif name == "object_id":
            kwargs[name] = world.item(Proposal, route)
        elif name in ("token", "uidb64", "key"):
            kwargs[name] = "MQ"
        elif name == "user_id":  # a member of the town's team (participation.team)
            kwargs[name] = TeamRole.objects.values_list("user_id", flat=True).first() or 0
        elif name == "code":
            kwargs[name] = "fr"
        elif name == "fmt":
            kwargs[name] = "csv"
        elif name == "kind" and "/accueil/" in route:
            kwargs[name] = "hero"  # the homepage block with the most fields (text, link, image)
        elif name == "pk" and "/accueil/" in route:
            kwargs[name] = world.item(HomeBlock, route)
        elif name == "pk" and "/modeles/" in route:
            kwargs[name] = world.item(SpaceTemplate, route)
        elif name == "domain_id":  # the town's own name: refused where only custom ones go
            kwargs[name] = Domain.objects.filter(tenant__schema_name=world.schema).first().pk
        elif name == "size":
            kwargs[name] = 192  # the phone icon of the web app manifest
        elif name in ("token_id", "invitation_id"):
            kwargs[name] = 0  # none in this world: the 404 path is fuzzed
        else:
            pytest.fail(f"{route}: teach test_fuzz how to fill <{name}>")
    return kwargs


def _public_kwargs(route: str, names: list[str], town_slug: str) -> dict[str, object]:
    from billing.models import AddOn, Plan

    kwargs: dict[str, object] = {}
    for name in names:
        if name == "slug":
            kwargs[name] = town_slug
        elif name == "pk" and "/formules/" in route:
            kwargs[name] = Plan.objects.values_list("pk", flat=True).first() or 0
        elif name == "pk" and "/options/" in route:
            kwargs[name] = AddOn.objects.values_list("pk", flat=True).first() or 0
        elif name in ("pk", "invitee_id", "material_id", "user_id"):
            kwargs[name] = 0  # none in this world: the 404 path is fuzzed
        elif name in ("token", "code"):
            kwargs[name] = "fr"
        elif name == "key":
            kwargs[name] = "no-such-enrolment-key"  # refused: the refusal path is fuzzed
        else:
            pytest.fail(f"{route}: teach test_fuzz how to fill <{name}>")
    return kwargs


def _path(route: str, kwargs: dict[str, object]) -> str:
    import re

    def fill(match: re.Match) -> str:
        return str(kwargs[match.group(2)])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


def _names(route: str) -> list[str]:
    import re

    return [match.group(2) for match in re.finditer(r"<(?:(\w+):)?(\w+)>", route)]


def _request(client: Client, method: str, path: str, **options):
    """One request in a savepoint rolled back afterwards; the response, or the exception."""
    outcome: dict[str, object] = {}
    try:
        with transaction.atomic():
            try:
                outcome["response"] = getattr(client, method)(path, **options)
            except Exception as exc:  # a view that crashed: reported, not raised
                outcome["error"] = exc
            raise Rollback
    except Rollback:
        pass
    return outcome.get("response"), outcome.get("error")


class Fuzzer:
    def __init__(self) -> None:
        self.failures: list[Failure] = []
        self.requests = 0

    def send(self, client, method, route, path, payload_label, **options):
        self.requests += 1
        response, error = _request(client, method, path, **options)
        if error is not None:
            self.failures.append(
                Failure(route, method, payload_label, f"{type(error).__name__}: {error}"[:200])
            )
        elif response.status_code >= 500:
            self.failures.append(Failure(route, method, payload_label, str(response.status_code)))
        return response

    def fuzz_form(self, client: Client, route: str, path: str) -> None:
        page = self.send(client, "get", route, path, "GET")
        fields = FormFields()
        if page is not None and page.get("Content-Type", "").startswith("text/html"):
            fields.feed(page.content.decode(errors="replace"))
        names = list(fields.fields) or ["body", "title"]
        for value in FORM_VALUES:
            self.send(
                client,
                "post",
                route,
                path,
                f"all fields = {value[:12]!r}",
                data=dict.fromkeys(names, value),
            )
        for name in names:
            for value in (HUGE_TEXT, HUGE_NUMBER):
                data = {**fields.fields, name: value}
                self.send(client, "post", route, path, f"{name} = {value[:12]}…", data=data)

    def fuzz_api(self, client: Client, route: str, path: str, extra_fields=()) -> None:
        self.send(client, "get", route, path, "GET")
        names = [*API_FIELDS, *extra_fields]
        self.send(
            client,
            "post",
            route,
            path,
            "deep JSON",
            data=DEEP_JSON,
            content_type="application/json",
        )
        self.send(
            client, "post", route, path, "JSON list", data="[1, 2]", content_type="application/json"
        )
        self.send(
            client, "post", route, path, "not JSON", data="{'a':", content_type="application/json"
        )
        for value in JSON_VALUES:
            body = json.dumps(dict.fromkeys(names, value))
            self.send(
                client,
                "post",
                route,
                path,
                f"all = {value!r}"[:40],
                data=body,
                content_type="application/json",
            )
        answers = {str(question): "a\x00b" for question in extra_fields}
        for value in JSON_VALUES:
            body = json.dumps({"answers": dict.fromkeys(answers, value) or {"1": value}})
            self.send(
                client,
                "post",
                route,
                path,
                f"answers = {value!r}"[:40],
                data=body,
                content_type="application/json",
            )

    def report(self) -> str:
        return "\n".join(f"{f.method} {f.route} [{f.payload}] → {f.outcome}" for f in self.failures)


def _election_world(space, resident) -> None:
    """An election voting now, with the resident on its roll and one candidate."""
    from participation.elections.models import Candidate, Election, Elector

    election = ComponentFactory(space=space, type_key="elections")
    running_phase_then(election, kind="vote", then="results")
    Election.objects.create(component=election)
    Elector.objects.create(
        component=election, user=resident, email=resident.email, source="resident"
    )
    Candidate.objects.create(
        component=election, name="Alix", gender="f", statement=".", status="validated"
    )


@pytest.fixture
def town_world(town_a, media_root) -> TownWorld:
    with tenant_context(town_a):
        admin = AdminFactory(display_name="Agente")
        resident = ParticipantFactory(display_name="Camille")
        demo_content_seed(admin=admin, residents=[resident, ParticipantFactory()])
        # Modules the demo does not place get a component of their own, in their main phase.
        space = Space.objects.first()
        for kind, (key, then) in {
            "collect": ("ideas", "analysis"),
            "vote": ("budgets", "results"),
        }.items():
            if not Component.objects.filter(type_key=key).exists():
                component = ComponentFactory(space=space, type_key=key)
                running_phase_then(component, kind=kind, then=then)
                component.type.seed_demo(component)
        _election_world(space, resident)
        # A template of the library and a sign-in provider (disabled: no sign-in leaves the
        # test for its issuer), whose back-office pages are then fuzzed too.
        template_publish(actor=admin, space_id=space.pk, title="Modèle", description=".", tags="")
        IdentityProvider.objects.create(
            kind=IdentityProvider.Kind.OIDC,
            name="Keycloak",
            issuer="https://sso.invalid",
            client_id="agora",
            enabled=False,
        )
        ideas = Component.objects.get(type_key="ideas")
        if not Proposal.objects.filter(component=ideas).exists():
            proposal_submit(author=resident, component=ideas, title="Un banc", description="Ici.")
    return TownWorld(admin=admin, resident=resident, schema=town_a.schema_name)


def test_every_town_form_and_api_write_survives_hostile_input(town_a, town_world):
    from participation.surveys.models import Question

    fuzzer = Fuzzer()
    clients = {}
    for role in ("anonymous", "resident", "admin"):
        clients[role] = client_for(town_a)
        if role != "anonymous":
            with tenant_context(town_a):
                clients[role].force_login(getattr(town_world, role))
    routes = [route for route in _routes(settings.ROOT_URLCONF) if route not in NOT_FUZZED]
    for route in routes:
        with tenant_context(town_a):
            path = _path(route, _town_kwargs(town_world, route, _names(route)))
            question_ids = list(Question.objects.values_list("pk", flat=True))
        if route.startswith("api/"):
            for role in ("anonymous", "resident"):
                extra = question_ids if "/surveys/" in route else ()
                fuzzer.fuzz_api(clients[role], route, path, extra_fields=extra)
        else:
            role = "admin" if route.startswith("gestion/") else "resident"
            fuzzer.fuzz_form(clients[role], route, path)
            if route.startswith("compte/"):  # sign-up, sign-in, reset: forms of anonymous people
                fuzzer.fuzz_form(clients["anonymous"], route, path)
    assert len(routes) > 80 and fuzzer.requests > 1000
    assert not fuzzer.failures, fuzzer.report()


def test_every_console_form_survives_hostile_input(town_a, vendor_staff):
    from billing.models import AddOn, Plan

    Plan.objects.create(code="essentiel", name="Essentiel", annual_price_cents=100_000)
    AddOn.objects.create(
        code="quartier", name="Quartier", kind="neighbourhood_space", annual_unit_price_cents=500
    )
    fuzzer = Fuzzer()
    client = console_client_for(vendor_staff)
    routes = [route for route in _routes(settings.PUBLIC_SCHEMA_URLCONF) if route not in NOT_FUZZED]
    for route in routes:
        fuzzer.fuzz_form(
            client, route, _path(route, _public_kwargs(route, _names(route), town_a.slug))
        )
    assert len(routes) > 30
    assert not fuzzer.failures, fuzzer.report()
