"""Activity import files (core): templates and an all-or-nothing parser for activities from CSV or Excel.

An editor downloads a template (``template_csv`` / ``template_xlsx``), fills in one row per activity and
uploads it; ``parse_activities`` either returns every row, validated, or raises one ``ImportFileError``
listing up to ``MAX_LISTED_ERRORS`` problems, each as "Rad N, kolumn X: ...". Nothing here touches the
database: the caller writes the returned rows in one transaction.

Accepted files
--------------
* ``.csv``: separator ``;`` or ``,`` (whichever the header line has more of, ``;`` on a tie); UTF-8 with or
  without BOM, otherwise Windows-1252 (what Swedish Excel writes for "CSV (semikolonavgränsad)"), and
  ISO-8859-1 for the few bytes Windows-1252 leaves undefined. Quoted fields may span lines; "Rad N" counts
  records, which is the row number Excel shows (and the text line number unless a quoted note spans lines).
* ``.xlsx``: the first sheet, header in row 1; "Rad N" is the sheet's row number. ``.xls`` is refused.

Columns (header names match case-insensitively, ignoring spaces, ``_`` and ``-``, with å/ä/ö = a/a/o):
``datum``, ``åtagande_id`` and ``antal`` are required; ``plats``, ``anteckning`` and ``rapporterad_av`` are
optional; ``åtagande`` (the commitment's text) and any other column are informational and ignored.

Values
------
* datum: ``YYYY-MM-DD``, or ``YYYY-MM-DD HH:MM[:SS]`` (space or ``T``; the time is dropped), or an Excel date
  cell. Day-first or month-first forms such as ``14/5/2023`` are refused: they are ambiguous. The date must
  exist and lie in the promise's year.
* antal: a whole number 0..``MAX_COUNT`` (digits, thousands may be grouped with spaces: ``1 000``), or an
  Excel number cell holding a whole number.
* åtagande_id: a whole number among the promise's commitment ids.
* plats / anteckning / rapporterad_av: text, at most 200 / 2000 / 120 characters after cleaning.

Rows whose every cell is empty are ignored. A row with content but no datum, antal, plats, anteckning or
rapporterad_av (an untouched template row, which has only åtagande_id and åtagande filled in) is skipped and
counted in ``ActivityImport.skipped_empty``; a row with a note but no date is an error, not a skip, so that
nothing an editor typed is dropped silently.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any, TypedDict, cast

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from lofte_data.checks import MAX_COUNT, TEXT_LIMITS, clean_text
from lofte_data.errors import ImportFileError
from lofte_data.exports import defuse_formula
from lofte_data.formats import number as number_text
from lofte_data.models import Activity

TEMPLATE_COLUMNS = ("datum", "åtagande_id", "åtagande", "antal", "plats", "anteckning", "rapporterad_av")
REQUIRED_COLUMNS = ("datum", "åtagande_id", "antal")
TEXT_COLUMNS = ("plats", "anteckning", "rapporterad_av")  # free text, limited by checks.TEXT_LIMITS
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000  # activity rows (non-empty rows below the header)
MAX_SHEET_ROWS = 10 * MAX_ROWS  # rows scanned in all, blank ones included, so a padded sheet cannot run forever
MAX_LISTED_ERRORS = 20
ACTIVITY_SHEET = "Aktiviteter"
COMMITMENT_SHEET = "Åtaganden"

_ROW_FIELDS = {  # file column -> ActivityRow key, in the order a row is checked (the template's order)
    "datum": "date",
    "åtagande_id": "commitment_id",
    "antal": "count",
    "plats": "place",
    "anteckning": "note",
    "rapporterad_av": "reported_by",
}
_ROW_KEYS = ("commitment_id", "date", "count", "place", "note", "reported_by")
_CONTENT_COLUMNS = ("datum", "antal", *TEXT_COLUMNS)  # a row without any of these is an untouched template row
_FOLD = str.maketrans("åäö", "aao")
_HEADER_KEYS = {re.sub(r"[\s_\-]+", "", name.translate(_FOLD)): name for name in TEMPLATE_COLUMNS}
_DATE_TEXT = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?)?")
_INT_TEXT = re.compile(r"[+-]?(?:[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+|[0-9]+)")
_UNREADABLE_XLSX = (
    "Filen kunde inte läsas som en Excel-fil (.xlsx). Den kan vara skadad, lösenordsskyddad eller i ett annat "
    "format. Spara den som .xlsx eller CSV och försök igen."
)
_TEMPLATE_WIDTHS = {
    "datum": 12,
    "åtagande_id": 13,
    "åtagande": 60,
    "antal": 8,
    "plats": 28,
    "anteckning": 50,
    "rapporterad_av": 22,
}


class ActivityRow(TypedDict):
    """One validated activity; the keys are the arguments of ``models.Activity``."""

    commitment_id: int
    date: date
    count: int
    place: str
    note: str
    reported_by: str


@dataclass(frozen=True)
class ActivityImport:
    """The validated rows of an import file, in file order, and how many untouched template rows were skipped."""

    rows: list[ActivityRow]
    skipped_empty: int = 0

    def activities(self) -> list[Activity]:
        """The rows as ``Activity`` records, ready to be stored."""
        return [Activity(**row) for row in self.rows]

    def summary(self) -> str:
        """What the import will do, in Swedish, e.g. "3 aktiviteter att importera." plus the skipped template rows."""
        count = len(self.rows)
        text = f"{count} {'aktivitet' if count == 1 else 'aktiviteter'} att importera."
        if self.skipped_empty:
            rows = "tom mallrad" if self.skipped_empty == 1 else "tomma mallrader"
            text += f" {self.skipped_empty} {rows} (utan datum och antal) hoppades över."
        return text


@dataclass
class _Problems:
    """Row errors collected over the whole file; only the first ``MAX_LISTED_ERRORS`` are kept as text."""

    listed: list[str] = field(default_factory=list)
    total: int = 0
    first_row: int | None = None

    def add(self, row: int, column: str, text: str) -> None:
        self.total += 1
        self.first_row = row if self.first_row is None else self.first_row
        if len(self.listed) < MAX_LISTED_ERRORS:
            self.listed.append(f"Rad {row}, kolumn {column}: {text}")

    def error(self) -> ImportFileError:
        lead = "filen har 1 fel" if self.total == 1 else f"första felet av {self.total}"
        lines = "".join(f"\n- {text}" for text in self.listed)
        if self.total > len(self.listed):
            lines += f"\n- … och {self.total - len(self.listed)} fel till."
        fix = "felet" if self.total == 1 else "felen"
        message = f"{lead}. Inget importerades; rätta {fix} och ladda upp filen igen:{lines}"
        return ImportFileError(message[0].upper() + message[1:], line=self.first_row)


class _CellError(ValueError):
    """A refused cell value; the message is the Swedish text after "Rad N, kolumn X: "."""


# --- cleaning and showing values ------------------------------------------------------------------------------


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value).replace(".", ",")


def _cell_text(value: object) -> str:
    """Any cell (CSV text or an openpyxl value) as cleaned text; None is ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "SANT" if value else "FALSKT"
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d" if value.time() == time() else "%Y-%m-%d %H:%M")
    if isinstance(value, date | time):
        return value.isoformat()
    return clean_text(str(value))


