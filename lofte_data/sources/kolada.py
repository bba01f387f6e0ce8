"""Kolada v3 client (core): build data URLs (pure), fetch pages through HttpClient, parse values (pure)."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import urljoin, urlsplit

import pandas as pd

from lofte_data import checks, config
from lofte_data.crime_types import POPULATION_KPI
from lofte_data.errors import InputError, SchemaError, SourceError
from lofte_data.sources.http import HttpClient

BASE_URL = config.DEFAULT_KOLADA_URL
MAX_IDS_PER_SEGMENT = 25
MAX_PER_PAGE = 5000
MAX_PAGES = 200
PER_100K = 100_000
GENDERS = frozenset({"T", "K", "M"})

_KPI_RE = re.compile(r"[A-Z]\d{5}")
_MUNICIPALITY_RE = re.compile(r"\d{4}")
VALUE_COLUMNS = ("kpi", "municipality", "year", "gender", "value", "status")
MUNICIPALITY_COLUMNS = ("id", "title", "type")


# --------------------------------------------------------------------------- build (pure)


def data_urls(
    kpis: Sequence[str],
    municipalities: Sequence[str],
    years: Sequence[int],
    *,
    per_page: int = MAX_PER_PAGE,
    base_url: str = BASE_URL,
) -> list[str]:
    """Every ``/data`` URL needed, each path segment holding at most 25 ids (cartesian product of chunks).

    Ids keep the caller's order; duplicates are dropped. Raises ``InputError`` on a bad code.
    """
    kpi_ids, codes, year_ids = _checked_ids(kpis, municipalities, years, per_page)
    return _urls(base_url, per_page, _segments(kpi_ids), _segments(codes), _segments(year_ids))


def planned_data_urls(
    kpis: Sequence[str],
    municipalities: Sequence[str],
    years: Sequence[int],
    *,
    per_page: int = MAX_PER_PAGE,
    base_url: str = BASE_URL,
) -> list[str]:
    """The fewest ``/data`` URLs whose answers each fit on ONE page even when every value exists.

    A request returns one record per (KPI, area, year), so a box of k KPIs x a areas x y years
    fits on a page when k*a*y <= ``per_page``. Every box shape within the 25-ids-per-segment rule
    is tried and the one needing the fewest requests wins; ids are then split into chunks of
    nearly equal size, so no segment is left almost empty. Paging still works if Kolada
    counts differently (``next_url`` is followed).
    """
    kpi_ids, codes, year_ids = _checked_ids(kpis, municipalities, years, per_page)
    k, a, y = best_box(len(kpi_ids), len(codes), len(year_ids), per_page=per_page)
    return _urls(base_url, per_page, _balanced(kpi_ids, k), _balanced(codes, a), _balanced(year_ids, y))


def best_box(n_kpis: int, n_areas: int, n_years: int, *, per_page: int = MAX_PER_PAGE) -> tuple[int, int, int]:
    """Ids per segment (kpis, areas, years) that cover the grid in the fewest one-page requests."""
    limit = MAX_IDS_PER_SEGMENT
    shapes = (
        (k, a, y)
        for k in range(1, min(n_kpis, limit) + 1)
        for a in range(1, min(n_areas, limit) + 1)
        for y in range(1, min(n_years, limit) + 1)
        if k * a * y <= per_page
    )
    return min(shapes, key=lambda s: (_requests(s, n_kpis, n_areas, n_years), -s[0] * s[1] * s[2]))


def _requests(shape: tuple[int, int, int], n_kpis: int, n_areas: int, n_years: int) -> int:
    k, a, y = shape
    return math.ceil(n_kpis / k) * math.ceil(n_areas / a) * math.ceil(n_years / y)


def _checked_ids(
    kpis: Sequence[str], municipalities: Sequence[str], years: Sequence[int], per_page: int
) -> tuple[list[str], list[str], list[str]]:
    kpi_ids = _unique(_checked_kpi(k) for k in _non_empty(kpis, "nyckeltal (KPI)"))
    codes = _unique(_checked_municipality(m) for m in _non_empty(municipalities, "kommunkod"))
    year_ids = _unique(str(_checked_year(y)) for y in _non_empty(years, "år"))
    _checked_per_page(per_page)
    return kpi_ids, codes, year_ids


def _urls(base_url: str, per_page: int, kpis: list[str], codes: list[str], years: list[str]) -> list[str]:
    base = base_url.rstrip("/")
    return [
        f"{base}/data/kpi/{k}/municipality/{m}/year/{y}?per_page={per_page}"
        for k, m, y in itertools.product(kpis, codes, years)
    ]


def _non_empty(items: Sequence[Any], what: str) -> Sequence[Any]:
    if isinstance(items, str | bytes) or not items:
        raise InputError(f"Ange minst en {what} som en lista.")
    return items


def _checked_kpi(kpi: Any) -> str:
    if not isinstance(kpi, str) or not _KPI_RE.fullmatch(kpi):
        raise InputError(f"Ogiltigt nyckeltal {kpi!r}: ange ett Kolada-id som N07540 eller U07417.")
    return kpi


def _checked_municipality(code: Any) -> str:
    if not isinstance(code, str) or not _MUNICIPALITY_RE.fullmatch(code):
        raise InputError(f'Ogiltig kommunkod {code!r}: ange fyra siffror som text, till exempel "0483".')
    return code


def _checked_year(year: Any) -> int:
    if not checks.is_year(year):
        raise InputError(f"Ogiltigt år {year!r}: ange ett årtal som 2023.")
    return year


def _checked_per_page(per_page: Any) -> None:
    if isinstance(per_page, bool) or not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
        raise InputError(f"Ogiltigt per_page {per_page!r}: ange ett heltal mellan 1 och {MAX_PER_PAGE}.")


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _segments(ids: Sequence[str]) -> list[str]:
    step = MAX_IDS_PER_SEGMENT
    return [",".join(ids[i : i + step]) for i in range(0, len(ids), step)]


def _balanced(ids: Sequence[str], size: int) -> list[str]:
    """``ids`` in ceil(n/size) comma-joined chunks whose lengths differ by at most one."""
    count = math.ceil(len(ids) / size)
    step, extra = divmod(len(ids), count)
    bounds = [i * step + min(i, extra) for i in range(count + 1)]
    return [",".join(ids[bounds[i] : bounds[i + 1]]) for i in range(count)]


# --------------------------------------------------------------------------- fetch


class KoladaClient:
    """Fetch Kolada v3 data through the project's one ``HttpClient`` (retries, user agent, typed errors)."""

    def __init__(
        self,
        http: HttpClient | None = None,
        *,
        per_page: int = MAX_PER_PAGE,
        max_pages: int = MAX_PAGES,
        base_url: str | None = None,
    ) -> None:
        _checked_per_page(per_page)
        self.http = http or HttpClient()
        self.per_page = per_page
        self.max_pages = max_pages
        self.base_url = base_url or config.kolada_url()
        self.pages_fetched = 0  # every page requested through this client (retries of one page not counted)

    def iter_pages(self, url: str) -> Iterator[dict[str, Any]]:
        """Yield each page's envelope, following ``next_url`` until it is null, empty or absent.

        Raises ``SchemaError`` when a page is not an object, ``next_url`` is not a string, leaves
        the host or repeats an earlier page, and ``SourceError`` beyond ``max_pages`` pages.
        """
        seen: set[str] = set()
        current: str | None = url
        while current is not None:
            if len(seen) >= self.max_pages:
                raise SourceError(f"Kolada gav fler än {self.max_pages} sidor; begränsa urvalet och försök igen.")
            seen.add(current)
            self.pages_fetched += 1
            payload = self.http.get_json(current)
            if not isinstance(payload, dict):
                raise SchemaError("Kolada svarade inte med ett JSON-objekt.")
            yield payload
            current = _next_url(payload, current, seen)

    def fetch_values(
        self, kpis: Sequence[str], municipalities: Sequence[str], years: Sequence[int], *, planned: bool = False
    ) -> pd.DataFrame:
        """All values for the KPIs x kommuner x years (every chunk, every page) as one ``parse_values`` frame.

        Nothing is returned until every page has arrived, so a failure part-way leaves the caller with an
        exception and no partial data. ``planned`` uses ``planned_data_urls`` (fewest requests) instead of
        plain 25-id chunks.
        """
        build = planned_data_urls if planned else data_urls
        urls = build(kpis, municipalities, years, per_page=self.per_page, base_url=self.base_url)
        frames = [parse_values(page) for url in urls for page in self.iter_pages(url)]
        return pd.concat(frames, ignore_index=True)


