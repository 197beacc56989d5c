from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "participation.volunteering"
    label = "volunteering"
    verbose_name = _("Bénévolat")

    def ready(self) -> None:
        from .hub_cache import connect_signals

        connect_signals()
