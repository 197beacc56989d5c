from django.urls import path

from . import backoffice

urlpatterns = [
    path("", backoffice.index, name="index"),
    path("reglages/", backoffice.settings, name="settings"),
    path("categories/", backoffice.categories, name="categories"),
    path(
        "categories/<int:category_id>/renommer/", backoffice.category_rename, name="category_rename"
    ),
    path(
        "categories/<int:category_id>/supprimer/",
        backoffice.category_delete,
        name="category_delete",
    ),
    path("export.csv", backoffice.export_csv, name="export_csv"),
    path("<int:proposal_id>/", backoffice.proposal, name="proposal"),
    path("<int:proposal_id>/service/", backoffice.assign, name="assign"),
    path(
        "<int:proposal_id>/service-instructeur/", backoffice.service_assign, name="service_assign"
    ),
    path("<int:proposal_id>/analyse/", backoffice.note, name="note"),
    path("<int:proposal_id>/recevable/", backoffice.eligible, name="eligible"),
    path("<int:proposal_id>/non-recevable/", backoffice.ineligible, name="ineligible"),
    path("<int:proposal_id>/suivi/", backoffice.follow_up, name="follow_up"),
    path("<int:proposal_id>/fusionner/", backoffice.merge, name="merge"),
    path("<int:proposal_id>/vote/", backoffice.to_vote, name="to_vote"),
]
