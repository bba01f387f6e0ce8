"""Brå anmälda brott files (core): pure parsers for the statistikdatabas Databasfil and the annual kommun file."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from functools import lru_cache
from typing import Any

import pandas as pd

from lofte_data.checks import is_year
from lofte_data.crime_types import BRA_LABELS
from lofte_data.errors import ImportFileError
from lofte_data.sweden import region_code

DATABASFIL = "databasfil"
ANNUAL = "annual"
MISSING = ".."
DATABASFIL_HEADER = ("Region", "Brott", "År", "Period", "Antal", "/100 000 inv")
ANNUAL_HEADER = ("Kommun", "Antal", "Per 100 000 inv.")
FIRST_BRA_YEAR = 1950
MAX_BRA_COUNT = 10_000_000  # Riket has about 1.5 million reported crimes a year; anything above is a broken file
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec")

DATABASFIL_COLUMNS = (
    "region",
    "region_code",
    "brott",
    "crime_type",
    "year",
    "period_kind",
    "period",
    "count",
    "per_100k",
    "preliminary",
    "line",
)
ANNUAL_COLUMNS = tuple(c for c in DATABASFIL_COLUMNS if c != "brott")
_DTYPES = {
    "region": "str",
    "region_code": "object",
    "brott": "str",
    "crime_type": "object",
    "year": "int64",
    "period_kind": "str",
    "period": "int64",
    "count": "Int64",
    "per_100k": "Float64",
    "preliminary": "bool",
    "line": "int64",
}
_DATABASFIL_KEY = ("region", "brott", "year", "period_kind", "period")
_ANNUAL_KEY = ("region_code", "year")  # "Ale" and "Ale kommun" are the same kommun
_VALUE_FIELDS = ("count", "per_100k", "preliminary")

_SEP = "[ \u00a0\u202f\u2009\u2007]"
_INT_TEXT = re.compile(rf"^[+-]?(?:\d{{1,3}}(?:{_SEP}\d{{3}})+|\d+)$")
_DECIMAL_TEXT = re.compile(rf"^[+-]?(?:\d{{1,3}}(?:{_SEP}\d{{3}})+|\d+)(?:[.,]\d+)?$")
_YEAR = re.compile(r"^(\d{4})(\s*prel\.?)?$", re.IGNORECASE)
_QUARTER = re.compile(r"^kvartal\s*([1-4])$", re.IGNORECASE)
_ANNUAL_COUNT = re.compile(r"^antal(\s*\(?\s*prel\.?\s*\)?)?$")
_DATABASFIL_TEXT = "Region;Brott;År;Period;Antal;/100 000 inv"
_ANNUAL_TEXT = "Kommun;Antal;Per 100 000 inv. (eller Antal (prel.))"
_region_code = lru_cache(maxsize=4096)(region_code)


def decode(data: bytes) -> str:
    """Text of a Brå file: UTF-8 with or without BOM, otherwise ISO-8859-1 (what the statistikdatabas writes)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("iso-8859-1")


def _lines(text: str) -> list[tuple[int, str]]:
    """Non-blank lines with their 1-based line number (CRLF, CR or LF); refuses a file without any."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, 1):
        # C0 controls only: ISO-8859-1 decodes cp1252 punctuation (0x80-0x9F) to C1 controls, which are harmless
        bad = next((ch for ch in line if ch < " " and ch != "\t"), None)
        if bad is not None:
            what = "ett NUL-tecken (binärdata)" if bad == "\x00" else f"styrtecknet U+{ord(bad):04X}"
            raise ImportFileError(
                f"Raden innehåller {what}. Filen är skadad eller inte en textfil från Brå; inget sparades.",
                line=number,
            )
    numbered = [(number, line) for number, line in enumerate(lines, 1) if line.strip(" \t;\u00a0\ufeff")]
    if not numbered:
        raise ImportFileError("Filen är tom. Väntade en fil från Brå med en rubrikrad och rader med siffror.", line=1)
    return numbered


def _split(line: str) -> list[str]:
    fields = [field.strip() for field in line.split(";")]
    return [f[1:-1].strip() if len(f) >= 2 and f[0] == f[-1] == '"' else f for f in fields]


def _trim(fields: list[str]) -> list[str]:
    while fields and not fields[-1]:
        fields = fields[:-1]
    return fields


def _norm(name: str) -> str:
    return " ".join(name.split()).casefold().rstrip(".")


def _fields(number: int, line: str, width: int, expected: str) -> list[str]:
    """The row's fields; one extra empty field (the trailing ';' Brå writes) is allowed."""
    fields = _split(line)
    if len(fields) == width + 1 and not fields[-1]:
        fields = fields[:-1]
    if len(fields) != width:
        raise ImportFileError(f"Raden har {len(fields)} fält men {width} väntades ({expected}).", line=number)
    return fields


