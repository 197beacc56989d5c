"""A town's urlconf plus a view that fails: what Sentry must report, tagged with the town."""

from django.urls import path

from config.urls_town import urlpatterns as town_urlpatterns


class DeliberateFailure(Exception):
    pass


def failing_view(request):
    raise DeliberateFailure("panne volontaire pour le test Sentry")


urlpatterns = [*town_urlpatterns, path("panne/", failing_view, name="failing")]
