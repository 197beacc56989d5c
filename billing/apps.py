from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Facturation")

    def ready(self) -> None:
        from participation.modules import register_plan_provider

        from .console_hooks import register
        from .selectors import town_plan

        register()
        # The modules a town's admin may switch on are its plan's.
        register_plan_provider(town_plan)
