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
    path(
        "collectivites/<slug:slug>/coordonnees/",
        views.town_billing_details,
        name="town_details",
    ),
    path("collectivites/<slug:slug>/devis/", views.town_quote_create, name="quote_create"),
    path("factures/<int:pk>/payee/", views.invoice_paid, name="invoice_paid"),
    path("factures/<int:pk>/pdf/", views.invoice_pdf_download, name="invoice_pdf"),
    path("factures/<int:pk>/avoir/", views.invoice_credit_note, name="credit_note"),
    path("chorus-pro/", views.chorus_list, name="chorus"),
    path("chorus-pro/<int:pk>/depot/", views.chorus_deposit, name="chorus_deposit"),
    path("chorus-pro/depots/<int:pk>/statut/", views.chorus_status, name="chorus_status"),
    path("devis/<int:pk>/pdf/", views.quote_pdf_download, name="quote_pdf"),
    path("devis/<int:pk>/signe/", views.quote_signed, name="quote_sign"),
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
]
