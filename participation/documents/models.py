from django.conf import settings
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core import files
from participation.models import ComponentItem


class Document(ComponentItem):
    """A file published by the town in a space (minutes, plans, pictures). Stored by the
    tenant storage under MEDIA_ROOT/<schema>/documents/, served on the town's own host only."""

    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("fichier"), upload_to="documents/%Y/%m/", max_length=255)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("document")

    def __str__(self) -> str:
        return self.title

    @property
    def type_label(self) -> str:
        return files.type_label(self.content_type)

    @property
    def human_size(self) -> str:
        return filesizeformat(self.size)
