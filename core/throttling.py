"""The API's throttle (REST_FRAMEWORK's DEFAULT_THROTTLE_CLASSES). Apart from core.api because
DRF imports it while rest_framework.views is still loading."""

from __future__ import annotations

from rest_framework.throttling import BaseThrottle

from .ratelimit import rate_limit


class RateLimitThrottle(BaseThrottle):
    """Every API call counts one ``api`` attempt per account and per client address
    (core.ratelimit, settings.RATE_LIMITS["api"]); past the limit, 429 in the kernel's error
    shape with Retry-After. The actions' own limits (vote, idea...) still apply."""

    def allow_request(self, request, view) -> bool:
        # A view whose every call is an action with a limit of its own (a vote: RATE_LIMITS
        # ["vote"], per account and address) is counted there only: one round trip to Redis
        # on the hot path, not two.
        if getattr(view, "own_rate_limit", False):
            return True
        user = request.user
        rate_limit("api", account=user.pk if user.is_authenticated else None)
        return True
