"""The exception services raise when an action breaks a domain rule."""


class RuleViolation(ValueError):
    """An action the rules refuse; ``field`` names the form field the message belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
