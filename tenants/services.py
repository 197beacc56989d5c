"""Creating towns and changing what they are allowed to do."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.clone import CloneSchema
from django_tenants.utils import (
    get_public_schema_name,
    schema_context,
    schema_exists,
    tenant_context,
)

from accounts.models import User
from accounts.services import staff_invite
from core.errors import Conflict, Invalid, NotAllowed
from core.hosts import town_host

from .clone import UnsupportedTemplate, clone_template
from .migration import template_schema_name
from .models import DEFAULT_MAP_ZOOM, MAP_ZOOM_MAX, MAP_ZOOM_MIN, Domain, SpareSchema, Tenant
from .spares import (
    REFILL_LOCK,
    current_state,
    is_spare_schema,
    spare_drop,
    spare_schema_name_new,
    spare_schemas_drop_outdated,
    spare_take,
)
from .validators import (
    validate_domain_name,
    validate_insee_code,
    validate_siren,
    validate_town_slug,
)


@dataclass(frozen=True)
class MapLocation:
    """Where a town's maps open: both coordinates or neither (then a map of France)."""

    latitude: Decimal | None
    longitude: Decimal | None
    zoom: int


COORDINATE_PLACES = Decimal("0.000001")  # six decimals: about ten centimetres


@dataclass(frozen=True)
class TownCreated:
    tenant: Tenant
    domain: Domain
    admin: User | None = None
    admin_set_password_url: str | None = None


class TemplateClone(CloneSchema):
    """django-tenants' CloneSchema re-creates its 4,600-line PL/pgSQL functions before every
    clone. In one database session each re-creation leaves the previous compiled version
    behind: in one process creating towns in a row, a clone took 0.3 s at the 20th town and
    7.7 s at the 120th (benchmarks/tenant_scale.py, docs/benchmarks.md). Install them once per
    process and database, after a commit has made them last."""

    _installed_in: set[str] = set()

    def _create_clone_schema_function(self):
        database = connection.settings_dict["NAME"]
        if database in self._installed_in:
            return
        super()._create_clone_schema_function()
        transaction.on_commit(lambda: self._installed_in.add(database))


logger = logging.getLogger(__name__)


def town_schema_clone(schema_name: str) -> None:
    """Create the town's schema as a copy of the template, in the current transaction.

    The fast path replays the template's DDL, read from the catalogue once per migration state
    (tenants.clone). If the template holds something it cannot reproduce exactly, or if
    replaying fails, django-tenants' generic clone_schema() does the work, slower.
    """
    template = template_schema_name()
    try:
        clone_template(template, schema_name)
    except UnsupportedTemplate as exc:
        logger.warning("Clone rapide impossible (%s) : clone générique de django-tenants.", exc)
    except DatabaseError:
        logger.exception("Clone rapide en échec : clone générique de django-tenants.")
    else:
        return
    TemplateClone().clone_schema(template, schema_name, "DATA")


def schema_name_for(slug: str) -> str:
    return slug.replace("-", "_")


def _validated(validator, value: str) -> None:
    try:
        validator(value)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages)) from exc


def _check_town_is_new(*, slug: str, hosts: Iterable[str]) -> None:
    schema_name = schema_name_for(slug)
    if schema_name in (template_schema_name(), get_public_schema_name()) or is_spare_schema(
        schema_name
    ):
        raise Invalid(
            _("L'identifiant « %(slug)s » est réservé par la plateforme.") % {"slug": slug}
        )
    if Tenant.objects.filter(slug=slug).exists() or schema_exists(schema_name):
        raise Conflict(_("L'identifiant « %(slug)s » est déjà pris.") % {"slug": slug})
    taken = Domain.objects.filter(domain__in=list(hosts)).values_list("domain", flat=True).first()
    if taken:
        raise domain_taken(taken)


def domain_taken(domain: str) -> Conflict:
    return Conflict(
        _("Le domaine « %(domain)s » est déjà utilisé par une autre collectivité.")
        % {"domain": domain},
        field="domain",
    )


def check_custom_domain(domain: str) -> None:
    _validated(validate_domain_name, domain)
    if domain == settings.PLATFORM_DOMAIN or domain.endswith(f".{settings.PLATFORM_DOMAIN}"):
        raise Invalid(
            _("« %(domain)s » appartient à la plateforme : choisissez le domaine de la ville.")
            % {"domain": domain}
        )


def town_check_available(*, slug: str, custom_domains: Iterable[str] = ()) -> None:
    """Refuse (Invalid, Conflict) an invalid or reserved slug, a slug or schema already taken, or
    a host name that is invalid, the platform's or in use: what town_create checks again, when it
    creates the town (its unique indexes decide between two creations at the same moment)."""
    _validated(validate_town_slug, slug)
    for domain in custom_domains:
        check_custom_domain(domain)
    with schema_context(get_public_schema_name()):
        _check_town_is_new(slug=slug, hosts=[town_host(slug), *custom_domains])


