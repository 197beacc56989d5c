from django.urls import path

from . import views

urlpatterns = [
    path("", views.detail, name="detail"),
    path("<int:poll_id>/repondre/", views.answer, name="answer"),
]
