"""Browser tests: the real server in Debian's Chromium at projector and laptop sizes; every page renders its
heading and key figures without an exception; deep links, presentation mode and Swedish formats."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORTS, new_context
from tests.browser.server import RENDER_TIMEOUT_MS, ROOT, full_screenshot, running_app, wait_rendered

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"
NB = "\u00a0"

# path, heading, a text only that page shows for Kungsör 2021 / Katrineholm 2019
PAGES = [
    ("", "Översikt", {"1960": "Hittills 2021 (prel.)", "0483": "Helår 2016 (prel.)"}),
    ("brottsstatistik", "Brottsstatistik", {"1960": "Helår 2016 jämfört med 2015", "0483": "Per år"}),
    (
        "medborgarloften",
        "Medborgarlöften",
        {"1960": "Vuxennärvaro och nattvandring", "0483": "Följs upp 3 gånger per år"},
    ),
    ("lagesbild", "Lägesbild", {"1960": "Inga händelser under perioden", "0483": "Inga händelser under perioden"}),
    ("mote", "Möte", {"1960": "Kungsör 2021 · Bild 1 av 6", "0483": "Katrineholm 2019 · Bild 1 av 7"}),
]
YEARS = {"1960": "2021", "0483": "2019"}


def _context(chromium, size: str = "1920", locale: str = "sv-SE"):  # noqa: ANN001, ANN202
    return new_context(chromium, size, locale)


def _no_exception(page) -> None:  # noqa: ANN001 - playwright Page
    assert page.locator("[data-testid='stException']").count() == 0


def test_a_fresh_server_opened_on_a_sub_page_renders_it(chromium, tmp_path) -> None:
    """Streamlit's legacy pages/ mode handles the first run of a fresh server; the app leaves it."""
    with running_app({"LOFTE_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}"}) as url:
        context = _context(chromium, "1280")
        page = context.new_page()
        page.goto(f"{url}/medborgarloften?kommun=0483&ar=2019")
        wait_rendered(page)
        page.wait_for_selector("h1")
        assert page.locator("h1").first.inner_text().strip() == "Medborgarlöften"
        assert page.locator("[data-testid='stSidebarNav'] a").first.inner_text().strip() == "Översikt"
        context.close()


@pytest.mark.parametrize("kommun", ["1960", "0483"])
def test_every_page_renders_with_its_key_figures(app_url, chromium, kommun) -> None:
    """The link opened on a projector, then every page reached through the menu as a viewer does, each also with
    the window made a laptop's: the heading and the page's key text at both sizes, no exception. (A page opened
    by its own link: the deep-link, Lägesbild, fresh-server and meeting tests.)"""
    context = _context(chromium, "1920")
    page = context.new_page()
    page.goto(f"{app_url}/?kommun={kommun}&ar={YEARS[kommun]}")
    wait_rendered(page)
    for path, heading, key_text in PAGES:
        if path:
            page.locator("[data-testid='stSidebarNav'] a").filter(has_text=heading).first.click()
            page.wait_for_url(f"**/{path}?**")
            wait_rendered(page, charts=1 if path == "brottsstatistik" else 0)
        for size in VIEWPORTS:
            page.set_viewport_size(VIEWPORTS[size])
            _no_exception(page)
            assert page.locator("h1").first.inner_text().strip() == heading
            expect(page.get_by_text(key_text[kommun]).first).to_be_visible()
            full_screenshot(page, ARTIFACTS / f"{path or 'oversikt'}_{kommun}_{YEARS[kommun]}_{size}.png")
        page.set_viewport_size(VIEWPORTS["1920"])
    context.close()


def test_lagesbild_katrineholm_screenshot(app_url, chromium) -> None:
    context = _context(chromium)
    page = context.new_page()
    page.goto(f"{app_url}/lagesbild?kommun=0483&ar=2025&period=ar")
    wait_rendered(page, charts=1)
    _no_exception(page)
    expect(page.get_by_text("65 händelser, 1 jan 2025 – 31 dec 2025")).to_have_count(1)
    assert page.locator("[data-testid='stPlotlyChart']").count() == 3
    full_screenshot(page, ARTIFACTS / "lagesbild_0483_2025.png")
    context.close()


def _choose(page, label: str, option: str, *, sidebar: bool = False) -> None:  # noqa: ANN001 - playwright Page
    scope = page.locator("[data-testid='stSidebar']") if sidebar else page.locator("[data-testid='stMain']")
    scope.locator("[data-testid='stSelectbox']").filter(has_text=label).first.click()
    page.keyboard.type(option)  # long lists are virtualised: filter by typing
    page.get_by_role("option", name=option, exact=True).click()
    wait_rendered(page)


def test_sidebar_choice_goes_into_the_url_and_follows_to_other_pages(app_url, chromium) -> None:
    context = _context(chromium)
    page = context.new_page()
    page.goto(f"{app_url}/?kommun=0483&ar=2019")
    wait_rendered(page)
    _choose(page, "Kommun", "Kungsör", sidebar=True)
    _choose(page, "År", "2021", sidebar=True)
    page.wait_for_url("**kommun=1960**")
    assert "ar=2021" in page.url
    expect(page.get_by_text("Kungsör (1960) · 2021")).to_have_count(1)
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Medborgarlöften").click()
    wait_rendered(page)
    assert page.locator("h1").first.inner_text().strip() == "Medborgarlöften"
    expect(page.get_by_text("Kungsör (1960) · 2021")).to_have_count(1)
    page.wait_for_url("**kommun=1960**")
    assert "ar=2021" in page.url and "/medborgarloften" in page.url
    context.close()


