"""Settings read from the environment (core); read when called, never at import time."""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_URL_ENV = "LOFTE_DATABASE_URL"
PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_DIR / "var" / "lofte.sqlite3"


def database_url() -> str:
    """The SQLAlchemy URL: ``LOFTE_DATABASE_URL`` if set, else a SQLite file in the project folder."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        return url
    DEFAULT_DB_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_DB_PATH}"
