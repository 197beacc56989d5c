from django.contrib.auth.decorators import user_passes_test
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants.selectors import towns_overview


def _is_vendor_staff(user) -> bool:
    return user.is_authenticated and user.is_vendor_staff


vendor_staff_required = user_passes_test(_is_vendor_staff, login_url="accounts:login")


@vendor_staff_required
def console_home(request: HttpRequest) -> HttpResponse:
    return render(request, "onboarding/console_home.html", {"towns": towns_overview()})
