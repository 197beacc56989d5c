from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("planifier/", views.session_plan, name="plan"),
    path("<int:pk>/", views.session_detail, name="session"),
    path("<int:pk>/modifier/", views.session_edit, name="edit"),
    path("<int:pk>/annuler/", views.session_cancel, name="cancel"),
    path("<int:pk>/invites/", views.invitee_add, name="invitee_add"),
    path(
        "<int:pk>/invites/<int:invitee_id>/retirer/",
        views.invitee_remove,
        name="invitee_remove",
    ),
    path("<int:pk>/presences/", views.attendance, name="attendance"),
    path("<int:pk>/supports/", views.material_add, name="material_add"),
    path("<int:pk>/supports/<int:material_id>/", views.material_download, name="material"),
    path(
        "<int:pk>/supports/<int:material_id>/retirer/",
        views.material_remove,
        name="material_remove",
    ),
    # A link handed to the town's staff: signed, valid without an account.
    path("supports/partage/<str:token>/", views.material_shared, name="material_shared"),
]