def _next_url(payload: dict[str, Any], current: str, seen: set[str]) -> str | None:
    raw = payload.get("next_url")
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise SchemaError("Kolada svarade med en ogiltig länk till nästa sida (next_url).")
    following = urljoin(current, raw)
    if urlsplit(following).netloc != urlsplit(current).netloc:
        raise SchemaError("Koladas länk till nästa sida pekar till en annan webbplats; hämtningen avbröts.")
    if following in seen:
        raise SchemaError("Kolada hänvisade tillbaka till en sida som redan hämtats; hämtningen avbröts.")
    return following


# --------------------------------------------------------------------------- parse (pure)


def parse_values(payload: Any) -> pd.DataFrame:
    """One row per record x gender: kpi, municipality (4-digit str), year (int), gender, value (Float64), status.

    A null ``value`` becomes NA. Raises ``SchemaError`` on a malformed envelope or record.
    """
    rows = [row for record in _values_list(payload) for row in _record_rows(record)]
    columns = [list(col) for col in zip(*rows, strict=True)] if rows else [[] for _ in VALUE_COLUMNS]
    kpi, municipality, year, gender, value, status = columns
    return pd.DataFrame(
        {
            "kpi": pd.Series(kpi, dtype="str"),
            "municipality": pd.Series(municipality, dtype="str"),
            "year": pd.Series(year, dtype="int64"),
            "gender": pd.Series(gender, dtype="str"),
            "value": pd.Series(pd.array(value, dtype="Float64")),
            "status": pd.Series(status, dtype="str"),
        }
    )


