"""The onboarding wizard's work. A request for a new town is checked whole, up front, and
recorded as an OnboardingJob; a Celery task (onboarding.tasks.town_onboard) then carries out
its steps one after another, each in its own transaction, recording the progress after each so
that the console page can show it. A step that fails marks the job failed with its message and
removes what the earlier steps made: a failed creation leaves no town and no schema behind."""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import tenant_context

from accounts.models import User
from accounts.services import DISPLAY_NAME_MAX_LENGTH, staff_invite
from billing.models import Plan
from billing.services.quotes import quote_create
from console.audit import audit_record
from console.selectors import town_kinds
from core.errors import ApplicationError, Invalid
from participation.registry import registry
from tenants.models import DEFAULT_MAP_ZOOM, Tenant
from tenants.services import (
    MapLocation,
    map_location_checked,
    town_check_available,
    town_create,
)
from tenants.validators import validate_insee_code, validate_siren
from theming.presets import PRESETS
from theming.services import theme_apply_preset

from . import tasks
from .models import OnboardingJob
from .offboarding import town_erase

logger = logging.getLogger(__name__)


class OnboardingError(Invalid):
    """A request for a new town that cannot be accepted. ``errors`` holds the messages, in
    French, by form field (``None``: the request as a whole)."""

    def __init__(self, errors: dict[str | None, list[str]]):
        self.errors = errors
        super().__init__(" ".join(message for messages in errors.values() for message in messages))


@dataclass(frozen=True)
class TownRequest:
    """What the wizard asks for. No module chosen: the plan's included modules."""

    name: str
    kind: str
    slug: str
    population: int
    plan: str
    theme_preset: str
    admin_email: str
    admin_name: str = ""
    insee_code: str = ""
    siren: str = ""
    custom_domain: str = ""
    modules: tuple[str, ...] = ()
    # Where the town's maps open, as typed (both coordinates or neither).
    latitude: str = ""
    longitude: str = ""
    map_zoom: str = str(DEFAULT_MAP_ZOOM)

    def map_location(self) -> MapLocation:
        return map_location_checked(
            latitude=self.latitude, longitude=self.longitude, zoom=self.map_zoom
        )


# Choices offered by the wizard


def plans_offered() -> QuerySet[Plan]:
    return Plan.objects.filter(active=True)


# Checking and recording a request


def _already_running(slug: str) -> str:
    return _(
        "Une mise en service de « %(slug)s » est déjà en cours : suivez-la plutôt que d'en "
        "lancer une autre."
    ) % {"slug": slug}


def _plan_problem(code: str) -> str | None:
    plan = Plan.objects.filter(code=code).first()
    if plan is None:
        return _(
            "La formule « %(plan)s » n'a pas de prix dans la facturation : créez-la d'abord, "
            "avec son prix, dans « Facturation »."
        ) % {"plan": code}
    if not plan.active:
        return _("La formule « %(plan)s » n'est plus proposée.") % {"plan": plan.name}
    return None


def _normalised(town: TownRequest) -> TownRequest:
    return dataclasses.replace(
        town,
        name=" ".join(town.name.split()),
        slug=town.slug.strip().lower(),
        custom_domain=town.custom_domain.strip().lower(),
        insee_code=town.insee_code.strip().upper(),
        siren="".join(town.siren.split()),
        plan=town.plan.strip(),
        admin_email=town.admin_email.strip().lower(),
        admin_name=" ".join(town.admin_name.split()),
        modules=tuple(dict.fromkeys(town.modules)),
    )


