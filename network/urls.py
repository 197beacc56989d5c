"""The network's pages, on the platform's host under /reseau/ (config.urls_public)."""

from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.home, name="home"),
    path("entree/", views.enter, name="enter"),
    path("sortie/", views.leave, name="leave"),
    path("resume/", views.digest_preference, name="digest"),
    path("recherche/", views.search, name="search"),
    path("categorie/<slug:slug>/", views.category, name="category"),
    path("categorie/<slug:slug>/nouvelle/", views.thread_new, name="thread_new"),
    path("discussion/<int:pk>/", views.thread, name="thread"),
    path("discussion/<int:pk>/repondre/", views.reply, name="reply"),
    path("discussion/<int:pk>/reponse/", views.mark_answer, name="mark_answer"),
    path("discussion/<int:pk>/suivre/", views.subscribe, name="subscribe"),
    path("discussion/<int:pk>/verrou/", views.lock, name="lock"),
    path("message/<int:pk>/masquer/", views.post_hide, name="post_hide"),
    path("piece-jointe/<int:pk>/", views.attachment, name="attachment"),
]
