"""Polisen's events feed (core): build the request (pure), fetch (rate limited), parse (pure).

The events are press notices ("händelser"), never crime statistics.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from lofte_data import config
from lofte_data.errors import ImportFileError, InputError, SchemaError
from lofte_data.formats import MONTHS_LONG
from lofte_data.ratelimit import CallLog, MemoryCallLog, RateLimiter
from lofte_data.sources.http import HttpClient

EVENTS_PATH = "/api/events"
BASE_URL = "https://polisen.se"
EVENTS_URL = BASE_URL + EVENTS_PATH
SOURCE = "polisen"
LABEL = "Polisens API"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
MIN_INTERVAL, PER_HOUR, PER_DAY = 10.0, 60, 1440  # Polisen's published limits (else 429)

COLUMNS: tuple[str, ...] = (
    "event_id",
    "published_at",
    "occurred_label",
    "occurred_at",
    "type",
    "kommun",
    "location_name",
    "lat",
    "lon",
    "gps_is_county",
    "summary",
    "url",
)
REQUIRED = ("id", "datetime", "name")
MONTHS: dict[str, int] = {name: number for number, name in enumerate(MONTHS_LONG, start=1)}

_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2})(:\d{2}:\d{2}(?:\.\d+)?)\s*([+-]\d{2}:?\d{2}|Z)$")
_NAME_DATE = re.compile(r"^(\d{1,2}) ([a-zåäö]+) (\d{1,2})[.:](\d{2})$", re.IGNORECASE)
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

# One process-wide log for clients built without a limiter; the app should pass one on a SqlCallLog.
_PROCESS_LOG = MemoryCallLog()


# -- build (pure) ---------------------------------------------------------------------------------
def events_params(
    *, locations: Sequence[str] = (), types: Sequence[str] = (), month: str | None = None
) -> dict[str, str]:
    """Query parameters for ``EVENTS_URL``: ``locationname=A;B``, ``type=X;Y``, ``DateTime=2026-04``."""
    params: dict[str, str] = {}
    if joined := _joined(locations, "Orten"):
        params["locationname"] = joined
    if joined := _joined(types, "Händelsetypen"):
        params["type"] = joined
    if month is not None:
        if not _MONTH.match(month):
            raise InputError(f"Månaden ska skrivas ÅÅÅÅ-MM, till exempel 2026-04 (fick {month!r}).")
        params["DateTime"] = month
    return params


def _joined(values: Sequence[str], what: str) -> str:
    items = [values] if isinstance(values, str) else list(values)
    cleaned = [item.strip() for item in items if item and item.strip()]
    for item in cleaned:
        if ";" in item:
            raise InputError(f"{what} {item!r} får inte innehålla semikolon.")
    return ";".join(cleaned)


# -- parse (pure) ---------------------------------------------------------------------------------
def parse_datetime(text: str) -> datetime:
    """Timezone-aware datetime from the feed's ``2026-06-25 7:49:16 +02:00`` (hour padded or not)."""
    match = _DATETIME.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise SchemaError(f"Tidpunkten {text!r} har inte formatet ÅÅÅÅ-MM-DD T:MM:SS +HH:MM.")
    day, hour, rest, offset = match.groups()
    try:
        return datetime.fromisoformat(f"{day}T{int(hour):02d}{rest}{offset}")
    except ValueError as exc:
        raise SchemaError(f"Tidpunkten {text!r} är inte ett giltigt datum.") from exc


def parse_events(payload: Any) -> pd.DataFrame:
    """One row per event, columns ``COLUMNS``; raises ``SchemaError`` on the first malformed event."""
    if not isinstance(payload, list):
        raise SchemaError(f"Polisens händelser ska vara en JSON-lista, men var {_json_kind(payload)}.")
    rows = [_parse_event(event, number) for number, event in enumerate(payload, start=1)]
    return _frame(rows)


