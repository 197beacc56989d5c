from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PushSubscription(models.Model):
    """One browser (a phone, a computer) where a resident accepted web push notifications:
    what its push service gave it (the endpoint to POST to, the keys to encrypt for)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(
        _("adresse du service de notification"), max_length=1000, unique=True
    )
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement aux notifications push")

    def __str__(self) -> str:
        return self.endpoint
