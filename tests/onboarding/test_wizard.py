"""The onboarding wizard: one form checked whole, a job run by Celery (eager here) with its
progress on a page, the first administrator's invitation; every refusal leaves nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django_tenants.utils import get_public_schema_name, schema_context, tenant_context

from accounts.models import User
from billing.models import Quote
from console.models import AuditEntry
from core.formats import euros_from_cents
from onboarding.models import OnboardingJob
from onboarding.wizard import (
    OnboardingError,
    TownRequest,
    onboarding_job_request,
    onboarding_job_run,
)
from tenants.models import Domain, Tenant
from tenants.services import town_create
from tests.accounts.helpers import host_of, only_link_in_last_email, path_of
from tests.conftest import client_for, schema_exists
from tests.factories import UserFactory
from tests.onboarding.wizard_support import (
    WIZARD,
    nothing_created,
    plan_create,
    text,
    wizard_data,
)
from theming.models import SiteTheme
from theming.presets import PRESETS

SLUG = "montigny-le-test"
HOST = "montigny-le-test.localhost"
NEW_PASSWORD = "Un-mot-de-passe-tout-neuf-2026"
INVALID_LINK = "Ce lien n'est pas valide : il a expiré ou a déjà servi."


@pytest.fixture
def plan(db):
    return plan_create()


def _submit(client, django_capture_on_commit_callbacks, **overrides):
    """POST the wizard; the job's task runs (eagerly) once the request has committed."""
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(WIZARD, wizard_data(**overrides))


def _job_request(requester: User, **overrides) -> OnboardingJob:
    data = wizard_data(**overrides)
    data["population"] = int(data["population"])
    return onboarding_job_request(town=TownRequest(**data), requested_by=requester)


# The happy path -------------------------------------------------------------------------------


def test_wizard_says_when_no_plan_is_offered(console_client, db):
    page = text(console_client.get(WIZARD))

    assert "Aucune formule proposée pour l'instant" in page


def test_wizard_page_has_labelled_fields_and_one_submit(console_client, plan):
    response = console_client.get(WIZARD)

    assert response.status_code == 200
    page = text(response)
    for label in (
        "Nom de la collectivité",
        "Type de collectivité",
        "Identifiant (sous-domaine)",
        "Code INSEE",
        "Numéro SIREN",
        "Population",
        "Formule",
        "Thème de départ",
        "E-mail du premier administrateur",
    ):
        assert label in page, label
    assert f"Essentiel ({euros_from_cents(240_000)} / an)" in page
    assert page.count('type="submit"') == 2  # the wizard's, and the header's sign-out button
    assert "Aucune formule proposée" not in page
    assert "Créer la collectivité" in page


def test_wizard_creates_the_town_applies_the_theme_and_invites_the_admin(
    console_client, vendor_staff, plan, django_capture_on_commit_callbacks
):
    response = _submit(console_client, django_capture_on_commit_callbacks)

    job = OnboardingJob.objects.get(slug=SLUG)
    assert response.status_code == 302
    assert response["Location"] == f"/mises-en-service/{job.pk}/"
    assert job.status == OnboardingJob.Status.DONE, job.error
    assert [step["key"] for step in job.steps] == [
        "town_created",
        "theme_applied",
        "quote_drawn_up",
        "admin_invited",
    ]
    assert job.requested_by == vendor_staff
    tenant = Tenant.objects.get(slug=SLUG)
    assert job.tenant == tenant
    assert (tenant.name, tenant.kind, tenant.insee_code, tenant.population) == (
        "Montigny-le-Test",
        "commune",
        "78423",
        12_000,
    )
    assert tenant.plan == "essentiel"
    # Typed with a decimal comma or point: the town's maps open on it.
    assert (tenant.latitude, tenant.longitude, tenant.map_zoom) == (
        Decimal("48.771500"),
        Decimal("2.033500"),
        14,
    )
    assert tenant.enabled_modules == ["news", "ideas"]  # the plan's, none being chosen
    assert Domain.objects.get(tenant=tenant, is_primary=True).domain == HOST
    assert schema_exists("montigny_le_test")
    with tenant_context(tenant):
        theme = SiteTheme.objects.get(pk=SiteTheme.SINGLETON_ID)
        assert (theme.primary_colour, theme.accent_colour) == (
            PRESETS["vert"].primary_colour,
            PRESETS["vert"].accent_colour,
        )
        admin = User.objects.get(email="camille@montigny.fr")
        assert admin.role == User.Role.ADMIN
        assert admin.display_name == "Camille Maire"
        assert not admin.has_usable_password()

    assert [message.to for message in mail.outbox] == [["camille@montigny.fr"]]
    link = only_link_in_last_email()
    assert host_of(link) == HOST
    assert path_of(link).startswith("/compte/mot-de-passe/nouveau/")
    assert set(AuditEntry.objects.filter(details__job=job.pk).values_list("action", flat=True)) == {
        "onboarding.requested",
        "onboarding.town_created",
        "onboarding.theme_applied",
        "onboarding.quote_drawn_up",
        "onboarding.admin_invited",
        "onboarding.done",
    }

    # The plan chosen, as a quote to sign (billing: signed, it starts the subscription).
    quote = Quote.objects.get(tenant=tenant)
    assert (quote.plan.code, quote.billing_email, quote.subtotal_cents) == (
        "essentiel",
        "camille@montigny.fr",
        240_000,
    )

    page = text(console_client.get(response["Location"]))
    assert "Montigny-le-Test est en service" in page
    assert "Une invitation a été envoyée à camille@montigny.fr" in page
    assert f'href="http://{HOST}/"' in page
    assert f'href="/collectivites/{SLUG}/"' in page
    assert "hx-get" not in page
    assert 'http-equiv="refresh"' not in page


