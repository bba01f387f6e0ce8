"""A fake Kolada v3 (and Polisen events) HTTP server on 127.0.0.1 for tests: invented values, Kolada's exact shape.

Use it from any test (unit, AppTest, browser)::

    with serve_fake_kolada() as fake:
        env = {"LOFTE_KOLADA_URL": fake.kolada_url, "LOFTE_POLISEN_URL": fake.polisen_url}
        ...  # run `python -m lofte_data refresh all` with env, then look at the pages
        assert stored_value == invented_value("N07540", "1960", 2025)

Every value is INVENTED (deterministic, plausible magnitudes), never real Kolada data. What it serves:

- ``GET /v3/data/kpi/{kpis}/municipality/{codes}/year/{years}?per_page=N&page=P``: one record per
  (KPI, area, year) for the years in ``FAKE_YEARS`` (2010-2025), in the v3 envelope
  ``{"values", "count", "next_url", "previous_url"}`` with absolute ``next_url``/``previous_url`` like
  Kolada's (``?page=2&per_page=N``). Pages hold ``min(per_page, page_size)`` records.
- Nulls like Kolada's: kommun-only crime KPIs are null for the län (00NN); NTU is null before 2017 and for
  kommuner under 20 000 inv (Kungsör has none); a few scattered kommun values are null.
- N01951 (population) has genders K, M and T; everything else only T.
- ``throttle_once``: the first data request is answered 429 with ``Retry-After: 1``.
- ``fail_from``: data requests from that number on (1-based, retries counted) get 500 with
  ``Retry-After: 120``, longer than the client waits, so the refresh fails at once.
- ``empty`` / ``all_null``: answer with no records, or with every value null.
- ``offset``: added to every non-null value served, so a test can tell a later refresh from an earlier one.
- ``latency``: seconds every data request waits before it is answered (a far-away API, for the benchmark).
- ``GET /api/events``: an empty Polisen feed (``[]``), or ``polisen_status`` if set.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

FAKE_YEARS = range(2010, 2026)
LATEST_FAKE_YEAR = FAKE_YEARS[-1]
POPULATION_KPI = "N01951"
NTU_KPIS = frozenset({"N07609", "N07611", "N07633"})
# Rough national levels per 100 000 inv (invented), so the figures look like crime rates.
RATE_LEVELS = {
    "N07540": 13500.0,
    "N07403": 1000.0,
    "U07417": 4200.0,
    "N07546": 160.0,
    "N07547": 700.0,
    "U07452": 1700.0,
    "N07544": 950.0,
    "N07548": 850.0,
    "N07538": 1300.0,
    "N07537": 230.0,
    "N07536": 2100.0,
}
NTU_LEVELS = {"N07609": 28.0, "N07611": 40.0, "N07633": 20.0}
FIXED_POPULATION = {"1960": 8700, "0483": 34500, "1984": 14000, "1983": 26500, "1961": 16300, "0000": 10_400_000}


def _unit(*parts: object) -> float:
    """A stable pseudo-random number in [0, 1) from the parts (same on every machine and run)."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _is_region(area: str) -> bool:
    return area.startswith("00") and area != "0000"


def invented_population(area: str, year: int) -> int:
    """Invented inhabitants of an area on 31 Dec of ``year`` (Kungsör about 8 700, Riket about 10.4 M)."""
    base = FIXED_POPULATION.get(area)
    if base is None:
        base = 250_000 + int(_unit("lan", area) * 1_500_000) if _is_region(area) else 3000 + int(_unit(area) * 90_000)
    return round(base * (1 + 0.004 * (year - 2018)))


def invented_value(kpi: str, area: str, year: int) -> float | None:
    """The fake's value for one (KPI, area, year), total gender; None where the fake answers null."""
    if year not in FAKE_YEARS:
        return None
    if kpi == POPULATION_KPI:
        return float(invented_population(area, year))
    if kpi in NTU_KPIS:
        return _ntu_value(kpi, area, year)
    if kpi in RATE_LEVELS:
        return _rate_value(kpi, area, year)
    return round(1.0 + 2.0 * _unit("twin", kpi, area, year), 1)  # e.g. an Osäkerhetstal twin, in points


def _rate_value(kpi: str, area: str, year: int) -> float | None:
    if _is_region(area) and kpi != "N07403":
        return None  # Kolada's crime KPIs but våldsbrott are kommun-only
    if area not in FIXED_POPULATION and _unit("null", kpi, area, year) < 0.01:
        return None
    level = RATE_LEVELS[kpi] * (0.6 + 0.8 * _unit("level", kpi, area))
    trend = 1 - 0.012 * (year - 2010)
    return round(level * trend * (0.93 + 0.14 * _unit(kpi, area, year)), 1)


def _ntu_value(kpi: str, area: str, year: int) -> float | None:
    small = not area.startswith("00") and invented_population(area, year) < 20_000
    if year < 2017 or small:
        return None
    return round(NTU_LEVELS[kpi] * (0.8 + 0.4 * _unit(kpi, area, year)), 1)


