"""A town's urlconf plus pages and API views that exercise core's error handling."""

from django import forms
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from config.urls_town import urlpatterns as town_urlpatterns
from core.errors import Conflict, Invalid
from core.views import form_page

TAKEN = "Ce nom est déjà pris."


def refused_page(request):
    """A page view that lets a domain error escape (the middleware must answer it)."""
    raise Conflict(TAKEN)


class RefusedAPIView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise Conflict(TAKEN)


class NameForm(forms.Form):
    name = forms.CharField(max_length=50)


def _create(*, name: str) -> str:
    if name == "pris":
        raise Conflict(TAKEN)
    if name == "court":
        raise Invalid("Trop court.", field="name")
    return name


def create_page(request):
    return form_page(
        request,
        form=NameForm(request.POST or None),
        action=_create,
        success_message="Créé.",
        success_url=lambda name: f"/fait/{name}/",
        template="form_errors.html",
        context={},
    )


urlpatterns = [
    *town_urlpatterns,
    path("refus/", refused_page),
    path("refus-api/", RefusedAPIView.as_view()),
    path("creer/", create_page),
]
