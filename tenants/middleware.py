"""How a request finds its town, and what a town's status lets it do."""

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django_tenants.middleware.main import TenantMainMiddleware

from core.hosts import town_url

from . import observability
from .models import Tenant

# Paths every host answers whatever the town's status: monitoring and static files.
ALWAYS_SERVED_PREFIXES = ("/healthz", "/static/")
# What a read-only town still accepts: signing in and out, recovering a password, switching
# language. None of these is a contribution.
READ_ONLY_ALLOWED_URL_NAMES = {
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_confirm",
    "set_language",
}


class TownMiddleware(TenantMainMiddleware):
    """Host → Domain → Tenant → search_path. Unknown hosts, and custom domains not yet verified,
    get a 404 page rendered here (no urlconf applies to a host that is not ours)."""

    def get_tenant(self, domain_model, hostname):
        domain = domain_model.objects.select_related("tenant").get(domain=hostname.lower())
        if not domain.is_served:
            raise domain_model.DoesNotExist
        domain.tenant.served_domain = domain  # for the redirect to the preferred name
        return domain.tenant

    def no_tenant_found(self, request, hostname):
        return render(request, "tenants/unknown_host.html", {"hostname": hostname}, status=404)

    def process_request(self, request):
        try:
            response = super().process_request(request)
        except (OperationalError, InterfaceError):
            if not request.path_info.startswith("/healthz"):
                raise  # core.unavailable answers 503 with Retry-After
            # The probe answers without a town: it says the database is down (503 JSON).
            from .views import healthz

            request.tenant = None
            return healthz(request)
        if response is None:
            observability.tag_town(request.tenant)
            return _preferred_host_redirect(request)
        return response


def _preferred_host_redirect(request: HttpRequest) -> HttpResponse | None:
    """A page asked on a town's other name goes to its preferred one (a verified custom domain
    the town chose): one address in bookmarks and search engines. Only reads are redirected
    (a POST would lose its body), never the API, probes or static files; temporary (302), so a
    town that changes its mind is not stuck in browsers' caches."""
    domain = getattr(request.tenant, "served_domain", None)
    if (
        domain is None
        or domain.is_primary
        or request.method not in ("GET", "HEAD")
        or _is_api(request)
        or request.path_info.startswith(ALWAYS_SERVED_PREFIXES)
    ):
        return None
    preferred = request.tenant.get_primary_domain()
    if preferred is None or not preferred.is_custom or not preferred.is_served:
        return None
    return HttpResponseRedirect(town_url(request.tenant, request.get_full_path()))


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _url_name(request: HttpRequest) -> str | None:
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    return match.view_name


class TownStatusMiddleware:
    """A suspended or archived town shows a "service suspendu" page; a read-only town serves its
    pages but refuses contributions. Services check the same rule (core.contributions)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant: Tenant | None = getattr(request, "tenant", None)
        if (
            tenant is None
            or tenant.is_platform
            or request.path_info.startswith(ALWAYS_SERVED_PREFIXES)
        ):
            return self.get_response(request)
        if not tenant.is_served:
            return self._refuse(
                request,
                status=503,
                template="tenants/suspended.html",
                message=_("Le service de participation de %(town)s est suspendu.")
                % {"town": tenant.name},
            )
        if (
            not tenant.accepts_contributions
            and request.method not in ("GET", "HEAD", "OPTIONS")
            and _url_name(request) not in READ_ONLY_ALLOWED_URL_NAMES
        ):
            return self._refuse(
                request,
                status=403,
                template="tenants/read_only.html",
                message=_(
                    "Le site de %(town)s est en lecture seule : les contributions sont fermées "
                    "pour le moment."
                )
                % {"town": tenant.name},
            )
        return self.get_response(request)

    @staticmethod
    def _refuse(request, *, status: int, template: str, message: str) -> HttpResponse:
        if _is_api(request):
            return JsonResponse({"detail": message}, status=status)
        return render(request, template, {"message": message}, status=status)
