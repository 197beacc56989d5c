"""The public legal pages: /mentions-legales/, /accessibilite/, /confidentialite/."""

from django.urls import path

from . import views
from .models import LegalPage

app_name = "legal"

urlpatterns = [
    path(f"{slug}/", views.legal_page, {"kind": kind}, name=kind)
    for kind, slug in LegalPage.SLUGS.items()
]
