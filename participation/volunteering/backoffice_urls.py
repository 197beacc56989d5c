from django.urls import path

from . import backoffice

urlpatterns = [
    path("", backoffice.index, name="index"),
    path(
        "associations/<int:association_id>/validation/",
        backoffice.association_validate,
        name="association_validate",
    ),
    path("missions/<int:mission_id>/moderation/", backoffice.mission_moderate, name="moderate"),
    path("questionnaires/", backoffice.questionnaires, name="questionnaires"),
    path("export/<slug:name>/", backoffice.export, name="export"),
]
