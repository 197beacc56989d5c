from django.urls import path

from . import api

urlpatterns = [
    path("bulletin/", api.BallotView.as_view(), name="ballot"),
    path("resultats/", api.ResultsView.as_view(), name="results"),
]