def _record(kpi: str, area: str, year: int, *, null: bool, offset: float = 0.0) -> dict[str, Any]:
    value = None if null else invented_value(kpi, area, year)
    value = None if value is None else value + offset
    if kpi != POPULATION_KPI or value is None:
        genders = [("T", value)]
    else:
        women = round(value * 0.494)
        genders = [("K", float(women)), ("M", value - women), ("T", value)]
    items = [{"count": 1, "gender": g, "status": "", "value": v} for g, v in genders]
    return {"kpi": kpi, "municipality": area, "period": year, "values": items}


@dataclass
class FakeKolada:
    """The running fake: its addresses, its switches (change them between requests) and what it was asked."""

    host: str = "127.0.0.1"
    port: int = 0
    page_size: int = 5000
    throttle_once: bool = False
    fail_from: int | None = None
    empty: bool = False
    all_null: bool = False
    offset: float = 0.0
    latency: float = 0.0
    polisen_status: int | None = None
    data_requests: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _cache: dict[tuple, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def kolada_url(self) -> str:
        """The value for ``LOFTE_KOLADA_URL``."""
        return f"{self.origin}/v3"

    @property
    def polisen_url(self) -> str:
        """The value for ``LOFTE_POLISEN_URL``."""
        return self.origin

    def count_data_request(self, path: str) -> int:
        with self._lock:
            self.data_requests.append(path)
            return len(self.data_requests)

    def page(self, path: str, query: dict[str, list[str]]) -> dict[str, Any]:
        """The envelope for one ``/v3/data/...`` request (raises ValueError on a malformed path)."""
        kpis, areas, years = _data_segments(path)
        per_page = min(int(query.get("per_page", ["5000"])[0]), self.page_size, 5000)
        number = int(query.get("page", ["1"])[0])
        records = [] if self.empty else self._box(kpis, areas, years)
        chunk = records[(number - 1) * per_page : number * per_page]
        more = number * per_page < len(records)
        link = f"{self.origin}{path}?page={{}}&per_page={per_page}"
        return {
            "values": chunk,
            "count": len(chunk),
            "next_url": link.format(number + 1) if more else None,
            "previous_url": link.format(number - 1) if number > 1 else None,
        }

    def _box(self, kpis: list[str], areas: list[str], years: list[int]) -> list[dict[str, Any]]:
        """Every record of one URL, remembered so that paging through it stays fast."""
        key = (tuple(kpis), tuple(areas), tuple(years), self.all_null, self.offset)
        with self._lock:
            if key not in self._cache:
                self._cache[key] = _records(kpis, areas, years, null=self.all_null, offset=self.offset)
            return self._cache[key]


def _data_segments(path: str) -> tuple[list[str], list[str], list[int]]:
    parts = path.strip("/").split("/")
    if len(parts) != 8 or parts[:3] != ["v3", "data", "kpi"] or parts[4] != "municipality" or parts[6] != "year":
        raise ValueError(path)
    segments = [parts[3].split(","), parts[5].split(","), parts[7].split(",")]
    if any(len(segment) > 25 for segment in segments):
        raise ValueError("more than 25 ids in a segment")
    return segments[0], segments[1], [int(y) for y in segments[2]]


def _records(kpis: list[str], areas: list[str], years: list[int], *, null: bool, offset: float) -> list[dict[str, Any]]:
    return [
        _record(kpi, area, year, null=null, offset=offset)
        for kpi in kpis
        for area in areas
        for year in years
        if year in FAKE_YEARS
    ]


def _handler(fake: FakeKolada) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
            return

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            parts = urlsplit(self.path)
            if parts.path == "/api/events":
                self._polisen()
            elif parts.path.startswith("/v3/data/"):
                self._data(parts.path, parse_qs(parts.query))
            else:
                self._send(404, {"error": "not found"})

        def _polisen(self) -> None:
            self._send(fake.polisen_status or 200, [] if fake.polisen_status is None else {"error": "fake"})

        def _data(self, path: str, query: dict[str, list[str]]) -> None:
            number = fake.count_data_request(path)
            if fake.latency:
                time.sleep(fake.latency)
            if fake.throttle_once and number == 1:
                self._send(429, {"error": "Too many requests"}, {"Retry-After": "1"})
            elif fake.fail_from is not None and number >= fake.fail_from:
                self._send(500, {"error": "Internal server error"}, {"Retry-After": "120"})
            else:
                try:
                    body = fake.page(path, query)
                except ValueError:
                    self._send(400, {"error": "bad request"})
                    return
                self._send(200, body)

        def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
            body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextmanager
def serve_fake_kolada(**options: Any) -> Iterator[FakeKolada]:
    """Run a ``FakeKolada`` (options are its fields) on a free port of 127.0.0.1 until the block ends."""
    fake = FakeKolada(**options)
    server = ThreadingHTTPServer((fake.host, fake.port), _handler(fake))
    server.daemon_threads = True
    fake.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, name="fake-kolada", daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
