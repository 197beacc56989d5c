"""Staff pages: the analysis queue, a proposal's analysis, categories, settings."""

import pytest
from django.core import mail
from django.urls import reverse

from participation.budgets.models import Project
from participation.ideas import services
from participation.ideas.models import Category, Proposal
from tests.conftest import client_for
from tests.participation.conftest import make_user


def admin_url(component, name="index", *args) -> str:
    return reverse(f"ideas_admin:{name}", args=[component.space.slug, component.pk, *args])


def browser_for(town, role):
    browser = client_for(town)
    if role != "anonymous":
        browser.force_login(make_user(role))
    return browser


@pytest.mark.parametrize("role", ["unverified", "citizen"])
def test_residents_may_not_open_the_back_office(proposal, town_a, role):
    browser = browser_for(town_a, role)
    component = proposal.component
    assert browser.get(admin_url(component)).status_code == 403
    assert browser.get(admin_url(component, "proposal", proposal.pk)).status_code == 403
    response = browser.post(admin_url(component, "eligible", proposal.pk), {"reason": ""})
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_the_queue_filters_by_status_and_service(submit, citizen, staff, town_a, component):
    first = submit(citizen, title="Arceaux")
    submit(citizen, title="Verger")
    services.proposal_assign(actor=staff, proposal=first, service="Voirie")
    browser = browser_for(town_a, "moderator")
    page = browser.get(admin_url(component)).content.decode()
    assert "Arceaux" in page and "Verger" in page
    assert "1 déposée · 1 en analyse" in page
    by_service = browser.get(admin_url(component), {"service": "Voirie"}).content.decode()
    assert "Arceaux" in by_service and "Verger" not in by_service
    by_status = browser.get(admin_url(component), {"status": "submitted"}).content.decode()
    assert "Verger" in by_status and "Arceaux" not in by_status


def test_the_analysis_by_plain_posts(proposal, citizen, town_a, django_capture_on_commit_callbacks):
    component = proposal.component
    browser = browser_for(town_a, "admin")
    page = browser.get(admin_url(component, "proposal", proposal.pk))
    assert page.status_code == 200
    assert (
        browser.post(
            admin_url(component, "assign", proposal.pk), {"service": "Espaces verts"}
        ).status_code
        == 302
    )
    browser.post(
        admin_url(component, "note", proposal.pk),
        {"feasibility_note": "Faisable", "cost_estimate": "4500"},
    )
    response = browser.post(admin_url(component, "ineligible", proposal.pk), {"reason": ""})
    followed = browser.get(response["Location"]).content.decode()
    assert "Explication : ce champ est obligatoire." in followed
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(
            admin_url(component, "ineligible", proposal.pk),
            {"reason": "Hors compétence de la commune."},
        )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.INELIGIBLE
    assert proposal.assigned_service == "Espaces verts"
    assert str(proposal.cost_estimate) == "4500.00"
    assert proposal.ineligibility_reason == "Hors compétence de la commune."
    assert [message.to for message in mail.outbox] == [[citizen.email]]


def test_merging_from_the_back_office(submit, citizen, town_a, component):
    into, duplicate = submit(citizen, title="Le bon"), submit(citizen, title="Le doublon")
    browser = browser_for(town_a, "admin")
    response = browser.post(admin_url(component, "merge", duplicate.pk), {"into": into.pk})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == into


def test_categories_management(component, town_a):
    browser = browser_for(town_a, "admin")
    assert browser.get(admin_url(component, "categories")).status_code == 200
    assert (
        browser.post(admin_url(component, "categories"), {"name": "Mobilités"}).status_code == 302
    )
    response = browser.post(admin_url(component, "categories"), {"name": "Mobilités"})
    assert response.status_code == 400
    assert "La catégorie « Mobilités » existe déjà." in response.content.decode()
    category = Category.objects.get(component=component)
    browser.post(admin_url(component, "category_rename", category.pk), {"name": "Transports"})
    category.refresh_from_db()
    assert category.name == "Transports"
    browser.post(admin_url(component, "category_delete", category.pk))
    assert not Category.objects.filter(component=component).exists()


def test_the_limit_per_person_is_set_in_the_back_office(component, town_a):
    browser = browser_for(town_a, "admin")
    browser.post(admin_url(component, "settings"), {"max_proposals_per_person": "3"})
    component.refresh_from_db()
    assert component.setting("max_proposals_per_person") == 3
    browser.post(admin_url(component, "settings"), {"max_proposals_per_person": ""})
    component.refresh_from_db()
    assert component.setting("max_proposals_per_person") is None


def test_the_csv_export(submit, citizen, town_a, component):
    submit(citizen, title="=SOMME(A1:A2)")
    response = browser_for(town_a, "moderator").get(admin_url(component, "export_csv"))
    assert response.status_code == 200
    content = response.content.decode("utf-8-sig")
    assert "'=SOMME(A1:A2);" in content
    assert "Déposée;0;" in content
    assert browser_for(town_a, "citizen").get(admin_url(component, "export_csv")).status_code == 403


def test_putting_to_the_vote_from_the_back_office(proposal, budget, town_a, staff):
    services.proposal_note(actor=staff, proposal=proposal, cost_estimate="2500")
    services.proposal_mark_eligible(actor=staff, proposal=proposal)
    browser = client_for(town_a)
    browser.force_login(staff)
    component = proposal.component
    page = browser.get(admin_url(component, "proposal", proposal.pk)).content.decode()
    assert f'<option value="{budget.pk}">{budget}</option>' in page
    response = browser.post(admin_url(component, "to_vote", proposal.pk), {"budget": budget.pk})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PUT_TO_VOTE
    project = Project.objects.get(budget=budget)
    assert (project.title, project.cost, project.proposal_id) == (proposal.title, 2500, proposal.pk)
