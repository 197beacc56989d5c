from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError
from participation.budgets.importing import campaign_budget, export_pabulib

from ._town import in_town


class Command(BaseCommand):
    help = "Écrit une campagne au format pabulib (données ouvertes, bulletins anonymes)."

    def add_arguments(self, parser):
        parser.add_argument("--town", required=True)
        parser.add_argument("--campaign", required=True, type=int)
        parser.add_argument("--output", help="fichier à écrire (sinon la sortie standard)")

    def handle(self, *args, **options):
        with in_town(options["town"]):
            try:
                text = export_pabulib(campaign_budget(options["campaign"]))
            except ApplicationError as exc:
                raise CommandError(str(exc)) from exc
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
