class TrainingError(Exception):
    """A training action that cannot be carried out; the message says why, in words for the
    vendor staff (French by default). ``field`` names the form field at fault, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field