def _body(lines: list[tuple[int, str]], header_line: int) -> list[tuple[int, str]]:
    if not lines:
        raise ImportFileError("Filen har en rubrikrad men inga rader med siffror.", line=header_line + 1)
    return lines


def _parse_count(text: str, number: int) -> int | None:
    """Antal as an int; '..' (suppressed, not applicable) is None, never 0."""
    if text == MISSING:
        return None
    if not _INT_TEXT.match(text):
        raise ImportFileError(
            f"Antal '{text}' är inte ett heltal. Väntade t.ex. 1 234, eller .. när uppgift saknas.", line=number
        )
    value = int(re.sub(_SEP, "", text)) if len(text) <= 20 else MAX_BRA_COUNT + 1
    if value < 0:
        raise ImportFileError(
            f"Antal '{text}' är negativt. Antal anmälda brott kan inte vara mindre än 0.", line=number
        )
    if value > MAX_BRA_COUNT:
        raise ImportFileError(
            f"Antal '{text[:30]}' är orimligt stort (högst {MAX_BRA_COUNT:,} per rad).".replace(",", " "), line=number
        )
    return value


def _parse_rate(text: str, number: int) -> float | None:
    """Anmälda brott per 100 000 invånare (decimal comma allowed); '..' or empty is None."""
    if text in (MISSING, ""):
        return None
    if not _DECIMAL_TEXT.match(text):
        raise ImportFileError(
            f"Värdet per 100 000 invånare '{text}' är inte ett tal. Väntade t.ex. 444 eller 444,5.", line=number
        )
    value = float(re.sub(_SEP, "", text).replace(",", ".")) if len(text) <= 30 else float(MAX_BRA_COUNT + 1)
    if value > MAX_BRA_COUNT:
        raise ImportFileError(f"Värdet per 100 000 invånare '{text[:30]}' är orimligt stort.", line=number)
    if value < 0:
        raise ImportFileError(f"Värdet per 100 000 invånare '{text}' är negativt.", line=number)
    return value


def _parse_year(text: str, number: int) -> tuple[int, bool]:
    """(year, preliminary) from '2016' or '2016 prel.'."""
    match = _YEAR.match(text)
    if not match:
        raise ImportFileError(f"Ogiltigt år '{text}'. Väntade ett årtal som 2016 eller 2016 prel.", line=number)
    year = int(match.group(1))
    if not is_year(year, first=FIRST_BRA_YEAR, last=date.today().year):
        raise ImportFileError(
            f"Året {year} kan inte finnas i en fil från Brå (väntade {FIRST_BRA_YEAR}–{date.today().year}).",
            line=number,
        )
    return year, match.group(2) is not None


def _parse_subperiod(text: str, number: int) -> tuple[str, int]:
    months = [month.casefold() for month in MONTHS]
    if text.casefold() in months:
        return "month", months.index(text.casefold()) + 1
    match = _QUARTER.match(text)
    if match:
        return "quarter", int(match.group(1))
    raise ImportFileError(
        f"Okänd period '{text}'. Väntade en månad ({', '.join(MONTHS)}) eller Kvartal 1-4.", line=number
    )


def _parse_period(year_text: str, period_text: str, number: int) -> tuple[int, bool, str, int]:
    """(year, preliminary, period_kind, period) from the År and Period columns of either menu."""
    if year_text.casefold() == "år":  # annual menu: År holds the word, Period the year
        year, preliminary = _parse_year(period_text, number)
        return year, preliminary, "year", 0
    year, preliminary = _parse_year(year_text, number)
    return (year, preliminary, *_parse_subperiod(period_text, number))


