from django.http import HttpRequest


def town(request: HttpRequest) -> dict:
    tenant = getattr(request, "tenant", None)
    is_town = tenant is not None and not getattr(tenant, "is_platform", True)
    return {"town": tenant if is_town else None}
