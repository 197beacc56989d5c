from django.urls import path

from . import views

app_name = "template_library"

urlpatterns = [
    path("", views.template_list, name="list"),
    path("publier/", views.template_publish, name="publish"),
    path("<int:pk>/", views.template_detail, name="detail"),
    path("<int:pk>/copier/", views.template_copy, name="copy"),
    path("<int:pk>/noter/", views.template_rate, name="rate"),
    path("<int:pk>/retirer/", views.template_withdraw, name="withdraw"),
]
