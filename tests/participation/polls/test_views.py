"""The citizens' page: answering without JavaScript, errors in French, results as text."""

import pytest
from django.urls import reverse

from participation.polls import services
from participation.polls.models import Answer, Poll
from tests.conftest import client_for
from tests.participation.conftest import make_user, moment_offset
from tests.participation.factories import ParticipantFactory, ProfileFactory
from tests.participation.polls.conftest import CHOICES, answer_url, choice_ids, page_url


@pytest.fixture
def browser(town_a):
    return client_for(town_a)


@pytest.fixture
def citizen_browser(in_town_a, town_a):
    citizen = ParticipantFactory()
    browser = client_for(town_a)
    browser.force_login(citizen)
    browser.user = citizen
    return browser


def test_anonymous_sees_the_poll_and_the_gate(poll, browser):
    page = browser.get(page_url(poll))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Que voulez-vous sur la place ?" in html
    assert "connectez-vous" in html  # the contribution gate
    assert 'name="choice"' not in html  # no form to fill in for nobody
    assert "Les résultats sont visibles après avoir répondu." in html


def test_unverified_account_sees_why(poll, town_a):
    browser = client_for(town_a)
    browser.force_login(make_user("unverified"))
    html = browser.get(page_url(poll)).content.decode()
    assert "Confirmez d&#x27;abord votre adresse e-mail" in html
    assert 'name="choice"' not in html


def test_choices_are_readable_before_one_may_answer_with_the_reason(poll, town_a, in_town_a):
    """Signed in without the charter accepted: the choices, disabled, and why."""
    browser = client_for(town_a)
    browser.force_login(ProfileFactory(charter_accepted_at=None).user)
    html = browser.get(page_url(poll)).content.decode()
    assert 'name="choice"' not in html
    assert f'<fieldset disabled aria-describedby="poll-{poll.pk}-why">' in html
    assert f'<p class="help" id="poll-{poll.pk}-why">Acceptez la charte de participation' in html
    for label, pk in zip(CHOICES, choice_ids(poll), strict=True):
        assert f'id="poll-{poll.pk}-choice-{pk}" disabled>' in html
        assert f'<label for="poll-{poll.pk}-choice-{pk}">{label}</label>' in html

    anonymous = client_for(town_a).get(page_url(poll)).content.decode()
    assert f'id="poll-{poll.pk}-choice-{choice_ids(poll)[2]}" disabled>' in anonymous


def test_a_participant_sees_an_accessible_form(poll, citizen_browser):
    html = citizen_browser.get(page_url(poll)).content.decode()
    assert "<fieldset" in html and "<legend>" in html
    for pk in choice_ids(poll):
        assert f'type="radio" id="poll-{poll.pk}-choice-{pk}" name="choice" value="{pk}"' in html
        assert f'<label for="poll-{poll.pk}-choice-{pk}">' in html
    assert "connectez-vous" not in html


def test_multiple_choice_shows_checkboxes(make_poll, citizen_browser):
    poll = make_poll(kind=Poll.Kind.MULTIPLE, max_choices=2)
    html = citizen_browser.get(page_url(poll)).content.decode()
    assert html.count('type="checkbox"') == 3
    assert "Cochez jusqu'à 2 choix." in html


def test_a_participant_answers_and_sees_the_results(poll, citizen_browser):
    first = choice_ids(poll)[0]
    response = citizen_browser.post(answer_url(poll), {"choice": [first]})
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(poll)}#poll-{poll.pk}"
    assert Answer.objects.get(poll=poll).user == citizen_browser.user

    html = citizen_browser.get(page_url(poll)).content.decode()
    assert "Merci, votre réponse est enregistrée." in html
    assert "Vous avez répondu à ce sondage." in html
    assert 'name="choice"' not in html
    # Results as text (not colour only): the percentage and the count of each choice.
    assert "100 % (1 voix)" in html
    assert "0 % (0 voix)" in html
    assert 'aria-hidden="true"><span style="width: 100%">' in html


