"""The one family of domain errors. A service raises one of these with a message a person can
read (French by default, through gettext); pages show it beside the form, the API answers it as
JSON with the status below (core.api.exception_handler). Nothing else is raised on purpose."""

from __future__ import annotations


class ApplicationError(Exception):
    """An action that cannot be carried out; ``str(error)`` says why, for the person who tried.

    ``field`` names the form field the message belongs to, when there is one."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(ApplicationError):
    """The input breaks a rule (too long, unknown choice, over budget...)."""


class NotAllowed(ApplicationError):
    """This person may not do this now (phase closed, not a moderator, town read-only...)."""

    status_code = 403
    code = "not_allowed"


class Conflict(ApplicationError):
    """The state changed under the request (already voted, slug taken, job running...)."""

    status_code = 409
    code = "conflict"


class NotFound(ApplicationError):
    """What the request names does not exist, or is not visible to this person."""

    status_code = 404
    code = "not_found"


class Unavailable(ApplicationError):
    """A service we depend on (Stripe, the mail server...) cannot be reached now; try later."""

    status_code = 503
    code = "unavailable"


class TooManyRequests(ApplicationError):
    """Too many attempts of one action in a while (core.ratelimit); ``retry_after`` says in
    how many seconds it may be tried again (sent as the Retry-After header)."""

    status_code = 429
    code = "throttled"

    def __init__(self, message: str = "", *, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after
