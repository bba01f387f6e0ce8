"""Current figures in a real browser: after `refresh all` against a fake Kolada (invented values 2010-2025), the
focus areas draw their crime types through the latest fake year beside the work, and Översikt leads with it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from lofte_data import config
from lofte_data.__main__ import main
from tests.browser.conftest import VIEWPORTS, new_context
from tests.browser.server import ROOT, full_screenshot, running_app, wait_rendered
from tests.support.fake_kolada import LATEST_FAKE_YEAR, serve_fake_kolada

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts" / "aktuellt"


@pytest.fixture(scope="module")
def refreshed_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('aktuellt') / 'lofte.sqlite3'}"
    with serve_fake_kolada() as fake, pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOFTE_DATABASE_URL", url)
        patch.setenv(config.KOLADA_URL_ENV, fake.kolada_url)
        patch.setenv(config.POLISEN_URL_ENV, fake.polisen_url)
        assert main(["refresh", "all", "--kommun", "1960", "--kommun", "0483"]) == 0
    with running_app({"LOFTE_DATABASE_URL": url}) as app_url:
        yield app_url


def test_focus_areas_draw_their_crime_through_the_latest_year(refreshed_app, chromium) -> None:
    """Each page opened once, looked at on a projector and then in a laptop's window."""
    context = new_context(chromium, "1920")
    page = context.new_page()
    page.goto(f"{refreshed_app}/medborgarloften?kommun=1960&ar=2023")
    wait_rendered(page, charts=1)
    title = "Brott och insatser per år: Ungdomsproblematik"
    chart = page.locator("[data-testid='stPlotlyChart']").filter(has_text=title).first
    for size in VIEWPORTS:
        page.set_viewport_size(VIEWPORTS[size])
        expect(chart.locator(".xtick text").filter(has_text=str(LATEST_FAKE_YEAR))).to_have_count(1)
        expect(chart.locator(".xtick text").filter(has_text="2023")).to_have_count(1)
        expect(chart.get_by_text("Löfte 2023")).to_have_count(1)  # the promise year marked on the same axis
        full_screenshot(page, ARTIFACTS / f"medborgarloften_1960_2023_{size}.png")
    page.goto(f"{refreshed_app}/?kommun=1960&ar=2024")
    wait_rendered(page)
    heading = f"Per brottstyp: senaste år med siffror, {LATEST_FAKE_YEAR} jämfört med {LATEST_FAKE_YEAR - 1}"
    for size in VIEWPORTS:
        page.set_viewport_size(VIEWPORTS[size])
        expect(page.get_by_text(heading)).to_have_count(1)
        expect(page.get_by_text(f"Kolada {LATEST_FAKE_YEAR} (inläst", exact=False).first).to_be_attached()
        full_screenshot(page, ARTIFACTS / f"oversikt_1960_2024_{size}.png")
    context.close()
