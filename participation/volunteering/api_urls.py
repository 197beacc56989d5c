from django.urls import path

from . import api

urlpatterns = [
    path("associations/", api.AssociationListView.as_view(), name="associations"),
    path("agenda/", api.AgendaView.as_view(), name="agenda"),
    path(
        "associations/<slug:slug>/benevoles/",
        api.VolunteerSearchView.as_view(),
        name="volunteer_search",
    ),
]
