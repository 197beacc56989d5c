from django.urls import path

from . import backoffice

urlpatterns = [
    path("", backoffice.index, name="index"),
    path("<int:budget_id>/", backoffice.budget, name="budget"),
    path("<int:budget_id>/projets/", backoffice.project_add, name="project_add"),
    path("<int:budget_id>/liste/", backoffice.census, name="census"),
    path("<int:budget_id>/papier/", backoffice.paper_enter, name="paper_enter"),
    path(
        "<int:budget_id>/papier/<int:paper_id>/retaper/",
        backoffice.paper_retype,
        name="paper_retype",
    ),
    path(
        "<int:budget_id>/papier/<int:paper_id>/arbitrer/",
        backoffice.paper_resolve,
        name="paper_resolve",
    ),
    path("<int:budget_id>/pabulib/", backoffice.pabulib_upload, name="pabulib_upload"),
    path("<int:budget_id>/pabulib/apercu/", backoffice.pabulib_preview, name="pabulib_preview"),
    path("<int:budget_id>/pabulib/export/", backoffice.pabulib_export, name="pabulib_export"),
    path("<int:budget_id>/regles/", backoffice.rules_compared, name="rules_compared"),
    path("<int:budget_id>/regle/", backoffice.result_rule, name="result_rule"),
    path("<int:budget_id>/decision/", backoffice.override, name="override"),
    path("<int:budget_id>/publier/", backoffice.publish, name="publish"),
]
