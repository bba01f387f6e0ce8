"""The meeting room in a real browser: every slide fits the projector without scrolling, headline numbers grow
in presentation mode, tables keep status and totals at 1280 px, no English on screen, and the copied link
holds the view as it is now."""

from __future__ import annotations

import pytest

from tests.browser.conftest import VIEWPORTS, new_context
from tests.browser.deck import slides_too_tall
from tests.browser.server import ROOT, wait_rendered

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts" / "mote"


def test_every_slide_of_a_deck_without_police_events_fits_one_screen(app_url, chromium) -> None:
    """Katrineholm 2019 (no police events, so no lägesbild slide), opened on a laptop: every slide at both
    sizes. Kungsör 2023 with frozen tertials and notes is walked in test_cycle_browser.py."""
    context = new_context(chromium, "1280")
    page = context.new_page()
    page.goto(f"{app_url}/mote?kommun=0483&ar=2019&presentation=1&bild=1")
    wait_rendered(page)
    too_tall = slides_too_tall(page, 7, ARTIFACTS / "0483_2019")
    assert too_tall == [], f"slides taller than the screen (slide, size, px): {too_tall}"
    context.close()


def _metric_px(page) -> float:  # noqa: ANN001
    return page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector("
        "'[data-testid=stMetricValue] [data-testid=stMarkdownContainer] p, [data-testid=stMetricValue]')).fontSize)"
    )


def test_headline_numbers_grow_in_presentation_mode(app_url, chromium) -> None:
    context = new_context(chromium, "1920")
    page = context.new_page()
    page.goto(f"{app_url}/mote?kommun=1960&ar=2023&bild=3")
    wait_rendered(page)
    normal = _metric_px(page)
    page.goto(f"{app_url}/mote?kommun=1960&ar=2023&bild=3&presentation=1")
    wait_rendered(page)
    presenting = _metric_px(page)
    box = page.locator("[data-testid='stMetricValue']").first.bounding_box()
    assert presenting >= 48 and presenting > normal * 1.25, (normal, presenting)
    assert box["height"] >= 48  # the text itself, not only its box's font setting
    page.set_viewport_size(VIEWPORTS["1280"])
    wait_rendered(page)
    assert _metric_px(page) > normal
    context.close()


def _visible_headers(page, table: int = 0) -> list[str]:  # noqa: ANN001
    """The grid's accessible header row holds the columns it draws (it is virtualised: off-screen ones are not)."""
    grid = page.locator("[data-testid='stDataFrame']").nth(table)
    return [h.strip() for h in grid.locator("[role=columnheader], th").all_text_contents()]


def test_follow_up_table_at_1280_shows_status_and_totals(app_url, chromium) -> None:
    context = new_context(chromium, "1280")
    page = context.new_page()
    page.goto(f"{app_url}/medborgarloften?kommun=1960&ar=2023")
    wait_rendered(page)
    headers = _visible_headers(page)
    assert headers[:3] == ["Åtagande", "Status", "Totalt"], headers
    page.goto(f"{app_url}/mote?kommun=0483&ar=2019&presentation=1&bild=4")
    wait_rendered(page)
    table = page.locator("[data-testid='stTable'] table").first
    names = [h.strip() for h in table.locator("thead th").all_text_contents()]
    assert {"Status", "Totalt"} <= set(names), names
    for name in ("Status", "Totalt", "T3"):
        box = table.locator("thead th", has_text=name).first.bounding_box()
        assert box["x"] + box["width"] <= 1280, (name, box)
    assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth") <= 1280
    context.close()


def test_copied_link_holds_the_crime_type_chosen_now(app_url, chromium) -> None:
    context = new_context(chromium, "1920")
    page = context.new_page()
    page.goto(f"{app_url}/brottsstatistik?kommun=1960&ar=2016")
    wait_rendered(page, charts=1)
    scope = page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").filter(has_text="Brottstyp").first
    scope.click()
    page.keyboard.type("Skadegörelsebrott")
    page.get_by_role("option", name="Skadegörelsebrott", exact=True).click()
    wait_rendered(page, charts=1)
    page.get_by_text("Kopiera länk till vyn").click()
    link = page.locator("[data-testid='stSidebar'] [data-testid='stCode']").first.inner_text().strip()
    assert "brott=skadegorelse" in link and "kommun=1960" in link and "ar=2016" in link, link
    assert link.split("?")[0].endswith("/brottsstatistik")
    context.close()