def _parse_event(event: Any, number: int) -> dict[str, Any]:
    if not isinstance(event, dict):
        raise SchemaError(f"Händelse nr {number} är inte ett JSON-objekt.")
    where = f"Händelse nr {number} (id {event.get('id')!r})"
    for field in REQUIRED:
        if event.get(field) in (None, ""):
            raise SchemaError(f"{where} saknar fältet {field!r}.")
    try:
        return _event_row(event)
    except SchemaError as exc:
        raise SchemaError(f"{where}: {exc}") from exc


def _event_row(event: dict[str, Any]) -> dict[str, Any]:
    published = parse_datetime(event["datetime"]).astimezone(STOCKHOLM)
    label, occurred, kommun = _parse_name(event["name"], published)
    location = event.get("location") or {}
    if not isinstance(location, dict):
        raise SchemaError("fältet 'location' är inte ett objekt.")
    location_name = _text(location.get("name"))
    lat, lon = _parse_gps(location.get("gps"))
    return {
        "event_id": _event_id(event["id"]),
        "published_at": published,
        "occurred_label": label,
        "occurred_at": occurred,
        "type": _text(event.get("type")),
        "kommun": kommun,
        "location_name": location_name,
        "lat": lat,
        "lon": lon,
        "gps_is_county": location_name is not None and location_name != kommun,
        "summary": _text(event.get("summary")),
        "url": _absolute_url(event.get("url")),
    }


MAX_EVENT_ID = 10**15  # far above Polisen's ids (about 6 * 10^5 today), far below int64
MAX_ARCHIVE_BYTES = 20 * 1024 * 1024


def _event_id(value: Any) -> int:
    text = str(value).strip() if isinstance(value, int | str) and not isinstance(value, bool) else ""
    if not (text.isascii() and text.isdigit()):
        raise SchemaError(f"id {str(value)[:40]!r} är inte ett heltal.")
    if len(text) > 18 or int(text) > MAX_EVENT_ID:
        raise SchemaError(f"id {text[:40]} är orimligt stort (högst {MAX_EVENT_ID}).")
    return int(text)


def _parse_name(name: Any, published: datetime) -> tuple[str, datetime, str]:
    """``"<day> <månad> <HH.MM>, <Typ>, <Plats>"`` -> (label with ``HH.MM``, occurred_at, kommun)."""
    parts = [part.strip() for part in name.split(",")] if isinstance(name, str) else []
    match = _NAME_DATE.match(parts[0]) if len(parts) >= 3 else None
    if not match or not parts[-1] or match.group(2).lower() not in MONTHS:
        raise SchemaError(f"namnet {name!r} har inte formatet '<dag> <månad> <HH.MM>, <Typ>, <Plats>'.")
    day, month_name, hour, minute = match.groups()
    label = f"{day} {month_name} {hour}.{minute}"
    occurred = _occurred_at(int(day), MONTHS[month_name.lower()], int(hour), int(minute), published)
    return label, occurred, parts[-1]


def _occurred_at(day: int, month: int, hour: int, minute: int, published: datetime) -> datetime:
    """The name's date in the publish year, or the year before if it would fall after the publish date."""
    year = published.year
    try:
        if date(year, month, day) > published.date():
            year -= 1
        return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)
    except ValueError as exc:
        raise SchemaError(f"datumet {day}/{month} {hour:02d}.{minute:02d} i namnet finns inte.") from exc


def _parse_gps(value: Any) -> tuple[float, float]:
    if value in (None, ""):
        return float("nan"), float("nan")
    try:
        lat, lon = (float(part) for part in str(value).split(","))
    except ValueError as exc:
        raise SchemaError(f"koordinaterna {str(value)[:60]!r} har inte formatet 'lat,lon'.") from exc
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise SchemaError(f"koordinaterna {str(value)[:60]!r} är inte en plats på jorden (lat −90–90, lon −180–180).")
    return lat, lon


