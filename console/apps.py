from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    name = "console"
    verbose_name = _("Console opérateur")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
