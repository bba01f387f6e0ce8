"""Tertial follow-up report as PDF (core, layout): the document a kommun attaches to the minutes of its lokala
BRÅ meeting, drawn with fpdf2 (A4, Swedish) from ``report_data.report_data`` (what it shows, gathered and tested
without drawing).

``build_report(store, kommun_code=..., year=..., tertial=...)`` returns the PDF as bytes. The report covers
1 January through the end of the chosen tertial, or through ``today`` when that is earlier
(``followup.assessment_date``); statuses are judged on that last day by ``followup.follow_up_table``, the same
function the page, the slides and the CSV export use, so a T3 report of a finished year matches them.
Content, in order: title block, the promise, each fokusområde with its follow-up table, comments and a table of
its crime types and the activities year by year (promise years marked), a status summary, reported crime (the
latest year any source has per crime type against the year before, the report year's own months when Brå has
them, and a bar chart of the yearly totals drawn natively), police events (händelser) in the period, and every
source with the date it was loaded.

All text is printed as plain text (never markup) in DejaVu Sans, shipped with the package in ``lofte_data/fonts``
(open licence in LICENSE-DejaVu.txt), so "−", "≈", "…" and names such as "Łódź" print as written.
Tables repeat their header row after a page break and a row is never split, unless a single row is taller
than a whole page: then it continues on the next page, marked "(forts.)", so no text is ever cut off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from lofte_data import analysis, followup, formats, palette, tables
from lofte_data.crime_types import label as crime_label
from lofte_data.models import Commitment
from lofte_data.report_data import (
    CHART_YEARS,
    AreaData,
    Comment,
    CrimeData,
    EventsData,
    PromiseFacts,
    ReportData,
    Scope,
    SourceLine,
    Timeline,
    report_data,
)
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


def build_report(store: Store, *, kommun_code: str, year: int, tertial: int, today: date | None = None) -> bytes:
    """The tertial follow-up report of a kommun's promise as a PDF (A4, Swedish).

    Raises InputError (Swedish message) for an unknown kommun, a tertial outside 1..3, a year that has
    not begun, or no promise for the kommun and year."""
    data = report_data(store, kommun_code=kommun_code, year=year, tertial=tertial, today=today or date.today())
    return render(data)


def render(data: ReportData) -> bytes:
    """Lay out the report's data as a PDF, section by section in reading order."""
    scope = data.scope
    pdf = ReportPDF(scope)
    pdf.add_page()
    _title_block(pdf, scope)
    _promise_section(pdf, data.promise)
    _focus_area_sections(pdf, data)
    _status_summary(pdf, scope, data.statuses)
    _crime_section(pdf, scope, data.crime)
    _notes_section(pdf, data.notes)
    _events_section(pdf, scope, data.events)
    _sources_section(pdf, data.sources)
    return bytes(pdf.output())


def _notes_section(pdf: ReportPDF, notes: tuple[str, ...]) -> None:
    """Editors' notes on the charts (the page's markers), numbered as footnotes: why a line jumped."""
    if not notes:
        return
    pdf.heading("Noteringar till diagrammen", level=2)
    pdf.paragraph("Redaktörernas noteringar om händelser som kan förklara en förändring i siffrorna.", size=9)
    pdf.bullets(list(notes), size=9.5)


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

    def running_header(self) -> tuple[str, str]:
        """The left and right text of the running header (a document built on this class names its own)."""
        scope = self.scope
        return (
            f"{scope.kommun.name} ({scope.kommun.code}) · Medborgarlöfte {scope.year}",
            f"Uppföljning tertial {scope.tertial}",
        )

    def header(self) -> None:
        if self.page_no() == 1:
            return
        left, right = self.running_header()
        self.font(SMALL_PT, colour=GREY)
        self.set_xy(MARGIN, MARGIN)
        self.cell(CONTENT_W / 2, 4, self.clean(left))
        self.cell(CONTENT_W / 2, 4, self.clean(right), align="R")
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

    def bordered_table(
        self, columns: Sequence[Column], rows: Iterable[Sequence[Cell]], *, head: Sequence[Cell] | None = None
    ) -> None:
        """A bordered table: the header row (the columns' headers, or ``head``) is repeated after every page
        break, rows are kept whole."""
        titles = head if head is not None else [(Piece(c.header, HEAD_PT, bold=True),) for c in columns]
        head_lines = [self._lines(cell, c.width) for c, cell in zip(columns, titles, strict=True)]
        body = [[self._lines(cell, c.width) for c, cell in zip(columns, row, strict=True)] for row in rows]
        start = sum(self._height(cells) for cells in body[:3])  # the header with up to three rows, if they fit
        self.need(self._height(head_lines) + min(start, 60))
        self._draw_row(columns, head_lines, fill=True)
        for cells in body:
            self._place_row(columns, head_lines, cells)
        self.ln(2.5)

    def table_height(self, columns: Sequence[Column], rows: Iterable[Sequence[Cell]]) -> float:
        """The height in mm of ``rows`` drawn as a table (the first row counted as the header)."""
        return sum(self._height([self._lines(c, col.width) for col, c in zip(columns, r, strict=True)]) for r in rows)

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
    if scope.frozen:
        facts.append(("Fryst uppföljning", scope.frozen))
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


