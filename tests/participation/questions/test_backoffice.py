"""The back office by plain posts: the admin routes, the official answers from their own
queue, a resident is refused, a bad answer is refused with nothing saved."""

from django.utils.html import escape
from django_tenants.utils import tenant_context

from participation.models import Official
from participation.questions import services
from participation.questions.models import Question
from tests.participation.conftest import logged_in


def admin_url(component, *parts) -> str:
    tail = "".join(f"{part}/" for part in parts)
    return f"/gestion/espaces/{component.space.slug}/questions/{component.pk}/{tail}"


def test_the_admin_routes_and_the_official_answers(
    component, question, staff, official, official_account, town_a
):
    admin = logged_in(town_a, staff)
    assert escape(question.title) in admin.get(admin_url(component)).content.decode()
    page = admin.get(admin_url(component, question.pk))
    assert page.status_code == 200 and "Transmettre la question" in page.content.decode()
    response = admin.post(
        admin_url(component, question.pk, "transmettre"), {"official": official.pk}
    )
    assert response.status_code == 302

    holder = logged_in(town_a, official_account)
    queue = holder.get(admin_url(component)).content.decode()
    assert escape(question.title) in queue
    page = holder.get(admin_url(component, question.pk)).content.decode()
    assert "Publier la réponse" in page and "Transmettre la question" not in page
    too_long = holder.post(admin_url(component, question.pk, "repondre"), {"answer": "x" * 6000})
    assert too_long.status_code == 400
    assert "6000 caractères, 5000 au plus" in too_long.content.decode()
    with tenant_context(town_a):
        assert Question.objects.get().status == Question.Status.ROUTED
    response = holder.post(
        admin_url(component, question.pk, "repondre"), {"answer": "Réparé lundi."}
    )
    assert response.status_code == 302
    with tenant_context(town_a):
        answered = Question.objects.get()
    assert answered.status == Question.Status.ANSWERED
    assert answered.answered_as == "Henri Marty, Adjoint aux travaux"


def test_a_resident_has_no_queue(component, question, citizen, town_a):
    client = logged_in(town_a, citizen)
    assert client.get(admin_url(component)).status_code == 403
    assert (
        client.post(admin_url(component, question.pk, "repondre"), {"answer": "x"}).status_code
        == 403
    )


def test_an_official_sees_only_what_is_routed_to_them(
    component, question, official, official_account, town_a
):
    holder = logged_in(town_a, official_account)
    assert escape(question.title) not in holder.get(admin_url(component)).content.decode()
    assert holder.get(admin_url(component, question.pk)).status_code == 404


def test_the_admin_declines_with_a_public_reason(component, question, staff, town_a):
    admin = logged_in(town_a, staff)
    refused = admin.post(admin_url(component, question.pk, "refuser"), {"reason": "duplicate"})
    assert refused.status_code == 400
    assert "Indiquez la question déjà posée." in refused.content.decode()
    admin.post(
        admin_url(component, question.pk, "refuser"),
        {"reason": "out_of_scope", "note": "Compétence du département."},
    )
    public = logged_in(town_a).get(question.get_absolute_url()).content.decode()
    assert "Hors des compétences de la collectivité" in public
    assert "Compétence du département." in public


def test_the_target_and_the_themes_are_set_in_the_back_office(component, staff, town_a):
    admin = logged_in(town_a, staff)
    admin.post(admin_url(component, "reglages"), {"answer_target_days": "10"})
    admin.post(admin_url(component, "themes"), {"name": "Propreté"})
    with tenant_context(town_a):
        component.refresh_from_db()
        assert component.settings["answer_target_days"] == 10
    assert "Propreté" in admin.get(admin_url(component)).content.decode()
    admin.post(admin_url(component, "reglages"), {"answer_target_days": "0"})
    with tenant_context(town_a):
        component.refresh_from_db()
        assert component.settings["answer_target_days"] == 10


def test_an_official_holding_a_question_is_not_removed_from_under_it(
    question, staff, official, town_a
):
    with tenant_context(town_a):
        services.question_route(actor=staff, question=question, official=official)
    response = logged_in(town_a, staff).post(f"/gestion/elus/{official.pk}/retirer/", follow=True)
    assert response.status_code == 200
    assert "transmettez-les" in response.content.decode()
    with tenant_context(town_a):
        assert Official.objects.filter(pk=official.pk).exists()
        question.refresh_from_db()
        assert question.status == "routed" and question.routed_official_id == official.pk
