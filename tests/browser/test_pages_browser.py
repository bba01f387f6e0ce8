"""Browser test: the real server in Debian's Chromium; every page renders its heading without an exception."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, ROOT, full_screenshot, running_app, wait_rendered

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"

PAGES = [
    ("", "Översikt", "oversikt"),
    ("brottsstatistik", "Brottsstatistik", "brottsstatistik"),
    ("medborgarloften", "Medborgarlöften", "medborgarloften"),
    ("lagesbild", "Lägesbild", "lagesbild"),
]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory):
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium saknas: installera med apt-get install -y chromium (se .ci/run)")
    db = tmp_path_factory.mktemp("db") / "browser.sqlite3"
    with running_app({"LOFTE_DATABASE_URL": f"sqlite:///{db}"}) as url:
        yield url


def test_a_fresh_server_opened_on_a_sub_page_renders_it(browser, tmp_path):
    """Streamlit's legacy pages/ mode handles the first run of a fresh server; the app leaves it."""
    with running_app({"LOFTE_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"}) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        page = context.new_page()
        page.goto(f"{url}/medborgarloften?kommun=0483&ar=2019")
        wait_rendered(page)
        page.wait_for_selector("h1")
        assert page.locator("h1").first.inner_text().strip() == "Medborgarlöften"
        assert page.locator("[data-testid='stSidebarNav'] a").first.inner_text().strip() == "Översikt"
        context.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", viewport={"width": 1920, "height": 1080}
    )
    yield context.new_page()
    context.close()


@pytest.mark.parametrize(("path", "heading", "name"), PAGES)
@pytest.mark.parametrize(("kommun", "year"), [("1960", "2023"), ("0483", "2019")])
def test_page_renders(app_url, page, path, heading, name, kommun, year):
    page.goto(f"{app_url}/{path}?kommun={kommun}&ar={year}")
    wait_rendered(page, charts=1 if name == "brottsstatistik" and kommun == "1960" else 0)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("h1").first.inner_text().strip() == heading
    full_screenshot(page, ARTIFACTS / f"{name}_{kommun}_{year}.png")


def test_deep_link_reopens_view(app_url, page):
    page.goto(f"{app_url}/medborgarloften?kommun=0483&ar=2019")
    wait_rendered(page)
    assert "kommun=0483" in page.url and "ar=2019" in page.url
    assert page.get_by_text("Droger, vapen och unga på väg in i kriminalitet").count() >= 1


def test_bad_parameter_falls_back_with_note(app_url, page):
    page.goto(f"{app_url}/?kommun=9999&ar=abc")
    wait_rendered(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("som inte finns").count() >= 1
    assert page.locator("h1").first.inner_text().strip() == "Översikt"


def _choose(page, label: str, option: str) -> None:  # noqa: ANN001 - playwright Page
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(has_text=label).click()
    page.keyboard.type(option)  # the kommun list is long and virtualised: filter it by typing
    page.get_by_role("option", name=option, exact=True).click()
    wait_rendered(page)


def test_sidebar_choice_goes_into_the_url_and_follows_to_other_pages(app_url, page):
    page.goto(f"{app_url}/?kommun=0483&ar=2019")
    wait_rendered(page)
    _choose(page, "Kommun", "Kungsör")
    _choose(page, "År", "2021")
    page.wait_for_url("**kommun=1960**")
    assert "ar=2021" in page.url
    assert page.get_by_text("Kungsör (1960) · 2021").count() == 1
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Medborgarlöften").click()
    wait_rendered(page)
    assert page.locator("h1").first.inner_text().strip() == "Medborgarlöften"
    assert page.get_by_text("Kungsör (1960) · 2021").count() == 1
    page.wait_for_url("**kommun=1960**")
    assert "ar=2021" in page.url and "/medborgarloften" in page.url


def test_lagesbild_katrineholm_screenshot(app_url, page):
    page.goto(f"{app_url}/lagesbild?kommun=0483&ar=2025&period=ar")
    wait_rendered(page, charts=1)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("65 händelser, 1 jan 2025 – 31 dec 2025").count() == 1
    assert page.locator("[data-testid='stPlotlyChart']").count() == 3
    full_screenshot(page, ARTIFACTS / "lagesbild_0483_2025.png")