def _promise_section(pdf: ReportPDF, facts: PromiseFacts) -> None:
    pdf.heading("Medborgarlöftet")
    pdf.paragraph(facts.title, size=12, bold=True)
    if facts.summary:
        pdf.paragraph(facts.summary)
    for label, text in facts.facts:
        pdf.labelled(label, text)


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


def _focus_area_sections(pdf: ReportPDF, data: ReportData) -> None:
    scope = data.scope
    pdf.heading("Fokusområden och åtaganden")
    pdf.paragraph(
        f"T1–T3: antal utfört per tertial ({', '.join(followup.TERTIALS.values())}), räknat till och med "
        f'{formats.day(scope.end)}; "–" för tertial som inte har börjat. Ej fördelat: summeringar över flera '
        f"tertial, t.ex. en årsuppföljning. Status bedöms {formats.day(scope.end)}.",
        size=9,
        colour=GREY,
    )
    pdf.paragraph(
        "Tabellen år för år under varje fokusområde: brotten det riktar sig mot (Brås antal, annars beräknat ur "
        f"Kolada och märkt ≈) bredvid aktiviteterna, summan av angivna antal t.o.m. {formats.day(scope.end)} i de "
        'fokusområden, i alla kommunens löften, som riktar sig mot samma brott ("utan antal": genomfört men '
        'antalet anges inte). "Löfte" märker år med ett sådant löfte.',
        size=9,
        colour=GREY,
    )
    if not data.areas:
        pdf.paragraph("Inga fokusområden är registrerade för löftet.")
    for area in data.areas:
        _focus_area(pdf, scope, area)


def _focus_area(pdf: ReportPDF, scope: Scope, data: AreaData) -> None:
    area = data.area
    pdf.heading(f"{data.number}. {area.name}", level=2)
    for label, text in data.facts:
        pdf.labelled(label, text)
    if area.crime_types:
        pdf.labelled("Brottstyper", ", ".join(crime_label(t) for t in area.crime_types), size=9)
    if area.commitments:
        by_id = data.commitments
        pdf.ln(1)
        rows = [_follow_up_cells(row, by_id[row["commitment_id"]], scope) for row in data.follow_up.to_dict("records")]
        pdf.bordered_table(FOLLOW_UP_COLUMNS, rows)
        _comments(pdf, scope, data.comments)
    else:
        pdf.paragraph("Inga åtaganden är registrerade för fokusområdet.")
    _timeline(pdf, data.timeline)


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


def _comments(pdf: ReportPDF, scope: Scope, comments: Sequence[Comment]) -> None:
    pdf.heading(f"Kommentarer {scope.tertials}", level=3)
    if not comments:
        pdf.paragraph(f"Inga kommentarer är skrivna för {scope.tertials}.", size=9, colour=GREY)
        return
    for comment in comments:
        who = ", ".join(p for p in (_plain(comment.author), formats.day(comment.updated)) if p)
        pdf.labelled(f"T{comment.tertial} · {_short(comment.commitment)}", f"{comment.text} ({who})", size=9.5)


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- effort and crime on one timeline ------------------------------------------------------------------------------

