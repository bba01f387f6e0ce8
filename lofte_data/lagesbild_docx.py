"""The lägesbild and åtgärdsplan document as Word (core): lagesbild_document's records with python-docx, so the
kommun can edit the prose before it goes to kommunfullmäktige; no content is made here."""

from __future__ import annotations

import io

from docx import Document as WordDocument
from docx.shared import Pt, RGBColor

from lofte_data.lagesbild_document import Document, Paragraph, Subheading, Table

GREY = RGBColor(0x5F, 0x5F, 0x5F)
MISSING = RGBColor(0xA0, 0x28, 0x00)


def render(document: Document) -> bytes:
    """The document as a .docx file (headings use Word's own heading styles, so the outline works)."""
    word = WordDocument()
    word.core_properties.title = f"{document.title} – {document.kommun.name}"
    word.core_properties.author = f"{document.kommun.name}: kommunen och Polisen"
    word.core_properties.language = "sv-SE"
    word.add_heading(f"{document.title}: {document.kommun.name}", level=0)
    for key, value in document.facts:
        line = word.add_paragraph()
        line.add_run(f"{key}: ").bold = True
        line.add_run(_clean(value))
    for section in document.sections:
        word.add_heading(section.title, level=1)
        for block in section.blocks:
            _block(word, block)
    word.add_heading("Källor och datum", level=1)
    for item in document.sources:
        word.add_paragraph(_clean(item), style="List Bullet")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _clean(text: str) -> str:
    """XML cannot hold control characters: drop them (newlines and tabs stay)."""
    return "".join(c for c in str(text) if c in "\n\t" or ord(c) >= 32)


def _block(word: WordDocument, block: Paragraph | Subheading | Table) -> None:
    if isinstance(block, Subheading):
        word.add_heading(_clean(block.text), level=block.level)
    elif isinstance(block, Paragraph):
        run = word.add_paragraph().add_run(_clean(block.text))
        if block.style == "missing":
            run.bold, run.font.color.rgb = True, MISSING
        elif block.style == "note":
            run.font.size, run.font.color.rgb = Pt(9), GREY
    else:
        _table(word, block)


def _table(word: WordDocument, table: Table) -> None:
    grid = word.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    for cell, name in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(_clean(name)).bold = True
    for row in table.rows:
        for cell, value in zip(grid.add_row().cells, row, strict=True):
            cell.text = _clean(value)
    source = word.add_paragraph().add_run(_clean(table.source))
    source.font.size, source.font.color.rgb = Pt(8), GREY
