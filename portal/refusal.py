"""The one error type for refusals: a domain rule said no, in Dutch, optionally next to a field.

Services raise it after undoing their own work; views catch this type only and show it with
`portal.forms.show_refusal`. It has no Flask imports, so pure modules (file checks, letter
rendering) raise it too.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the change; the message is Dutch and shown to the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