TIMELINE_LABEL_W = 46.0
MARK_PT = 6.5


def _timeline(pdf: ReportPDF, timeline: Timeline) -> None:
    """The linked crime types and the activities per year as one table, years across, promise years marked."""
    width = (CONTENT_W - TIMELINE_LABEL_W) / len(timeline.years)
    columns = [Column("", TIMELINE_LABEL_W), *(Column("", width, "R") for _ in timeline.years)]
    head: list[Cell] = [(Piece("", HEAD_PT),), *(_year_head(timeline, year) for year in timeline.years)]
    rows = [head, *(_crime_row(timeline, t) for t in timeline.crime_types), _activity_row(timeline)]
    # The table is kept on one page with its heading and its source lines.
    pdf.heading("Brott och insatser år för år", level=3, keep=pdf.table_height(columns, rows) + 22)
    pdf.bordered_table(columns, rows[1:], head=rows[0])
    notes = [timeline.source]
    shown = timeline.series
    if not shown.empty and shown["estimated"].any():
        notes.append("≈ = beräknat ur Kolada, ungefärligt.")
    if not shown.empty and shown["source_change"].any():
        notes.append("Ny källa = källan eller brottskategorin byter det året; jämför försiktigt över bytet.")
    pdf.paragraph(" ".join(notes), size=SMALL_PT, colour=GREY)


def _year_head(timeline: Timeline, year: int) -> Cell:
    pieces = [Piece(str(year), HEAD_PT, bold=True)]
    if year == timeline.current_year:
        pieces.append(Piece("detta löfte", MARK_PT, bold=True, colour=ACCENT))
    elif year in timeline.promise_years:
        pieces.append(Piece("löfte", MARK_PT, colour=ACCENT))
    return tuple(pieces)


def _crime_row(timeline: Timeline, crime_type: str) -> list[Cell]:
    cells: list[Cell] = [(Piece(crime_label(crime_type), bold=True), *_definitions(timeline, crime_type))]
    for year in timeline.years:
        point = timeline.point(crime_type, year)
        cells.append(_crime_cell(point) if point else (Piece("–", colour=GREY),))
    return cells


def _definitions(timeline: Timeline, crime_type: str) -> tuple[Piece, ...]:
    rows = timeline.series[timeline.series["crime_type"] == crime_type]
    if rows.empty:
        return (Piece("inga siffror för åren", MARK_PT, colour=GREY),)
    return tuple(Piece(d, MARK_PT, colour=GREY) for d in dict.fromkeys(rows["definition"]))


def _crime_cell(point: dict) -> Cell:
    count = point["count"]
    text = "–" if pd.isna(count) else formats.number(int(count))
    if point["estimated"]:
        text = f"≈ {text}"
    pieces = [Piece(text, colour=GREY if point["estimated"] else INK)]
    if point["preliminary"]:
        pieces.append(Piece("prel.", MARK_PT, colour=GREY))
    if point["source_change"]:
        pieces.append(Piece("ny källa", MARK_PT, bold=True, colour=ACCENT))
    return tuple(pieces)


def _activity_row(timeline: Timeline) -> list[Cell]:
    cells: list[Cell] = [(Piece("Aktiviteter (antal)", bold=True),)]
    for year in timeline.years:
        done = timeline.activity(year)
        if done is None:
            cells.append((Piece("–", colour=GREY),))
        elif done[1] and done[0] == 0:
            cells.append((Piece(NO_COUNT_CELL, MARK_PT, colour=GREY),))
        else:
            extra = (Piece("+ utan antal", MARK_PT, colour=GREY),) if done[1] else ()
            cells.append((Piece(formats.number(done[0]), bold=True), *extra))
    return cells


# -- status summary ------------------------------------------------------------------------------------------------


