"""Results aggregated in SQL, and the CSV and XLSX exports parsed back."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl

from participation.surveys import exports, selectors, services
from participation.surveys.statistics import contributions, personal_data, survey_statistics
from tests.participation.factories import ParticipantFactory

from .conftest import oid


def answer_three(survey, q):
    rank = q["priorities"]
    pistes, parkings, zones = (oid(rank, n) for n in ("Pistes", "Parkings", "Zones 30"))
    places = q["places"]
    market, station = oid(places, "Place du marché", "row"), oid(places, "Gare", "row")
    nice, bad = oid(places, "Agréable", "column"), oid(places, "Dangereux", "column")
    users = [ParticipantFactory() for _ in range(3)]
    answers = [
        {
            q["mode"].pk: oid(q["mode"], "À vélo"),
            q["reasons"].pk: [oid(q["reasons"], "Travail"), oid(q["reasons"], "Courses")],
            q["minutes"].pk: "10",
            q["safety"].pk: 2,
            q["priorities"].pk: [pistes, parkings, zones],
            q["places"].pk: {str(market): nice, str(station): bad},
            q["where"].pk: '=HYPERLINK("http://evil")',
            q["day"].pk: "2027-04-12",
        },
        {
            q["mode"].pk: oid(q["mode"], "À vélo"),
            q["reasons"].pk: [oid(q["reasons"], "Travail")],
            q["minutes"].pk: "20,5",
            q["safety"].pk: 4,
            q["priorities"].pk: [pistes, zones, parkings],
            q["places"].pk: {str(market): nice},
            q["ideas"].pk: "Des arceaux devant la médiathèque",
        },
        {
            q["mode"].pk: oid(q["mode"], "À pied"),
            q["safety"].pk: 5,  # hidden question: discarded
            q["priorities"].pk: [zones, pistes, parkings],
        },
    ]
    for user, answer in zip(users, answers, strict=True):
        services.survey_submit(user=user, survey=survey, answers=answer)
    return users


def test_results_are_aggregated(built):
    survey, q = built
    answer_three(survey, q)
    results = {r.question.pk: r for r in selectors.survey_results(survey)}

    mode = results[q["mode"].pk]
    assert mode.answered == 3
    assert [(o.option.label, o.count, o.percent) for o in mode.options] == [
        ("À pied", 1, 33.3),
        ("À vélo", 2, 66.7),
        ("En voiture", 0, 0.0),
    ]
    reasons = results[q["reasons"].pk]
    assert reasons.answered == 2
    assert [(o.option.label, o.count, o.percent) for o in reasons.options] == [
        ("Travail", 2, 100.0),
        ("Courses", 1, 50.0),
        ("Loisirs", 0, 0.0),
        ("École", 0, 0.0),
    ]
    safety = results[q["safety"].pk]
    assert safety.answered == 2
    assert safety.average == Decimal("3.00")
    assert [o.count for o in safety.options] == [0, 1, 0, 1, 0]
    minutes = results[q["minutes"].pk]
    assert (minutes.average, minutes.minimum, minutes.maximum) == (
        Decimal("15.25"),
        Decimal("10"),
        Decimal("20.5"),
    )
    ranking = results[q["priorities"].pk]
    assert [(o.option.label, o.average_rank, o.count) for o in ranking.options] == [
        ("Pistes", 1.33, 3),
        ("Zones 30", 2.0, 3),
        ("Parkings", 2.67, 3),
    ]
    places = results[q["places"].pk]
    assert [
        (line.row.label, [(c.option.label, c.count, c.percent) for c in line.cells])
        for line in places.matrix
    ] == [
        ("Place du marché", [("Agréable", 2, 100.0), ("Dangereux", 0, 0.0)]),
        ("Gare", [("Agréable", 0, 0.0), ("Dangereux", 1, 100.0)]),
    ]
    assert results[q["ideas"].pk].texts == ["Des arceaux devant la médiathèque"]
    assert results[q["day"].pk].dates == [datetime.date(2027, 4, 12)]
    assert survey_statistics(survey.component) == {"surveys": 1, "responses": 3, "respondents": 3}


def test_csv_export(built):
    survey, q = built
    answer_three(survey, q)
    filename, content_type, content = exports.survey_export(survey, "csv")
    assert filename.endswith(".csv") and content_type.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header[:3] == ["Réponse n°", "Envoyée le", "Comment venez-vous ?"]
    assert "Les lieux — Place du marché" in header and "Les lieux — Gare" in header
    assert len(header) == 2 + 9 + 1  # a matrix has one column per row
    assert len(rows) == 4
    first = dict(zip(header, rows[1], strict=True))
    assert first["Comment venez-vous ?"] == "À vélo"
    assert first["Pourquoi ?"] == "Travail ; Courses"
    assert first["Durée du trajet"] == "10"
    assert dict(zip(header, rows[2], strict=True))["Durée du trajet"] == "20,5"
    assert first["Priorités"] == "1. Pistes ; 2. Parkings ; 3. Zones 30"
    assert first["Les lieux — Gare"] == "Dangereux"
    assert first["Date de l'atelier"] == "2027-04-12"
    # A formula typed as an answer is not run by the spreadsheet.
    assert first["Quel endroit ?"] == '\'=HYPERLINK("http://evil")'
    third = dict(zip(header, rows[3], strict=True))
    assert third["Sécurité à vélo"] == ""
    assert third["Pourquoi ?"] == ""


def test_xlsx_export(built):
    survey, q = built
    answer_three(survey, q)
    filename, _content_type, content = exports.survey_export(survey, "xlsx")
    assert filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[2] == "Comment venez-vous ?"
    assert len(rows) == 4
    second = dict(zip(header, rows[2], strict=True))
    assert second["Durée du trajet"] == 20.5
    assert second["Sécurité à vélo"] == 4
    assert second["Les lieux — Place du marché"] == "Agréable"
    assert second["Les lieux — Gare"] in (None, "")
    assert isinstance(second["Envoyée le"], datetime.datetime)
    first = dict(zip(header, rows[1], strict=True))
    assert first["Quel endroit ?"].startswith("'=")
    assert first["Date de l'atelier"].date() == datetime.date(2027, 4, 12)
    # The component's registered exports cover every survey.
    component_type = survey.component.type
    name, _ct, data = component_type.exports["xlsx"](survey.component)
    assert name.endswith(".xlsx") and openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    name, _ct, data = component_type.exports["csv"](survey.component)
    assert data.decode("utf-8-sig").startswith("Réponse n°")


def test_contributions_and_personal_data(built):
    survey, q = built
    users = answer_three(survey, q)
    rows = list(contributions().filter(author_id=users[0].pk))
    assert len(rows) == 1
    assert rows[0]["component_id"] == survey.component_id
    data = personal_data(users[0])
    assert data[0]["survey"] == survey.title
    answers = {a["question"]: a["answer"] for a in data[0]["answers"]}
    assert answers["Comment venez-vous ?"] == "À vélo"
    assert answers["Les lieux"] == {"Place du marché": "Agréable", "Gare": "Dangereux"}
    assert answers["Date de l'atelier"] == "2027-04-12"


def test_demo_seed(component):
    from participation.surveys.demo import survey_seed

    survey = survey_seed(component)
    questions = selectors.survey_questions(survey)
    assert survey.title == "Mobilités douces en centre-ville"
    assert survey.sections.count() == 3
    assert any(question.has_condition for question in questions)