def parse_municipalities(payload: Any) -> pd.DataFrame:
    """``/municipality`` rows as id (4-digit str), title, type (``K`` kommun, ``L`` region/Riket)."""
    rows = [_municipality_row(item) for item in _values_list(payload)]
    columns = [list(col) for col in zip(*rows, strict=True)] if rows else [[] for _ in MUNICIPALITY_COLUMNS]
    frame = zip(MUNICIPALITY_COLUMNS, columns, strict=True)
    return pd.DataFrame({name: pd.Series(col, dtype="str") for name, col in frame})


def _values_list(payload: Any) -> list[Any]:
    if not isinstance(payload, dict) or "values" not in payload:
        raise SchemaError('Kolada svarade i ett oväntat format: fältet "values" saknas.')
    values = payload["values"]
    if not isinstance(values, list):
        raise SchemaError('Kolada svarade i ett oväntat format: "values" är inte en lista.')
    return values


def _record_rows(record: Any) -> list[tuple[str, str, int, str, float | None, str]]:
    if not isinstance(record, dict):
        raise SchemaError("Kolada svarade med en post som inte är ett objekt.")
    missing = [key for key in ("kpi", "period", "municipality", "values") if record.get(key) is None]
    if missing:
        raise SchemaError(f"Kolada svarade med en post som saknar {', '.join(missing)}.")
    kpi = _text(record["kpi"], "kpi")
    code = _area_code(record["municipality"])
    year = _period(record["period"])
    if not isinstance(record["values"], list):
        raise SchemaError(f"Kolada-posten för {kpi}, {code}, {year} har inga värden i listform.")
    return [(kpi, code, year, *_gender_value(item, kpi, code, year)) for item in record["values"]]


def _gender_value(item: Any, kpi: str, code: str, year: int) -> tuple[str, float | None, str]:
    where = f"{kpi}, {code}, {year}"
    if not isinstance(item, dict):
        raise SchemaError(f"Kolada-värdet för {where} är inte ett objekt.")
    gender = item.get("gender")
    if gender not in GENDERS:
        raise SchemaError(f"Kolada-värdet för {where} har okänt kön {gender!r} (väntade T, K eller M).")
    status = item.get("status")
    if status is not None and not isinstance(status, str):
        raise SchemaError(f"Kolada-värdet för {where} har en ogiltig status.")
    return gender, _number(item.get("value"), where), status or ""


def _number(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SchemaError(f"Kolada-värdet för {where} är inte ett tal: {value!r}.")
    number = float(value)
    return None if math.isnan(number) else number


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SchemaError(f"Kolada svarade med en ogiltig {field}: {value!r}.")
    return value.strip()


def _area_code(value: Any) -> str:
    """A kommun/region code as 4-digit text; a JSON number (483) gets its leading zero back ("0483")."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 9999:
        return f"{value:04d}"
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 4:
        return value.strip().zfill(4)
    raise SchemaError(f"Kolada svarade med en ogiltig kommunkod: {value!r}.")


def _period(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise SchemaError(f"Kolada svarade med en ogiltig period (år): {value!r}.")


def _municipality_row(item: Any) -> tuple[str, str, str]:
    if not isinstance(item, dict) or any(item.get(key) is None for key in MUNICIPALITY_COLUMNS):
        raise SchemaError("Kolada svarade med en kommunpost som saknar id, title eller type.")
    return _area_code(item["id"]), _text(item["title"], "title"), _text(item["type"], "type")


# --------------------------------------------------------------------------- derived (pure)


def population(values: pd.DataFrame) -> pd.DataFrame:
    """Population rows (``N01951``, gender ``T``) as municipality, year, population (Int64, NA if unknown)."""
    rows = values[(values["gender"] == "T") & (values["kpi"] == POPULATION_KPI)]
    result = pd.DataFrame(
        {
            "municipality": rows["municipality"],
            "year": rows["year"],
            "population": rows["value"].round().astype("Int64"),
        }
    )
    return result.sort_values(["municipality", "year"], ignore_index=True)