def _show(value: object) -> str:
    """A refused value quoted for a message, cut at 40 characters and kept on one line."""
    text = " ".join(_cell_text(value).split())
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


# --- cell parsers: each returns the value or raises _CellError -------------------------------------------------


def parse_date(value: object, year: int) -> date:
    """A datum cell as a date in ``year``."""
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, str) and (match := _DATE_TEXT.fullmatch(clean_text(value))):
        day = _date_from_match(match, value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        raise _CellError(f"{_show(value)} är ett tal, inget datum. Formatera cellen som datum eller skriv ÅÅÅÅ-MM-DD.")
    else:
        raise _CellError(f"{_show(value)} är inget datum. Skriv datum som ÅÅÅÅ-MM-DD, t.ex. {year}-05-14.")
    if day.year != year:
        raise _CellError(f"{day.isoformat()} ligger utanför löftets år {year}.")
    return day


def _date_from_match(match: re.Match[str], raw: str) -> date:
    y, m, d, hh, mm, ss = (int(part) if part else 0 for part in match.groups())
    try:
        day = date(y, m, d)
    except ValueError:
        raise _CellError(f"{_show(raw)} är inget giltigt datum: dagen finns inte i kalendern.") from None
    if hh > 23 or mm > 59 or ss > 59:
        raise _CellError(f"{_show(raw)} har ett ogiltigt klockslag. Skriv ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DD TT:MM.")
    return day


def _whole_number(value: object) -> int | None:
    """The whole number in a cell ("12", "1 000", 12, 12.0), or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = clean_text(str(value)).replace("\u2212", "-")
    return int(re.sub(r"[ \u00a0\u202f]", "", text)) if _INT_TEXT.fullmatch(text) else None


def parse_count(value: object) -> int:
    """An antal cell as an int in 0..MAX_COUNT."""
    number = _whole_number(value)
    hint = "Ange ett heltal som är 0 eller större."
    if number is None:
        raise _CellError(f"{_show(value)} är inte ett heltal. {hint}")
    if number < 0:
        raise _CellError(f"{_show(value)} är mindre än 0. {hint}")
    if number > MAX_COUNT:
        raise _CellError(
            f"{_show(value)} är för stort. Högst {number_text(MAX_COUNT)} per rad; dela upp på flera rader."
        )
    return number


def parse_commitment_id(value: object, commitment_ids: Collection[int]) -> int:
    """An åtagande_id cell as one of the promise's commitment ids."""
    number = _whole_number(value)
    if number is None:
        raise _CellError(f"{_show(value)} är inget åtagande-id. Ange id-numret från fliken Åtaganden i mallen.")
    if number not in commitment_ids:
        known = ", ".join(str(i) for i in sorted(commitment_ids)[:15]) or "inga"
        more = " …" if len(commitment_ids) > 15 else ""
        raise _CellError(f"{number} är ett okänt åtagande i det här löftet. Giltiga id: {known}{more}.")
    return number


def parse_text(value: object, column: str) -> str:
    """A free-text cell, cleaned and within the column's length limit."""
    text = _cell_text(value)
    limit = TEXT_LIMITS[column]
    if len(text) > limit:
        raise _CellError(f"texten är {len(text)} tecken lång; högst {limit} tecken är tillåtet.")
    return text


# --- reading the file into numbered rows of raw cells ----------------------------------------------------------


def _mixed_encodings(data: bytes) -> None:
    """Refuse a file whose lines are partly UTF-8 and partly another encoding (pasted together from two
    sources): decoding it either way would store mojibake ("KungsÃ¶r") without anyone noticing."""
    utf8_line = other_line = None
    for number, line in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), 1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            other_line = other_line or number
            text = ""
        # Only letters like å, ä, ö, é count as UTF-8 evidence: two Latin-1 bytes can form a valid UTF-8 pair too
        if any("\u00c0" <= ch <= "\u00ff" for ch in text):
            utf8_line = utf8_line or number
        if utf8_line and other_line:
            raise ImportFileError(
                f"Filen blandar teckenkodningar: rad {utf8_line} är UTF-8 men rad {other_line} är det inte (t.ex. "
                "Windows-1252). Spara hela filen på nytt som CSV UTF-8 och ladda upp den igen.",
                line=max(utf8_line, other_line),
            )


