"""The one guard of back-office pages: a django-rules permission, checked the same way
everywhere. An anonymous visitor is sent to log in; a signed-in user without the permission
gets a 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def permission_required(perm: str, *, obj: Callable[..., object] | None = None):
    """Decorate a page view with ``perm``.

    Without ``obj`` the permission is checked globally (``user.has_perm(perm)``). With ``obj``,
    a function of the view's arguments ``(request, *args, **kwargs)`` that finds the object
    (raising Http404 when there is none), the permission is checked on that object, which is
    then handed to the view as its second argument: ``view(request, found, *args, **kwargs)``.
    Signing in comes first, so an anonymous visitor learns nothing about the object."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if obj is None:
                if not request.user.has_perm(perm):
                    raise PermissionDenied
                return view(request, *args, **kwargs)
            found = obj(request, *args, **kwargs)
            if not request.user.has_perm(perm, found):
                raise PermissionDenied
            return view(request, found, *args, **kwargs)

        # Read by the role matrix test (tests/team): every back-office page names its permission.
        wrapper.permission = perm
        return wrapper

    return decorator
