from django.urls import path

from . import views

urlpatterns = [
    path("", views.survey_list, name="detail"),
    path("<int:survey_id>/", views.survey_detail, name="survey"),
    path("<int:survey_id>/merci/", views.survey_thanks, name="thanks"),
    path("<int:survey_id>/resultats/", views.survey_results, name="results"),
]
