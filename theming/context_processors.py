from django.http import HttpRequest

from .selectors import site_theme


def theme(request: HttpRequest) -> dict:
    tenant = getattr(request, "tenant", None)
    if tenant is None or getattr(tenant, "is_platform", True) or not tenant.is_served:
        return {"theme": None}
    return {"theme": site_theme()}
