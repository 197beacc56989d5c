"""The catalogue: plans and add-ons, created and edited by the vendor staff."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from console.audit import audit_record
from core.errors import Conflict, Invalid
from participation.registry import registry

from ..models import AddOn, Plan

MISSING_PRICE = gettext_lazy(
    "Indiquez un prix annuel supérieur à zéro : une formule ou une option sans prix ne peut pas "
    "être facturée."
)


def _price_checked(cents: int | None) -> int:
    if cents is None or cents <= 0:
        raise Invalid(str(MISSING_PRICE))
    return cents


def _name_checked(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise Invalid(_("Le nom est obligatoire."))
    return name


def _code_checked(code: str) -> str:
    code = (code or "").strip()
    if not code or slugify(code) != code:
        raise Invalid(
            _("Le code « %(code)s » doit être fait de minuscules, chiffres et tirets.")
            % {"code": code}
        )
    return code


def _modules_checked(modules: Iterable[str]) -> list[str]:
    modules = list(dict.fromkeys(modules))
    unknown = [key for key in modules if key not in registry]
    if unknown:
        raise Invalid(_("Module inconnu : %(modules)s.") % {"modules": ", ".join(sorted(unknown))})
    return modules


def _kind_checked(kind: str) -> str:
    if kind not in AddOn.Kind.values:
        raise Invalid(_("Type d'option inconnu : « %(kind)s ».") % {"kind": kind})
    return kind


Entry = TypeVar("Entry", Plan, AddOn)


def _saved(entry: Entry, *, actor: User, verb: str, request: HttpRequest | None) -> Entry:
    """Save a catalogue entry and log the action (billing.plan_create, billing.addon_update…)
    together; a code already taken is a message."""
    try:
        with transaction.atomic():
            entry.save()
            audit_record(
                actor=actor,
                action=f"billing.{entry._meta.model_name}_{verb}",
                details={"code": entry.code, "price_cents": entry.price_cents},
                request=request,
            )
    except IntegrityError as exc:
        raise Conflict(_("Le code « %(code)s » est déjà utilisé.") % {"code": entry.code}) from exc
    return entry


def plan_create(
    *,
    actor: User,
    code: str,
    name: str,
    annual_price_cents: int | None,
    included_modules: Iterable[str] = (),
    active: bool = True,
    request: HttpRequest | None = None,
) -> Plan:
    plan = Plan(code=_code_checked(code))
    return plan_update(
        actor=actor,
        plan=plan,
        name=name,
        annual_price_cents=annual_price_cents,
        included_modules=included_modules,
        active=active,
        request=request,
    )


def plan_update(
    *,
    actor: User,
    plan: Plan,
    name: str,
    annual_price_cents: int | None,
    included_modules: Iterable[str],
    active: bool,
    request: HttpRequest | None = None,
) -> Plan:
    """Create (a plan not saved yet) or change a plan. A new price applies to subscriptions
    started or renewed afterwards."""
    verb = "update" if plan.pk else "create"
    plan.name = _name_checked(name)
    plan.annual_price_cents = _price_checked(annual_price_cents)
    plan.included_modules = _modules_checked(included_modules)
    plan.active = active
    return _saved(plan, actor=actor, verb=verb, request=request)


def addon_create(
    *,
    actor: User,
    code: str,
    name: str,
    kind: str,
    annual_unit_price_cents: int | None,
    active: bool = True,
    request: HttpRequest | None = None,
) -> AddOn:
    addon = AddOn(code=_code_checked(code))
    return addon_update(
        actor=actor,
        addon=addon,
        name=name,
        kind=kind,
        annual_unit_price_cents=annual_unit_price_cents,
        active=active,
        request=request,
    )


def addon_update(
    *,
    actor: User,
    addon: AddOn,
    name: str,
    kind: str,
    annual_unit_price_cents: int | None,
    active: bool,
    request: HttpRequest | None = None,
) -> AddOn:
    """Create (an add-on not saved yet) or change an add-on."""
    verb = "update" if addon.pk else "create"
    addon.name = _name_checked(name)
    addon.kind = _kind_checked(kind)
    addon.annual_unit_price_cents = _price_checked(annual_unit_price_cents)
    addon.active = active
    return _saved(addon, actor=actor, verb=verb, request=request)
