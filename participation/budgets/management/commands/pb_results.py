import json

from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError
from participation.budgets.importing import campaign_budget, campaign_results

from ._town import in_town


class Command(BaseCommand):
    help = (
        "Calcule les projets retenus d'une campagne. --rule mes : méthode des parts égales "
        "sans complétion, comme method_of_equal_shares de pabutools (le site, lui, la complète "
        "par la règle gloutonne)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--town", required=True)
        parser.add_argument("--campaign", required=True, type=int)
        parser.add_argument("--rule", choices=["greedy", "mes"], default="greedy")
        parser.add_argument("--json", action="store_true", help="sortie JSON")

    def handle(self, *args, **options):
        with in_town(options["town"]):
            try:
                budget = campaign_budget(options["campaign"])
                outcome = campaign_results(budget, rule=options["rule"])
            except ApplicationError as exc:
                raise CommandError(str(exc)) from exc
        if options["json"]:
            payload = {
                "selected": outcome.selected,
                "rule": outcome.rule,
                "seconds": round(outcome.seconds, 6),
            }
            self.stdout.write(json.dumps(payload))
        else:
            self.stdout.write(f"{outcome.rule} ({outcome.seconds:.3f} s) :")
            for project_id in outcome.selected:
                self.stdout.write(f"  {project_id}")