def test_invited_admin_sets_a_password_once_and_signs_in_on_the_new_site(
    console_client, plan, django_capture_on_commit_callbacks
):
    _submit(console_client, django_capture_on_commit_callbacks)
    tenant = Tenant.objects.get(slug=SLUG)
    link_path = path_of(only_link_in_last_email())
    browser = client_for(tenant)

    opened = browser.get(link_path, follow=True)
    assert opened.context["validlink"] is True
    saved = browser.post(
        opened.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert saved.status_code == 302
    signed_in = browser.post(
        "/compte/connexion/", {"username": "camille@montigny.fr", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert signed_in.wsgi_request.user.role == User.Role.ADMIN

    reused = client_for(tenant).get(link_path, follow=True)
    assert reused.context["validlink"] is False
    assert INVALID_LINK in text(reused)


def test_an_expired_invitation_link_says_so_in_french(
    console_client, plan, django_capture_on_commit_callbacks
):
    _submit(console_client, django_capture_on_commit_callbacks)
    tenant = Tenant.objects.get(slug=SLUG)
    link_path = path_of(only_link_in_last_email())

    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=4)):
        response = client_for(tenant).get(link_path, follow=True)

    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert INVALID_LINK in text(response)
    assert "Demander un nouveau lien" in text(response)
    with tenant_context(tenant):
        assert not User.objects.get(email="camille@montigny.fr").has_usable_password()


def test_chosen_modules_replace_the_plans(console_client, plan, django_capture_on_commit_callbacks):
    data = wizard_data()
    data["modules"] = ["budgets", "polls"]
    with django_capture_on_commit_callbacks(execute=True):
        console_client.post(WIZARD, data)

    assert Tenant.objects.get(slug=SLUG).enabled_modules == ["budgets", "polls"]


# Progress -------------------------------------------------------------------------------------


def test_progress_page_polls_until_the_job_is_finished(console_client, vendor_staff, plan):
    job = _job_request(vendor_staff)  # the task is sent on commit: not yet here
    page_url = f"/mises-en-service/{job.pk}/"
    fragment_url = f"{page_url}progression/"

    page = text(console_client.get(page_url))
    assert f'hx-get="{fragment_url}"' in page
    assert 'hx-trigger="every 1s"' in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    waiting = console_client.get(fragment_url, HTTP_HX_REQUEST="true")
    assert waiting.status_code == 200
    assert text(waiting).count("en attente") == 4
    assert "<html" not in text(waiting)

    onboarding_job_run(job_id=job.pk)

    done = console_client.get(fragment_url, HTTP_HX_REQUEST="true")
    assert done.status_code == 286  # htmx stops polling
    assert text(done).count("fait") >= 3
    assert "est en service" in text(done)
    without_htmx = console_client.get(fragment_url)
    assert without_htmx.status_code == 200
    assert "hx-get" not in text(console_client.get(page_url))


def test_a_job_is_run_once(vendor_staff, plan):
    job = _job_request(vendor_staff)
    onboarding_job_run(job_id=job.pk)

    again = onboarding_job_run(job_id=job.pk)

    assert again.status == OnboardingJob.Status.DONE
    assert again.steps == OnboardingJob.objects.get(pk=job.pk).steps
    assert len(again.steps) == 4
    assert Tenant.objects.filter(slug=SLUG).count() == 1


# Refusals: a French message, nothing created ----------------------------------------------------


@pytest.fixture
def custom_domain_of_town_b(town_b):
    return Domain.objects.create(
        domain="participation.ville-b.fr", tenant=town_b, is_primary=False, is_custom=True
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"slug": "ville-a"}, "L'identifiant « ville-a » est déjà pris."),
        ({"slug": "admin"}, "L'identifiant « admin » est réservé par la plateforme."),
        ({"slug": "Pas un slug"}, "n'est pas valide : lettres minuscules sans accent"),
        (
            {"custom_domain": "participation.ville-b.fr"},
            "Le domaine « participation.ville-b.fr » est déjà utilisé par une autre collectivité.",
        ),
        ({"custom_domain": "ville.localhost"}, "« ville.localhost » appartient à la plateforme"),
        ({"siren": "123456789"}, "Le numéro SIREN « 123456789 » n'est pas valide"),
        ({"insee_code": "7842"}, "Le code INSEE « 7842 » doit compter 5 caractères"),
        (
            {"insee_code": "", "siren": ""},
            "Indiquez le code INSEE ou le numéro SIREN de la collectivité.",
        ),
        ({"plan": "premium"}, "La formule « premium » n'a pas de prix dans la facturation"),
        ({"plan": "ancienne"}, "La formule « Ancienne » n'est plus proposée."),
        ({"latitude": "Montigny"}, "La latitude est un nombre en degrés décimaux, par exemple"),
        ({"latitude": "148.7"}, "La latitude va de -90 à 90 degrés."),
        ({"longitude": "-200"}, "La longitude va de -180 à 180 degrés."),
        ({"longitude": ""}, "Indiquez la latitude et la longitude, ou aucune des deux."),
        ({"map_zoom": "30"}, "Le zoom est un nombre entier de 5 (une région) à 18 (une rue)."),
        ({"map_zoom": "près"}, "Le zoom est un nombre entier de 5 (une région) à 18 (une rue)."),
        ({"admin_email": "pas-une-adresse"}, "Saisissez une adresse e-mail valide."),
        ({"name": "   "}, "Ce champ est obligatoire."),
    ],
)
def test_bad_input_is_refused_in_french_and_nothing_is_created(
    console_client, plan, town_a, custom_domain_of_town_b, overrides, message
):
    plan_create("ancienne", active=False)
    towns_before = Tenant.objects.count()

    response = console_client.post(WIZARD, wizard_data(**overrides))

    assert response.status_code == 400
    assert message in text(response)
    assert not OnboardingJob.objects.exists()
    assert Tenant.objects.count() == towns_before
    assert nothing_created(SLUG)
    assert mail.outbox == []


