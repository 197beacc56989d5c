from django.urls import path

from . import views

urlpatterns = [
    path("", views.document_list, name="detail"),
    path("<int:document_id>/telecharger/", views.document_download, name="download"),
]
