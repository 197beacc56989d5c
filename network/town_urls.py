"""On each town's host, under /gestion/reseau/ (config.urls_town): the hand-over's start."""

from django.urls import path

from . import town_views

app_name = "network_town"

urlpatterns = [path("", town_views.enter, name="enter")]
