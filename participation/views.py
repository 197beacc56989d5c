from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    """The town's participation site, readable without an account."""
    return render(request, "participation/home.html")
