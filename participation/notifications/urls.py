"""Mounted at /mon-profil/notifications/ by participation/urls.py."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.preferences, name="preferences"),
    path("push/", views.push_subscription, name="push"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
