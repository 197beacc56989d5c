from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "participation.volunteering"
    label = "volunteering"
    verbose_name = _("Bénévolat")

    def ready(self) -> None:
        from . import hub_cache, search_index

        hub_cache.connect_signals()
        search_index.connect_signals()
