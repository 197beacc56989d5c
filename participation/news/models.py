from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from participation.models import ComponentItem


class NewsPost(ComponentItem):
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("publié le"))

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("actualité")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from participation.components import component_url

        return component_url(self.component, "post", self.pk)
