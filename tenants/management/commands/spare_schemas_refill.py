from django.core.management.base import BaseCommand

from tenants.services import spare_schemas_refill


class Command(BaseCommand):
    help = (
        "Remplit la réserve de schémas clonés d'avance (supprime ceux d'un état de migration "
        "dépassé) ; à lancer après migrate_schemas."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--target", type=int, default=None, help="nombre visé (TENANT_SPARE_SCHEMAS, 3)"
        )

    def handle(self, *args, **options):
        result = spare_schemas_refill(options["target"])
        self.stdout.write(
            f"Schémas de réserve : {result.created} créé(s), {result.dropped} supprimé(s), "
            f"{result.available} disponible(s)."
        )