def town_request_check(town: TownRequest) -> TownRequest:
    """The request, normalised (the plan's modules when none is chosen), if the town can be
    created as asked; else OnboardingError with every problem found."""
    town = _normalised(town)
    errors: dict[str | None, list[str]] = {}

    def refuse(field: str | None, message: str) -> None:
        errors.setdefault(field, []).append(message)

    def validated(field: str, validator: Callable[[str], None], value: str) -> None:
        try:
            validator(value)
        except ValidationError as exc:
            for message in exc.messages:
                refuse(field, message)

    if not town.name:
        refuse("name", _("Le nom de la collectivité est obligatoire."))
    if town.kind not in dict(town_kinds()):
        refuse("kind", _("Type de collectivité inconnu : « %(kind)s ».") % {"kind": town.kind})
    if town.population < 0:
        refuse("population", _("La population ne peut pas être négative."))
    validated("insee_code", validate_insee_code, town.insee_code)
    validated("siren", validate_siren, town.siren)
    if not town.insee_code and not town.siren:
        refuse("insee_code", _("Indiquez le code INSEE ou le numéro SIREN de la collectivité."))
    try:
        town_check_available(slug=town.slug)
    except ApplicationError as exc:
        refuse("slug", str(exc))
    else:
        if OnboardingJob.objects.filter(
            slug=town.slug, status__in=OnboardingJob.ACTIVE_STATUSES
        ).exists():
            refuse("slug", _already_running(town.slug))
        if town.custom_domain:
            try:  # the slug is free: only the domain can be refused now
                town_check_available(slug=town.slug, custom_domains=[town.custom_domain])
            except ApplicationError as exc:
                refuse("custom_domain", str(exc))
    plan_problem = _plan_problem(town.plan)
    if plan_problem:
        refuse("plan", plan_problem)
    for module in town.modules:
        if module not in registry:
            refuse("modules", _("Module inconnu : « %(key)s ».") % {"key": module})
    if town.theme_preset not in PRESETS:
        refuse(
            "theme_preset",
            _("Thème de départ inconnu : « %(key)s ».") % {"key": town.theme_preset},
        )
    try:
        town.map_location()
    except Invalid as exc:
        refuse(exc.field, str(exc))
    validated("admin_email", validate_email, town.admin_email)
    if len(town.admin_name) > DISPLAY_NAME_MAX_LENGTH:
        refuse(
            "admin_name",
            _("Le nom affiché compte %(length)d caractères : %(max)d au plus.")
            % {"length": len(town.admin_name), "max": DISPLAY_NAME_MAX_LENGTH},
        )
    if errors:
        raise OnboardingError(errors)
    if not town.modules:
        town = dataclasses.replace(
            town, modules=tuple(Plan.objects.get(code=town.plan).included_modules)
        )
    return town


def onboarding_job_request(
    *, town: TownRequest, requested_by: User, request: HttpRequest | None = None
) -> OnboardingJob:
    """Check the request whole, record it, and start the creation once that is committed.
    Of two requests for one slug at the same moment, the second gets OnboardingError."""
    town = town_request_check(town)
    location = town.map_location()
    try:
        with transaction.atomic():
            job = OnboardingJob.objects.create(
                slug=town.slug,
                name=town.name,
                kind=town.kind,
                insee_code=town.insee_code,
                siren=town.siren,
                population=town.population,
                custom_domain=town.custom_domain,
                plan=town.plan,
                enabled_modules=list(town.modules),
                theme_preset=town.theme_preset,
                admin_email=town.admin_email,
                admin_name=town.admin_name,
                latitude=location.latitude,
                longitude=location.longitude,
                map_zoom=location.zoom,
                requested_by=requested_by,
            )
            audit_record(
                actor=requested_by,
                action="onboarding.requested",
                details={"job": job.pk, "slug": job.slug, "name": job.name, "plan": job.plan},
                request=request,
            )
    except IntegrityError as exc:  # onboarding_job_one_active_per_slug
        raise OnboardingError({"slug": [_already_running(town.slug)]}) from exc
    tasks.delay_on_commit(
        tasks.town_onboard,
        job.pk,
        unsent=lambda: _job_failed(job, _("La création n'a pas pu être lancée : réessayez.")),
    )
    return job


# Carrying a job out


def _town_create(job: OnboardingJob) -> None:
    job.tenant = town_create(
        slug=job.slug,
        name=job.name,
        kind=job.kind,
        population=job.population,
        insee_code=job.insee_code,
        siren=job.siren,
        plan=job.plan,
        enabled_modules=job.enabled_modules,
        custom_domains=[job.custom_domain] if job.custom_domain else [],
        map_location=MapLocation(job.latitude, job.longitude, job.map_zoom),
    ).tenant


def _theme_apply(job: OnboardingJob) -> None:
    with tenant_context(job.tenant):
        theme_apply_preset(key=job.theme_preset)


def _quote_draw_up(job: OnboardingJob) -> None:
    # The plan chosen becomes a quote to the town (its PDF on the town's billing page); signed
    # there, it starts the subscription (billing.services.quotes.quote_sign).
    quote_create(
        actor=job.requested_by,
        tenant=job.tenant,
        plan=Plan.objects.get(code=job.plan),
        billing_email=job.admin_email,
    )


def _admin_invite(job: OnboardingJob) -> None:
    # Last: the e-mail leaves on commit, once nothing can undo the town any more.
    with tenant_context(job.tenant):
        staff_invite(
            email=job.admin_email,
            display_name=job.admin_name or job.admin_email.split("@")[0],
            role=User.Role.ADMIN,
        )


@dataclass(frozen=True)
class Step:
    key: str
    label: Promise
    run: Callable[[OnboardingJob], None]


