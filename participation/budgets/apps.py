from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "participation.budgets"
    label = "budgets"
    verbose_name = _("Budget participatif")

    def ready(self) -> None:
        from .page_cache import connect_signals
        from .services import results_published

        connect_signals()

        # The ideas module's proposals put to a budget's vote follow its published results.
        if apps.is_installed("participation.ideas"):
            try:
                from participation.ideas.budgets import results_published_receiver
            except ImportError:  # an ideas module without the bridge
                return
            results_published.connect(
                results_published_receiver, dispatch_uid="ideas_follow_budget_results"
            )
