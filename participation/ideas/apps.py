from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "participation.ideas"
    label = "ideas"
    verbose_name = _("Appel à idées")

    def ready(self) -> None:
        from participation.hooks import results_published

        from .budgets import results_published_receiver

        # The proposals put to a vote follow its published results, whichever module ran it.
        results_published.connect(
            results_published_receiver, dispatch_uid="ideas_follow_vote_results"
        )
