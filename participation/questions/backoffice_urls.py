from django.urls import path

from . import backoffice

urlpatterns = [
    path("", backoffice.index, name="index"),
    path("reglages/", backoffice.settings, name="settings"),
    path("themes/", backoffice.theme_add, name="theme_add"),
    path("<int:question_id>/", backoffice.question, name="question"),
    path("<int:question_id>/transmettre/", backoffice.route, name="route"),
    path("<int:question_id>/repondre/", backoffice.answer, name="answer"),
    path("<int:question_id>/refuser/", backoffice.decline, name="decline"),
]