def _databasfil_width(number: int, line: str) -> int:
    """Number of columns the header names; the six Brå columns first, named extra columns are tolerated."""
    fields = _trim(_split(line))
    expected = [_norm(name) for name in DATABASFIL_HEADER]
    if [_norm(field) for field in fields[:6]] != expected or not all(fields[6:]):
        raise ImportFileError(
            f"Rubrikraden saknas eller är fel: '{line.strip()}'. Väntade {_DATABASFIL_TEXT} "
            "(en Databasfil från Brå:s statistikdatabas).",
            line=number,
        )
    return len(fields)


def _databasfil_row(number: int, line: str, width: int) -> dict[str, Any]:
    region, brott, year_text, period_text, count, rate = _fields(number, line, width, _DATABASFIL_TEXT)[:6]
    if not region or not brott:
        raise ImportFileError("Region eller brott saknas. Båda måste vara ifyllda på varje rad.", line=number)
    year, preliminary, kind, period = _parse_period(year_text, period_text, number)
    return {
        "region": region,
        "region_code": _region_code(region),
        "brott": brott,
        "crime_type": BRA_LABELS.get(brott),
        "year": year,
        "period_kind": kind,
        "period": period,
        "count": _parse_count(count, number),
        "per_100k": _parse_rate(rate, number),
        "preliminary": preliminary,
        "line": number,
    }


def _describe(row: dict[str, Any]) -> str:
    period = {"month": lambda p: MONTHS[p - 1], "quarter": lambda p: f"kvartal {p}", "year": lambda p: "helår"}
    what = row.get("brott") or row["crime_type"]
    return f"{row['region']}, {what}, {row['year']} {period[row['period_kind']](row['period'])}"


def _is_placeholder(row: dict[str, Any]) -> bool:
    """An all-zero copy (Brå lists a kommun that changed län twice, once with zeros)."""
    return row["count"] == 0 and row["per_100k"] in (0, None)


def _resolve(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
    if all(first[field] == second[field] for field in _VALUE_FIELDS) or _is_placeholder(second):
        return first
    if _is_placeholder(first):
        return second
    raise ImportFileError(
        f"{_describe(first)} finns två gånger med olika värden: rad {first['line']} och rad {second['line']}. "
        "Varje region, brott och period får bara förekomma en gång.",
        line=second["line"],
    )


def _dedupe(rows: list[dict[str, Any]], key_fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """Drop identical repeats and all-zero copies; refuse conflicting repeats."""
    kept: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[field] for field in key_fields)
        kept[key] = _resolve(kept[key], row) if key in kept else row
    return list(kept.values())


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([row[c] for row in rows], dtype=_DTYPES[c]) for c in columns})


def parse_databasfil(data: bytes) -> pd.DataFrame:
    """Rows of a Brå statistikdatabas Databasfil (monthly, quarterly or annual menu), columns DATABASFIL_COLUMNS.

    A plain monthly export (six columns, every line in Brå's own spelling, no repeated key) is parsed
    column-wise (``_plain_monthly``); anything else, and every error, goes through the line-by-line parser,
    which gives the same rows and names the line at fault."""
    lines = _lines(decode(data))
    header_line, header = lines[0]
    width = _databasfil_width(header_line, header)
    body = _body(lines[1:], header_line)
    plain = _plain_monthly(body) if width == len(DATABASFIL_HEADER) else None
    if plain is not None:
        return plain
    rows = [_databasfil_row(number, line, width) for number, line in body]
    return _frame(_dedupe(rows, _DATABASFIL_KEY), DATABASFIL_COLUMNS)


_PERIOD_NUMBER = {name: n for n, name in enumerate(MONTHS, start=1)}


