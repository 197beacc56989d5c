class ParticipationError(Exception):
    """A contribution or an admin action that cannot be carried out; the message says why,
    in words for the person who tried (French by default)."""


class NotAllowed(ParticipationError):
    """The user may not do this now (phase closed, e-mail not verified, not a moderator...)."""
