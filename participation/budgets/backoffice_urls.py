from django.urls import path

from . import backoffice

urlpatterns = [
    path("", backoffice.index, name="index"),
    path("<int:budget_id>/", backoffice.budget, name="budget"),
    path("<int:budget_id>/projets/", backoffice.project_add, name="project_add"),
    path("<int:budget_id>/liste/", backoffice.census, name="census"),
    path("<int:budget_id>/papier/", backoffice.paper_enter, name="paper_enter"),
    path(
        "<int:budget_id>/papier/<int:paper_id>/confirmer/",
        backoffice.paper_confirm,
        name="paper_confirm",
    ),
    path("<int:budget_id>/regle/", backoffice.result_rule, name="result_rule"),
    path("<int:budget_id>/decision/", backoffice.override, name="override"),
    path("<int:budget_id>/publier/", backoffice.publish, name="publish"),
]
