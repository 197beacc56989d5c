from django.urls import path

from . import api

urlpatterns = [
    path("", api.BudgetListView.as_view(), name="budgets"),
    path("<int:budget_id>/bulletin/", api.BallotView.as_view(), name="ballot"),
]