def decode_csv(data: bytes) -> str:
    """CSV text: UTF-8 (BOM or not), else Windows-1252, else ISO-8859-1 (which decodes anything); a file that
    mixes UTF-8 lines with lines in another encoding is refused."""
    _mixed_encodings(data)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("iso-8859-1")


def sniff_separator(text: str) -> str:
    """``;`` or ``,``: whichever the header line has more of (``;`` on a tie, as Swedish Excel writes)."""
    header = text.split("\n", 1)[0]
    return "," if header.count(",") > header.count(";") else ";"


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[object]]]:
    text = decode_csv(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_separator(text))
    number = 0
    try:
        for number, cells in enumerate(reader, 1):
            yield number, list(cells)
    except csv.Error:
        raise ImportFileError(
            'Raden gick inte att läsa som CSV: ett fält är för långt eller ett citattecken (") saknar slut.',
            line=number + 1,
        ) from None


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[object]]]:
    number = 0
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises zip, XML, key and type errors for files that are not xlsx
        raise ImportFileError(_UNREADABLE_XLSX) from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers store a wrong size; read every row that is there
        for number, cells in enumerate(sheet.iter_rows(values_only=True), 1):
            yield number, list(cells)
    except Exception:  # a damaged sheet inside a readable zip fails only while its rows are read
        raise ImportFileError(_UNREADABLE_XLSX, line=number + 1) from None
    finally:
        book.close()


