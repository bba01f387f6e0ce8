"""Brå anmälda brott files (core): pure parsers for the statistikdatabas Databasfil and the annual kommun file."""

from __future__ import annotations

import csv
import io
import itertools
import re
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

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
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")  # C0 controls but tab and the line break
_CONTROL_BYTES = bytes(byte for byte in range(0x20) if byte not in b"\t\n\r")
_BLANK = " \t;\u00a0\ufeff"


def decode(data: bytes) -> str:
    """Text of a Brå file: UTF-8 with or without BOM, otherwise ISO-8859-1 (what the statistikdatabas writes)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("iso-8859-1")


def _text(data: bytes) -> str:
    """The decoded text with "\n" line breaks (from CRLF, CR or LF); refuses C0 control characters."""
    text = decode(data)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # C0 controls only: ISO-8859-1 decodes cp1252 punctuation (0x80-0x9F) to C1 controls, which are harmless.
    # They are the same bytes in UTF-8 and ISO-8859-1, so deleting them from the bytes says whether there are
    # any (fast); one search of the text then finds the character a line-by-line scan would find first.
    if len(data.translate(None, _CONTROL_BYTES)) == len(data):
        return text
    bad = _CONTROL.search(text)
    if bad is not None:
        char = bad.group()
        what = "ett NUL-tecken (binärdata)" if char == "\x00" else f"styrtecknet U+{ord(char):04X}"
        raise ImportFileError(
            f"Raden innehåller {what}. Filen är skadad eller inte en textfil från Brå; inget sparades.",
            line=text.count("\n", 0, bad.start()) + 1,
        )
    return text


def _lines(text: str) -> list[tuple[int, str]]:
    """Non-blank lines of ``_text`` with their 1-based line number; refuses a file without any."""
    numbered = [(number, line) for number, line in enumerate(text.split("\n"), 1) if line.strip(_BLANK)]
    if not numbered:
        raise ImportFileError("Filen är tom. Väntade en fil från Brå med en rubrikrad och rader med siffror.", line=1)
    return numbered


def _head(text: str) -> tuple[int, str, int]:
    """The first non-blank line of ``_text``: its number, the line and where the next line starts."""
    start = 0
    for number in itertools.count(1):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if text[start:end].strip(_BLANK):
            return number, text[start:end], end + 1
        if end == len(text):
            break
        start = end + 1
    return _lines(text)[0] + (0,)  # raises: the file is empty


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
    text = _text(data)
    return _databasfil(text, _head(text))


def _databasfil(text: str, head: tuple[int, str, int]) -> pd.DataFrame:
    header_line, header, rest = head
    width = _databasfil_width(header_line, header)
    plain = _plain_monthly(text[rest:], header_line + 1) if width == len(DATABASFIL_HEADER) else None
    if plain is not None:
        return plain
    body = _body(_lines(text)[1:], header_line)
    rows = [_databasfil_row(number, line, width) for number, line in body]
    return _frame(_dedupe(rows, _DATABASFIL_KEY), DATABASFIL_COLUMNS)


_PERIOD_NUMBER = {name: n for n, name in enumerate(MONTHS, start=1)}
# Region, brott, month and the (empty) seventh field are read as categories: few distinct names, never numbers
# in a Brå file. Year, count and rate are read as text, whose exact spelling the checks need.
_NAME_COLUMNS = (0, 1, 3, 6)


def _plain_monthly(text: str, first_line: int) -> pd.DataFrame | None:
    """The rows of a plain monthly Databasfil body (``text`` after the header, its first line numbered
    ``first_line``), read column-wise with one ``pandas.read_csv``; None when any line is not plain (a blank
    line, a quarter or year, quotes in a name, a line of another width, a value the line parser refuses): the
    line parser decides those, with the same rows or the error naming the line.

    A national file has a few hundred regions, eleven categories, twenty years, twelve months and some
    thousand distinct counts and rates: each distinct text is checked and converted once with the line
    parser's own functions, and the values reach the rows by the number of their text."""
    text = text.rstrip("\n")
    try:
        cells = pd.read_csv(
            io.StringIO(text),
            sep=";",
            header=None,
            names=range(7),
            dtype={column: "category" if column in _NAME_COLUMNS else str for column in range(7)},
            keep_default_na=False,
            quoting=csv.QUOTE_NONE,
            skip_blank_lines=False,
            engine="c",
        )
    except (ValueError, pd.errors.ParserError):
        return None  # no lines, or a line of more than seven fields
    if len(cells) != text.count("\n") + 1:
        return None
    columns = [_distinct_texts(cells[column]) for column in range(7)]
    if any(column is None for column in columns):
        return None  # a name column of numbers: not Brå's names
    codes = {number: column[0] for number, column in enumerate(columns) if column is not None}
    texts = {number: column[1] for number, column in enumerate(columns) if column is not None}
    if any((codes[column] < 0).any() for column in range(6)) or any(text.strip() for text in texts[6]):
        return None  # a blank line, or a seventh field that is not empty
    if _short_lines(text, codes[5], texts[5]):
        return None
    distinct = {column: [_split(text)[0] for text in texts[column]] for column in range(6)}
    try:
        values = _distinct_values(distinct)
    except ImportFileError:
        return None  # an impossible value: the line parser names its line
    if values is None:
        return None
    regions, brotts, years, months, counts, rates = values
    region, region_id = _names(codes[0], distinct[0])
    brott, brott_id = _names(codes[1], distinct[1])
    year = np.array([y for y, _ in years], dtype="int64")[codes[2]]
    month = np.array(months, dtype="int64")[codes[3]]
    frame = pd.DataFrame(
        {
            "region": region,
            "region_code": pd.Series(_spread(codes[0], regions), dtype=object),
            "brott": brott,
            "crime_type": pd.Series(_spread(codes[1], brotts), dtype=object),
            "year": year,
            "period_kind": pd.Series(pd.array(pa.repeat("month", len(cells)).cast(pa.large_string()), dtype="str")),
            "period": month,
            "count": _masked(codes[4], counts, "Int64"),
            "per_100k": _masked(codes[5], rates, "Float64"),
            "preliminary": np.array([p for _, p in years], dtype=bool)[codes[2]],
            "line": np.arange(first_line, first_line + len(cells), dtype="int64"),
        }
    )
    key = pd.DataFrame({"region": region_id, "brott": brott_id, "year": year, "month": month})
    return _dedupe_frame(frame, list(_DATABASFIL_KEY)) if key.duplicated().any() else frame


