from django.urls import path

from . import views

urlpatterns = [
    path("", views.detail, name="detail"),
    path("poser/", views.ask, name="ask"),
    path("<int:question_id>/", views.question, name="question"),
]
