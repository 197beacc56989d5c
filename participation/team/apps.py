from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamConfig(AppConfig):
    name = "participation.team"
    label = "team"
    verbose_name = _("Équipe de la collectivité")