def _short_lines(text: str, rate_codes: np.ndarray, rate_texts: list[str]) -> bool:
    """Whether a line has fewer than six fields: ``read_csv`` fills a missing field with "", so only the lines
    whose rate is empty (rare: Brå writes '..') are looked at; a shorter line leaves an empty count or name,
    which the checks refuse."""
    if "" not in rate_texts:
        return False
    lines = text.split("\n")
    rows = np.flatnonzero(rate_codes == rate_texts.index(""))
    return any(lines[row].count(";") < len(DATABASFIL_HEADER) - 1 for row in rows)


def _distinct_texts(column: pd.Series) -> tuple[np.ndarray, list[str]] | None:
    """Each row's number of its distinct text (-1 for a missing field) and the distinct texts; None for a
    categorical column whose categories pandas read as numbers (the texts are lost)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = column.cat.categories
        return (column.cat.codes.to_numpy(), list(categories)) if categories.dtype == "str" else None
    numbers, distinct = pd.factorize(column)
    return numbers, list(distinct)


def _distinct_values(distinct: dict[int, list[str]]) -> tuple[list[Any], ...] | None:
    """The line parser's value of each distinct text of the six columns; None where a text needs the line
    parser (an empty or quoted name, another period than a month in Brå's spelling, the annual menu)."""
    names = distinct[0] + distinct[1]
    if not all(names) or any('"' in name for name in names) or not all(_YEAR.match(t) for t in distinct[2]):
        return None
    months = [_PERIOD_NUMBER.get(text) for text in distinct[3]]
    if None in months:
        return None
    return (
        [_region_code(name) for name in distinct[0]],
        [BRA_LABELS.get(name) for name in distinct[1]],
        [_parse_year(text, 0) for text in distinct[2]],
        months,
        [_parse_count(text, 0) for text in distinct[4]],
        [_parse_rate(text, 0) for text in distinct[5]],
    )


def _spread(codes: np.ndarray, values: list[Any]) -> np.ndarray:
    """The value of each row, given the rows' category codes and one value per category."""
    return np.asarray(values, dtype=object)[codes]


def _masked(codes: np.ndarray, values: list[Any], dtype: str) -> pd.Series:
    """A nullable number column (Int64 or Float64; None is missing) from category codes and values."""
    missing = np.array([value is None for value in values], dtype=bool)
    numbers = np.array([0 if value is None else value for value in values], dtype=dtype.lower())
    return pd.Series(pd.array(numbers[codes], dtype=dtype)).mask(missing[codes])


def _names(codes: np.ndarray, stripped: list[str]) -> tuple[pd.Series, np.ndarray]:
    """A name column as stripped text (dtype str) and a number per distinct stripped name (for the key)."""
    distinct, number = np.unique(np.asarray(stripped, dtype=object), return_inverse=True)
    ids = number[codes]
    names = pa.DictionaryArray.from_arrays(pa.array(ids, pa.int32()), pa.array(list(distinct), pa.large_string()))
    return pd.Series(pd.array(names.dictionary_decode(), dtype="str")), ids


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
    return _annual(_lines(_text(data)), year)


def _annual(lines: list[tuple[int, str]], year: int) -> pd.DataFrame:
    first_line, first = lines[0]
    preliminary = False
    if not _is_number((_split(first) + [""])[1]):  # the 2021 file has no header
        preliminary = _annual_preliminary(first_line, first)
        lines = _body(lines[1:], first_line)
    rows = [_annual_row(number, line, year, preliminary) for number, line in lines]
    return _frame(_dedupe(rows, _ANNUAL_KEY), ANNUAL_COLUMNS)


def file_kind(data: bytes) -> str:
    """DATABASFIL ("databasfil") or ANNUAL ("annual"), sniffed from the first line; anything else is refused."""
    text = _text(data)
    return _kind(_head(text))


def _kind(head: tuple[int, str, int]) -> str:
    number, first, _ = head
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
    """Parses either Brå file; the annual file carries no year, so it needs ``year``. The file is decoded
    once; a plain monthly Databasfil is never split into lines in Python."""
    text = _text(data)
    head = _head(text)
    if _kind(head) == DATABASFIL:
        return _databasfil(text, head)
    if year is None:
        raise ImportFileError(
            "Ange vilket år filen gäller. Filen Anmälda brott i kommunerna innehåller inget årtal (se filnamnet)."
        )
    return _annual(_lines(text), _check_year(year))


def year_from_filename(filename: str) -> int | None:
    """The year in a file name like "Anmälda brott i kommunerna 2021.csv", None if there is none."""
    years = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", filename)
    return int(years[-1]) if years else None