def _status_summary(pdf: ReportPDF, scope: Scope, statuses: dict[str, list[str]]) -> None:
    pdf.heading("Sammanfattning av status")
    columns = [
        Column("Fokusområde", 42),
        *(Column(s.capitalize(), 20.5, "C") for s in followup.STATUS_ORDER),
        Column("Totalt", 15, "C"),
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
        f"{followup.ACHIEVED_HELP} På väg: utfallet följer målet i takt med hur stor del av året som gått (för "
        "löpande åtaganden: minst en aktivitet med antal). Genomfört, antal saknas: källan säger att det gjorts men "
        "inte hur många gånger, så det går inte att jämföra med ett mål. Efter plan: under den takten. "
        "Ej påbörjad: inget registrerat ännu. Ingen uppgift: året är slut och inget är registrerat.",
        size=9,
        colour=GREY,
    )


# -- reported crime ----------------------------------------------------------------------------------------------

LATEST_COLUMNS = (
    Column("Brottstyp", 40),
    Column("År", 11),
    Column("Antal", 16, "R"),
    Column("Året före", 16, "R"),
    Column("Förändring", 20, "R"),
    Column("%", 16, "R"),
    Column("Bedömning", 31),
    Column("Källa", 30),
)


def _crime_section(pdf: ReportPDF, scope: Scope, crime: CrimeData) -> None:
    pdf.heading("Anmälda brott")
    if crime.latest.empty and crime.period.empty and crime.reported_ytd is None and crime.totals.empty:
        pdf.paragraph(f"Det finns inga siffror om anmälda brott för {scope.kommun.name}.")
        return
    _latest_years(pdf, crime)
    if not crime.period.empty:
        _period_table(pdf, scope, crime.period)
    if crime.reported_ytd is not None:
        _reported_year_to_date(pdf, scope.year, crime.reported_ytd)
    _bar_chart(pdf, scope, crime)


def _latest_years(pdf: ReportPDF, crime: CrimeData) -> None:
    latest = crime.latest
    if latest.empty:
        pdf.paragraph("Inga brottstyper har siffror för två år i följd; därför ingen jämförelse med året före.")
        return
    newest = crime.latest_year
    kind = "beräknat ur Kolada" if latest.loc[latest["year"] == newest, "approximate"].any() else "Brå"
    pdf.heading(f"Senaste året per brottstyp: {newest} jämfört med {newest - 1}", level=3, keep=60)
    pdf.paragraph(
        f"Det senaste år som någon källa har ({kind}; kolumnen År), jämfört med året före: förändring i antal "
        "först, sedan procent (inom parentes när underlaget är under 30), och om skillnaden är större än slumpen "
        "(Poisson-z = 2(√nu − √före): under 2 inom normal variation, 2–3 möjlig förändring, över 3 tydlig ökning "
        "eller minskning).",
        size=9,
        colour=GREY,
    )
    for note in crime.notes:
        pdf.paragraph(note, size=9, bold=note.startswith("Koladas nyckeltal är inte"), after=1)
    pdf.bordered_table(LATEST_COLUMNS, [_latest_cells(row) for row in latest.to_dict("records")])
    if latest["surveillance"].any():
        pdf.paragraph(
            "Spaningsbrott (t.ex. trafik och narkotika) ökar ofta när polisen arbetar mer, inte för att "
            "brotten blir fler.",
            size=9,
            colour=GREY,
        )
    pdf.paragraph(crime.latest_source, size=SMALL_PT, colour=GREY)


def _latest_cells(row: dict) -> list[Cell]:
    approx = "≈ " if row["approximate"] else ""
    percent = None if pd.isna(row["percent"]) else float(row["percent"])
    pct = formats.percent(percent) if percent is not None else "–"
    if percent is not None and row["small_base"]:
        pct = f"({pct})"
    caveats = [
        text
        for flag, text in (
            (row["approximate"], "ungefärlig"),
            (row["source_change"], "källan skiljer mellan åren"),
            (row["preliminary"], "preliminär"),
        )
        if flag
    ]
    verdict = (Piece(row["verdict"]), *(Piece(text, NOTE_PT, colour=GREY) for text in caveats))
    return [
        str(row["label"]),
        str(row["year"]),
        f"{approx}{formats.number(int(row['current']))}",
        f"{approx}{formats.number(int(row['previous']))}",
        formats.signed(int(row["absolute"])),
        pct,
        verdict,
        (Piece(str(row["source"]), NOTE_PT, colour=GREY),),
    ]