STEPS = (
    Step(
        "town_created", gettext_lazy("Création de la collectivité et de son schéma"), _town_create
    ),
    Step("theme_applied", gettext_lazy("Application du thème de départ"), _theme_apply),
    Step("quote_drawn_up", gettext_lazy("Devis de la formule choisie"), _quote_draw_up),
    Step("admin_invited", gettext_lazy("Invitation du premier administrateur"), _admin_invite),
)
# Refusals a step may meet, whose messages are for people as they are.
STEP_ERRORS = (ApplicationError,)


def onboarding_job_run(*, job_id: int) -> OnboardingJob:
    """Carry out a queued job's steps (the Celery task). A job already taken by another run is
    left alone. Any failure marks the job failed, with its message."""
    claimed = OnboardingJob.claim(job_id)
    job = OnboardingJob.objects.select_related("requested_by").get(pk=job_id)
    if not claimed:
        return job
    for step in STEPS:
        try:
            with transaction.atomic():
                step.run(job)
                job.steps = [*job.steps, {"key": step.key, "at": timezone.now().isoformat()}]
                job.save(update_fields=["tenant", "steps"])
                audit_record(
                    actor=job.requested_by,
                    action=f"onboarding.{step.key}",
                    town=job.tenant,
                    details={"job": job.pk},
                )
        except STEP_ERRORS as exc:
            return _job_failed(job, str(exc))
        except Exception:
            logger.exception("Mise en service %s : étape %s en échec.", job.pk, step.key)
            return _job_failed(
                job,
                _("Erreur inattendue à l'étape « %(step)s » ; l'équipe technique est prévenue.")
                % {"step": step.label},
            )
    with transaction.atomic():
        job.finish(OnboardingJob.Status.DONE)
        audit_record(
            actor=job.requested_by,
            action="onboarding.done",
            town=job.tenant,
            details={"job": job.pk},
        )
    return job


def _job_failed(job: OnboardingJob, message: str) -> OnboardingJob:
    """Undo what the steps made (the town, if it was created), then mark the job failed."""
    tenant = Tenant.objects.filter(pk=job.tenant_id).first() if job.tenant_id else None
    if tenant is not None:
        try:
            town_erase(tenant=tenant)
        except Exception:
            logger.exception("Mise en service %s : collectivité %s non retirée.", job.pk, job.slug)
            message += " " + _(
                "La collectivité à moitié créée n'a pas pu être retirée : supprimez-la depuis sa "
                "page."
            )
    with transaction.atomic():
        job.tenant = Tenant.objects.filter(pk=job.tenant_id).first() if job.tenant_id else None
        job.finish(OnboardingJob.Status.FAILED, error=message, also_saved=("tenant",))
        audit_record(
            actor=job.requested_by,
            action="onboarding.failed",
            town=job.tenant,
            details={"job": job.pk, "slug": job.slug, "name": job.name, "error": message},
        )
    return job


# A creation takes seconds: one still waiting or running this long lost its worker (restarted,
# killed) or its message, and nothing else will ever finish it.
STALLED_AFTER = datetime.timedelta(minutes=15)


def onboarding_jobs_stalled_fail(*, now: datetime.datetime | None = None) -> int:
    """Fail (and undo) the jobs left queued or running for longer than STALLED_AFTER, so that
    the console says so and the slug can be asked for again. Returns how many."""
    limit = (now or timezone.now()) - STALLED_AFTER
    stalled = OnboardingJob.objects.filter(
        status__in=OnboardingJob.ACTIVE_STATUSES, created_at__lt=limit
    )
    failed = 0
    for job in stalled:
        # Claim it as a run would: a worker finishing it at this very moment wins.
        if OnboardingJob.objects.filter(pk=job.pk, status=job.status).update(
            status=OnboardingJob.Status.RUNNING
        ):
            _job_failed(job, _("La création s'est interrompue (tâche perdue) : recommencez."))
            failed += 1
    return failed


# Showing a job's progress


@dataclass(frozen=True)
class StepProgress:
    label: str
    state: str  # "done", "running", "failed" or "waiting"
    done_at: datetime.datetime | None


def onboarding_job_progress(job: OnboardingJob) -> list[StepProgress]:
    done_at = {step["key"]: parse_datetime(step["at"]) for step in job.steps}
    progress, current_seen = [], False
    for step in STEPS:
        if step.key in done_at:
            state = "done"
        elif current_seen or job.status == OnboardingJob.Status.QUEUED:
            state = "waiting"
        else:
            current_seen = True
            state = "failed" if job.status == OnboardingJob.Status.FAILED else "running"
        progress.append(StepProgress(str(step.label), state, done_at.get(step.key)))
    return progress
