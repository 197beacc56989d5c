from django.urls import path

from . import views

urlpatterns = [
    path("", views.detail, name="detail"),
    path("associations/", views.associations, name="associations"),
    path("associations/inscrire/", views.association_register, name="association_register"),
    path("associations/<slug:slug>/", views.association_detail, name="association"),
    path("associations/<slug:slug>/agenda.ics", views.association_ics, name="association_ics"),
    path("associations/<slug:slug>/bloquer/", views.block, name="block"),
    path("associations/<slug:slug>/gerer/", views.association_manage, name="association_manage"),
    path("associations/<slug:slug>/membres/", views.member_add, name="member_add"),
    path("associations/<slug:slug>/responsable/", views.hand_over, name="hand_over"),
    path("associations/<slug:slug>/missions/nouvelle/", views.mission_new, name="mission_new"),
    path("associations/<slug:slug>/evenements/nouveau/", views.event_new, name="event_new"),
    path("associations/<slug:slug>/benevoles/", views.volunteer_search, name="volunteer_search"),
    path(
        "associations/<slug:slug>/benevoles/<int:user_id>/contacter/",
        views.contact_send,
        name="contact_send",
    ),
    path("missions/", views.missions, name="missions"),
    path("missions/<int:mission_id>/", views.mission_detail, name="mission"),
    path("missions/<int:mission_id>/candidater/", views.mission_apply, name="apply"),
    path(
        "candidatures/<int:application_id>/annuler/",
        views.application_cancel,
        name="application_cancel",
    ),
    path(
        "candidatures/<int:application_id>/reponse/",
        views.application_answer,
        name="application_answer",
    ),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("evenements/<int:event_id>/", views.event_detail, name="event"),
    path("evenements/<int:event_id>/inscription/", views.event_register, name="event_register"),
    path("benevole/", views.volunteer_profile, name="volunteer"),
    path("benevole/historique/", views.history, name="history"),
    path("benevole/attestation.pdf", views.certificate, name="certificate"),
    path("entraide/", views.help_board, name="help"),
    path("entraide/demander/", views.help_post, name="help_post"),
    path("entraide/<int:request_id>/repondre/", views.help_answer, name="help_answer"),
    path(
        "questionnaires/<int:questionnaire_id>/repondre/",
        views.questionnaire_answer,
        name="questionnaire_answer",
    ),
    path("contacts/<int:contact_id>/", views.contact, name="contact"),
    path("contacts/<int:contact_id>/reponse/", views.contact_answer, name="contact_answer"),
]