def _period_table(pdf: ReportPDF, scope: Scope, table: pd.DataFrame) -> None:
    """The report year's months against the same months the year before (Brå's monthly figures)."""
    year, span = scope.year, table["period_label"].iloc[0]
    title = (
        f"helåret {year} jämfört med {year - 1}"
        if span == "helår"
        else f"{span} {year} jämfört med samma period {year - 1}"
    )
    pdf.heading(f"Per brottstyp: {title}", level=3, keep=55)
    pdf.paragraph(
        "Brås månadssiffror för perioden, förändring och bedömning enligt samma regler som ovan.",
        size=9,
        colour=GREY,
    )
    view = tables.year_on_year(table, year)
    columns = [
        Column("Brottstyp", 50),
        Column("Period", 19),
        Column(str(year), 16, "R"),
        Column(str(year - 1), 16, "R"),
        Column("Förändring", 21, "R"),
        Column("%", 17, "R"),
        Column("Bedömning", 41),
    ]
    pdf.bordered_table(columns, [[str(v) for v in row] for row in view.itertuples(index=False)])
    sources = ", ".join(sorted(set(table["source"].astype(str))))
    pdf.paragraph(f"Källa: {sources}.", size=SMALL_PT, colour=GREY)


def _reported_year_to_date(pdf: ReportPDF, year: int, comparison: analysis.PeriodComparison) -> None:
    """A year-to-date figure the kommun reported for the year (no monthly figures exist)."""
    change = comparison.change
    pct = "" if change.percent is None else f", {formats.percent(change.percent)}"
    prel = " Preliminära siffror." if comparison.preliminary else ""
    pdf.labelled(
        f"Hittills {year} enligt rapporterad uppgift",
        f"{formats.number(change.current)} anmälda brott mot {formats.number(change.previous)} samma period "
        f"{year - 1} ({formats.signed(change.absolute)}{pct}): {change.verdict}. {comparison.label}.{prel} "
        f"Källa: {comparison.source}.",
    )


def _bar_chart(pdf: ReportPDF, scope: Scope, crime: CrimeData) -> None:
    """Total reported crime per year as bars (rectangles and text): estimated and preliminary bars light,
    missing years left as gaps, the promise year marked."""
    rows = crime.totals
    if rows.empty:
        return
    last = max(int(rows["year"].max()), scope.year)  # the promise year is shown, as "saknas" when it has no figure
    years = list(range(max(int(rows["year"].min()), last - CHART_YEARS + 1), last + 1))
    values = {int(r["year"]): r for r in rows.to_dict("records")}
    chart_h, top_pad, label_h = 48.0, 7.0, 12.0
    pdf.need(10 + top_pad + chart_h + label_h + 14)
    pdf.heading(f"Diagram: anmälda brott per år, totalt, {scope.kommun.name}", level=3)
    x0, y0 = MARGIN + 2, pdf.get_y() + top_pad
    width, base = CONTENT_W - 4, y0 + chart_h
    peak = max(int(r["count"]) for r in values.values()) or 1
    slot = width / len(years)
    pdf.set_draw_color(*GREY)
    pdf.line(x0, base, x0 + width, base)
    for i, year in enumerate(years):
        _bar(pdf, x0 + slot * (i + 0.5), slot, base, chart_h / peak, year, values.get(year), scope.year)
    pdf.set_xy(MARGIN, base + label_h)
    notes = []
    if any(bool(r["estimated"]) for r in values.values()):
        notes.append("Ljus stapel med ≈: antal beräknat ur Kolada.")
    if any(bool(r["preliminary"]) for r in values.values()):
        notes.append("Ljus stapel med prel.: preliminär siffra.")
    if any(bool(r["source_change"]) for r in values.values()):
        notes.append("◆ ny källa eller ny brottskategori från det året.")
    pdf.paragraph(" ".join([*notes, crime.totals_source]), size=SMALL_PT, colour=GREY)


