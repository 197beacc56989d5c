from django.urls import path

from . import views

urlpatterns = [
    path("", views.detail, name="detail"),
    path("<int:budget_id>/vote/", views.ballot, name="ballot"),
    path("<int:budget_id>/resultats/", views.results, name="results"),
    path("<int:budget_id>/resultats.csv", views.results_csv, name="results_csv"),
]
