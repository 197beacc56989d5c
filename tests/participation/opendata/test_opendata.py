"""Open data: every dataset downloads and parses as CSV and JSON, carries no resident's name,
e-mail address or phone number, leaves out what is not public (a draft space, a free-text
answer, results not yet published), and the DCAT catalogue is valid JSON-LD."""

from __future__ import annotations

import csv
import datetime
import io
import json
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from pyld import jsonld

from participation.budgets.models import Ballot, BallotChoice, Budget, Project
from participation.ideas.models import Proposal
from participation.models import Space
from participation.polls.models import Answer, AnswerChoice, Choice, Poll
from participation.surveys.models import AnswerValue, Option, Question, Response, Section, Survey
from participation.volunteering.models import Application, Event
from tests.conftest import client_for
from tests.participation.factories import (
    ComponentFactory,
    ParticipantFactory,
    PhaseFactory,
    SpaceFactory,
)
from tests.participation.volunteering.factories import (
    AssociationFactory,
    HubFactory,
    MembershipFactory,
    MissionFactory,
)

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
LICENCE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
FREE_TEXT = "Ma voisine Josiane fait trop de bruit"
DRAFT_IDEA = "Idée d'un espace en brouillon"
HIDDEN_POLL = "Sondage aux résultats réservés"


def _ended(component, kind: str):
    now = timezone.now()
    PhaseFactory(
        component=component,
        kind=kind,
        starts_at=now - datetime.timedelta(days=10),
        ends_at=now - datetime.timedelta(days=1),
    )


@pytest.fixture
def residents(in_town_a):
    """Residents with known details, who take part in every module."""
    people = []
    for name, email, phone in (
        ("Bérénice Fontaine", "berenice.fontaine@exemple.fr", "06 12 34 56 78"),
        ("Octave Marchetti", "octave.marchetti@exemple.fr", "07 98 76 54 32"),
    ):
        person = ParticipantFactory(display_name=name, email=email)
        person.profile.phone = phone
        person.profile.save()
        people.append(person)
    return people


@pytest.fixture
def town(residents, in_town_a):
    first, second = residents
    space = SpaceFactory(title="Budget participatif 2027", slug="bp-2027")
    draft = SpaceFactory(title="Brouillon", slug="brouillon", status=Space.Status.DRAFT)

    ideas = ComponentFactory(space=space, type_key="ideas", title="Vos idées")
    Proposal.objects.create(
        component=ideas, author=first, title="Des arceaux à vélos", description="Place du marché."
    )
    Proposal.objects.create(
        component=ideas,
        author=second,
        title="Un parking souterrain",
        description="Sous la mairie.",
        status=Proposal.Status.INELIGIBLE,
        ineligibility_reason="Le coût dépasse l'enveloppe.",
    )
    Proposal.objects.create(
        component=ComponentFactory(space=draft, type_key="ideas"),
        author=first,
        title=DRAFT_IDEA,
        description="…",
    )

    budgets = ComponentFactory(space=space, type_key="budgets")
    budget = Budget.objects.create(component=budgets, title="BP 2027", amount=100_000)
    projects = [
        Project.objects.create(budget=budget, title="Aire de jeux", cost=60_000),
        Project.objects.create(budget=budget, title="Kiosque", cost=50_000),
    ]
    for voter in residents:
        ballot = Ballot.objects.create(budget=budget, voter=voter, voter_key=f"user:{voter.pk}")
        BallotChoice.objects.create(ballot=ballot, project=projects[0])
    budget.results_published_at = timezone.now()
    budget.published_selection = [projects[0].pk]
    budget.save()

    polls = ComponentFactory(space=space, type_key="polls")
    _ended(polls, "answer")
    public = Poll.objects.create(
        component=polls, question="Quel jour pour le marché ?", results_visibility="after_close"
    )
    reserved = Poll.objects.create(
        component=polls, question=HIDDEN_POLL, results_visibility="after_answer"
    )
    for poll in (public, reserved):
        choice = Choice.objects.create(poll=poll, label="Samedi")
        Choice.objects.create(poll=poll, label="Dimanche")
        for voter in residents:
            answer = Answer.objects.create(poll=poll, user=voter)
            AnswerChoice.objects.create(answer=answer, choice=choice)

    surveys = ComponentFactory(space=space, type_key="surveys")
    _ended(surveys, "answer")
    survey = Survey.objects.create(component=surveys, title="Mobilités")
    section = Section.objects.create(survey=survey, title="Vos trajets")
    how = Question.objects.create(
        section=section, kind=Question.Kind.SINGLE_CHOICE, label="Comment venez-vous ?"
    )
    bike = Option.objects.create(question=how, label="À vélo")
    Option.objects.create(question=how, label="En voiture")
    remark = Question.objects.create(
        section=section, kind=Question.Kind.LONG_TEXT, label="Une remarque ?", position=1
    )
    for voter in residents:
        response = Response.objects.create(survey=survey, user=voter)
        AnswerValue.objects.create(response=response, question=how, choices=[bike.pk])
        AnswerValue.objects.create(response=response, question=remark, text=FREE_TEXT)

    hub = HubFactory()
    association = AssociationFactory(name="Les Jardins partagés")
    MembershipFactory(association=association, user=first)
    mission = MissionFactory(component=hub, association=association, title="Planter des bulbes")
    Application.objects.create(
        mission=mission, volunteer=second, status=Application.Status.ACCEPTED
    )
    Event.objects.create(
        component=hub,
        association=association,
        title="Fête des jardins",
        description="Venez nombreux.",
        starts_at=timezone.now() + datetime.timedelta(days=5),
        ends_at=timezone.now() + datetime.timedelta(days=5, hours=3),
        place="Parc",
    )
    return {"residents": residents}


