from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_tenants.utils import tenant_context

from console.audit import audit_record
from core.errors import ApplicationError
from participation.lifecycle import component_restore, removed_components
from tenants.models import Tenant


class Command(BaseCommand):
    help = (
        "Liste les modules qu'une collectivité a retirés de ses espaces, ou en rétablit un "
        "(tel qu'il était, avec ses données), à la demande de la collectivité."
    )

    def add_arguments(self, parser):
        parser.add_argument("town", help="identifiant de la collectivité (ex. : ville-a)")
        parser.add_argument("component", nargs="?", type=int, help="numéro du module à rétablir")

    def handle(self, *args, town: str, component: int | None, **options):
        tenant = Tenant.objects.exclude(kind=Tenant.Kind.PLATFORM).filter(slug=town).first()
        if tenant is None:
            raise CommandError(f"Aucune collectivité n'a l'identifiant « {town} ».")
        with tenant_context(tenant):
            if component is None:
                for removed in removed_components():
                    self.stdout.write(
                        f"{removed.pk}\t{removed.type_key}\t{removed.title}\t"
                        f"{removed.space.title}\t{removed.removed_at:%Y-%m-%d %H:%M}"
                    )
                return
            try:
                with transaction.atomic():  # restored and logged, or neither
                    restored = component_restore(component_id=component)
                    audit_record(
                        actor=None,
                        action="town.component_restored",
                        town=tenant,
                        details={"component": restored.pk, "title": restored.title},
                    )
            except ApplicationError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(f"Module « {restored.title} » rétabli dans « {restored.space.title} ».")
