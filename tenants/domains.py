"""A town's own domain names (participez.ville.fr). The town's administrators ask for one; the
page shows the two DNS records to create (a CNAME to the town's platform host, a TXT token that
proves the domain is theirs); a check (the page's button, or Celery every few minutes for a
week) finds them, and the domain is served. A verified domain may become the preferred one:
the town's other host names then redirect to it (tenants.middleware), and e-mails link to it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

import dns.exception
import dns.resolver
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, Invalid, NotAllowed, NotFound, Unavailable
from core.hosts import town_host

from .models import Domain, Tenant
from .services import check_custom_domain, domain_taken

# The TXT record's name is this label under the domain: _agora.participez.ville.fr.
VERIFICATION_LABEL = "_agora"
TOKEN_PREFIX = "agora-verification="
# A town keeps a handful of names; more is a mistake or an abuse.
MAX_CUSTOM_DOMAINS = 5
# Celery looks again for the records of a domain asked for less than this long ago.
CHECK_WINDOW = timedelta(days=7)
# Registered by theming.rules (the town's administrators): checked here too, so that any caller
# of these services (a page, a command, the API later) meets the same check.
PERMISSION = "theming.change_domain"


@dataclass(frozen=True)
class DnsRecord:
    kind: str
    name: str
    value: str


def dns_lookup(name: str, kind: str) -> list[str]:
    """The values of ``name``'s records of ``kind`` (``"TXT"`` or ``"CNAME"``), lower-cased
    and without the final dot for names; empty when there are none. The one place that asks
    DNS: the resolver of ``settings.DNS_RESOLVER`` ("host:port") or the machine's own."""
    resolver = dns.resolver.Resolver(configure=not settings.DNS_RESOLVER)
    if settings.DNS_RESOLVER:
        host, _sep, port = settings.DNS_RESOLVER.rpartition(":")
        resolver.nameservers = [host]
        resolver.port = int(port)
    resolver.lifetime = 5.0
    try:
        answer = resolver.resolve(name, kind)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    except dns.exception.DNSException as exc:
        raise Unavailable(
            _("Le DNS n'a pas répondu pour « %(name)s » : réessayez dans quelques minutes.")
            % {"name": name}
        ) from exc
    if kind == "TXT":
        return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]
    return [record.target.to_text(omit_final_dot=True).lower() for record in answer]


def dns_records(domain: Domain) -> list[DnsRecord]:
    """The records the town creates at its DNS provider for ``domain``."""
    return [
        DnsRecord("CNAME", domain.domain, town_host(domain.tenant.slug)),
        DnsRecord(
            "TXT",
            f"{VERIFICATION_LABEL}.{domain.domain}",
            f"{TOKEN_PREFIX}{domain.verification_token}",
        ),
    ]


def domain_name_normalised(value: str) -> str:
    return value.strip().lower().removesuffix(".")


def _ensure_may_change(actor) -> None:
    if not actor.has_perm(PERMISSION):
        raise NotAllowed(_("Seuls les administrateurs de la collectivité gèrent ses domaines."))


def custom_domain_request(*, actor, tenant: Tenant, domain: str) -> Domain:
    """Record ``domain`` for ``tenant``, not served until verified. Refused (NotAllowed,
    Invalid, Conflict) to anyone but its admins, and when it is no domain name, the
    platform's, another town's or already asked."""
    _ensure_may_change(actor)
    name = domain_name_normalised(domain)
    check_custom_domain(name)
    existing = Domain.objects.filter(domain=name).first()
    if existing is not None:
        if existing.tenant_id == tenant.pk:
            raise Conflict(_("« %(domain)s » est déjà demandé.") % {"domain": name}, field="domain")
        raise domain_taken(name)
    if Domain.objects.filter(tenant=tenant, is_custom=True).count() >= MAX_CUSTOM_DOMAINS:
        raise Invalid(
            _("Une collectivité a au plus %(count)d domaines personnalisés.")
            % {"count": MAX_CUSTOM_DOMAINS},
            field="domain",
        )
    try:
        with transaction.atomic():
            made = Domain.objects.create(
                domain=name,
                tenant=tenant,
                is_primary=False,
                is_custom=True,
                verification_token=secrets.token_hex(16),
                requested_at=timezone.now(),
            )
    except IntegrityError as exc:  # the same name asked for at the same moment elsewhere
        raise domain_taken(name) from exc
    transaction.on_commit(lambda: _check_enqueue(made.pk))
    return made


