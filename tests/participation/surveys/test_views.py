"""The pages: read without an account, answer without JavaScript, errors kept in French."""

import csv
import io

import openpyxl
import pytest
import time_machine
from django_tenants.utils import tenant_context

from participation.surveys.models import AnswerValue, Response, Survey
from tests.conftest import client_for
from tests.participation.conftest import logged_in, moment_offset
from tests.participation.factories import ParticipantFactory

from .conftest import minimal_answers, oid


def url(component, name="detail", *args, admin=False):
    base = "gestion/espaces" if admin else "espaces"
    path = f"/{base}/{component.space.slug}/surveys/{component.pk}/"
    return path + "".join(f"{arg}/" for arg in args) if name != "export" else path


@pytest.fixture
def participant(in_town_a):
    return ParticipantFactory()


def test_anonymous_reads_the_component_and_the_survey(built, town_a):
    survey, q = built
    client = client_for(town_a)
    listing = client.get(url(survey.component))
    assert listing.status_code == 200
    assert "Mobilités douces" in listing.content.decode()
    page = client.get(url(survey.component, "survey", survey.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Comment venez-vous ?" in html
    assert "(obligatoire)" in html
    assert "<legend" in html and f'for="q{q["where"].pk}"' in html
    # Without JavaScript, the conditional question says when it applies.
    assert "(si vous avez répondu « À vélo » à la question « Comment venez-vous ? »)" in html
    assert "connectez-vous" in html
    assert "Envoyer mes réponses" not in html
    # The results are not public while answering is open.
    assert client.get(url(survey.component, "results", survey.pk, "resultats")).status_code == 403


def test_participant_submits_and_sees_thanks(built, town_a, participant):
    survey, q = built
    client = logged_in(town_a, participant)
    form = client.get(url(survey.component, "survey", survey.pk))
    assert "Envoyer mes réponses" in form.content.decode()
    rank = q["priorities"]
    data = {
        f"q{q['mode'].pk}": oid(q["mode"], "À vélo"),
        f"q{q['reasons'].pk}": [oid(q["reasons"], "Travail"), oid(q["reasons"], "École")],
        f"q{q['safety'].pk}": "3",
        f"q{rank.pk}-{oid(rank, 'Pistes')}": "2",
        f"q{rank.pk}-{oid(rank, 'Parkings')}": "3",
        f"q{rank.pk}-{oid(rank, 'Zones 30')}": "1",
        f"q{q['places'].pk}-{oid(q['places'], 'Gare', 'row')}": oid(
            q["places"], "Agréable", "column"
        ),
        f"q{q['minutes'].pk}": "7,5",
        f"q{q['day'].pk}": "12/04/2027",
    }
    response = client.post(url(survey.component, "survey", survey.pk), data)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{survey.pk}/merci/")
    thanks = client.get(response["Location"])
    assert "Merci pour vos réponses" in thanks.content.decode()
    stored = Response.objects.get(survey=survey, user=participant)
    assert stored.values.get(question=rank).choices == [
        oid(rank, "Zones 30"),
        oid(rank, "Pistes"),
        oid(rank, "Parkings"),
    ]
    again = client.get(url(survey.component, "survey", survey.pk))
    assert "Vous avez déjà répondu à ce questionnaire" in again.content.decode()


def test_errors_are_shown_in_french_with_the_input_kept(built, town_a, participant):
    survey, q = built
    client = logged_in(town_a, participant)
    data = {
        f"q{q['mode'].pk}": oid(q["mode"], "À vélo"),
        f"q{q['minutes'].pk}": "999",
        f"q{q['where'].pk}": "Rue Victor Hugo",
        f"q{q['reasons'].pk}": [oid(q["reasons"], n) for n in ("Travail", "Courses", "École")],
    }
    response = client.post(url(survey.component, "survey", survey.pk), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Le questionnaire contient 3 erreurs" in html
    assert "Saisissez un nombre entre 0 et 120." in html
    assert "Choisissez 2 réponses au plus." in html
    assert "Cette question est obligatoire." in html  # the bicycle question, now shown
    assert f'id="q{q["minutes"].pk}-error"' in html
    assert f'aria-describedby="q{q["minutes"].pk}-help q{q["minutes"].pk}-error"' in html
    assert 'value="999"' in html and 'value="Rue Victor Hugo"' in html
    assert f'value="{oid(q["mode"], "À vélo")}" checked' in html
    assert not Response.objects.filter(survey=survey).exists()


def test_conditional_questions_are_marked_for_the_script_and_judged_by_the_server(
    built, town_a, participant
):
    survey, q = built
    client = logged_in(town_a, participant)
    html = client.get(url(survey.component, "survey", survey.pk)).content.decode()
    # surveys/conditions.js reads the condition from the question's block; no inline script.
    assert (
        f'id="q{q["safety"].pk}-block" data-condition-question="q{q["mode"].pk}" '
        f'data-condition-option="{oid(q["mode"], "À vélo")}"'
    ) in html
    assert 'id="q{}-block" data-condition'.format(q["mode"].pk) not in html
    assert "surveys/conditions.js" in html and "<script>" not in html
    # A page without the script (or a crafted post) sends the hidden question's answer: the
    # condition does not hold (on foot), so the server ignores it and does not require it.
    data = {f"q{q['mode'].pk}": oid(q["mode"], "À pied"), f"q{q['safety'].pk}": "not a scale"}
    response = client.post(url(survey.component, "survey", survey.pk), data)
    assert response.status_code == 302
    stored = Response.objects.get(survey=survey, user=participant)
    assert not stored.values.filter(question=q["safety"]).exists()


def test_script_answer_is_stored_as_text_and_shown_escaped(built, town_a, participant, staff):
    survey, q = built
    script = "<script>alert('x')</script>"
    client = logged_in(town_a, participant)
    response = client.post(
        url(survey.component, "survey", survey.pk),
        {f"q{q['mode'].pk}": oid(q["mode"], "À pied"), f"q{q['ideas'].pk}": script},
    )
    assert response.status_code == 302
    assert AnswerValue.objects.get(question=q["ideas"]).text == script
    results = logged_in(town_a, staff).get(url(survey.component, "results", survey.pk, "resultats"))
    html = results.content.decode()
    assert results.status_code == 200
    assert script not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_results_are_public_after_the_answer_phase(built, town_a):
    survey, _q = built
    phase = survey.component.phases.get()
    with time_machine.travel(moment_offset("after", phase), tick=False):
        page = client_for(town_a).get(url(survey.component, "results", survey.pk, "resultats"))
        form = client_for(town_a).get(url(survey.component, "survey", survey.pk))
    assert page.status_code == 200
    assert "Résultats : Mobilités douces" in page.content.decode()
    assert "n'est plus ouvert aux réponses" in form.content.decode()


def test_closed_survey_refuses_a_post(built, town_a, participant):
    survey, q = built
    phase = survey.component.phases.get()
    client = logged_in(town_a, participant)
    with time_machine.travel(moment_offset("after", phase), tick=False):
        response = client.post(
            url(survey.component, "survey", survey.pk),
            {f"q{q['mode'].pk}": oid(q["mode"], "À pied")},
        )
    assert response.status_code == 403
    assert "Ce questionnaire n'est plus ouvert aux réponses." in response.content.decode()


# Back office


def test_backoffice_builds_a_survey_and_exports_it(component, town_a, staff, participant):
    client = logged_in(town_a, staff)
    base = url(component, admin=True)
    assert client.get(base).status_code == 200
    created = client.post(base, {"title": "Stationnement", "intro": "Donnez votre avis"})
    assert created.status_code == 302
    survey = Survey.objects.get(component=component, title="Stationnement")
    edit = f"{base}{survey.pk}/"
    assert (
        client.post(edit, {"action": "section", "section-title": "Vos habitudes"}).status_code
        == 302
    )
    section = survey.sections.get()
    question = {
        "action": "question",
        "question-section": section.pk,
        "question-kind": "single_choice",
        "question-label": "Où vous garez-vous ?",
        "question-required": "on",
        "question-options": "Dans la rue\nAu parking\n\n",
    }
    assert client.post(edit, question).status_code == 302
    choice = section.questions.get()
    assert list(choice.options.values_list("label", flat=True)) == ["Dans la rue", "Au parking"]
    conditional = {
        "action": "question",
        "question-section": section.pk,
        "question-kind": "short_text",
        "question-label": "Quelle rue ?",
        "question-condition": f"{choice.pk}:{choice.options.get(label='Dans la rue').pk}",
    }
    assert client.post(edit, conditional).status_code == 302
    assert section.questions.get(label="Quelle rue ?").condition_question == choice
    bad = {**question, "question-options": "Seul choix"}
    refused = client.post(edit, bad)
    assert refused.status_code == 400
    assert "au moins 2" in refused.content.decode()

    street = choice.options.get(label="Dans la rue")
    answer = logged_in(town_a, participant).post(
        url(component, "survey", survey.pk),
        {
            f"q{choice.pk}": street.pk,
            f"q{section.questions.get(label='Quelle rue ?').pk}": "Rue Haute",
        },
    )
    assert answer.status_code == 302
    csv_response = client.get(f"{edit}export.csv")
    assert csv_response.status_code == 200
    assert "attachment" in csv_response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][2:] == ["Où vous garez-vous ?", "Quelle rue ?"]
    assert rows[1][2:] == ["Dans la rue", "Rue Haute"]
    xlsx = client.get(f"{edit}export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert list(sheet.iter_rows(values_only=True))[1][2:] == ("Dans la rue", "Rue Haute")


def test_backoffice_is_for_staff_only(built, town_a, participant):
    survey, _q = built
    client = logged_in(town_a, participant)
    base = url(survey.component, admin=True)
    assert client.get(base).status_code == 403
    assert client.get(f"{base}{survey.pk}/export.csv").status_code == 403
    assert client_for(town_a).get(base).status_code == 302  # to the login page


def test_space_page_shows_the_card(built, town_a):
    survey, _q = built
    page = client_for(town_a).get(f"/espaces/{survey.component.space.slug}/")
    assert page.status_code == 200
    assert f'id="component-{survey.component.pk}"' in page.content.decode()


def test_town_b_cannot_read_or_answer_town_a_survey(built, town_a, town_b):
    survey, q = built
    answers = minimal_answers(q)
    with tenant_context(town_b):
        client = logged_in(town_b, ParticipantFactory())
    assert client.get(url(survey.component, "survey", survey.pk)).status_code == 404
    response = client.post(url(survey.component, "survey", survey.pk), answers)
    assert response.status_code == 404
    with tenant_context(town_a):
        assert not Response.objects.exists()
