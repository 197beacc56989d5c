from django.urls import path

from . import views

urlpatterns = [
    path("", views.detail, name="detail"),
    path("deposer/", views.submit, name="submit"),
    path("<int:proposal_id>/", views.proposal, name="proposal"),
    path("<int:proposal_id>/modifier/", views.edit, name="edit"),
]
