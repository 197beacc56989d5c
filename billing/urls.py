from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("", views.invoice_list, name="home"),
    path("catalogue/", views.catalogue_list, name="catalogue"),
    path("formules/nouvelle/", views.plan_create, name="plan_create"),
    path("formules/<int:pk>/", views.plan_edit, name="plan_edit"),
    path("options/nouvelle/", views.addon_create, name="addon_create"),
    path("options/<int:pk>/", views.addon_edit, name="addon_edit"),
    path("collectivites/<slug:slug>/", views.town_billing, name="town"),
    path(
        "collectivites/<slug:slug>/abonnement/",
        views.town_subscription_start,
        name="subscription_start",
    ),
    path("collectivites/<slug:slug>/options/", views.town_addon_add, name="addon_add"),
    path("factures/<int:pk>/payee/", views.invoice_paid, name="invoice_paid"),
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
]
