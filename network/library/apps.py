from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TemplateLibraryConfig(AppConfig):
    name = "network.library"
    label = "template_library"
    verbose_name = _("Bibliothèque de modèles")

    def ready(self) -> None:
        from . import hooks, rules  # noqa: F401  (registers the permissions)

        hooks.register()
