import time

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import connection
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django_redis import get_redis_connection

from core.hosts import same_site_url
from core.local_mail import kept_mails, mail_dir

from .domains import served_host


def _probe(check) -> dict:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:  # a health probe reports every failure, whatever its kind
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    return {"ok": True, "latency_ms": round((time.perf_counter() - started) * 1000, 2)}


def _database_answers() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _redis_answers() -> None:
    get_redis_connection("default").ping()


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """State of the database, Redis and the schema this host is served from.

    200 "ok"; 200 "degraded" when only Redis is down (pages, votes and answers are still
    served: cache errors are ignored, tasks wait in the outbox, so the node stays in the load
    balancer); 503 "unavailable" when the database is down (nothing can be served)."""
    database, redis = _probe(_database_answers), _probe(_redis_answers)
    tenant = getattr(request, "tenant", None)
    if not database["ok"]:
        status, code = "unavailable", 503
    else:
        status, code = ("ok" if redis["ok"] else "degraded"), 200
    return JsonResponse(
        {
            "status": status,
            "database": database,
            "redis": redis,
            "schema": connection.schema_name,
            "town": getattr(tenant, "slug", None),
            "town_status": getattr(tenant, "status", None),
        },
        status=code,
    )


def town_media(request: HttpRequest, schema: str, path: str) -> FileResponse:
    """A town's uploaded file, only on that town's own host: the URL names the schema
    (MEDIA_URL/<schema>/...), and another town's schema is a 404 here."""
    if schema != connection.schema_name:
        raise Http404
    try:
        return FileResponse(default_storage.open(path, "rb"))
    except (FileNotFoundError, IsADirectoryError, SuspiciousFileOperation, ValueError) as exc:
        # ValueError: a NUL in the path ("embedded null byte") names no file either.
        raise Http404 from exc


def language_switch(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """Switch the site's language with a plain link. A GET, unlike Django's set_language: the
    footer then holds no form and no CSRF token, so anonymous pages can be cached (the choice
    lives in a cookie, nothing is written on the server)."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    response = HttpResponseRedirect(same_site_url(request, request.GET.get("next"), "/"))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@never_cache
def local_mail(request: HttpRequest) -> HttpResponse:
    """The e-mails sent by the local setup, with their links (local settings only: elsewhere
    there is no LOCAL_MAIL_DIR and this page does not exist)."""
    if mail_dir() is None:
        raise Http404
    return render(request, "tenants/local_mail.html", {"mails": kept_mails()})


@never_cache
def tls_certificate_allowed(request: HttpRequest) -> HttpResponse:
    """Caddy's on-demand TLS asks here before getting a certificate for a name it was reached
    by (deploy/caddy/Caddyfile): 200 for a name we serve a town on, 404 for any other, so
    nobody can make us request certificates for names that are not ours."""
    name = request.GET.get("domain", "")
    if name and served_host(name):
        return HttpResponse("ok", content_type="text/plain")
    return HttpResponse("unknown", content_type="text/plain", status=404)
