"""DRF's default permission (REST_FRAMEWORK in config/settings/base.py). Apart from core.api
because DRF imports it while rest_framework.views is still loading."""

from __future__ import annotations

from rest_framework.permissions import BasePermission


class DenyAll(BasePermission):
    """The default permission: an API view that does not state its own answers 403 (or 401 to
    an anonymous caller), so a forgotten permission closes the view instead of opening it."""

    def has_permission(self, request, view) -> bool:
        return False