def _absolute_url(value: Any) -> str | None:
    url = _text(value)
    if url is None or url.startswith(("http://", "https://")):
        return url
    return BASE_URL + ("" if url.startswith("/") else "/") + url


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return str(value).strip()


def _json_kind(payload: Any) -> str:
    kinds = {dict: "ett objekt", str: "en textsträng", int: "ett tal", float: "ett tal", bool: "ett sanningsvärde"}
    return "tomt (null)" if payload is None else kinds.get(type(payload), type(payload).__name__)


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    return frame.astype(
        {
            "event_id": "int64",
            "published_at": pd.DatetimeTZDtype(unit="us", tz=STOCKHOLM),
            "occurred_at": pd.DatetimeTZDtype(unit="us", tz=STOCKHOLM),
            "lat": "float64",
            "lon": "float64",
            "gps_is_county": "bool",
            "occurred_label": "str",
            "type": "str",
            "kommun": "str",
            "location_name": "str",
            "summary": "str",
            "url": "str",
        }
    )


# -- archive files (pure) -------------------------------------------------------------------------
def load_archive_file(data: bytes) -> pd.DataFrame:
    """A saved feed response or archive (a JSON array in the feed format), parsed like the feed."""
    if len(data) > MAX_ARCHIVE_BYTES:
        raise ImportFileError(f"Filen är större än {MAX_ARCHIVE_BYTES // 1024 // 1024} MB. Dela upp arkivet.")
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFileError("Filen är inte kodad som UTF-8.") from exc
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"Filen är inte giltig JSON ({exc.msg}).", line=exc.lineno) from exc
    except RecursionError as exc:  # "[[[[…" nested thousands deep
        raise ImportFileError("Filen är för djupt nästlad för att vara Polisens händelseformat.") from exc
    try:
        return parse_events(payload)
    except SchemaError as exc:
        raise ImportFileError(f"Filen har inte Polisens händelseformat: {exc}") from exc


# -- fetch ----------------------------------------------------------------------------------------
def polisen_limiter(log: CallLog | None = None, clock: Callable[[], float] = time.time) -> RateLimiter:
    """Polisen's limits (10 s, 60 an hour, 1 440 a day) on ``log`` (default: this process only)."""
    return RateLimiter(
        log or _PROCESS_LOG, SOURCE, clock, min_interval=MIN_INTERVAL, per_hour=PER_HOUR, per_day=PER_DAY, label=LABEL
    )


class PolisenClient:
    """Fetch events through the shared ``HttpClient``, asking ``limiter`` before every call.

    The default ``HttpClient`` backs off at least ``MIN_INTERVAL`` s, so a retry after a 429 or
    5xx keeps Polisen's spacing too (retries are not in the call log; see ``HttpClient``).
    """

    def __init__(
        self, http: HttpClient | None = None, limiter: RateLimiter | None = None, *, base_url: str | None = None
    ) -> None:
        self.http = http or HttpClient(backoff=MIN_INTERVAL)
        self.limiter = limiter or polisen_limiter()
        # The API host is a setting (a mirror, a proxy, a local fake); event links stay on polisen.se.
        self.events_url = f"{base_url or config.polisen_url()}{EVENTS_PATH}"

    def fetch_payload(
        self, *, locations: Sequence[str] = (), types: Sequence[str] = (), month: str | None = None
    ) -> Any:
        """The raw JSON array (for archiving); raises ``RateLimitedError`` without calling when too soon."""
        params = events_params(locations=locations, types=types, month=month)
        self.limiter.acquire()
        return self.http.get_json(self.events_url, params=params)

    def fetch_events(
        self, *, locations: Sequence[str] = (), types: Sequence[str] = (), month: str | None = None
    ) -> pd.DataFrame:
        """Fetch and parse the events; see ``events_params`` for the filters."""
        return parse_events(self.fetch_payload(locations=locations, types=types, month=month))