def town_create(
    *,
    slug: str,
    name: str,
    kind: str,
    population: int,
    insee_code: str = "",
    siren: str = "",
    status: str = Tenant.Status.TRIAL,
    plan: str = "",
    enabled_modules: Iterable[str] | None = None,
    custom_domains: Iterable[str] = (),
    admin_email: str | None = None,
    admin_name: str = "",
    map_location: MapLocation | None = None,
) -> TownCreated:
    """Create a town: its row, its host names and its schema: a spare schema renamed when an
    up-to-date one is free (tenants.spares), else a clone of the template.

    All of it happens in one transaction (PostgreSQL's DDL is transactional): a failure leaves
    no row and no schema behind, and of two concurrent creations of one slug the second waits on
    the unique index, then fails with a message.
    """
    name = name.strip()
    custom_domains = list(
        dict.fromkeys(domain.strip().lower() for domain in custom_domains if domain.strip())
    )
    _validated(validate_town_slug, slug)
    _validated(validate_insee_code, insee_code)
    _validated(validate_siren, siren)
    for domain in custom_domains:
        check_custom_domain(domain)
    if admin_email:
        _validated(validate_email, admin_email.strip())
    if not name:
        raise Invalid(_("Le nom de la collectivité est obligatoire."))
    if kind not in Tenant.Kind.values or kind == Tenant.Kind.PLATFORM:
        raise Invalid(_("Type de collectivité inconnu : « %(kind)s ».") % {"kind": kind})
    if population < 0:
        raise Invalid(_("La population ne peut pas être négative."))
    if status not in Tenant.Status.values:
        raise Invalid(_("Statut inconnu : « %(status)s ».") % {"status": status})
    host = town_host(slug)
    schema_name = schema_name_for(slug)
    if not schema_exists(template_schema_name()):
        raise Invalid(
            _("Le schéma modèle n'existe pas encore : lancez d'abord « migrate_schemas ».")
        )

    with schema_context(get_public_schema_name()):
        _check_town_is_new(slug=slug, hosts=[host, *custom_domains])
        try:
            with transaction.atomic():
                tenant = Tenant.objects.create(
                    schema_name=schema_name,
                    slug=slug,
                    name=name,
                    kind=kind,
                    population=population,
                    insee_code=insee_code,
                    siren=siren,
                    status=status,
                    plan=plan,
                    enabled_modules=None if enabled_modules is None else list(enabled_modules),
                    **(
                        {
                            "latitude": map_location.latitude,
                            "longitude": map_location.longitude,
                            "map_zoom": map_location.zoom,
                        }
                        if map_location
                        else {}
                    ),
                )
                domain = Domain.objects.create(domain=host, tenant=tenant, is_primary=True)
                for custom in custom_domains:
                    Domain.objects.create(
                        domain=custom, tenant=tenant, is_primary=False, is_custom=True
                    )
                if spare_take(schema_name) is None:
                    town_schema_clone(schema_name)
                transaction.on_commit(_spare_schemas_refill_enqueue)
                admin, admin_link = None, None
                if admin_email:
                    with tenant_context(tenant):
                        admin, admin_link = staff_invite(
                            email=admin_email,
                            display_name=admin_name or admin_email.split("@")[0],
                            role=User.Role.ADMIN,
                        )
        except (IntegrityError, ValidationError) as exc:
            # Lost a race with a concurrent creation of the same slug or domain.
            raise Conflict(
                _("L'identifiant « %(slug)s » ou l'un de ses domaines vient d'être pris.")
                % {"slug": slug}
            ) from exc
    return TownCreated(tenant=tenant, domain=domain, admin=admin, admin_set_password_url=admin_link)


def _spare_schemas_refill_enqueue() -> None:
    """After a creation: top the pool of spare schemas up again, in the background. The town is
    committed by now, so a broker failure must not look like a failed creation."""
    from .tasks import spare_schemas_refill_task

    try:
        with schema_context(get_public_schema_name()):
            spare_schemas_refill_task.delay()
    except Exception:
        logger.exception("Réapprovisionnement des schémas de réserve non planifié.")


@dataclass(frozen=True)
class SpareRefill:
    created: int
    dropped: int
    available: int


