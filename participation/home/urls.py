from django.urls import path

from . import views

app_name = "home_admin"

urlpatterns = [
    path("", views.manage, name="manage"),
    path("apercu/", views.preview, name="preview"),
    path("publier/", views.publish, name="publish"),
    path("nouveau/<slug:kind>/", views.new, name="new"),
    path("blocs/<int:pk>/", views.block, name="block"),
    path("blocs/<int:pk>/deplacer/", views.move, name="move"),
    path("blocs/<int:pk>/retirer/", views.remove, name="remove"),
]
