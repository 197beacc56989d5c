from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Participation")

    def ready(self) -> None:
        from accounts.identity import identity_verified

        from .home import kinds  # noqa: F401  (the engine's homepage blocks, before the modules')
        from .registry import registry
        from .selectors import COMPONENT_MOUNTS
        from .services import profile_birth_year_verified

        registry.autodiscover()
        COMPONENT_MOUNTS.connect_signals()
        identity_verified.connect(profile_birth_year_verified, dispatch_uid="profile_birth_year")