def _file_rows(data: bytes, filename: str) -> Iterator[tuple[int, list[object]]]:
    """Numbered rows (header = 1) of raw cells; refuses what is too big, empty or of an unknown type."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(f"Filen är större än {MAX_FILE_BYTES // 1024 // 1024} MB. Dela upp den i flera filer.")
    if not data.strip(b" \t\r\n\x00").removeprefix(b"\xef\xbb\xbf").strip():
        raise ImportFileError("Filen är tom. Utgå från mallen: en rubrikrad och en rad per aktivitet.")
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(data)
    if suffix == ".csv":
        if data.startswith(b"PK\x03\x04") and zipfile.is_zipfile(io.BytesIO(data)):
            raise ImportFileError(
                "Filen heter .csv men är en Excel-fil. Byt filändelse till .xlsx eller spara som CSV."
            )
        return _csv_rows(data)
    if suffix == ".xls":
        raise ImportFileError("Det gamla Excel-formatet .xls stöds inte. Spara filen som .xlsx eller CSV.")
    raise ImportFileError(
        f"Filtypen '{suffix or filename}' stöds inte. Ladda upp en CSV-fil (.csv) eller Excel-fil (.xlsx)."
    )


# --- header and rows -------------------------------------------------------------------------------------------


def column_key(name: object) -> str | None:
    """The template column a header cell names ("Åtagande id" -> "åtagande_id"), None for any other header."""
    key = re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFC", _cell_text(name)).casefold().translate(_FOLD))
    return _HEADER_KEYS.get(key)


def map_header(cells: Sequence[object]) -> dict[str, int]:
    """Template column -> cell index, from the header row; refuses missing required or repeated columns."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = column_key(cell)
        if key in positions:
            raise ImportFileError(f"Kolumnen {key} finns flera gånger i rubrikraden. Ta bort den ena.", line=1)
        if key is not None:
            positions[key] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in positions]
    if missing:
        found = ", ".join(text for cell in cells[:12] if (text := " ".join(_cell_text(cell).split()))) or "inga"
        noun = f"kolumnen {missing[0]}" if len(missing) == 1 else f"kolumnerna {', '.join(missing)}"
        raise ImportFileError(
            f"Rubrikraden saknar {noun}. Första raden ska innehålla {', '.join(REQUIRED_COLUMNS)} "
            f"(och gärna plats, anteckning, rapporterad_av), som i mallen. Hittade: {found[:200]}.",
            line=1,
        )
    return positions


def _pick(cells: Sequence[object], positions: Mapping[str, int]) -> dict[str, object]:
    """The row's raw value per known column; a short row's missing cells are None."""
    return {name: cells[index] if index < len(cells) else None for name, index in positions.items()}


def _is_empty(value: object) -> bool:
    return _cell_text(value) == ""


def _parse_row(
    number: int, cells: dict[str, object], *, year: int, commitment_ids: Collection[int], problems: _Problems
) -> ActivityRow | None:
    """One data row as an ActivityRow, or None when any of its cells was refused (added to ``problems``)."""
    parsers = {
        "datum": lambda v: parse_date(v, year),
        "åtagande_id": lambda v: parse_commitment_id(v, commitment_ids),
        "antal": parse_count,
    }
    values: dict[str, Any] = {}
    for column in _ROW_FIELDS:
        raw = cells.get(column)
        try:
            if column in parsers and _is_empty(raw):
                raise _CellError("värde saknas.")
            values[_ROW_FIELDS[column]] = parsers[column](raw) if column in parsers else parse_text(raw, column)
        except _CellError as refused:
            problems.add(number, column, str(refused))
    if len(values) < len(_ROW_FIELDS):
        return None
    return cast(ActivityRow, {key: values[key] for key in _ROW_KEYS})


def parse_activities(data: bytes, *, filename: str, year: int, commitment_ids: Collection[int]) -> ActivityImport:
    """Every activity row of a CSV or xlsx import file, validated for the promise of ``year`` with the given
    commitment ids; raises one ImportFileError (``line`` = first bad row) listing all problems, returning nothing."""
    ids = frozenset(commitment_ids)
    rows_in_file = _file_rows(data, filename)
    _, header = next(rows_in_file, (1, []))
    positions = map_header(header)
    problems, rows, skipped, seen = _Problems(), [], 0, 0
    for number, cells in rows_in_file:
        if number > MAX_SHEET_ROWS:
            raise ImportFileError(
                f"Filen har fler än {number_text(MAX_SHEET_ROWS)} rader, tomma medräknade.", line=number
            )
        if all(_is_empty(cell) for cell in cells):
            continue
        seen += 1
        if seen > MAX_ROWS:
            raise ImportFileError(
                f"Filen har fler än {number_text(MAX_ROWS)} rader med aktiviteter. Dela upp den i flera filer.",
                line=number,
            )
        picked = _pick(cells, positions)
        if all(_is_empty(picked.get(column)) for column in _CONTENT_COLUMNS):
            skipped += 1
            continue
        row = _parse_row(number, picked, year=year, commitment_ids=ids, problems=problems)
        if row is not None:
            rows.append(row)
    if problems.total:
        raise problems.error()
    if not rows:
        raise ImportFileError(_nothing_to_import(skipped))
    return ActivityImport(rows=rows, skipped_empty=skipped)


