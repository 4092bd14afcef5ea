"""The onboarding app's one domain error, in a module of its own so that any app's services can raise it.

(documents.services refuses uploads with it; it cannot import onboarding.services, see onboarding.workflow.)
"""


class ApplicationError(Exception):
    """A business rule refused the operation; the message is for the user."""

    def __init__(self, message, *, missing: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.missing = missing or []
