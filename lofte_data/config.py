"""Settings read from the environment (core); read when called, never at import time."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from lofte_data.errors import InputError

DATABASE_URL_ENV = "LOFTE_DATABASE_URL"
KOLADA_URL_ENV = "LOFTE_KOLADA_URL"
POLISEN_URL_ENV = "LOFTE_POLISEN_URL"
DEFAULT_KOLADA_URL = "https://api.kolada.se/v3"
DEFAULT_POLISEN_URL = "https://polisen.se"
PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_DIR / "var" / "lofte.sqlite3"


def database_url() -> str:
    """The SQLAlchemy URL: ``LOFTE_DATABASE_URL`` if set, else a SQLite file in the project folder."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        return url
    DEFAULT_DB_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_DB_PATH}"


def kolada_url() -> str:
    """Kolada v3's base address (``LOFTE_KOLADA_URL``, e.g. a mirror or a local fake), without a trailing slash."""
    return _http_url(KOLADA_URL_ENV, DEFAULT_KOLADA_URL)


def polisen_url() -> str:
    """The host serving Polisen's ``/api/events`` (``LOFTE_POLISEN_URL``), without a trailing slash."""
    return _http_url(POLISEN_URL_ENV, DEFAULT_POLISEN_URL)


def _http_url(name: str, default: str) -> str:
    url = os.environ.get(name, "").strip() or default
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"{name} måste vara en webbadress som börjar med http:// eller https://, inte {url!r}.")
    return url.rstrip("/")
