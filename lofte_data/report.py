"""Tertial follow-up report as PDF (core): the document a kommun attaches to the minutes of its lokala BRÅ
meeting, built from the database through the core functions and drawn with fpdf2 (A4, Swedish).

``build_report(store, kommun_code=..., year=..., tertial=...)`` returns the PDF as bytes. The report covers
1 January through the end of the chosen tertial, or through ``today`` when that is earlier
(``followup.assessment_date``); statuses are judged on that last day by ``followup.follow_up_table``, the same
function the page, the slides and the CSV export use, so a T3 report of a finished year matches them.
Content, in order: title block, the promise, each fokusområde with its follow-up table and comments, a status
summary, reported crime (Brå) with a bar chart drawn natively, police events
(händelser) in the period, and every source with the date it was loaded.

All text is printed as plain text (never markup) in DejaVu Sans, shipped with the package in ``lofte_data/fonts``
(open licence in LICENSE-DejaVu.txt), so "−", "≈", "…" and names such as "Łódź" print as written.
Tables repeat their header row after a page break and a row is never split, unless a single row is taller
than a whole page: then it continues on the next page, marked "(forts.)", so no text is ever cut off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from numbers import Integral
from pathlib import Path

import pandas as pd
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from lofte_data import analysis, audit, followup, formats, incidents, palette, tables, trends
from lofte_data.crime_types import label as crime_label
from lofte_data.errors import InputError
from lofte_data.models import Commitment, FocusArea, Kommun, Promise, SourceDocument
from lofte_data.storage import Store

FONT_DIR = Path(__file__).parent / "fonts"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
FACE = "DejaVuSans"

MARGIN = 15.0  # mm on every side
PAGE_W, PAGE_H = 210.0, 297.0
CONTENT_W = PAGE_W - 2 * MARGIN
HEADER_H = 9.0  # the running header of page 2 on takes this much below the top margin
FOOTER_H = 8.0  # the page number sits in this band above the bottom margin
PT = 25.4 / 72  # one point in mm

BODY_PT, SMALL_PT, TABLE_PT, HEAD_PT, NOTE_PT = 10.0, 8.0, 9.0, 8.0, 8.0
CELL_PAD = 1.2
INK, GREY, RULE, HEAD_FILL = (20, 20, 20), (95, 95, 95), (175, 175, 175), (229, 233, 240)
ACCENT, BAR, BAR_LIGHT = (22, 60, 110), (46, 94, 150), (160, 186, 216)
STATUS_COLOURS = {status: palette.rgb(colour) for status, colour in palette.STATUS_COLOURS.items()}
MONTHS = formats.MONTHS_SHORT
TOTAL = "totalt"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


# -- text safety ---------------------------------------------------------------------------------------------


def _plain(text: object) -> str:
    """Any value as printable text: newlines kept, tabs as spaces, control characters and stray surrogates dropped."""
    value = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", value)


def font_files() -> tuple[Path, Path]:
    """DejaVuSans regular and bold, shipped in ``lofte_data/fonts`` (licence in LICENSE-DejaVu.txt)."""
    regular, bold = (FONT_DIR / name for name in FONT_FILES)
    return regular, bold


# -- what the report shows -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    align: str = "L"


@dataclass(frozen=True)
class Piece:
    """A run of text in a table cell, on its own line(s)."""

    text: str
    size: float = TABLE_PT
    bold: bool = False
    colour: tuple[int, int, int] = INK


Cell = str | tuple[Piece, ...]


@dataclass(frozen=True)
class _Line:
    text: str
    size: float
    bold: bool
    colour: tuple[int, int, int]

    @property
    def height(self) -> float:
        return line_height(self.size)


def line_height(size: float) -> float:
    return size * PT * 1.32


@dataclass(frozen=True)
class Scope:
    """Who and what the report is about, and the period it covers."""

    kommun: Kommun
    promise: Promise
    year: int
    tertial: int
    start: date
    end: date  # last day covered, inclusive; statuses are judged on it
    tertial_end: date
    today: date

    @property
    def title(self) -> str:
        return f"Uppföljning av medborgarlöfte {self.year}, tertial {self.tertial}"

    @property
    def period_text(self) -> str:
        return f"{self.start.day} {MONTHS[self.start.month - 1]} – {formats.day(self.end)}"

    @property
    def tertials(self) -> str:
        return "T1" if self.tertial == 1 else f"T1–T{self.tertial}"


def report_scope(store: Store, *, kommun_code: str, year: int, tertial: int, today: date) -> Scope:
    """Check the choices and find the kommun, the promise and the period; InputError in Swedish otherwise."""
    kommun = store.kommun(str(kommun_code))
    if kommun is None or kommun.kind != "K":
        raise InputError(f"Okänd kommunkod {str(kommun_code)!r}. Ange en fyrsiffrig kommunkod, t.ex. 1960.")
    if isinstance(tertial, bool) or not isinstance(tertial, Integral) or tertial not in followup.TERTIALS:
        raise InputError(f"Tertial måste vara 1, 2 eller 3, inte {tertial!r}.")
    if isinstance(year, bool) or not isinstance(year, Integral) or not 1900 <= year <= 2100:
        raise InputError(f"Året måste vara ett årtal som 2023, inte {year!r}.")
    year = int(year)
    today = today.date() if isinstance(today, datetime) else today
    years = store.promise_years(kommun.code)  # live promises only: a deleted one is not reported
    promise = store.promise(kommun.code, year) if year in years else None
    if promise is None:
        years = ", ".join(str(y) for y in years) or "inga"
        raise InputError(
            f"Det finns inget medborgarlöfte för {kommun.name} {year}. Registrerade år för {kommun.name}: {years}."
        )
    start, tertial_end = date(year, 1, 1), followup.tertial_bounds(year, tertial)[1]
    if today < start:
        raise InputError(
            f"Året {year} har inte börjat (i dag är det {formats.day(today)}); rapporten kan tas fram från "
            f"{formats.day(start)}."
        )
    end = followup.assessment_date(year, today, tertial=tertial)
    return Scope(kommun, promise, year, tertial, start, end, tertial_end, today)


def build_report(store: Store, *, kommun_code: str, year: int, tertial: int, today: date | None = None) -> bytes:
    """The tertial follow-up report of a kommun's promise as a PDF (A4, Swedish).

    Raises InputError (Swedish message) for an unknown kommun, a tertial outside 1..3, a year that has
    not begun, or no promise for the kommun and year."""
    scope = report_scope(store, kommun_code=kommun_code, year=year, tertial=tertial, today=today or date.today())
    pdf = ReportPDF(scope)
    pdf.add_page()
    _title_block(pdf, scope)
    _promise_section(pdf, scope, store)
    statuses = _focus_area_sections(pdf, scope, store)
    _status_summary(pdf, scope, statuses)
    crime_sources = _crime_section(pdf, scope, store)
    _events_section(pdf, scope, store)
    _sources_section(pdf, scope, store, crime_sources)
    return bytes(pdf.output())


# -- the PDF with its page furniture and drawing helpers ---------------------------------------------------------


class ReportPDF(FPDF):
    """A4 portrait, 15 mm margins, running header from page 2 and "Sida n av m" in the footer."""

    def __init__(self, scope: Scope) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.scope = scope
        self.c_margin = 0  # cells are padded explicitly
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + FOOTER_H)
        regular, bold = font_files()
        self.add_font(FACE, "", str(regular))
        self.add_font(FACE, "B", str(bold))
        self.glyphs = frozenset(self.fonts[FACE.lower()].cmap) & frozenset(self.fonts[f"{FACE.lower()}B"].cmap)
        self.set_title(self.clean(f"{scope.title} – {scope.kommun.name}"))
        self.set_author(self.clean(f"{scope.kommun.name}: kommunen och Polisen"))
        self.set_creator("lofte_data")
        self.set_lang("sv-SE")
        self.font(BODY_PT)

    # text and fonts
    def clean(self, text: object) -> str:
        """Text the font can print: characters DejaVu Sans lacks (e.g. CJK) become "?"."""
        return "".join(c if c == "\n" or ord(c) in self.glyphs else "?" for c in _plain(text))

    def font(self, size: float, *, bold: bool = False, colour: tuple[int, int, int] = INK) -> None:
        self.set_font(FACE, "B" if bold else "", size)
        self.set_text_color(*colour)

    @property
    def top(self) -> float:
        """Where content starts on a page after the first."""
        return MARGIN + HEADER_H

    def header(self) -> None:
        if self.page_no() == 1:
            return
        scope = self.scope
        self.font(SMALL_PT, colour=GREY)
        self.set_xy(MARGIN, MARGIN)
        self.cell(
            CONTENT_W / 2, 4, self.clean(f"{scope.kommun.name} ({scope.kommun.code}) · Medborgarlöfte {scope.year}")
        )
        self.cell(CONTENT_W / 2, 4, self.clean(f"Uppföljning tertial {scope.tertial}"), align="R")
        self.set_draw_color(*RULE)
        self.line(MARGIN, MARGIN + 5, PAGE_W - MARGIN, MARGIN + 5)
        self.set_y(self.top)
        self.font(BODY_PT)

    def footer(self) -> None:
        self.font(SMALL_PT, colour=GREY)
        y = PAGE_H - MARGIN - 4
        self.set_draw_color(*RULE)
        self.line(MARGIN, y - 1.5, PAGE_W - MARGIN, y - 1.5)
        self.set_xy(MARGIN, y)
        # The page number is left-aligned: the total is filled in at the end and would shift right-aligned text.
        self.cell(CONTENT_W / 2, 4, f"Sida {self.page_no()} av {{nb}}")
        self.cell(CONTENT_W / 2, 4, self.clean(f"Framtagen {formats.day(self.scope.today)}"), align="R")

    # flow
    def need(self, height: float) -> None:
        """Start a new page unless ``height`` mm fit below the current position (keeps blocks together)."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def heading(self, text: str, level: int = 1, *, keep: float | None = None) -> None:
        """A heading kept on the page with at least ``keep`` mm of what follows it."""
        size, space, default_keep = {1: (14.0, 5.0, 40.0), 2: (12.0, 4.0, 35.0), 3: (10.5, 2.0, 18.0)}[level]
        if self.get_y() > self.top + 1:
            self.ln(space)
        self.need(keep or default_keep)
        self.font(size, bold=True, colour=ACCENT if level < 3 else INK)
        self.multi_cell(0, line_height(size), self.clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if level == 1:
            self.set_draw_color(*ACCENT)
            self.line(MARGIN, self.get_y() + 0.6, PAGE_W - MARGIN, self.get_y() + 0.6)
            self.ln(2.2)
        else:
            self.ln(1)
        self.font(BODY_PT)

    def paragraph(
        self,
        text: str,
        *,
        size: float = BODY_PT,
        bold: bool = False,
        colour: tuple[int, int, int] = INK,
        after: float = 1.5,
    ) -> None:
        self.font(size, bold=bold, colour=colour)
        text, height = self.clean(text), line_height(size)
        lines = self.multi_cell(CONTENT_W, height, text, dry_run=True, output=MethodReturnValue.LINES)
        if len(lines) <= 4:  # a short paragraph is kept on one page
            self.need(height * len(lines))
        self.set_x(MARGIN)
        self.multi_cell(CONTENT_W, height, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(after)
        self.font(BODY_PT)

    def labelled(self, label: str, text: str, *, size: float = BODY_PT, after: float = 1.5) -> None:
        """ "Label: text" with the label in bold, wrapping as one paragraph."""
        height = line_height(size)
        self.set_x(MARGIN)
        self.font(size, bold=True)
        self.write(height, self.clean(f"{label}: "))
        self.font(size)
        self.write(height, self.clean(text))
        self.ln(height + after)

    def bullets(self, items: Iterable[str], *, size: float = BODY_PT) -> None:
        height = line_height(size)
        for item in items:
            self.font(size)
            lines = self.multi_cell(
                CONTENT_W - 5, height, self.clean(item), dry_run=True, output=MethodReturnValue.LINES
            )
            self.need(height * min(len(lines), 3))
            self.set_x(MARGIN)
            self.cell(5, height, self.clean("•"))
            self.multi_cell(CONTENT_W - 5, height, self.clean(item), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(0.8)
        self.ln(1)

    # tables
    def _lines(self, cell: Cell, width: float) -> list[_Line]:
        pieces = (Piece(cell),) if isinstance(cell, str) else cell
        lines: list[_Line] = []
        for piece in pieces:
            text = self.clean(piece.text)
            if not text:
                continue
            self.font(piece.size, bold=piece.bold)
            wrapped = self.multi_cell(
                width - 2 * CELL_PAD, line_height(piece.size), text, dry_run=True, output=MethodReturnValue.LINES
            )
            lines += [_Line(t, piece.size, piece.bold, piece.colour) for t in wrapped]
        return lines

    @staticmethod
    def _height(cells: Sequence[list[_Line]]) -> float:
        return max((sum(line.height for line in lines) for lines in cells), default=0) + 2 * CELL_PAD

    def _draw_row(self, columns: Sequence[Column], cells: Sequence[list[_Line]], *, fill: bool = False) -> None:
        height, x, y = self._height(cells), MARGIN, self.get_y()
        self.set_auto_page_break(False)
        self.set_draw_color(*RULE)
        self.set_fill_color(*HEAD_FILL)
        self.set_line_width(0.2)
        for column, lines in zip(columns, cells, strict=True):
            self.rect(x, y, column.width, height, style="DF" if fill else "D")
            line_y = y + CELL_PAD
            for line in lines:
                self.font(line.size, bold=line.bold, colour=line.colour)
                self.set_xy(x + CELL_PAD, line_y)
                self.cell(column.width - 2 * CELL_PAD, line.height, line.text, align=column.align)
                line_y += line.height
            x += column.width
        self.set_auto_page_break(True, margin=MARGIN + FOOTER_H)
        self.set_xy(MARGIN, y + height)
        self.font(BODY_PT)

    def bordered_table(self, columns: Sequence[Column], rows: Iterable[Sequence[Cell]]) -> None:
        """A bordered table: the header row is repeated after every page break, rows are kept whole."""
        head = [self._lines((Piece(c.header, HEAD_PT, bold=True),), c.width) for c in columns]
        body = [[self._lines(cell, c.width) for c, cell in zip(columns, row, strict=True)] for row in rows]
        start = sum(self._height(cells) for cells in body[:3])  # the header with up to three rows, if they fit
        self.need(self._height(head) + min(start, 60))
        self._draw_row(columns, head, fill=True)
        for cells in body:
            self._place_row(columns, head, cells)
        self.ln(2.5)

    def _place_row(self, columns: Sequence[Column], head: list[list[_Line]], cells: list[list[_Line]]) -> None:
        room_on_fresh_page = self.page_break_trigger - self.top - self._height(head)
        while True:
            height = self._height(cells)
            room = self.page_break_trigger - self.get_y()
            if height <= room + 0.01:
                self._draw_row(columns, cells)
                return
            if height <= room_on_fresh_page or room < 25:
                self._next_table_page(columns, head)
                continue
            # Taller than a whole page: fill this page, continue the rest (marked) on the next.
            now, rest = _split_cells(cells, room - 2 * CELL_PAD)
            self._draw_row(columns, now)
            marker = _Line("(forts.)", NOTE_PT, False, GREY)
            cells = [[marker, *lines] if lines else [] for lines in rest]
            self._next_table_page(columns, head)

    def _next_table_page(self, columns: Sequence[Column], head: list[list[_Line]]) -> None:
        self.add_page()
        self._draw_row(columns, head, fill=True)


def _split_cells(cells: list[list[_Line]], room: float) -> tuple[list[list[_Line]], list[list[_Line]]]:
    """Each cell's lines that fit in ``room`` mm, and the rest."""
    now, rest = [], []
    for lines in cells:
        used, cut = 0.0, 0
        while cut < len(lines) and used + lines[cut].height <= room:
            used += lines[cut].height
            cut += 1
        now.append(lines[:cut])
        rest.append(lines[cut:])
    return now, rest


# -- sections ------------------------------------------------------------------------------------------------------


def _title_block(pdf: ReportPDF, scope: Scope) -> None:
    kommun = scope.kommun
    pdf.paragraph("Underlag till lokala BRÅ · kommun och lokalpolis", size=SMALL_PT, colour=GREY, after=1)
    pdf.font(18, bold=True, colour=ACCENT)
    pdf.multi_cell(0, line_height(18), pdf.clean(scope.title), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.paragraph(f"{kommun.name} · kommunen och Polisen", size=13, bold=True, after=3)
    police = kommun.police_area or "uppgift saknas"
    if kommun.police_area and kommun.police_region:
        police += f" (polisregion {kommun.police_region})"
    period = scope.period_text
    if scope.end < scope.tertial_end:
        period += f" (tertialet pågår; t.o.m. i dag, tertialet slutar {formats.day(scope.tertial_end)})"
    facts = [
        ("Kommun", f"{kommun.name} (kommunkod {kommun.code}), {kommun.lan_name}"),
        ("Lokalpolisområde", police),
        ("Period", period),
        ("Status bedömd", formats.day(scope.end)),
        ("Framtagen", formats.day(scope.today)),
    ]
    for key, value in facts:
        pdf.font(BODY_PT, bold=True)
        pdf.set_x(MARGIN)
        pdf.cell(40, line_height(BODY_PT), pdf.clean(key))
        pdf.font(BODY_PT)
        pdf.multi_cell(
            CONTENT_W - 40, line_height(BODY_PT), pdf.clean(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.ln(0.6)
    pdf.ln(2)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.5)
    pdf.line(MARGIN, pdf.get_y(), PAGE_W - MARGIN, pdf.get_y())
    pdf.set_line_width(0.2)
    pdf.ln(2)


def _promise_section(pdf: ReportPDF, scope: Scope, store: Store) -> None:
    promise = scope.promise
    pdf.heading("Medborgarlöftet")
    pdf.paragraph(promise.title, size=12, bold=True)
    if promise.summary:
        pdf.paragraph(promise.summary)
    if promise.signed_date:
        pdf.labelled("Undertecknat", formats.day(promise.signed_date))
    if promise.signatories:
        pdf.labelled("Undertecknat av", "; ".join(promise.signatories))
    if promise.follow_ups_per_year:
        pdf.labelled("Uppföljning", f"{formats.count(promise.follow_ups_per_year, 'gång', 'gånger')} per år")
    document = store.source_documents().get(promise.source_key or "")
    pdf.labelled("Källdokument", _document_text(document) if document else "registrerat i appen (inget källdokument)")
    areas = ", ".join(a.name for a in promise.focus_areas) or "inga registrerade"
    pdf.labelled("Fokusområden", areas)


def _document_text(document: SourceDocument) -> str:
    details = ", ".join(str(v) for v in (document.publisher, document.published) if v)
    return f"{document.title} ({details})" if details else document.title


FOLLOW_UP_COLUMNS = (
    Column("Ansvar", 22),
    Column("Åtagande", 49),
    Column("Mål", 30),
    Column("T1", 9, "C"),
    Column("T2", 9, "C"),
    Column("T3", 9, "C"),
    Column("Ej fördelat", 16, "C"),
    Column("Totalt", 12.5, "C"),
    Column("Status", 23.5),
)


def _focus_area_sections(pdf: ReportPDF, scope: Scope, store: Store) -> dict[str, list[str]]:
    """One section per fokusområde; returns the statuses per area name for the summary."""
    promise = scope.promise
    activities = store.activities(promise.id)  # follow_up_table leaves out what is dated after scope.end
    ids = [c.id for a in promise.focus_areas for c in a.commitments]
    notes = audit.comments(store, ids) if ids else pd.DataFrame(columns=["commitment_id", "tertial"])
    notes = notes[notes["tertial"] <= scope.tertial]

    pdf.heading("Fokusområden och åtaganden")
    pdf.paragraph(
        f"T1–T3: antal utfört per tertial ({', '.join(followup.TERTIALS.values())}), räknat till och med "
        f'{formats.day(scope.end)}; "–" för tertial som inte har börjat. Ej fördelat: summeringar över flera '
        f"tertial, t.ex. en årsuppföljning. Status bedöms {formats.day(scope.end)}.",
        size=9,
        colour=GREY,
    )
    statuses: dict[str, list[str]] = {}
    if not promise.focus_areas:
        pdf.paragraph("Inga fokusområden är registrerade för löftet.")
    for number, area in enumerate(promise.focus_areas, start=1):
        statuses[area.name] = _focus_area(pdf, scope, number, area, activities, notes)
    return statuses


def _focus_area(
    pdf: ReportPDF, scope: Scope, number: int, area: FocusArea, activities: pd.DataFrame, notes: pd.DataFrame
) -> list[str]:
    pdf.heading(f"{number}. {area.name}", level=2)
    for label, text in tables.focus_area_facts(area):
        pdf.labelled(label, text)
    if area.crime_types:
        pdf.labelled("Brottstyper", ", ".join(crime_label(t) for t in area.crime_types), size=9)
    if not area.commitments:
        pdf.paragraph("Inga åtaganden är registrerade för fokusområdet.")
        return []
    table = followup.follow_up_table(area.commitments, activities, year=scope.year, on=scope.end)
    by_id = {c.id: c for c in area.commitments}
    pdf.ln(1)
    rows = [_follow_up_cells(row, by_id[row["commitment_id"]], scope) for row in table.to_dict("records")]
    pdf.bordered_table(FOLLOW_UP_COLUMNS, rows)
    _comments(pdf, scope, [by_id[i] for i in table["commitment_id"]], notes)
    return list(table["status"])


def _follow_up_cells(row: dict, commitment: Commitment, scope: Scope) -> list[Cell]:
    text: Cell = (Piece(commitment.text), Piece(commitment.note, NOTE_PT, colour=GREY))  # the note in small grey
    target = row["target"]
    if commitment.target_count is None and commitment.unit:
        target = f"{target} ({commitment.unit})"
    begun = {t: followup.tertial_bounds(scope.year, t)[0] <= scope.end for t in followup.TERTIALS}
    tallies = [_tally_cell(row, f"T{t}") if begun[t] else "–" for t in followup.TERTIALS]
    colour = STATUS_COLOURS.get(row["status"], INK)
    status = (Piece(row["status"], bold=True, colour=colour), Piece(row["note"], NOTE_PT, colour=GREY))
    total = _tally_cell(row, "total")
    total = (Piece(total, bold=True),) if isinstance(total, str) else total
    return [row["owner"], text, target, *tallies, _tally_cell(row, "ej_fordelat"), total, status]


NO_COUNT_CELL = "utan antal"


def _tally_cell(row: dict, column: str) -> Cell:
    """A tally as text; a cell holding only work done without a count says so instead of showing 0."""
    if row[column] == 0 and column in row["uncounted"]:
        return (Piece(NO_COUNT_CELL, NOTE_PT, colour=GREY),)
    return formats.number(row[column])


def _comments(pdf: ReportPDF, scope: Scope, commitments: list[Commitment], notes: pd.DataFrame) -> None:
    order = {c.id: i for i, c in enumerate(commitments)}
    texts = {c.id: c.text for c in commitments}
    mine = notes[notes["commitment_id"].isin(order)]
    pdf.heading(f"Kommentarer {scope.tertials}", level=3)
    if mine.empty:
        pdf.paragraph(f"Inga kommentarer är skrivna för {scope.tertials}.", size=9, colour=GREY)
        return
    mine = mine.assign(rank=mine["commitment_id"].map(order)).sort_values(["rank", "tertial"])
    for row in mine.itertuples():
        who = ", ".join(p for p in (_plain(row.author), formats.day(row.updated_at)) if p)
        pdf.labelled(f"T{row.tertial} · {_short(texts[row.commitment_id])}", f"{row.text} ({who})", size=9.5)


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _status_summary(pdf: ReportPDF, scope: Scope, statuses: dict[str, list[str]]) -> None:
    pdf.heading("Sammanfattning av status")
    columns = [
        Column("Fokusområde", 48),
        *(Column(s.capitalize(), 19, "C") for s in followup.STATUS_ORDER),
        Column("Totalt", 18, "C"),
    ]
    everything = [s for values in statuses.values() for s in values]
    rows = []
    for name, values in [*statuses.items(), ("Alla fokusområden", everything)]:
        counts = followup.summary(values)
        bold = name == "Alla fokusområden" and len(statuses) > 1
        cells = [formats.number(n) for n in counts.values()] + [formats.number(len(values))]
        rows.append([(Piece(name, bold=bold),), *((Piece(c, bold=bold),) for c in cells)])
    if len(statuses) == 1:
        rows = rows[:1]
    pdf.bordered_table(columns, rows)
    totals = followup.summary(everything)
    pdf.paragraph(
        "Läget "
        + formats.day(scope.end)
        + ": "
        + ", ".join(f"{status} {formats.number(n)}" for status, n in totals.items())
        + f" av {formats.count(len(everything), 'åtagande', 'åtaganden')}.",
        bold=True,
    )
    pdf.paragraph(
        "Uppnått: målet är nått. På väg: utfallet följer målet i takt med hur stor del av året som gått (för "
        "löpande åtaganden: minst en aktivitet med antal). Genomfört, antal saknas: källan säger att det gjorts men "
        "inte hur många gånger, så det går inte att jämföra med ett mål. Efter plan: under den takten. "
        "Ej påbörjad: inget registrerat ännu. Ingen uppgift: året är slut och inget är registrerat.",
        size=9,
        colour=GREY,
    )


# -- reported crime ----------------------------------------------------------------------------------------------


def figures_known_by(stats: pd.DataFrame, end: date) -> pd.DataFrame:
    """The figures that describe time up to ``end``: whole months and whole years that ended by then, and
    reported year-to-date figures of that year or earlier."""
    if stats.empty:
        return stats
    period = stats["period"].astype(str)
    year = stats["year"].astype(int)
    month = pd.to_numeric(period.str[1:].where(period.str.fullmatch(r"M\d\d")), errors="coerce")
    month_ends = [_month_end(y, int(m)) if pd.notna(m) else None for y, m in zip(year, month, strict=True)]
    whole_month = pd.Series([d is not None and d <= end for d in month_ends], index=stats.index)
    last_whole_year = end.year if (end.month, end.day) == (12, 31) else end.year - 1
    whole_year = (period == "year") & (year <= last_whole_year)
    ytd = (period == "ytd") & (year <= end.year)
    return stats[whole_month | whole_year | ytd]


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _crime_section(pdf: ReportPDF, scope: Scope, store: Store) -> set[str]:
    """Year-to-date per crime type, yearly totals and a bar chart; returns the sources of the figures shown."""
    code, name, year = scope.kommun.code, scope.kommun.name, scope.year
    pdf.heading("Anmälda brott")
    stats = figures_known_by(store.crime_stats([code]), scope.end)
    if stats.empty:
        pdf.paragraph(f"Det finns inga siffror om anmälda brott för {name} till och med {formats.day(scope.end)}.")
        return set()
    used: set[str] = set()
    monthly = stats[stats["period"].astype(str).str.fullmatch(r"M\d\d")]
    latest = int(monthly["year"].max()) if not monthly.empty else None
    if latest is not None:
        last_month = int(monthly.loc[monthly["year"] == latest, "period"].str[1:].astype(int).max())
        span = "jan" if last_month == 1 else f"jan–{MONTHS[last_month - 1]}"
        pdf.paragraph(f"Senaste månadssiffror: {span} {latest}.", bold=True, after=0.5)
        if latest < year:
            pdf.paragraph(
                f"Det finns inga månadssiffror från Brå för {year} i databasen; jämförelsen nedan är den senaste som "
                f"finns och gäller {latest}, inte {year}.",
                after=1,
            )
        used |= _year_on_year(pdf, stats, code, latest)
    else:
        pdf.paragraph(f"Det finns inga månadssiffror från Brå för {name}; därför ingen jämförelse per brottstyp.")
    if latest is None or latest < year:
        used |= _reported_year_to_date(pdf, stats, year)
        used |= _yearly_totals(pdf, stats, code, name)
    used |= _bar_chart(pdf, stats, code, name)
    return used


def _year_on_year(pdf: ReportPDF, stats: pd.DataFrame, code: str, latest: int) -> set[str]:
    table = trends.year_on_year_table(stats, latest, kommun_codes=[code])
    if table.empty:
        pdf.paragraph(f"Månadssiffror för {latest - 1} saknas, så {latest} kan inte jämföras med året innan.")
        return set()
    span = table["period_label"].iloc[0]
    if span == "helår":
        title = f"helåret {latest} jämfört med {latest - 1}"
    else:
        title = f"{span} {latest} jämfört med samma period {latest - 1}"
    pdf.heading(f"Per brottstyp: {title}", level=3, keep=55)
    pdf.paragraph(
        "Förändring är antalet i år minus antalet samma månader året före, och bedömningen prövar om skillnaden är "
        "större än slumpen (Poisson-z = 2(√nu − √före): under 2 inom normal variation, 2–3 möjlig förändring, över 3 "
        "tydlig ökning eller minskning); procent står inom parentes när underlaget är under 30.",
        size=9,
        colour=GREY,
    )
    view = tables.year_on_year(table, latest)
    columns = [
        Column("Brottstyp", 50),
        Column("Period", 19),
        Column(str(latest), 16, "R"),
        Column(str(latest - 1), 16, "R"),
        Column("Förändring", 21, "R"),
        Column("%", 17, "R"),
        Column("Bedömning", 41),
    ]
    pdf.bordered_table(columns, [[str(v) for v in row] for row in view.itertuples(index=False)])
    if table["surveillance"].any():
        pdf.paragraph(
            "Spaningsbrott (t.ex. trafik och narkotika) ökar ofta när polisen arbetar mer, inte för att "
            "brotten blir fler.",
            size=9,
            colour=GREY,
        )
    return set(table["source"].astype(str))


def _reported_year_to_date(pdf: ReportPDF, stats: pd.DataFrame, year: int) -> set[str]:
    """A year-to-date figure the kommun reported for the year (no monthly figures exist), when there is one."""
    comparison = analysis.year_to_date(stats, year)
    if comparison is None:
        return set()
    change = comparison.change
    pct = "" if change.percent is None else f", {formats.percent(change.percent)}"
    prel = " Preliminära siffror." if comparison.preliminary else ""
    pdf.labelled(
        f"Hittills {year} enligt rapporterad uppgift",
        f"{formats.number(change.current)} anmälda brott mot {formats.number(change.previous)} samma period "
        f"{year - 1} ({formats.signed(change.absolute)}{pct}): {change.verdict}. {comparison.label}.{prel}",
    )
    return {comparison.source}


def _yearly_rows(stats: pd.DataFrame, code: str) -> pd.DataFrame:
    yearly = trends.yearly_by_type(stats, kommun_codes=[code])
    return yearly[yearly["crime_type"] == TOTAL].sort_values("year", ignore_index=True)


def _yearly_totals(pdf: ReportPDF, stats: pd.DataFrame, code: str, name: str) -> set[str]:
    rows = _yearly_rows(stats, code)
    if rows.empty:
        return set()
    complete = rows[rows["complete"]]
    latest_year = int(complete["year"].max()) if not complete.empty else None
    pdf.heading(f"Anmälda brott per år, totalt, {name}", level=3, keep=45)
    if latest_year is not None:
        prel = " (preliminär)" if bool(complete.iloc[-1]["preliminary"]) else ""
        pdf.paragraph(f"Senaste årssiffra: {latest_year}{prel}.", size=9, colour=GREY)
    by_year = {int(r["year"]): r for r in rows.to_dict("records")}
    table_rows = []
    for year, row in by_year.items():
        before = by_year.get(year - 1)
        comparable = before is not None and row["complete"] and before["complete"]
        change = analysis.compare(int(row["count"]), int(before["count"])) if comparable else None
        notes = []
        if not row["complete"]:
            notes.append(trends.period_label(year, int(row["last_month"]), False))
        if row["preliminary"]:
            notes.append("preliminär")
        table_rows.append(
            [
                str(year),
                formats.number(int(row["count"])),
                formats.signed(change.absolute) if change else "–",
                formats.percent(change.percent) if change else "–",
                change.verdict if change else "–",
                "; ".join([*notes, str(row["source"])]),
            ]
        )
    columns = [
        Column("År", 16),
        Column("Antal", 20, "R"),
        Column("Förändring", 21, "R"),
        Column("%", 17, "R"),
        Column("Bedömning", 41),
        Column("Anmärkning och källa", 65),
    ]
    pdf.bordered_table(columns, table_rows)
    return set(rows["source"].astype(str))


def _bar_chart(pdf: ReportPDF, stats: pd.DataFrame, code: str, name: str) -> set[str]:
    """Total reported crime per year as bars (rectangles and text), missing years left as gaps."""
    rows = _yearly_rows(stats, code)
    if rows.empty:
        return set()
    last = int(rows["year"].max())
    years = list(range(max(int(rows["year"].min()), last - 11), last + 1))
    values = {int(r["year"]): r for r in rows.to_dict("records")}
    chart_h, top_pad, label_h = 48.0, 7.0, 9.0
    pdf.need(10 + top_pad + chart_h + label_h + 12)
    pdf.heading(f"Diagram: anmälda brott per år, totalt, {name}", level=3)
    x0, y0 = MARGIN + 2, pdf.get_y() + top_pad
    width = CONTENT_W - 4
    base = y0 + chart_h
    peak = max(int(r["count"]) for r in values.values() if int(r["year"]) in years) or 1
    slot = width / len(years)
    bar_w = min(slot * 0.62, 16)
    pdf.set_draw_color(*GREY)
    pdf.line(x0, base, x0 + width, base)
    light_used = False
    for i, year in enumerate(years):
        centre = x0 + slot * (i + 0.5)
        row = values.get(year)
        pdf.font(SMALL_PT, colour=INK)
        pdf.set_xy(centre - slot / 2, base + 1)
        pdf.cell(slot, 4, str(year), align="C")
        if row is None:
            pdf.font(SMALL_PT, colour=GREY)
            pdf.set_xy(centre - slot / 2, base - 5)
            pdf.cell(slot, 4, pdf.clean("saknas"), align="C")
            continue
        light = bool(row["preliminary"]) or not bool(row["complete"])
        light_used |= light
        height = chart_h * int(row["count"]) / peak
        pdf.set_fill_color(*(BAR_LIGHT if light else BAR))
        pdf.rect(centre - bar_w / 2, base - height, bar_w, height, style="F")
        pdf.font(SMALL_PT, bold=True)
        pdf.set_xy(centre - slot / 2, base - height - 4.5)
        pdf.cell(slot, 4, pdf.clean(formats.number(int(row["count"]))), align="C")
        if not row["complete"]:
            pdf.font(7, colour=GREY)
            pdf.set_xy(centre - slot / 2, base + 4.5)
            pdf.cell(slot, 3.5, pdf.clean(f"t.o.m. {MONTHS[int(row['last_month']) - 1]}"), align="C")
    pdf.set_xy(MARGIN, base + label_h)
    sources = sorted(set(rows.loc[rows["year"].isin(years), "source"].astype(str)))
    note = "Ljus stapel: preliminär siffra eller ofullständigt år. " if light_used else ""
    pdf.paragraph(f"{note}Källa: {', '.join(sources)}.", size=SMALL_PT, colour=GREY)
    return set(sources)


# -- police events -----------------------------------------------------------------------------------------------


def _events_section(pdf: ReportPDF, scope: Scope, store: Store) -> None:
    pdf.heading(f"Händelser {scope.period_text}")
    pdf.paragraph(
        "Polisens händelser är pressmeddelanden om enskilda händelser, inte statistik: de visar vad polisen har "
        "berättat om och räknas aldrig in i anmälda brott. Egna rapporter kommer från kommunens rapportörer.",
        size=9,
        colour=GREY,
    )
    everything = store.incidents(scope.kommun.code)
    chosen = everything
    if not everything.empty:
        everything = everything.assign(occurred_at=pd.to_datetime(everything["occurred_at"]))
        chosen = incidents.select(everything, incidents.Period(scope.start, scope.end))
    if chosen.empty:
        archive = store.dataset("polisen")
        known = f" Polisens arkiv i databasen: {archive['note']}." if archive and archive.get("note") else ""
        if not everything.empty:
            first, last = everything["occurred_at"].min(), everything["occurred_at"].max()
            known += f" Registrerade händelser för {scope.kommun.name}: {formats.day(first)} – {formats.day(last)}."
        pdf.paragraph(f"Inga händelser är registrerade för {scope.kommun.name} under perioden.{known}")
        return
    origins = chosen["origin"].map(incidents.ORIGINS).fillna(chosen["origin"]).value_counts()
    parts = ", ".join(f"{formats.number(n)} {str(origin).lower()}" for origin, n in origins.items())
    pdf.paragraph(f"{formats.count(len(chosen), 'händelse', 'händelser')} under perioden ({parts}).", bold=True)
    counts = chosen["category"].value_counts()
    ranked = sorted(counts.items(), key=lambda item: (-item[1], str(item[0]).casefold()))
    rows = [[str(category), formats.number(n)] for category, n in ranked[:8]]
    rest = sum(n for _, n in ranked[8:])
    if rest:
        rows.append([f"Övriga {len(ranked) - 8} kategorier", formats.number(rest)])
    pdf.heading("Vanligaste kategorierna", level=3, keep=35)
    pdf.bordered_table([Column("Kategori", 110), Column("Antal", 25, "R")], rows)
    if chosen["place"].fillna("").str.strip().ne("").any():
        spots = incidents.hot_spots(chosen, limit=5)
        pdf.heading("Platser med flest händelser", level=3, keep=35)
        rows = [[str(place), formats.number(int(n)), str(kind)] for place, n, kind in spots.itertuples(index=False)]
        pdf.bordered_table([Column("Plats", 80), Column("Händelser", 25, "R"), Column("Vanligaste typ", 55)], rows)
    watched = chosen[chosen["category"].isin(incidents.WATCH_DEFAULT)]
    slots = incidents.patrol_slots(watched)
    pdf.heading("Nattvandring och bevakning: tider med flest händelser", level=3)
    pdf.paragraph(
        "Veckodag och tretimmarsblock bland händelser som nattvandring och väktare kan påverka (t.ex. "
        "skadegörelse, stöld, misshandel, ordningsstörning).",
        size=9,
        colour=GREY,
    )
    if slots:
        pdf.bullets(slots)
    else:
        pdf.paragraph("Inga sådana händelser under perioden.")


# -- sources -------------------------------------------------------------------------------------------------


def _loaded(info: dict | None, *, note: bool = True) -> str:
    """ "Datamängd: <source>, <note>. Inläst 22 nov 2026." from a store.dataset row."""
    if not info:
        return "Inläsningsdatum saknas."
    detail = f", {info['note']}" if note and info.get("note") else ""
    return f"Datamängd: {info['source']}{detail}. Inläst {formats.day(info['loaded_at'])}."


def _sources_section(pdf: ReportPDF, scope: Scope, store: Store, crime_sources: set[str]) -> None:
    pdf.heading("Källor och datum")
    shown = f" Siffror i rapporten: {'; '.join(sorted(crime_sources))}." if crime_sources else ""
    items = [
        f"Källa: Brå (Brottsförebyggande rådet), anmälda brott. {_loaded(store.dataset('bra'))}{shown}",
        f"Källa: Polisen, händelser (polisen.se). {_loaded(store.dataset('polisen'))}",
    ]
    document = store.source_documents().get(scope.promise.source_key or "")
    if document is not None:
        url = f": {document.url}" if document.url else ""
        items.append(
            f"Källa: {_document_text(document)}, medborgarlöftets källdokument{url}. "
            f"{_loaded(store.dataset('standarddata'), note=False)}"
        )
    else:
        items.append("Källa: medborgarlöftet är registrerat i appen av en redaktör (inget källdokument).")
    items.append(
        "Aktiviteter och kommentarer: registrerade i appen av redaktörer eller hämtade ur källdokumentet; "
        f"varje ändring loggas. Läget är hämtat ur databasen {formats.day(scope.today)}."
    )
    pdf.bullets(items, size=9.5)
