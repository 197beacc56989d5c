from django.urls import path

from . import backoffice

urlpatterns = [
    path("", backoffice.index, name="index"),
    path("membres/<int:member_id>/role/", backoffice.member_role, name="member_role"),
    path("membres/<int:member_id>/depart/", backoffice.member_leave, name="member_leave"),
    path("reunions/", backoffice.meetings, name="meetings"),
    path("reunions/<int:meeting_id>/", backoffice.meeting, name="meeting"),
    path("reunions/<int:meeting_id>/compte-rendu/", backoffice.minutes, name="minutes"),
    path("reunions/<int:meeting_id>/presences/", backoffice.attendance, name="attendance"),
    path("reunions/<int:meeting_id>/supprimer/", backoffice.meeting_delete, name="meeting_delete"),
    path("reunions.csv", backoffice.meetings_export, name="meetings_export"),
    path("commerces/", backoffice.shops, name="shops"),
    path("commerces/<int:shop_id>/", backoffice.shop, name="shop"),
    path("commerces/<int:shop_id>/supprimer/", backoffice.shop_delete, name="shop_delete"),
    path("commerces.csv", backoffice.shops_export, name="shops_export"),
]
