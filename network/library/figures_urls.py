from django.urls import path

from . import figures_views

app_name = "network_figures"

urlpatterns = [
    path("", figures_views.comparison, name="comparison"),
    path("partage/", figures_views.opt_in, name="opt_in"),
]
