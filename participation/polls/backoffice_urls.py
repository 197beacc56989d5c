from django.urls import path

from . import backoffice

urlpatterns = [
    path("", backoffice.index, name="index"),
    path("nouveau/", backoffice.create, name="create"),
    path("export.csv", backoffice.export_csv, name="export_csv"),
]