def _bar(
    pdf: ReportPDF,
    centre: float,
    slot: float,
    base: float,
    scale: float,
    year: int,
    row: dict | None,
    promise_year: int,
) -> None:
    bar_w = min(slot * 0.62, 16)
    pdf.font(SMALL_PT, bold=year == promise_year, colour=ACCENT if year == promise_year else INK)
    pdf.set_xy(centre - slot / 2, base + 1)
    pdf.cell(slot, 4, str(year), align="C")
    if year == promise_year:
        pdf.font(MARK_PT, bold=True, colour=ACCENT)
        pdf.set_xy(centre - slot / 2, base + 5)
        pdf.cell(slot, 3, pdf.clean("löftet"), align="C")
    if row is None:
        pdf.font(SMALL_PT, colour=GREY)
        pdf.set_xy(centre - slot / 2, base - 5)
        pdf.cell(slot, 4, pdf.clean("saknas"), align="C")
        return
    light = bool(row["estimated"]) or bool(row["preliminary"])
    height = scale * int(row["count"])
    pdf.set_fill_color(*(BAR_LIGHT if light else BAR))
    pdf.rect(centre - bar_w / 2, base - height, bar_w, height, style="F")
    text = formats.number(int(row["count"]))
    text = f"≈{text}" if row["estimated"] else text
    text = f"◆{text}" if row["source_change"] else text
    pdf.font(NOTE_PT if len(text) > 6 else SMALL_PT, bold=True)
    pdf.set_xy(centre - slot / 2, base - height - 4.5)
    pdf.cell(slot, 4, pdf.clean(text), align="C")
    if row["preliminary"]:
        pdf.font(MARK_PT, colour=GREY)
        pdf.set_xy(centre - slot / 2, base - height - 8)
        pdf.cell(slot, 3.5, "prel.", align="C")


# -- police events -----------------------------------------------------------------------------------------------


def _events_section(pdf: ReportPDF, scope: Scope, events: EventsData) -> None:
    pdf.heading(f"Händelser {scope.period_text}")
    pdf.paragraph(
        "Polisens händelser är pressmeddelanden om enskilda händelser, inte statistik: de visar vad polisen har "
        "berättat om och räknas aldrig in i anmälda brott. Egna rapporter kommer från kommunens rapportörer.",
        size=9,
        colour=GREY,
    )
    if events.total == 0:
        pdf.paragraph(events.empty_note)
        return
    parts = ", ".join(f"{formats.number(n)} {origin}" for origin, n in events.origins)
    pdf.paragraph(f"{formats.count(events.total, 'händelse', 'händelser')} under perioden ({parts}).", bold=True)
    pdf.heading("Vanligaste kategorierna", level=3, keep=35)
    rows = [[category, formats.number(n)] for category, n in events.categories]
    pdf.bordered_table([Column("Kategori", 110), Column("Antal", 25, "R")], rows)
    if not events.hot_spots.empty:
        pdf.heading("Platser med flest händelser", level=3, keep=35)
        rows = [[str(p), formats.number(int(n)), str(k)] for p, n, k in events.hot_spots.itertuples(index=False)]
        pdf.bordered_table([Column("Plats", 80), Column("Händelser", 25, "R"), Column("Vanligaste typ", 55)], rows)
    pdf.heading("Nattvandring och bevakning: tider med flest händelser", level=3)
    pdf.paragraph(
        "Veckodag och tretimmarsblock bland händelser som nattvandring och väktare kan påverka (t.ex. "
        "skadegörelse, stöld, misshandel, ordningsstörning).",
        size=9,
        colour=GREY,
    )
    if events.patrol_slots:
        pdf.bullets(events.patrol_slots)
    else:
        pdf.paragraph("Inga sådana händelser under perioden.")


# -- sources -------------------------------------------------------------------------------------------------


def _sources_section(pdf: ReportPDF, sources: Sequence[SourceLine]) -> None:
    pdf.heading("Källor och datum")
    pdf.bullets([line.text for line in sources], size=9.5)