def _nothing_to_import(skipped: int) -> str:
    if not skipped:
        return "Filen innehåller inga aktiviteter, bara en rubrikrad. Lägg till en rad per aktivitet."
    rows = "1 rad" if skipped == 1 else f"{skipped} rader"
    return (
        f"Filen innehåller inga aktiviteter att importera: {rows} utan datum och antal hoppades över. "
        "Fyll i datum och antal för det som har gjorts."
    )


# --- templates and writing -------------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(clean_text(text).split())


def _csv_bytes(records: Iterable[Sequence[object]]) -> bytes:
    """``;``-separated, CRLF, UTF-8 with BOM: what Swedish Excel opens correctly with a double click."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerows(records)
    return buffer.getvalue().encode("utf-8-sig")


def template_csv(commitments: Sequence[tuple[int, str]], year: int) -> bytes:
    """The CSV template: the header and one row per commitment (id and text) with datum and antal empty, so an
    untouched row is skipped on import. ``year`` is taken for symmetry with ``template_xlsx``; a CSV file has no
    place for it that would not be read back as data."""
    del year
    return _csv_bytes(("", cid, defuse_formula(_one_line(text)), "", "", "", "") for cid, text in commitments)


def _header(sheet: Any, names: Sequence[str], widths: Mapping[str, int]) -> None:
    sheet.append(list(names))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = widths.get(str(cell.value), 16)
    sheet.freeze_panes = "A2"


def _text_cell(sheet: Any, row: int, column: int, text: str) -> None:
    """Writes text that openpyxl must not turn into a formula even when it starts with '='."""
    cell = sheet.cell(row=row, column=column, value=text)
    cell.data_type = "s"


def _validations(sheet: Any, year: int, count: int) -> None:
    """Excel-side checks that mirror the parser: a date in ``year``, antal 0..MAX_COUNT, a listed åtagande_id."""
    last = MAX_ROWS + 1
    rules = [
        (
            DataValidation(
                type="date", operator="between", formula1=f"DATE({year},1,1)", formula2=f"DATE({year},12,31)"
            ),
            f"A2:A{last}",
            f"Skriv datum som ÅÅÅÅ-MM-DD, inom {year}.",
        ),
        (
            DataValidation(type="whole", operator="between", formula1="0", formula2=str(MAX_COUNT)),
            f"D2:D{last}",
            f"Ett heltal från 0 till {MAX_COUNT}.",
        ),
    ]
    if count:
        rule = DataValidation(type="list", formula1=f"'{COMMITMENT_SHEET}'!$A$2:$A${count + 1}")
        rules.append((rule, f"B2:B{last}", "Ett id från fliken Åtaganden."))
    for rule, cells, prompt in rules:
        rule.error, rule.errorTitle, rule.prompt = prompt, "Ogiltigt värde", prompt
        rule.showErrorMessage = rule.showInputMessage = True
        rule.allow_blank = True
        rule.add(cells)
        sheet.add_data_validation(rule)


def template_xlsx(commitments: Sequence[tuple[int, str]], year: int) -> bytes:
    """The Excel template: sheet "Aktiviteter" (one row per commitment, datum and antal empty, bold header,
    Excel validation for the year and the limits) and sheet "Åtaganden" listing every id and text."""
    book = Workbook()
    sheet = book.active
    sheet.title = ACTIVITY_SHEET
    _header(sheet, TEMPLATE_COLUMNS, _TEMPLATE_WIDTHS)
    for row, (cid, text) in enumerate(commitments, 2):
        sheet.cell(row=row, column=1).number_format = "yyyy-mm-dd"
        sheet.cell(row=row, column=2, value=cid)
        _text_cell(sheet, row, 3, _one_line(text))
    _validations(sheet, year, len(commitments))
    listing = book.create_sheet(COMMITMENT_SHEET)
    _header(listing, ("åtagande_id", "åtagande"), {"åtagande_id": 13, "åtagande": 80})
    for row, (cid, text) in enumerate(commitments, 2):
        listing.cell(row=row, column=1, value=cid)
        _text_cell(listing, row, 2, _one_line(text))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