def _plain_monthly(body: list[tuple[int, str]]) -> pd.DataFrame | None:
    """The rows of a plain monthly Databasfil body, read column-wise with ``pandas.read_csv``; None when any
    line is not plain (a quarter or year, quotes, signs or separators in numbers, a repeated key, a line of
    another width): the line parser decides those, with the same rows or the error naming the line.

    Low-cardinality columns (region, brott, year, month) are checked and converted once per distinct value
    with the line parser's own functions; counts and rates must be plain digits (or '..')."""
    texts = [line for _, line in body]
    if not pd.Series(texts, dtype="str").str.count(";").isin([5, 6]).all():
        return None  # a line of another width
    text = "\n".join(texts)
    try:
        cells = pd.read_csv(
            io.StringIO(text),
            sep=";",
            header=None,
            names=range(7),
            dtype=str,
            keep_default_na=False,
            quoting=csv.QUOTE_NONE,
            skip_blank_lines=False,
            engine="c",
        )
    except (ValueError, pd.errors.ParserError):
        return None
    if len(cells) != len(body) or cells[list(range(6))].isna().any(axis=None) or (cells[6].fillna("") != "").any():
        return None
    names = {column: _distinct(cells[column]) for column in (0, 1, 2, 3)}
    if names[0] is None or names[1] is None or names[2] is None or names[3] is None:
        return None
    try:
        years = {text: _parse_year(text.strip(), 0) for text in names[2]} if _plain_years(names[2]) else None
    except ImportFileError:
        return None  # an impossible year: the line parser names its line
    months = {text: _PERIOD_NUMBER.get(text.strip()) for text in names[3]}
    count, rate = cells[4].str.strip(), cells[5].str.strip()
    if years is None or None in months.values() or not (_plain_digits(count) and _plain_digits(rate, decimal=True)):
        return None
    if (count.str.len() > len(str(MAX_BRA_COUNT))).any() or (
        count.where(count != MISSING, "0").astype("int64") > MAX_BRA_COUNT
    ).any():
        return None  # an impossible count: the line parser names its line
    region, brott = cells[0].map(names[0]), cells[1].map(names[1])
    frame = pd.DataFrame(
        {
            "region": region,
            "region_code": region.map({r: _region_code(r) for r in set(names[0].values())}).astype(object),
            "brott": brott,
            "crime_type": brott.map({b: BRA_LABELS.get(b) for b in set(names[1].values())}).astype(object),
            "year": cells[2].map({t: y for t, (y, _) in years.items()}).astype("int64"),
            "period_kind": "month",
            "period": cells[3].map(months).astype("int64"),
            "count": count.where(count != MISSING).astype("int64[pyarrow]").astype("Int64"),
            "per_100k": rate.where(~rate.isin([MISSING, ""]))
            .str.replace(",", ".")
            .astype("float64[pyarrow]")
            .astype("Float64"),
            "preliminary": cells[2].map({t: p for t, (_, p) in years.items()}).astype(bool),
            "line": [number for number, _ in body],
        }
    )
    for column in ("region_code", "crime_type"):
        frame[column] = frame[column].where(frame[column].notna(), None)
    frame = frame.astype({c: _DTYPES[c] for c in DATABASFIL_COLUMNS})[list(DATABASFIL_COLUMNS)]
    return _dedupe_frame(frame, list(_DATABASFIL_KEY))


