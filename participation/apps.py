from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Participation")

    def ready(self) -> None:
        from .home import kinds  # noqa: F401  (the engine's homepage blocks, before the modules')
        from .registry import registry

        registry.autodiscover()
