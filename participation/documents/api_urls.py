from django.urls import path

from . import api

urlpatterns = [
    path("", api.DocumentList.as_view(), name="list"),
]