def _check_enqueue(domain_id: int) -> None:
    from .tasks import custom_domain_check_task

    custom_domain_check_task.delay(domain_id)


def _dns_problems(domain: Domain) -> list[str]:
    """What is missing or wrong in ``domain``'s records, in words; empty when both are right."""
    problems = []
    for record in dns_records(domain):
        found = dns_lookup(record.name, record.kind)
        if not found:
            problems.append(
                _("Aucun enregistrement %(kind)s « %(name)s » trouvé.")
                % {"kind": record.kind, "name": record.name}
            )
        elif record.value not in found:
            problems.append(_wrong_record(record, found))
    return problems


def _wrong_record(record: DnsRecord, found: list[str]) -> str:
    if record.kind == "TXT":
        return _("L'enregistrement TXT « %(name)s » ne contient pas le jeton attendu.") % {
            "name": record.name
        }
    return _("Le CNAME « %(name)s » pointe vers « %(found)s » au lieu de « %(wanted)s ».") % {
        "name": record.name,
        "found": found[0],
        "wanted": record.value,
    }


def custom_domain_verify(*, domain: Domain) -> Domain:
    """Look ``domain``'s records up: verified when both are right, else Invalid naming what is
    wrong. Either way the check is recorded (the page shows the last result)."""
    if not domain.is_custom:
        raise Invalid(_("Seuls les domaines personnalisés se vérifient."))
    problems = _dns_problems(domain)
    now = timezone.now()
    domain.last_checked_at = now
    domain.last_check_error = " ".join(problems)
    if not problems and domain.verified_at is None:
        domain.verified_at = now
    Domain.objects.filter(pk=domain.pk).update(
        last_checked_at=domain.last_checked_at,
        last_check_error=domain.last_check_error,
        verified_at=domain.verified_at,
    )
    if problems:
        raise Invalid(domain.last_check_error)
    return domain


def custom_domains_pending_check() -> int:
    """Check every custom domain asked for within the week and not verified yet (Celery beat):
    how many became verified. A DNS failure for one does not stop the others."""
    since = timezone.now() - CHECK_WINDOW
    verified = 0
    pending = Domain.objects.filter(
        is_custom=True, verified_at__isnull=True, requested_at__gte=since
    ).select_related("tenant")
    for domain in pending:
        try:
            custom_domain_verify(domain=domain)
        except (Invalid, Unavailable):
            continue
        verified += 1
    return verified


def town_domain(*, tenant: Tenant, domain_id: int) -> Domain:
    domain = Domain.objects.filter(tenant=tenant, pk=domain_id).select_related("tenant").first()
    if domain is None:
        raise NotFound(_("Ce domaine n'existe pas."))
    return domain


def domain_prefer(*, actor, domain: Domain) -> Domain:
    """Make ``domain`` the town's preferred name (its other names redirect to it)."""
    _ensure_may_change(actor)
    if not domain.is_served:
        raise Invalid(_("Un domaine doit être vérifié avant de devenir le domaine principal."))
    domain.is_primary = True
    domain.save(update_fields=["is_primary"])  # DomainMixin.save demotes the others
    return domain


@transaction.atomic
def custom_domain_remove(*, actor, domain: Domain) -> None:
    """Stop serving ``domain``; when it was preferred, the platform's host name is again."""
    _ensure_may_change(actor)
    if not domain.is_custom:
        raise Invalid(_("Le domaine de la plateforme ne se supprime pas."))
    tenant = domain.tenant
    was_primary = domain.is_primary
    domain.delete()
    if was_primary:
        Domain.objects.filter(tenant=tenant, domain=town_host(tenant.slug)).update(is_primary=True)


def served_host(name: str) -> bool:
    """Whether ``name`` is a host this platform serves a town on (the TLS certificate
    question of deploy/caddy: certificates only for our own names)."""
    return any(
        domain.is_served
        for domain in Domain.objects.filter(domain=domain_name_normalised(name)).only(
            "is_custom", "verified_at"
        )
    )
