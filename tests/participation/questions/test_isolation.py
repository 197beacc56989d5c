"""What the security promises say, tried: a question answered twice at once is answered
once; town B's host does not show town A's questions; a script typed in a question stays
text; the resident's GDPR export holds their questions."""

import datetime

from django.utils import timezone
from django_tenants.utils import tenant_context

from core.errors import NotAllowed
from participation.models import Space
from participation.questions import services
from participation.questions.data import questions_personal_data
from participation.questions.models import Question
from tests.conftest import run_concurrently
from tests.participation.conftest import logged_in
from tests.participation.factories import (
    AdminFactory,
    ComponentFactory,
    ParticipantFactory,
    PhaseFactory,
)
from tests.participation.officials.factories import OfficialFactory


def test_two_answers_at_once_publish_one(committed_db):
    from tenants.models import Tenant
    from tests.conftest import TOWN_A

    town_a = Tenant.objects.get(slug=TOWN_A)
    with tenant_context(town_a):
        component = ComponentFactory(type_key="questions")
        PhaseFactory(
            component=component,
            kind="questions",
            ends_at=timezone.now() + datetime.timedelta(days=30),
        )
        admins = [AdminFactory(), AdminFactory()]
        citizen = ParticipantFactory()
        official = OfficialFactory()
        question = services.question_ask(
            author=citizen, component=component, title="Deux réponses ?", body="Une seule."
        )
        question = services.question_route(actor=admins[0], question=question, official=official)

    def answer(admin, words):
        def call():
            with tenant_context(town_a):
                return services.question_answer(actor=admin, question=question, answer=words)

        return call

    try:
        results = run_concurrently(answer(admins[0], "Première"), answer(admins[1], "Seconde"))
        answered = [result for result in results if isinstance(result, Question)]
        refused = [result for result in results if isinstance(result, NotAllowed)]
        assert len(answered) == 1 and len(refused) == 1, results
        with tenant_context(town_a):
            stored = Question.objects.get(pk=question.pk)
            assert stored.answer == answered[0].answer
            assert stored.events.filter(status="answered").count() == 1
    finally:
        with tenant_context(town_a):
            Space.objects.filter(pk=component.space_id).delete()
            official.delete()
            for user in (*admins, citizen):
                user.delete()


def test_town_b_does_not_show_town_a_questions(component, question, town_b):
    url = question.get_absolute_url()
    assert logged_in(town_b).get(url).status_code == 404
    api = f"/api/v1/espaces/{component.space.slug}/questions/{component.pk}/"
    assert logged_in(town_b).get(api).status_code == 404


def test_a_script_in_a_question_stays_text(component, ask, citizen, town_a):
    question = ask(citizen, title="<script>alert(1)</script>", body="<img src=x onerror=alert(1)>")
    html = logged_in(town_a).get(question.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html


def test_the_gdpr_export_holds_the_residents_questions(question, citizen, staff):
    services.question_answer(actor=staff, question=question, answer="Réparé.")
    [exported] = questions_personal_data(citizen)
    assert exported["title"] == question.title and exported["answer"] == "Réparé."