def test_deep_link_round_trip_in_a_fresh_browser(app_url, chromium) -> None:
    first = _context(chromium)
    page = first.new_page()
    page.goto(f"{app_url}/brottsstatistik?kommun=1984&ar=2016")
    wait_rendered(page, charts=1)
    _choose(page, "Brottstyp", "Skadegörelsebrott")
    page.get_by_text("Per 100 000 inv.", exact=True).click()
    wait_rendered(page, charts=1)
    page.wait_for_url("**matt=per_100k**")
    link = page.url
    assert "brott=skadegorelse" in link and "kommun=1984" in link
    first.close()

    second = _context(chromium, "1280")
    again = second.new_page()
    again.goto(link)
    wait_rendered(again, charts=1)
    _no_exception(again)
    expect(again.get_by_text("Arboga (1984) · 2016")).to_have_count(1)
    expect(again.get_by_text("Skadegörelsebrott per 100 000 inv., Arboga och omgivning")).to_have_count(1)
    expect(again.locator("[data-testid='stRadio'] input[type=radio]:checked")).to_have_count(1)
    second.close()


def test_bad_parameter_falls_back_with_a_note(app_url, chromium) -> None:
    context = _context(chromium)
    page = context.new_page()
    page.goto(f"{app_url}/?kommun=%3Cscript%3Ealert(1)%3C/script%3E&ar=**fet**")
    wait_rendered(page)
    _no_exception(page)
    expect(page.get_by_text("som inte finns").first).to_be_attached()
    assert page.locator("h1").first.inner_text().strip() == "Översikt"
    context.close()


def _body_px(page) -> float:  # noqa: ANN001 - playwright Page
    """The font size of the slide's first paragraph of body text (not the slide controls)."""
    return page.evaluate(
        "parseFloat(getComputedStyle([...document.querySelectorAll('[data-testid=stMain] "
        "[data-testid=stMarkdownContainer] p')].find(p => !p.closest('.st-key-slide_controls, button'))).fontSize)"
    )


def test_presentation_mode_next_and_previous(app_url, chromium) -> None:
    context = _context(chromium, "1280")
    page = context.new_page()
    page.goto(f"{app_url}/mote?kommun=1960&ar=2023&presentation=1&bild=2")  # after "Sedan förra mötet"
    wait_rendered(page)
    page.wait_for_selector("[data-testid='stSidebar']", state="hidden")
    for size, least_px in (("1280", 18), ("1920", 20)):  # the page's own body text is 16 px
        page.set_viewport_size(VIEWPORTS[size])
        assert _body_px(page) >= least_px, size
        next_button = page.get_by_role("button", name="Nästa")
        assert next_button.is_visible() and next_button.bounding_box()["y"] < VIEWPORTS[size]["height"], size
        full_screenshot(page, ARTIFACTS / f"presentation_1_{size}.png")
    page.set_viewport_size(VIEWPORTS["1920"])
    for expected in ("Anmälda brott", "Anmälda brott per brottstyp", "Fokusområde: Ungdomsproblematik"):
        page.get_by_role("button", name="Nästa").click()
        # The click's rerun may start after a first idle signal on a loaded machine: wait for the slide itself.
        expect(page.get_by_role("heading", name=expected, exact=True)).to_have_count(1, timeout=RENDER_TIMEOUT_MS)
        wait_rendered(page)
    page.wait_for_url("**bild=5**")
    full_screenshot(page, ARTIFACTS / "presentation_5_1920.png")
    page.get_by_role("button", name="Föregående").click()
    heading = page.get_by_role("heading", name="Anmälda brott per brottstyp", exact=True)
    expect(heading).to_have_count(1, timeout=RENDER_TIMEOUT_MS)
    page.get_by_role("button", name="Avsluta presentationsläge").click()
    wait_rendered(page)
    assert page.locator("[data-testid='stSidebar']").is_visible()
    context.close()


def test_swedish_formats_in_an_english_browser(app_url, chromium) -> None:
    context = _context(chromium, locale="en-US")
    page = context.new_page()
    page.goto(f"{app_url}/?kommun=0483&ar=2019")
    wait_rendered(page)
    expect(page.get_by_text(f"4{NB}774", exact=True).first).to_be_attached()  # not 4,774
    expect(page.get_by_text(f"+2{NB}%").first).to_be_attached()
    page.goto(f"{app_url}/brottsstatistik?kommun=1960&ar=2016")
    wait_rendered(page, charts=1)
    expect(page.get_by_text(f"\u22129{NB}%").first).to_be_attached()  # a real minus sign: 602 against 660
    swedish_day = re.compile(r"inläst \d{1,2} (jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec) \d{4}")
    expect(page.get_by_text(swedish_day).first).to_be_attached()
    ticks = page.locator("[data-testid='stPlotlyChart'] .xtick text").all_text_contents()
    assert {"maj", "okt", "dec"} <= set(ticks)
    context.close()


def test_tertial_report_downloads_as_a_pdf_with_the_figures(app_url, chromium, tmp_path) -> None:
    import shutil
    import subprocess

    context = chromium.new_context(accept_downloads=True, viewport=VIEWPORTS["1920"])
    page = context.new_page()
    page.goto(f"{app_url}/mote?kommun=1960&ar=2023")
    wait_rendered(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Ladda ned tertialrapporten (PDF)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "uppfoljning-1960-2023-T3.pdf"
    assert path.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext saknas: installera poppler-utils (se scripts/test)")
    text = " ".join(
        subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    for expected in (
        "Kungsör",
        "2023",
        "Ungdomsproblematik",
        "Trafiksäkerhet samt trafikrelaterad brottslighet",
        "Ordinarie trafikkontroller",
        "63",
        "Källa: Brå",
        "Sida 1 av",
    ):
        assert expected in text
    shutil.copy(path, ARTIFACTS / path.name)
    context.close()
