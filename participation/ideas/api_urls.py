from django.urls import path

from . import api

urlpatterns = [
    path("", api.ProposalListView.as_view(), name="proposals"),
]