def test_every_problem_is_reported_at_once(console_client, plan, town_a):
    response = console_client.post(
        WIZARD, wizard_data(slug="ville-a", siren="123456789", plan="premium")
    )

    page = text(response)
    assert "L'identifiant « ville-a » est déjà pris." in page
    assert "Le numéro SIREN « 123456789 » n'est pas valide" in page
    assert "La formule « premium » n'a pas de prix" in page


def test_type_errors_and_the_services_refusals_come_in_one_round(console_client, plan, town_a):
    response = console_client.post(
        WIZARD,
        wizard_data(
            slug="ville-a", insee_code="784", population="douze mille", admin_email="camille"
        ),
    )

    assert response.status_code == 400
    page = text(response)
    # The form's own refusals…
    assert "Saisissez un nombre entier." in page
    assert "Saisissez une adresse e-mail valide." in page
    # …and, in the same round, the service's about the other fields.
    assert "L'identifiant « ville-a » est déjà pris." in page
    assert "Le code INSEE « 784 » doit compter 5 caractères" in page
    # Nothing said twice about a field the form refused.
    assert page.count("Saisissez une adresse e-mail valide.") <= 2  # summary + field
    assert not OnboardingJob.objects.exists()


def test_unknown_theme_or_module_is_refused_by_the_service(vendor_staff, plan):
    with pytest.raises(OnboardingError) as refused:
        _job_request(vendor_staff, theme_preset="fluo", modules=("news", "jeux"))

    assert refused.value.errors == {
        "modules": ["Module inconnu : « jeux »."],
        "theme_preset": ["Thème de départ inconnu : « fluo »."],
    }
    assert nothing_created(SLUG)


def test_a_second_request_while_the_first_is_running_is_refused(vendor_staff, plan):
    first = _job_request(vendor_staff)

    with pytest.raises(OnboardingError, match="Une mise en service de « montigny-le-test » est"):
        _job_request(vendor_staff, name="Doublon")

    assert list(OnboardingJob.objects.values_list("pk", flat=True)) == [first.pk]


def test_a_slug_taken_after_the_request_fails_the_job_and_leaves_the_other_town(
    console_client, vendor_staff, plan
):
    job = _job_request(vendor_staff)
    other = town_create(slug=SLUG, name="Arrivée avant", kind="commune", population=10).tenant

    job = onboarding_job_run(job_id=job.pk)

    assert job.status == OnboardingJob.Status.FAILED
    assert job.error == "L'identifiant « montigny-le-test » est déjà pris."
    assert job.tenant is None
    assert Tenant.objects.get(slug=SLUG) == other
    assert schema_exists("montigny_le_test")
    assert AuditEntry.objects.filter(action="onboarding.failed", details__job=job.pk).exists()
    page = text(console_client.get(f"/mises-en-service/{job.pk}/"))
    assert "La création a échoué : L'identifiant « montigny-le-test » est déjà pris." in page
    assert "échec" in page


