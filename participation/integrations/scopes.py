"""What an integration token may reach: areas of the API (each module's endpoints, and the
engine's), read or write. ``ideas:read`` reads the ideas module's endpoints; ``ideas:write``
also writes there. A request's area is its view's ``token_scope`` when the view names one
(``None``: never with an integration token), else the module whose API namespace
(``<key>_api``) it is under; an endpoint of neither kind is closed to integration tokens."""

from __future__ import annotations

from django.urls import ResolverMatch
from django.utils.translation import gettext_lazy as _

from participation.registry import registry

# The engine's endpoints (the town's card, spaces): views declare ``token_scope = ENGINE``.
ENGINE = "spaces"
READ, WRITE = "read", "write"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def areas() -> list[tuple[str, str]]:
    """Every area a token may be given, with its name: the engine's, then each module's."""
    return [(ENGINE, str(_("Espaces et fiche de la commune")))] + [
        (component_type.key, str(component_type.label)) for component_type in registry
    ]


def scope_choices() -> list[tuple[str, str]]:
    levels = ((READ, _("lecture")), (WRITE, _("lecture et écriture")))
    return [
        (f"{key}:{level}", f"{label} : {level_label}")
        for key, label in areas()
        for level, level_label in levels
    ]


def unknown_scopes(scopes) -> list[str]:
    known = {value for value, _label in scope_choices()}
    return [scope for scope in scopes if scope not in known]


def request_area(match: ResolverMatch | None) -> str | None:
    """The area of the endpoint a request resolved to (None: closed to integration tokens)."""
    if match is None:
        return None
    view_class = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    if view_class is not None and hasattr(view_class, "token_scope"):
        return view_class.token_scope
    for namespace in match.namespaces:
        key = namespace.removesuffix("_api")
        if key != namespace and key in registry:
            return key
    return None


def scope_allows(scopes, *, area: str, method: str) -> bool:
    """Write includes read; a read scope allows only GET, HEAD and OPTIONS."""
    if f"{area}:{WRITE}" in scopes:
        return True
    return method.upper() in SAFE_METHODS and f"{area}:{READ}" in scopes
