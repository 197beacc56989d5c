from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "onboarding.training"
    label = "training"
    verbose_name = _("Formations")

    def ready(self) -> None:
        from .hooks import register

        register()