def _dedupe_frame(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """``_dedupe`` for a frame: only the rows whose key repeats (a kommun Brå lists twice) go through it, and
    the resolved row takes the place of the key's first line, as the line parser keeps them."""
    repeated = frame.duplicated(key, keep=False)
    if not repeated.any():
        return frame
    part = frame[repeated].astype(object)
    resolved = _frame(_dedupe(part.where(part.notna(), None).to_dict("records"), tuple(key)), DATABASFIL_COLUMNS)
    first = frame[~frame.duplicated(key)].reset_index(drop=True)
    places = first.index[first.set_index(key).index.isin(resolved.set_index(key).index)]
    rows = pd.concat([first.drop(index=places), resolved.set_axis(places)]).sort_index()
    return rows.reset_index(drop=True)


def _distinct(column: pd.Series) -> dict[str, str] | None:
    """Each distinct text of a name column stripped as the line parser strips it; None if one is empty or quoted."""
    stripped = {text: _split(text)[0] for text in column.unique()}
    if any(not name or '"' in text for text, name in stripped.items()):
        return None
    return stripped


def _plain_years(texts: dict[str, str]) -> bool:
    return all(_YEAR.match(text.strip()) for text in texts)


def _plain_digits(column: pd.Series, *, decimal: bool = False) -> bool:
    """Every value plain digits (one decimal comma or point allowed for rates), '..' or, for rates, empty."""
    values = column[~column.isin([MISSING, ""] if decimal else [MISSING])]
    if decimal:
        if (values.str.startswith((".", ",")) | values.str.endswith((".", ","))).any():
            return False
        values = values.str.replace(",", ".", n=1, regex=False).str.replace(".", "", n=1, regex=False)
    return bool(values.str.isdigit().all()) and bool(values.str.isascii().all())


def _is_number(text: str) -> bool:
    return text == MISSING or bool(_INT_TEXT.match(text))


def _annual_preliminary(number: int, line: str) -> bool:
    """Checks the annual file's header; True for the preliminary variant 'Antal (prel.)'."""
    names = [_norm(field) for field in _trim(_split(line))]
    match = _ANNUAL_COUNT.match(names[1]) if len(names) == 3 else None
    if not match or names[0] != "kommun" or names[2] != _norm(ANNUAL_HEADER[2]):
        raise ImportFileError(f"Rubrikraden är fel: '{line.strip()}'. Väntade {_ANNUAL_TEXT}.", line=number)
    return match.group(1) is not None


def _annual_row(number: int, line: str, year: int, preliminary: bool) -> dict[str, Any]:
    name, count, rate = _fields(number, line, 3, _ANNUAL_TEXT)
    code = _region_code(name)
    if code is None:
        raise ImportFileError(
            f"Okänd kommun '{name}'. Väntade ett av Sveriges 290 kommunnamn, t.ex. Kungsör eller Kungsörs kommun.",
            line=number,
        )
    return {
        "region": name,
        "region_code": code,
        "brott": None,
        "crime_type": "totalt",
        "year": year,
        "period_kind": "year",
        "period": 0,
        "count": _parse_count(count, number),
        "per_100k": _parse_rate(rate, number),
        "preliminary": preliminary,
        "line": number,
    }


def _check_year(year: object) -> int:
    if not is_year(year, first=FIRST_BRA_YEAR, last=date.today().year):
        raise ImportFileError(f"Ogiltigt år {year!r}. Väntade ett årtal som 2022.")
    return int(year)


def parse_annual_kommun_file(data: bytes, *, year: int) -> pd.DataFrame:
    """Rows of Brå's "Anmälda brott i kommunerna YYYY.csv" (total per kommun), columns ANNUAL_COLUMNS."""
    year = _check_year(year)
    lines = _lines(decode(data))
    first_line, first = lines[0]
    preliminary = False
    if not _is_number((_split(first) + [""])[1]):  # the 2021 file has no header
        preliminary = _annual_preliminary(first_line, first)
        lines = _body(lines[1:], first_line)
    rows = [_annual_row(number, line, year, preliminary) for number, line in lines]
    return _frame(_dedupe(rows, _ANNUAL_KEY), ANNUAL_COLUMNS)


def file_kind(data: bytes) -> str:
    """DATABASFIL ("databasfil") or ANNUAL ("annual"), sniffed from the first line; anything else is refused."""
    number, first = _lines(decode(data))[0]
    fields = _split(first) + [""]
    names = [_norm(field) for field in fields]
    if names[:2] == ["region", "brott"]:
        return DATABASFIL
    if names[0] == "kommun" or (_region_code(fields[0]) and _is_number(fields[1])):
        return ANNUAL
    raise ImportFileError(
        f"Okänt filformat: '{first.strip()}'. Väntade en Databasfil från Brå:s statistikdatabas "
        f"({_DATABASFIL_TEXT}) eller filen Anmälda brott i kommunerna ({_ANNUAL_TEXT}).",
        line=number,
    )


def parse_any(data: bytes, *, year: int | None = None) -> pd.DataFrame:
    """Parses either Brå file; the annual file carries no year, so it needs ``year``."""
    if file_kind(data) == DATABASFIL:
        return parse_databasfil(data)
    if year is None:
        raise ImportFileError(
            "Ange vilket år filen gäller. Filen Anmälda brott i kommunerna innehåller inget årtal (se filnamnet)."
        )
    return parse_annual_kommun_file(data, year=year)


def year_from_filename(filename: str) -> int | None:
    """The year in a file name like "Anmälda brott i kommunerna 2021.csv", None if there is none."""
    years = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", filename)
    return int(years[-1]) if years else None
