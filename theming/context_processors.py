from django.http import HttpRequest

from .selectors import legal_links, site_theme


def theme(request: HttpRequest) -> dict:
    """The town's theme and the footer's links to its published legal pages."""
    tenant = getattr(request, "tenant", None)
    if tenant is None or getattr(tenant, "is_platform", True) or not tenant.is_served:
        return {"theme": None, "legal_links": ()}
    return {"theme": site_theme(), "legal_links": legal_links()}
