from django.urls import path

from . import backoffice

urlpatterns = [
    path("", backoffice.index, name="index"),
    path("liste/residents/", backoffice.roll_residents, name="roll_residents"),
    path("liste/import/", backoffice.roll_upload, name="roll_import"),
    path("candidatures/<int:candidate_id>/", backoffice.candidacy, name="candidacy"),
    path("papier/emargement/<int:elector_id>/", backoffice.paper_mark, name="paper_mark"),
    path("papier/saisie/", backoffice.paper_entry, name="paper_entry"),
]
