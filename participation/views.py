from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.caching import anonymous_page_cache
from core.errors import ApplicationError
from core.hosts import same_site_url
from core.views import run_action

from . import maps, selectors, services
from .forms import ProfileForm
from .home import selectors as home_selectors
from .home import views as home_views
from .officials.selectors import published_officials


@anonymous_page_cache
def home(request: HttpRequest) -> HttpResponse:
    """The town's participation site, readable without an account: the homepage the town
    composed and published, else the list of its spaces."""
    if home_selectors.has_published_home():
        return home_views.public_page(request)
    return render(request, "participation/home.html", {"spaces": selectors.home_spaces()})


@anonymous_page_cache
def officials(request: HttpRequest) -> HttpResponse:
    """The town's published officials, their delegations and the services that answer for
    them."""
    return render(request, "participation/officials.html", {"officials": published_officials()})


@anonymous_page_cache
def space_detail(request: HttpRequest, slug: str) -> HttpResponse:
    space = selectors.space_for_page(slug=slug, user=request.user)
    is_following = (
        request.user.is_authenticated and space.followers.filter(pk=request.user.pk).exists()
    )
    return render(
        request, "participation/space.html", {"space": space, "is_following": is_following}
    )


@anonymous_page_cache
def town_map(request: HttpRequest) -> HttpResponse:
    """Every public place of the town (ideas, projects) on a map, and the same as a list."""
    return render(request, "participation/map.html")


@anonymous_page_cache
def town_map_points(request: HttpRequest) -> JsonResponse:
    """The same places as GeoJSON, for the map's script: public data only, the same for
    everyone (the items of published spaces, as their pages show them)."""
    return JsonResponse(maps.geojson(maps.town_map_points()), content_type="application/geo+json")


@login_required
@require_POST
def space_follow(request: HttpRequest, slug: str) -> HttpResponse:
    space = selectors.space_for_page(slug=slug, user=request.user)
    follow = request.POST.get("follow") == "1"
    run_action(
        request,
        lambda: services.space_follow(user=request.user, space=space, follow=follow),
        _("Vous suivez cet espace.") if follow else _("Vous ne suivez plus cet espace."),
    )
    return redirect("participation:space", slug=space.slug)


@login_required
def charter(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("accept") != "1":
            messages.error(request, _("Cochez la case pour accepter la charte."))
        else:
            services.charter_accept(user=request.user)
            messages.success(request, _("Merci ! Vous pouvez maintenant participer."))
            return redirect(same_site_url(request, request.POST.get("next"), reverse("home")))
    profile = services.profile_for(request.user)
    return render(
        request,
        "participation/charter.html",
        {"profile": profile, "next": request.GET.get("next", "")},
    )


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = services.profile_for(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Profil enregistré."))
            return redirect("participation:profile")
    return render(
        request,
        "participation/profile.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
