from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """E-mails to residents in their town's colours, and the preferences that govern them.
    Not a component type: every module calls ``notify()``."""

    name = "participation.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
