from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from participation.budgets.importing import import_pabulib
from participation.budgets.pabulib import PabulibError

from ._town import in_town


class Command(BaseCommand):
    help = (
        "Importe un fichier pabulib (.pb) comme campagne de budget participatif d'une "
        "collectivité (tout ou rien) et affiche l'identifiant de la campagne."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--town", required=True, help="identifiant de la collectivité")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"Lecture impossible de {path} : {exc.strerror}") from exc
        with in_town(options["town"]):
            try:
                component = import_pabulib(text, source=path.name)
            except PabulibError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(str(component.pk))
