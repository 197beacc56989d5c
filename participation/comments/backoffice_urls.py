"""Mounted by participation/urls.py under gestion/moderation/ (participation:comments_admin)."""

from django.urls import path

from . import backoffice

app_name = "comments_admin"

urlpatterns = [
    path("", backoffice.queue, name="queue"),
    path("<int:comment_id>/masquer/", backoffice.hide, name="hide"),
    path("<int:comment_id>/retablir/", backoffice.restore, name="restore"),
]