def test_a_failure_after_the_town_was_made_removes_it_entirely(
    vendor_staff, plan, django_capture_on_commit_callbacks
):
    job = _job_request(vendor_staff)
    # A preset withdrawn between the request and the run (a deploy in between).
    OnboardingJob.objects.filter(pk=job.pk).update(theme_preset="retire")

    with django_capture_on_commit_callbacks(execute=True):
        job = onboarding_job_run(job_id=job.pk)

    assert job.status == OnboardingJob.Status.FAILED
    assert "Modèle de thème inconnu : « retire »" in job.error
    assert [step["key"] for step in job.steps] == ["town_created"]
    assert job.tenant is None
    assert not Tenant.objects.filter(slug=SLUG).exists()
    assert not Domain.objects.filter(domain=HOST).exists()
    assert not schema_exists("montigny_le_test")
    assert mail.outbox == []  # no invitation to a town that is gone
    town_entry = AuditEntry.objects.get(action="onboarding.town_created", details__job=job.pk)
    assert town_entry.town is None
    assert town_entry.town_name == "Montigny-le-Test"


# Who may use it -------------------------------------------------------------------------------


PAGES = [WIZARD, "/mises-en-service/{job}/", "/mises-en-service/{job}/progression/"]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_and_non_staff_accounts_are_sent_to_sign_in(vendor_staff, plan, page):
    url = page.format(job=_job_request(vendor_staff).pk)
    with schema_context(get_public_schema_name()):
        citizen = UserFactory(email="pas-staff@agora.test")
    signed_in = Client(HTTP_HOST="localhost")
    signed_in.force_login(citizen)

    for client in (Client(HTTP_HOST="localhost"), signed_in):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/compte/connexion/")
        assert client.post(WIZARD, wizard_data(slug="intrus")).status_code == 302
    assert not OnboardingJob.objects.filter(slug="intrus").exists()


@pytest.mark.parametrize("page", PAGES)
def test_staff_without_the_second_factor_is_asked_for_it(vendor_staff, plan, page):
    url = page.format(job=_job_request(vendor_staff).pk)
    client = Client(HTTP_HOST="localhost")
    client.force_login(vendor_staff)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/double-authentification/?next=")


def test_wizard_of_a_town_host_does_not_exist(town_a):
    assert client_for(town_a).get(WIZARD).status_code == 404


def test_the_database_allows_one_active_job_per_slug(vendor_staff, plan):
    first = _job_request(vendor_staff)
    fields = {
        field.name: getattr(first, field.name)
        for field in OnboardingJob._meta.concrete_fields
        if not field.primary_key
    }

    with pytest.raises(IntegrityError), transaction.atomic():
        OnboardingJob.objects.create(**fields)
    OnboardingJob.objects.filter(pk=first.pk).update(status=OnboardingJob.Status.FAILED)
    retry = OnboardingJob.objects.create(**{**fields, "status": OnboardingJob.Status.QUEUED})

    assert retry.pk != first.pk


# Jobs that lost their worker --------------------------------------------------------------------


def test_jobs_stalled_for_15_minutes_are_failed_and_undone(vendor_staff, plan, town_b):
    from onboarding.wizard import onboarding_jobs_stalled_fail

    start = datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        lost = _job_request(vendor_staff)  # its message never reached a worker
        running = _job_request(vendor_staff, slug="ville-coupee", name="Ville coupée")
    # Its worker was killed after the first step: the town exists, half set up.
    half_made = town_create(
        slug="ville-coupee", name="Ville coupée", kind=Tenant.Kind.COMMUNE, population=900
    ).tenant
    OnboardingJob.objects.filter(pk=running.pk).update(
        status=OnboardingJob.Status.RUNNING, tenant=half_made
    )
    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        recent = _job_request(vendor_staff, slug="ville-recente", name="Ville récente")
        assert onboarding_jobs_stalled_fail() == 0

    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        assert onboarding_jobs_stalled_fail() == 2

    for job in (lost, running):
        job.refresh_from_db()
        assert job.status == OnboardingJob.Status.FAILED
        assert job.error == "La création s'est interrompue (tâche perdue) : recommencez."
    assert not Tenant.objects.filter(slug="ville-coupee").exists()
    assert not schema_exists("ville_coupee")
    recent.refresh_from_db()
    assert recent.status == OnboardingJob.Status.QUEUED
    # The slug can be asked for again.
    assert _job_request(vendor_staff).status == OnboardingJob.Status.QUEUED
