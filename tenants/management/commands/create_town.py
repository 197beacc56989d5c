from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError
from core.hosts import town_url
from tenants.models import Tenant
from tenants.services import town_create


class Command(BaseCommand):
    help = "Crée une collectivité (clone du schéma modèle) et invite son premier administrateur."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="sous-domaine, ex. montigny")
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--kind", required=True, choices=[k for k in Tenant.Kind.values if k != "platform"]
        )
        parser.add_argument("--population", type=int, default=0)
        parser.add_argument("--insee", default="", dest="insee_code")
        parser.add_argument("--siren", default="")
        parser.add_argument("--status", default=Tenant.Status.TRIAL, choices=Tenant.Status.values)
        parser.add_argument("--domain", action="append", default=[], dest="custom_domains")
        parser.add_argument("--admin-email", dest="admin_email")
        parser.add_argument("--admin-name", dest="admin_name", default="")

    def handle(self, *args, **options):
        try:
            created = town_create(
                slug=options["slug"],
                name=options["name"],
                kind=options["kind"],
                population=options["population"],
                insee_code=options["insee_code"],
                siren=options["siren"],
                status=options["status"],
                custom_domains=options["custom_domains"],
                admin_email=options["admin_email"],
                admin_name=options["admin_name"],
            )
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{created.tenant.name} : {town_url(created.tenant)}"))
        if created.admin:
            self.stdout.write(f"Administrateur invité : {created.admin.email}")
            self.stdout.write(
                f"Lien pour choisir son mot de passe : {created.admin_set_password_url}"
            )
