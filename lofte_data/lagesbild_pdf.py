"""The lägesbild and åtgärdsplan document as PDF (core): draws lagesbild_document's records with the tertial
report's drawing class (report.ReportPDF: fonts, headings, paragraphs, bordered tables); no content is made here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fpdf.enums import XPos, YPos

from lofte_data import report
from lofte_data.lagesbild_document import Document, Paragraph, Subheading, Table
from lofte_data.models import Kommun
from lofte_data.report import CONTENT_W, GREY, SMALL_PT, Column, line_height

MISSING_COLOUR = (160, 40, 0)


@dataclass(frozen=True)
class _Frame:
    """What ReportPDF reads of its scope: the title, the kommun, the year and the day it was made."""

    title: str
    kommun: Kommun
    year: int
    today: date


class LagesbildPDF(report.ReportPDF):
    """ReportPDF with this document's running header and footer."""

    def running_header(self) -> tuple[str, str]:
        return f"{self.scope.kommun.name} ({self.scope.kommun.code})", self.scope.title


def render(document: Document) -> bytes:
    """The document as an A4 PDF (Swedish, plain text only)."""
    frame = _Frame(f"{document.title} – {document.kommun.name}", document.kommun, document.year, document.made)
    pdf = LagesbildPDF(frame)
    pdf.add_page()
    _title(pdf, document)
    for section in document.sections:
        pdf.heading(section.title, level=1)
        for block, following in zip(section.blocks, [*section.blocks[1:], None], strict=True):
            _block(pdf, block, table_follows=isinstance(following, Table))
    pdf.heading("Källor och datum", level=1)
    pdf.bullets(document.sources, size=9.5)
    return bytes(pdf.output())


def _title(pdf: LagesbildPDF, document: Document) -> None:
    pdf.paragraph("Underlag till kommunfullmäktige · kommunen och Polisen", size=SMALL_PT, colour=GREY, after=1)
    pdf.font(18, bold=True, colour=report.ACCENT)
    pdf.multi_cell(0, line_height(18), pdf.clean(document.title), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.paragraph(document.kommun.name, size=13, bold=True, after=3)
    for key, value in document.facts:
        pdf.labelled(key, value, after=0.6)
    pdf.ln(2)


def _block(pdf: LagesbildPDF, block: Paragraph | Subheading | Table, *, table_follows: bool = False) -> None:
    if isinstance(block, Subheading):  # a heading stays with the start of its table (header and a few rows)
        pdf.heading(block.text, level=block.level, keep=70 if table_follows else None)
    elif isinstance(block, Paragraph) and block.style == "missing":
        pdf.paragraph(block.text, bold=True, colour=MISSING_COLOUR)
    elif isinstance(block, Paragraph):
        pdf.paragraph(block.text, **({"size": 9, "colour": GREY} if block.style == "note" else {}))
    else:
        _table(pdf, block)


def _table(pdf: LagesbildPDF, table: Table) -> None:
    weights = table.weights or (1.0,) * len(table.columns)
    unit = CONTENT_W / sum(weights)
    columns = [
        Column(name, w * unit, "L" if i == 0 or not _numeric(table, i) else "R")
        for i, (name, w) in enumerate(zip(table.columns, weights, strict=True))
    ]
    pdf.bordered_table(columns, [list(row) for row in table.rows])
    pdf.paragraph(table.source, size=SMALL_PT, colour=GREY)


def _numeric(table: Table, index: int) -> bool:
    """A column of figures is right-aligned."""
    values = [row[index].replace("\u00a0", "").replace(" ", "") for row in table.rows]
    return bool(values) and all(v.lstrip("+-").replace(",", "").replace("%", "").isdigit() or v == "–" for v in values)
