from django.urls import path

from . import views

urlpatterns = [
    path("", views.council, name="detail"),
    path("reunions/", views.meeting_list, name="meetings"),
    path("reunions/<int:meeting_id>/", views.meeting, name="meeting"),
    path("reunions/<int:meeting_id>/compte-rendu/", views.minutes, name="minutes"),
    path("reunions.ics", views.calendar, name="calendar"),
    path("commerces/<int:shop_id>/", views.shop, name="shop"),
    path("commerces.geojson", views.shop_points, name="shop_points"),
]
