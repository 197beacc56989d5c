from django.urls import path

from . import api

urlpatterns = [
    path("", api.CouncilView.as_view(), name="council"),
    path("reunions/", api.MeetingListView.as_view(), name="meetings"),
    path("commerces/", api.ShopListView.as_view(), name="shops"),
]
