from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "participation.elections"
    label = "elections"
    verbose_name = _("Élections")

    def ready(self) -> None:
        from .page_cache import connect_signals

        connect_signals()
