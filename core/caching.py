"""Anonymous visitors' pages, cached for a short while.

Most visits to a town's site are residents reading without an account. Their pages are the same
for everyone, so each is kept PUBLIC_PAGE_CACHE_SECONDS in the cache (keys carry the town's
schema, the URL with its host, the language and the Vary headers). Signed-in users always get a
fresh page, so a contributor sees their contribution at once; a visitor sees a change within the
delay. Cached pages hold no CSRF token: the footer's language switch is a link.
"""

from functools import wraps

from django.conf import settings
from django.views.decorators.cache import cache_page


def anonymous_page_cache(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if seconds and request.method in ("GET", "HEAD") and not request.user.is_authenticated:
            return cache_page(seconds)(view)(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    return wrapper
