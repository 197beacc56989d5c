"""The theme's assets on a town's host: its design tokens and its icon."""

from django.urls import path

from . import views

app_name = "theme"

urlpatterns = [
    path("theme.css", views.theme_stylesheet, name="css"),
    path("favicon.svg", views.favicon, name="favicon"),
    path("favicon.ico", views.favicon, name="favicon_ico"),
]
