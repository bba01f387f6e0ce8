"""The lägesbild and åtgärdsplan download on the Möte page (streamlit): PDF and Word, built only when clicked."""

from __future__ import annotations

from datetime import date

import streamlit as st

from lofte_data import lagesbild_document
from lofte_data.ui import loaders, state

MIME = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def download(sel: state.Selection, today: date) -> None:
    """Two buttons, one per format; the Word file is for editing the prose before kommunfullmäktige."""
    st.caption(
        f"Lägesbild och åtgärdsplan {sel.year} enligt Lag (2023:196): lägesbild, analys, åtgärdsplan och "
        f"uppföljning av {sel.year - 1}. Sammanfattning och analys skrivs under Redigera löfte."
    )
    columns = st.columns(2)
    for column, (suffix, label) in zip(columns, ((".pdf", "PDF"), (".docx", "Word")), strict=True):
        column.download_button(
            f"Ladda ned lägesbild och åtgärdsplan ({label})",
            data=lambda suffix=suffix: _build(sel, suffix),
            file_name=f"lagesbild-{sel.kommun.code}-{sel.year}{suffix}",
            mime=MIME[suffix],
            on_click="ignore",
            icon=":material/description:",
            key=f"lagesbild_{suffix[1:]}",
        )


def _build(sel: state.Selection, suffix: str) -> bytes:
    document = lagesbild_document.build_document(loaders.store(), kommun_code=sel.kommun.code, year=sel.year)
    return lagesbild_document.render(document, suffix)