@pytest.mark.parametrize(
    ("pick", "message"),
    [
        ([], "Choisissez au moins une réponse."),
        (["abc"], "Ce choix ne fait pas partie de la question."),
        (["foreign"], "Ce choix ne fait pas partie de la question."),
        ([0, 1], "Ce sondage n&#x27;accepte qu&#x27;un seul choix."),
    ],
)
def test_a_refused_answer_is_explained_in_french(make_poll, citizen_browser, pick, message):
    poll = make_poll()
    foreign = choice_ids(make_poll(question="Autre ?"))[0]
    own = choice_ids(poll)
    values = [
        foreign if item == "foreign" else item if isinstance(item, str) else own[item]
        for item in pick
    ]
    response = citizen_browser.post(answer_url(poll), {"choice": values})
    html = response.content.decode()
    assert response.status_code == 400
    assert f'<p class="error" id="poll-{poll.pk}-error" role="alert">{message}</p>' in html
    assert f'aria-describedby="poll-{poll.pk}-hint poll-{poll.pk}-error"' in html
    assert not Answer.objects.exists()


def test_a_second_answer_is_refused(poll, citizen_browser):
    services.poll_answer(user=citizen_browser.user, poll=poll, choice_ids=choice_ids(poll)[:1])
    response = citizen_browser.post(answer_url(poll), {"choice": choice_ids(poll)[1:2]})
    assert response.status_code == 409
    assert "Vous avez déjà répondu à ce sondage." in response.content.decode()
    assert Answer.objects.count() == 1


def test_an_anonymous_answer_is_refused(poll, browser):
    response = browser.post(answer_url(poll), {"choice": choice_ids(poll)[:1]})
    assert response.status_code == 403
    assert "Connectez-vous ou créez un compte pour participer." in response.content.decode()
    assert not Answer.objects.exists()


def test_after_the_answer_phase_the_form_is_gone(poll, answer_phase, citizen_browser, time_machine):
    time_machine.move_to(moment_offset("after", answer_phase), tick=False)
    citizen_browser.force_login(citizen_browser.user)  # the session of two weeks ago expired
    html = citizen_browser.get(page_url(poll)).content.decode()
    assert "Ce sondage n'est pas ouvert aux réponses." in html
    assert 'name="choice"' not in html
    response = citizen_browser.post(answer_url(poll), {"choice": choice_ids(poll)[:1]})
    assert response.status_code == 403
    html = response.content.decode()
    assert '<p class="message message-error" id="poll-' in html
    assert "Ce sondage n&#x27;est pas ouvert aux réponses." in html
    assert 'name="choice"' not in html


def test_after_close_results_are_public(make_poll, answer_phase, browser, time_machine):
    poll = make_poll(results_visibility=Poll.ResultsVisibility.AFTER_CLOSE)
    services.poll_answer(user=ParticipantFactory(), poll=poll, choice_ids=choice_ids(poll)[1:2])
    html = browser.get(page_url(poll)).content.decode()
    assert "Les résultats seront publiés à la fin de la phase de réponse." in html
    assert "100 %" not in html

    time_machine.move_to(moment_offset("after", answer_phase), tick=False)
    html = browser.get(page_url(poll)).content.decode()
    assert "100 % (1 voix)" in html


def test_a_script_in_a_choice_is_shown_as_text(make_poll, citizen_browser):
    poll = make_poll(question="<b>Question</b> ?", choices=["<script>alert(1)</script>", "Non"])
    services.poll_answer(user=citizen_browser.user, poll=poll, choice_ids=choice_ids(poll)[:1])
    html = citizen_browser.get(page_url(poll)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Question&lt;/b&gt; ?" in html


def test_the_space_page_shows_the_card(poll, browser):
    html = browser.get(f"/espaces/{poll.component.space.slug}/").content.decode()
    assert f'<h2 id="component-{poll.component.pk}">' in html
    assert page_url(poll) in html


def test_a_poll_of_another_component_is_a_404(make_poll, citizen_browser, component):
    from tests.participation.factories import ComponentFactory

    other = ComponentFactory(type_key="polls", space=component.space)
    poll = make_poll()
    url = reverse("polls:answer", args=[component.space.slug, other.pk, poll.pk])
    assert citizen_browser.post(url, {"choice": choice_ids(poll)[:1]}).status_code == 404


def test_a_draft_space_is_a_404(poll, browser):
    poll.component.space.status = "draft"
    poll.component.space.save()
    assert browser.get(page_url(poll)).status_code == 404


def test_a_participant_comments_on_a_poll(poll, citizen_browser):
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Poll)
    response = citizen_browser.post(
        f"/commentaires/{content_type.pk}/{poll.pk}/",
        {"body": "Et pourquoi pas le dimanche ?", "next": page_url(poll)},
        follow=True,
    )
    assert response.status_code == 200
    assert "Et pourquoi pas le dimanche ?" in citizen_browser.get(page_url(poll)).content.decode()
