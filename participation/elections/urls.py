from django.urls import path

from . import views

urlpatterns = [
    path("", views.detail, name="detail"),
    path("candidater/", views.apply, name="apply"),
    path("voter/", views.vote, name="vote"),
    path("resultats/", views.results, name="results"),
]
