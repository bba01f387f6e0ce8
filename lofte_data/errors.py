"""Typed errors for every layer; each carries a Swedish message a page can show as it is."""

from __future__ import annotations


class LofteError(Exception):
    """Base of all project errors. ``str(err)`` is a Swedish message meant for the user."""


class StorageError(LofteError):
    """The database could not be opened, migrated or written."""


class InputError(LofteError):
    """User input (a form, a URL parameter, a value) was refused; the message says what to fix."""


class ImportFileError(InputError):
    """An import file was refused as a whole; nothing was written.

    ``line`` is the 1-based line (or row) number the problem was found on, when known.
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        prefix = f"Rad {line}: " if line is not None else ""
        super().__init__(prefix + message)


class SourceError(LofteError):
    """An open-data source failed (network, HTTP status, throttling)."""


class SourceUnavailableError(SourceError):
    """The source could not be reached or kept failing after retries."""


class SourceNotFoundError(SourceError):
    """The source answered 404: the resource does not exist; retrying will not help."""


class SchemaError(SourceError):
    """The source answered, but the payload was not in the expected format."""


class RateLimitedError(SourceError):
    """A call was refused locally because it would break the source's rate limit."""


class SourceEmptyError(SourceError):
    """The source answered without any usable value (empty or all nulls); nothing was replaced."""
