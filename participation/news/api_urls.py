from django.urls import path

from . import api

urlpatterns = [
    path("", api.NewsPostListView.as_view(), name="posts"),
]
