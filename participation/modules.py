"""The town's modules: which participatory modules are switched on for it, within its plan.

``Tenant.enabled_modules`` holds the modules switched on (None: every installed module, a town
whose modules nobody chose). What the plan includes is the vendor's (billing): it registers
``plan_modules`` from its ``ready()``, the engine knowing no vendor app. A module switched off
disappears from the site and its URLs answer 404 (``registry.is_on``, read by the components'
default manager and the URL guard); its data stays, and comes back when it is switched on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Invalid
from tenants.models import Tenant

from .models import Component
from .registry import ComponentType, registry
from .services import ensure_perm


@dataclass(frozen=True)
class Plan:
    """What the town subscribed to: the plan's name and the modules it includes."""

    name: str
    modules: frozenset[str]


# callable(town) -> its plan, None when it has none (every installed module may then be on).
PlanProvider = Callable[[Tenant], Plan | None]
_plan_provider: list[PlanProvider] = []


def register_plan_provider(provider: PlanProvider) -> None:
    _plan_provider[:] = [provider]


def town_plan(town: Tenant) -> Plan | None:
    return _plan_provider[0](town) if _plan_provider else None


@dataclass(frozen=True)
class TownModule:
    type: ComponentType
    in_plan: bool
    on: bool
    # Components of this module in the town's spaces (kept while it is off).
    components: int

    @property
    def key(self) -> str:
        return self.type.key


def town_modules() -> list[TownModule]:
    """The modules the town's admin may switch: those of its plan (every installed module
    without a plan), and any switched on outside it (a plan changed since), which may only be
    switched off."""
    plan = town_plan(connection.tenant)
    counts = dict(
        Component.all_objects.filter(removed_at__isnull=True)
        .order_by()
        .values_list("type_key")
        .annotate(count=Count("pk"))
    )
    listed = [
        TownModule(
            type=component_type,
            in_plan=plan is None or component_type.key in plan.modules,
            on=registry.is_on(component_type.key),
            components=counts.get(component_type.key, 0),
        )
        for component_type in registry
    ]
    return [module for module in listed if module.in_plan or module.on]


def town_module_switch(*, actor: User, key: str, on: bool) -> Tenant:
    """Switch one module on or off for the current town. On only if its plan includes it."""
    ensure_perm(actor, "participation.admin_town")
    if key not in registry:
        raise Invalid(_("Module inconnu : « %(key)s ».") % {"key": key})
    label = registry.get(key).label
    with transaction.atomic():
        town = Tenant.objects.select_for_update().get(pk=connection.tenant.pk)
        plan = town_plan(town)
        if on and plan is not None and key not in plan.modules:
            raise Invalid(
                _(
                    "Le module « %(module)s » ne fait pas partie de votre formule « %(plan)s » : "
                    "il ne peut pas être activé. Contactez-nous pour changer de formule."
                )
                % {"module": label, "plan": plan.name}
            )
        current = _switched_on(town.enabled_modules)
        wanted = (current | {key}) if on else (current - {key})
        # In the registry's order; a module not installed here keeps its place on the list.
        town.enabled_modules = [ct.key for ct in registry if ct.key in wanted] + sorted(
            wanted - {ct.key for ct in registry}
        )
        town.save(update_fields=["enabled_modules"])
    # The request's town: what the rest of this request shows follows at once.
    connection.tenant.enabled_modules = town.enabled_modules
    return town


def _switched_on(enabled: Sequence[str] | None) -> set[str]:
    return {ct.key for ct in registry} if enabled is None else set(enabled)
