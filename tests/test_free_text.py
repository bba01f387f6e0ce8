"""Free text is text on every surface: Markdown, HTML and formulas typed by an editor stay inert in
presentation mode (st.table renders cell Markdown), in the PDF and in CSV."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from lofte_data import editing, exports, report, tables
from lofte_data.access import Editor
from lofte_data.storage import Store
from lofte_data.ui.widgets import inert, plain

ANNA = Editor("anna@kungsor.se", "Anna Andersson", frozenset({"1960"}), "lösenord")
HOSTILE = "[klicka](https://evil.example/x) ![bild](https://evil.example/i.png) <img src=x onerror=alert(1)> **fet**"
FORMULA = '=HYPERLINK("https://evil.example","klicka")'


def test_inert_escapes_every_text_cell_and_header() -> None:
    import pandas as pd

    frame = pd.DataFrame({"Vad [x](y)": [HOSTILE, None], "Antal": [1, 2]})
    safe = inert(frame)
    assert list(safe.columns) == [plain("Vad [x](y)"), "Antal"]
    assert safe.iloc[0, 0] == plain(HOSTILE) and "](" not in safe.iloc[0, 0].replace("\\]\\(", "")
    assert pd.isna(safe.iloc[1, 0]) and safe["Antal"].tolist() == [1, 2]


def test_a_decision_with_markdown_stays_text_on_the_projector(app) -> None:
    app("1960", "2023")  # opens and seeds the database
    store = Store.open()
    editing.add_decision(store, ANNA, kommun_code="1960", meeting_date=date(2023, 5, 2), kind="beslut", text=HOSTILE)
    at = app("1960", "2023", page="pages/mote.py", presentation="1", bild="sista")
    assert not at.exception
    shown = at.table[0].value
    cell = shown.iloc[0][plain("Vad")] if plain("Vad") in shown.columns else shown.iloc[0]["Vad"]
    assert cell == plain(HOSTILE)  # every Markdown and HTML character escaped: shown as typed, never rendered


def _add_commitment(store: Store, text: str) -> None:
    """A running commitment with ``text`` in Kungsör's first focus area of 2023."""
    promise = store.promise("1960", 2023)
    editing.add_commitment(
        store,
        ANNA,
        focus_area_id=promise.focus_areas[0].id,
        promise_id=promise.id,
        text=text,
        owner="Polisen",
        target_type="lopande",
        target_count=None,
        unit="",
    )


def test_a_commitment_with_markdown_stays_text_in_the_presented_follow_up(app) -> None:
    app("1960", "2023")  # opens and seeds the database
    store = Store.open()
    _add_commitment(store, HOSTILE)
    import streamlit as st

    st.cache_data.clear()
    at = app("1960", "2023", page="pages/medborgarloften.py", presentation="1")
    assert not at.exception
    cells = [str(v) for t in at.table for v in t.value.to_numpy().ravel()]
    assert plain(HOSTILE) in cells and HOSTILE not in cells


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext saknas")
def test_the_pdf_prints_free_text_as_typed(seeded: Store) -> None:
    from tests.test_report import pdf_text

    cid = next(c.id for a in seeded.promise("1960", 2023).focus_areas for c in a.commitments)
    editing.set_comment(seeded, ANNA, commitment_id=cid, tertial=1, text=HOSTILE)
    text = " ".join(
        pdf_text(report.build_report(seeded, kommun_code="1960", year=2023, tertial=3), layout=False).split()
    )
    assert "[klicka](https://evil.example/x)" in text and "<img src=x" in text


def test_csv_neutralises_formulas_in_free_text(seeded: Store) -> None:
    _add_commitment(seeded, FORMULA)
    promise = seeded.promise("1960", 2023)
    frame = tables.follow_up_export(promise, seeded.activities(promise.id), year=2023, on=date(2023, 12, 31))
    csv = exports.excel_csv(frame).decode("utf-8-sig")
    assert "'" + FORMULA.replace('"', '""') in csv
    assert "\n=" not in csv and ";=" not in csv