def spare_schemas_refill(target: int | None = None) -> SpareRefill:
    """Drop the spare schemas of an outdated migration state of the template (and any beyond
    ``target``), then clone new ones until ``target`` up-to-date spares exist.

    One transaction, serialised with the other refills by an advisory lock (a second refill
    waits, then finds the pool full); the up-to-date spares are not locked, so creations keep
    taking them meanwhile. Idempotent. Does nothing before the template exists.
    """
    if target is None:
        target = getattr(settings, "TENANT_SPARE_SCHEMAS", 3)
    target = max(0, int(target))
    with schema_context(get_public_schema_name()):
        if not schema_exists(template_schema_name()):
            return SpareRefill(created=0, dropped=0, available=0)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFILL_LOCK])
            state = current_state()
            dropped = spare_schemas_drop_outdated(state)
            current = SpareSchema.objects.filter(migration_state=state)
            available = current.count()
            if available > target:
                extra = list(
                    current.select_for_update(skip_locked=True).order_by("-created_at", "-pk")[
                        : available - target
                    ]
                )
                for spare in extra:
                    spare_drop(spare)
                dropped += len(extra)
                available -= len(extra)
            created = 0
            while available + created < target:
                name = spare_schema_name_new()
                town_schema_clone(name)
                SpareSchema.objects.create(schema_name=name, migration_state=state)
                created += 1
    if created or dropped:
        logger.info("Schémas de réserve : %d créé(s), %d supprimé(s).", created, dropped)
    return SpareRefill(created=created, dropped=dropped, available=available + created)


def town_set_status(*, tenant: Tenant, status: str) -> Tenant:
    if status not in Tenant.Status.values:
        raise Invalid(_("Statut inconnu : « %(status)s ».") % {"status": status})
    if tenant.is_platform:
        raise NotAllowed(_("Le statut de la plateforme elle-même ne se change pas."))
    with transaction.atomic():
        locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
        if locked.status != status:
            locked.status = status
            locked.status_changed_at = timezone.now()
            locked.save(update_fields=["status", "status_changed_at"])
    return locked


def _coordinate(value: str | Decimal | float | None, *, field: str, bound: int) -> Decimal | None:
    text = str(value if value is not None else "").strip().replace(",", ".")
    if not text:
        return None
    label = _("La latitude") if field == "latitude" else _("La longitude")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise Invalid(
            _("%(label)s est un nombre en degrés décimaux, par exemple %(example)s.")
            % {"label": label, "example": "48,7715" if field == "latitude" else "2,0335"},
            field=field,
        )
    if not -bound <= number <= bound:
        raise Invalid(
            _("%(label)s va de -%(bound)d à %(bound)d degrés.") % {"label": label, "bound": bound},
            field=field,
        )
    return number.quantize(COORDINATE_PLACES, rounding=ROUND_HALF_EVEN)


def map_location_checked(
    *,
    latitude: str | Decimal | float | None,
    longitude: str | Decimal | float | None,
    zoom: str | int,
) -> MapLocation:
    """The location as typed (a comma or a point for decimals), or Invalid naming the field."""
    lat = _coordinate(latitude, field="latitude", bound=90)
    lng = _coordinate(longitude, field="longitude", bound=180)
    if (lat is None) != (lng is None):
        raise Invalid(
            _("Indiquez la latitude et la longitude, ou aucune des deux."),
            field="longitude" if lng is None else "latitude",
        )
    try:
        level = int(str(zoom if zoom is not None else "").strip() or DEFAULT_MAP_ZOOM)
    except ValueError:
        level = None
    if level is None or not MAP_ZOOM_MIN <= level <= MAP_ZOOM_MAX:
        raise Invalid(
            _("Le zoom est un nombre entier de %(min)d (une région) à %(max)d (une rue).")
            % {"min": MAP_ZOOM_MIN, "max": MAP_ZOOM_MAX},
            field="map_zoom",
        )
    return MapLocation(lat, lng, level)


def town_set_map_location(*, tenant: Tenant, location: MapLocation) -> Tenant:
    """Where the town's maps open (its staff set it in the back office, the vendor in the
    wizard)."""
    if tenant.is_platform:
        raise NotAllowed(_("La plateforme elle-même n'a pas de carte."))
    with schema_context(get_public_schema_name()):
        Tenant.objects.filter(pk=tenant.pk).update(
            latitude=location.latitude, longitude=location.longitude, map_zoom=location.zoom
        )
    tenant.latitude, tenant.longitude = location.latitude, location.longitude
    tenant.map_zoom = location.zoom
    return tenant


def platform_tenant_ensure() -> Tenant:
    """The public schema's own row and host, which django-tenants needs to serve the console."""
    with schema_context(get_public_schema_name()):
        tenant, _created = Tenant.objects.get_or_create(
            schema_name=get_public_schema_name(),
            defaults={
                "slug": "agora",
                "name": "Agora",
                "kind": Tenant.Kind.PLATFORM,
                "status": Tenant.Status.ACTIVE,
            },
        )
        Domain.objects.get_or_create(
            domain=settings.PLATFORM_DOMAIN, defaults={"tenant": tenant, "is_primary": True}
        )
    return tenant
