"""One status everywhere: for the same commitment and the same assessment date, the follow-up table the page and
the meeting slides show, the CSV export and the tertial PDF give the same status. The PDF is read back with
pdftotext; the page and a slide are rendered in process with AppTest."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import date

import pytest

from lofte_data import editing, exports, followup, formats, report, tables
from lofte_data.access import Editor
from lofte_data.seed import seed_defaults
from lofte_data.storage import Store

TODAY = date(2026, 11, 22)
EDITOR = Editor(identity="eva@katrineholm.se", name="Eva Ek", kommuner=frozenset({"0483"}), method="lösenord")
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
STATUS_PATTERN = re.compile("|".join(re.escape(s) for s in sorted(followup.STATUS_ORDER, key=len, reverse=True)))

# kommun, year, tertial of the PDF, the day it is made: finished years, a finished tertial, a running tertial
CASES = [
    ("1960", 2023, 3, TODAY),  # the example: 31 Dec 2023
    ("1960", 2023, 2, TODAY),  # 31 Aug 2023: the year-end summaries are not yet counted
    ("1960", 2023, 1, date(2023, 3, 15)),  # a running tertial: judged on the day
    ("1960", 2021, 3, TODAY),
    ("1960", 2024, 3, TODAY),
    ("0483", 2019, 2, TODAY),  # with editors' activities: uppnått, på väg, efter plan, ej påbörjad
    ("0483", 2019, 3, TODAY),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("one-status") / "db.sqlite3"
    opened = Store.open(f"sqlite:///{path}")
    seed_defaults(opened)
    _katrineholm_activities(opened)
    return opened


def _katrineholm_activities(store: Store) -> None:
    """Work in 2019 that gives every status by 31 Aug: reached, on track, behind plan, not begun."""
    ids = {c.text.split(",")[0]: c.id for a in store.promise("0483", 2019).focus_areas for c in a.commitments}
    for starts, day, count in [
        ("Tillsyn av alkohol", date(2019, 2, 1), 2),  # exakt 2: uppnått
        ("Orosamtal med ungdomar som bedöms vara på väg in i kriminalitet", date(2019, 4, 2), 3),  # löpande: på väg
        ("Trygghetsvandringar i centrum", date(2019, 3, 1), 1),  # minst 2, 1 by 31 Aug: efter plan
        ("Tillsyn av tobak", date(2019, 10, 1), 2),  # after T2: not in the T2 report
    ]:
        editing.log_activity(store, EDITOR, commitment_id=ids[starts], on=day, count=count)


def page_statuses(store: Store, kommun: str, year: int, on: date) -> dict[str, str]:
    """What the Medborgarlöften page and the meeting slide show: followup.follow_up_table per focus area."""
    promise = store.promise(kommun, year)
    activities = store.activities(promise.id)
    statuses = {}
    for area in promise.focus_areas:
        table = followup.follow_up_table(area.commitments, activities, year=year, on=on)
        statuses |= dict(zip(table["text"], table["status"], strict=True))
    return statuses


def csv_statuses(store: Store, kommun: str, year: int, on: date) -> dict[str, str]:
    """The CSV download, read back from its bytes."""
    promise = store.promise(kommun, year)
    data = exports.excel_csv(tables.follow_up_export(promise, store.activities(promise.id), year=year, on=on))
    rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")
    return {row["Åtagande"]: row["Status"] for row in rows}


def pdf_statuses(store: Store, kommun: str, year: int, tertial: int, today: date) -> tuple[dict[str, str], str]:
    """Each commitment's status in the PDF, in drawing order (-raw): a row's text cell comes before its status."""
    pdf = report.build_report(store, kommun_code=kommun, year=year, tertial=tertial, today=today)
    raw = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True, timeout=30)
    text = " ".join(raw.stdout.decode("utf-8").split())
    tables_part = text[text.index("Fokusområden och åtaganden") : text.index("Sammanfattning av status")]
    statuses = {}
    for commitment in page_statuses(store, kommun, year, today):
        # The whole text cell, not the start of a longer one ("Tillsyn av alkohol" vs "Tillsyn av alkohol, tobak").
        cell = re.search(re.escape(" ".join(commitment.split())) + r"(?![,\w])", tables_part)
        statuses[commitment] = STATUS_PATTERN.search(tables_part, cell.end()).group(0)
    return statuses, text


@needs_pdftotext
@pytest.mark.parametrize(("kommun", "year", "tertial", "today"), CASES)
def test_page_slides_csv_and_pdf_agree(store: Store, kommun: str, year: int, tertial: int, today: date) -> None:
    on = followup.assessment_date(year, today, tertial=tertial)
    page = page_statuses(store, kommun, year, on)
    pdf, text = pdf_statuses(store, kommun, year, tertial, today)
    assert csv_statuses(store, kommun, year, on) == page
    assert pdf == page
    assert f"Status bedömd {on.day}" in text
    counts = followup.summary(page.values())
    line = ", ".join(f"{status} {n}" for status, n in counts.items())
    assert f"{line} av {formats.count(len(page), 'åtagande', 'åtaganden')}" in text


def test_the_cases_cover_every_status(store: Store) -> None:
    seen = set()
    for kommun, year, tertial, today in CASES:
        seen |= set(page_statuses(store, kommun, year, followup.assessment_date(year, today, tertial=tertial)).values())
    assert seen == set(followup.STATUS_ORDER)


def test_a_finished_year_reads_the_same_today_as_on_its_last_day(store: Store) -> None:
    # The page judges on today's date; for a finished year that gives what 31 December gives (the PDF's T3 date).
    for kommun, year in [("1960", 2021), ("1960", 2023), ("1960", 2024), ("0483", 2019)]:
        assert page_statuses(store, kommun, year, TODAY) == page_statuses(store, kommun, year, date(year, 12, 31))


def test_kungsor_2023_on_31_december(store: Store) -> None:
    counts = followup.summary(page_statuses(store, "1960", 2023, date(2023, 12, 31)).values())
    assert counts == {
        "uppnått": 8,
        "på väg": 0,
        "genomfört, antal saknas": 3,
        "efter plan": 0,
        "ej påbörjad": 0,
        "ingen uppgift": 0,
    }


def _rendered_statuses(tables_shown: list) -> dict[str, str]:
    statuses = {}
    for table in tables_shown:
        frame = table.value
        if "Status" in frame.columns and "Åtagande" in frame.columns:
            # st.table cells are Markdown, escaped so that free text stays text: read them as rendered
            shown = [re.sub(r"\\(.)", r"\1", text) for text in frame["Åtagande"]]
            statuses |= dict(zip(shown, frame["Status"], strict=True))
    return statuses


def test_the_page_and_a_slide_show_the_pdf_statuses(app, db_url: str) -> None:
    store = Store.open(db_url)
    seed_defaults(store)
    expected = page_statuses(store, "1960", 2023, date(2023, 12, 31))
    at = app("1960", "2023", page="pages/medborgarloften.py")
    assert not at.exception
    assert _rendered_statuses(at.dataframe) == expected
    slides = {}
    for number in (5, 6, 8):  # the focus areas' table slides (after what changed, Lägesbild and two on crime)
        at = app("1960", "2023", page="pages/mote.py", presentation="1", bild=str(number))
        assert not at.exception
        slides |= _rendered_statuses([*at.table, *at.dataframe])
    assert slides == expected


def test_the_pdf_status_colours_come_from_the_shared_palette() -> None:
    from lofte_data import palette

    assert report.STATUS_COLOURS == {s: palette.rgb(c) for s, c in palette.STATUS_COLOURS.items()}
    assert set(report.STATUS_COLOURS) == set(followup.STATUS_ORDER)
