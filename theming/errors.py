class ThemingError(Exception):
    """A theme or legal-page change that cannot be made; the message says why, in words for
    the town's staff (French by default). ``field`` names the form field at fault, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field
