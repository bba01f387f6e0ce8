"""The tertial cycle in a real browser, on one server for the module: the deck opens with what was added since the
last meeting, notes on the charts are numbered markers with footnotes shown as text, and a deck with a frozen
tertial and notes still fits one screen per slide."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from lofte_data import editing, signoff
from lofte_data.access import Editor
from lofte_data.seed import seed_defaults
from lofte_data.storage import Store
from tests.browser.conftest import new_context
from tests.browser.deck import main_text, slides_too_tall
from tests.browser.server import ROOT, full_screenshot, running_app, wait_rendered

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts" / "cykel"
POLIS = Editor("per@polisen.se", "Per Polis", frozenset({"1960"}), "lösenord", party="Polisen")
KOMMUN = Editor("anna@kungsor.se", "Anna Andersson", frozenset({"1960"}), "lösenord", party="Kommunen")
NOTE = "Hundsök <b>x</b>"
AREA_NOTE = "Ny fältgrupp"
# The notes' markers as plotly draws them: the numbers of the note trace of every chart on the page.
MARKERS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(
    plot => (plot.data || []).filter(trace => trace.name === 'Noteringar').flatMap(trace => trace.text))"""


def _prepare(store: Store) -> int:
    """Kungsör 2023 after a meeting a week ago: T1 frozen and signed by both, T2 frozen and awaiting signatures,
    an activity added since, a note for every chart and one on the first focus area. Returns that area's id."""
    seed_defaults(store)
    last_meeting = date.today() - timedelta(days=7)
    with store.engine.begin() as conn:  # the embedded data was loaded long before the last meeting
        conn.execute(sa.text("UPDATE activity SET created_at = :at"), {"at": datetime(2024, 1, 1)})
        conn.execute(sa.text("UPDATE commitment_comment SET updated_at = :at"), {"at": datetime(2024, 1, 1)})
    editing.add_decision(store, KOMMUN, kommun_code="1960", meeting_date=last_meeting, kind="beslut", text="Fortsätt")
    first = signoff.freeze(store, KOMMUN, kommun_code="1960", year=2023, tertial=1, today=date(2023, 5, 2))
    signoff.sign(store, POLIS, frozen_id=first)
    signoff.sign(store, KOMMUN, frozen_id=first)
    signoff.freeze(store, KOMMUN, kommun_code="1960", year=2023, tertial=2, today=date(2023, 9, 1))
    area = store.promise("1960", 2023).focus_areas[0]
    commitment = area.commitments[0].id
    editing.log_activity(store, KOMMUN, commitment_id=commitment, on=date(2023, 10, 5), count=7, place="Skolgatan")
    editing.add_annotation(store, KOMMUN, kommun_code="1960", day=date(2021, 6, 15), text=NOTE)
    editing.add_annotation(
        store, KOMMUN, kommun_code="1960", day=date(2023, 3, 1), text=AREA_NOTE, focus_area_id=area.id
    )
    return area.id


@pytest.fixture(scope="module")
def cycle_app(tmp_path_factory: pytest.TempPathFactory):
    """One server on a database prepared by ``_prepare``: (base URL, the annotated focus area's id)."""
    db = tmp_path_factory.mktemp("cycle") / "cycle.sqlite3"
    store = Store.open(f"sqlite:///{db}")
    area_id = _prepare(store)
    store.engine.dispose()
    with running_app({"LOFTE_DATABASE_URL": f"sqlite:///{db}"}) as url:
        yield url, area_id


def _open(page, address: str, *, charts: int = 0) -> None:  # noqa: ANN001 - playwright Page
    """Open a view and wait until it is drawn (the first view of a fresh server goes through one extra run)."""
    page.goto(address)
    page.wait_for_selector("[data-testid='stMain'] h1, [data-testid='stMain'] h3")
    wait_rendered(page, charts=charts)


def test_the_first_slide_lists_an_activity_added_since_the_last_meeting(cycle_app, chromium) -> None:
    url, _ = cycle_app
    context = new_context(chromium, "1920")
    page = context.new_page()
    _open(page, f"{url}/mote?kommun=1960&ar=2023&presentation=1&bild=1")
    text = " ".join(main_text(page).split())
    assert "Sedan förra mötet" in text and "senaste mötet med antecknade beslut" in text
    assert "Aktivitet" in text and "5 okt 2023: 7 st" in text and "Skolgatan" in text
    assert "Tertial 1 2023 fryst" in text and "väntar på underskrift av Polisen och Kommunen" in text
    context.close()


def _assert_notes(page, footnotes: list[str]) -> None:  # noqa: ANN001 - playwright Page
    """Every footnote shown as text (the note's HTML literally, no bold) and a numbered marker on a chart."""
    text = " ".join(main_text(page).split())
    for line in footnotes:
        assert line in text, line
    assert page.locator("[data-testid='stMain'] b").filter(has_text=re.compile(r"^x$")).count() == 0
    numbers = [n for chart in page.evaluate(MARKERS) for n in chart]
    assert {str(i) for i in range(1, len(footnotes) + 1)} <= {p.strip() for n in numbers for p in n.split(",")}
    drawn = page.locator(".js-plotly-plot .textpoint text").all_text_contents()
    assert drawn, "no marker number drawn on a chart"


def test_a_note_is_a_marker_and_a_footnote_on_brottsstatistik(cycle_app, chromium) -> None:
    url, _ = cycle_app
    context = new_context(chromium, "1920")
    page = context.new_page()
    _open(page, f"{url}/brottsstatistik?kommun=1960&ar=2023", charts=1)
    _assert_notes(page, [f"1. 15 jun 2021: {NOTE}"])
    full_screenshot(page, ARTIFACTS / "brottsstatistik_noteringar_1920.png")
    context.close()


def test_notes_are_markers_and_footnotes_on_the_focus_area_chart(cycle_app, chromium) -> None:
    url, area_id = cycle_app
    context = new_context(chromium, "1920")
    page = context.new_page()
    _open(page, f"{url}/medborgarloften?kommun=1960&ar=2023&fokus={area_id}", charts=1)
    _assert_notes(page, [f"1. 15 jun 2021: {NOTE}", f"2. 1 mar 2023: {AREA_NOTE}"])
    assert "Tertial 2 2023 fryst" in main_text(page)
    context.close()


def test_a_deck_with_a_frozen_tertial_and_notes_fits_one_screen_per_slide(cycle_app, chromium) -> None:
    """Kungsör 2023 opened on a projector, every slide at 1920x1080 and 1280x720."""
    url, _ = cycle_app
    context = new_context(chromium, "1920")
    page = context.new_page()
    _open(page, f"{url}/mote?kommun=1960&ar=2023&presentation=1&bild=1")
    count = int(re.search(r"Bild 1 av (\d+)", main_text(page)).group(1))

    def frozen_on_every_slide(text: str) -> None:
        assert "Tertial 1 2023 fryst" in text

    too_tall = slides_too_tall(page, count, ARTIFACTS / "mote", frozen_on_every_slide)
    assert too_tall == [], f"slides taller than the screen (slide, size, px): {too_tall}"
    context.close()
