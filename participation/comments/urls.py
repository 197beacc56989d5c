"""Mounted by participation/urls.py under commentaires/ (namespace participation:comments)."""

from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("<int:content_type_id>/<int:object_id>/", views.comment_add, name="add"),
    path("<int:content_type_id>/<int:object_id>/soutenir/", views.support, name="support"),
    path("<int:comment_id>/repondre/", views.comment_reply, name="reply"),
    path("<int:comment_id>/signaler/", views.comment_flag, name="flag"),
]
