"""A town asked for twice at the same moment: one is created, the other request or job gets a
message, and no schema is left behind. Each request or job runs in a thread of its own, with its
own connection, so what it writes is committed; each test removes it afterwards."""

from __future__ import annotations

import time

import pytest

from onboarding.models import OnboardingJob
from onboarding.wizard import onboarding_job_run
from tenants.models import Domain, Tenant
from tests.conftest import console_client_for, run_concurrently, schema_exists, towns_remove
from tests.onboarding.wizard_support import (
    WIZARD,
    committed_staff,
    plan_create,
    text,
    wizard_data,
)

REFUSALS = (
    "Une mise en service de « course-assistant » est déjà en cours",
    "L'identifiant « course-assistant » est déjà pris.",
)


@pytest.fixture
def committed_plan(committed_db):
    plan = plan_create("course")
    yield plan
    plan.delete()


def test_two_submissions_of_one_slug_make_one_town_and_one_message(committed_plan):
    slug = "course-assistant"
    try:
        with committed_staff() as staff:
            clients = [console_client_for(staff) for _ in range(2)]
            responses = run_concurrently(
                *(
                    lambda client=client, index=index: client.post(
                        WIZARD,
                        wizard_data(slug=slug, plan="course", admin_email=f"maire{index}@a.fr"),
                    )
                    for index, client in enumerate(clients)
                )
            )
            assert sorted(response.status_code for response in responses) == [302, 400]
            refused = text(next(r for r in responses if r.status_code == 400))
            assert any(message in refused for message in REFUSALS), refused
            job = OnboardingJob.objects.get(slug=slug)
            assert job.status == OnboardingJob.Status.DONE, job.error
            assert Tenant.objects.filter(slug=slug).count() == 1
            assert schema_exists("course_assistant")
    finally:
        towns_remove([slug])
    assert not schema_exists("course_assistant")


def test_two_jobs_racing_for_one_domain_one_town_the_other_job_fails_cleanly(committed_plan):
    slugs = ["course-nord", "course-sud"]
    domain = "participation.course.fr"
    try:
        with committed_staff() as staff:
            # Both checked while the domain was free, then run at the same moment.
            jobs = [
                OnboardingJob.objects.create(
                    slug=slug,
                    name=slug,
                    kind="commune",
                    insee_code="78423",
                    population=100,
                    custom_domain=domain,
                    plan="course",
                    theme_preset="vert",
                    admin_email=f"maire@{slug}.fr",
                    requested_by=staff,
                )
                for slug in slugs
            ]
            results = run_concurrently(
                *(lambda job=job: onboarding_job_run(job_id=job.pk) for job in jobs)
            )
            assert [r for r in results if isinstance(r, Exception)] == []
            statuses = sorted(result.status for result in results)
            assert statuses == [OnboardingJob.Status.DONE, OnboardingJob.Status.FAILED]
            failed = next(r for r in results if r.status == OnboardingJob.Status.FAILED)
            assert failed.error in (
                f"L'identifiant « {failed.slug} » ou l'un de ses domaines vient d'être pris.",
                f"Le domaine « {domain} » est déjà utilisé par une autre collectivité.",
            )
            assert failed.tenant is None
            assert not Tenant.objects.filter(slug=failed.slug).exists()
            assert not schema_exists(failed.slug.replace("-", "_"))
            winner = next(r for r in results if r.status == OnboardingJob.Status.DONE)
            assert Domain.objects.get(domain=domain).tenant.slug == winner.slug
    finally:
        towns_remove(slugs)


@pytest.mark.celery_worker
def test_the_worker_runs_the_job_sent_by_the_wizard(real_worker, committed_plan):
    slug = "par-le-worker"
    try:
        with committed_staff() as staff:
            response = console_client_for(staff).post(WIZARD, wizard_data(slug=slug, plan="course"))
            assert response.status_code == 302
            job = OnboardingJob.objects.get(slug=slug)
            deadline = time.monotonic() + 60
            while not job.is_finished and time.monotonic() < deadline:
                time.sleep(0.2)
                job.refresh_from_db()
            assert job.status == OnboardingJob.Status.DONE, job.error
            assert Tenant.objects.get(slug=slug).schema_name == "par_le_worker"
            assert schema_exists("par_le_worker")
    finally:
        towns_remove([slug])
