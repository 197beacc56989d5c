from django.urls import path

from . import backoffice

urlpatterns = [
    path("", backoffice.index, name="index"),
    path("<int:post_id>/supprimer/", backoffice.delete, name="delete"),
]