def _catalogue(town_a) -> dict:
    response = client_for(town_a).get("/donnees/catalogue.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    return json.loads(response.content)


def _files(town_a) -> dict[str, bytes]:
    """Every distribution of the catalogue, downloaded."""
    files = {}
    for dataset in _catalogue(town_a)["dcat:dataset"]:
        for distribution in dataset["dcat:distribution"]:
            url = distribution["dcat:downloadURL"]["@id"]
            response = client_for(town_a).get(urlsplit(url).path)
            assert response.status_code == 200, url
            files[url.rsplit("/", 1)[-1]] = response.content
    return files


def _csv(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_every_dataset_downloads_and_parses_as_csv_and_json(town, town_a):
    files = _files(town_a)
    keys = {name.rsplit(".", 1)[0] for name in files}
    assert keys == {
        "espaces",
        "idees",
        "budgets",
        "budgets-projets",
        "sondages-resultats",
        "questionnaires-resultats",
        "associations",
        "agenda-benevolat",
    }
    for key in keys:
        table = _csv(files[f"{key}.csv"])
        document = json.loads(files[f"{key}.json"])
        assert document["licence"] == LICENCE
        assert document["jeu_de_donnees"] == key
        assert table, f"{key} est vide"
        assert list(table[0]) == document["champs"]
        assert len(table) == len(document["donnees"]), key

    ideas = {row["titre"]: row for row in _csv(files["idees.csv"])}
    assert set(ideas) == {"Des arceaux à vélos", "Un parking souterrain"}
    assert ideas["Un parking souterrain"]["recevable"] == "non"
    assert ideas["Un parking souterrain"]["motif_non_recevabilite"] == (
        "Le coût dépasse l'enveloppe."
    )
    assert ideas["Des arceaux à vélos"]["recevable"] == ""
    projects = {row["titre"]: row for row in json.loads(files["budgets-projets.json"])["donnees"]}
    assert projects["Aire de jeux"]["voix"] == 2 and projects["Aire de jeux"]["retenu"] is True
    assert projects["Kiosque"]["retenu"] is False
    votes = {row["choix"]: row["reponses"] for row in _csv(files["sondages-resultats.csv"])}
    assert votes == {"Samedi": "2", "Dimanche": "0"}
    options = {
        row["option"]: row["reponses"] for row in _csv(files["questionnaires-resultats.csv"])
    }
    assert options == {"À vélo": "2", "En voiture": "0"}


def test_no_resident_is_named_nor_reachable_in_any_file(town, town_a):
    page = client_for(town_a).get("/donnees/")
    assert page.status_code == 200
    published = [page.content, json.dumps(_catalogue(town_a)).encode()]
    published += list(_files(town_a).values())
    for person in town["residents"]:
        details = [
            person.email,
            person.email.split("@")[0],
            person.display_name,
            *person.display_name.split(),
            person.profile.phone,
            person.profile.phone.replace(" ", ""),
        ]
        for content in published:
            text = content.decode("utf-8-sig")
            for detail in details:
                assert detail not in text, detail
    for content in published:
        assert "@exemple.fr" not in content.decode("utf-8-sig")


def test_what_is_not_public_is_left_out(town, town_a):
    everything = b"".join(_files(town_a).values()).decode("utf-8", errors="replace")
    assert "Des arceaux à vélos" in everything
    for hidden in (DRAFT_IDEA, "Brouillon", FREE_TEXT, HIDDEN_POLL, "Une remarque ?"):
        assert hidden not in everything, hidden


def test_a_town_without_a_module_lists_no_dataset_of_it(town, town_a):
    town_a.enabled_modules = ["ideas"]
    town_a.save()
    try:
        keys = {dataset["dct:identifier"] for dataset in _catalogue(town_a)["dcat:dataset"]}
        assert keys == {"espaces", "idees"}
        assert client_for(town_a).get("/donnees/budgets.csv").status_code == 404
    finally:
        town_a.enabled_modules = []
        town_a.save()


def test_the_catalogue_is_valid_dcat_json_ld(town, town_a):
    document = _catalogue(town_a)

    expanded = jsonld.expand(document)

    [catalogue] = [node for node in expanded if f"{DCAT}Catalog" in node.get("@type", [])]
    assert catalogue[f"{DCT}license"] == [{"@id": LICENCE}]
    assert catalogue[f"{DCT}modified"][0]["@type"] == "http://www.w3.org/2001/XMLSchema#dateTime"
    datasets = catalogue[f"{DCAT}dataset"]
    assert len(datasets) == 8
    for dataset in datasets:
        assert dataset["@type"] == [f"{DCAT}Dataset"]
        assert dataset[f"{DCT}license"] == [{"@id": LICENCE}]
        assert dataset[f"{DCT}title"][0]["@value"]
        assert dataset[f"{DCT}modified"]
        distributions = dataset[f"{DCAT}distribution"]
        assert {d[f"{DCT}format"][0]["@value"] for d in distributions} == {"CSV", "JSON"}
        for distribution in distributions:
            assert distribution["@type"] == [f"{DCAT}Distribution"]
            assert distribution[f"{DCAT}downloadURL"][0]["@id"].startswith("http")
    # 1 catalogue + 8 datasets + 16 distributions + the publisher, each a node of the graph.
    assert len(jsonld.flatten(document)) >= 1 + 8 + 16


def test_unknown_dataset_or_format_is_404(town_a):
    for path in ("/donnees/inconnu.csv", "/donnees/espaces.xml", "/donnees/idees.csv"):
        assert client_for(town_a).get(path).status_code == 404
    assert client_for(town_a).get("/donnees/espaces.csv%00").status_code in (400, 404)
