"""Browser tests of the public page (Allmänhet) for Kungsör: what a citizen sees at desktop and phone size,
nothing internal, embedded without the app's frame, and accessibility (axe-core plus our own checks)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from lofte_data import editing
from lofte_data.access import Editor
from lofte_data.seed import seed_defaults
from lofte_data.storage import Store
from tests.browser.server import ROOT, full_screenshot, running_app, wait_rendered

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"
ANNA = Editor("anna@kungsor.se", "Anna Andersson", frozenset({"1960"}), "lösenord")
SIZES = {"1920": {"width": 1920, "height": 1080}, "390": {"width": 390, "height": 844}}
LINK = "allmanhet?kommun=1960&ar=2023"
SECRETS = ("INTERN", "HEMLIGT", "Anna Andersson", "Skolgården X", "Tunneln Y")
# axe rules that fire on Streamlit's own markup, which the app cannot change (README, Beslut). Empty while
# axe finds nothing serious there; a rule is added only with the reason written beside it.
STREAMLIT_OWN: dict[str, str] = {}


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory):
    url = f"sqlite:///{tmp_path_factory.mktemp('public') / 'public.sqlite3'}"
    store = Store.open(url)
    seed_defaults(store)
    promise = store.promise("1960", 2023)
    commitment = promise.focus_areas[0].commitments[0]
    editing.set_comment(store, ANNA, commitment_id=commitment.id, tertial=2, text="INTERN KOMMENTAR")
    editing.add_decision(
        store, ANNA, kommun_code="1960", meeting_date=date(2023, 5, 2), kind="beslut", text="HEMLIGT BESLUT"
    )
    editing.log_activity(
        store, ANNA, commitment_id=commitment.id, on=date(2023, 6, 1), count=5, place="Skolgården X", note="INTERN"
    )
    editing.add_incident(
        store, ANNA, kommun_code="1960", occurred_at=datetime(2023, 6, 2, 22), category="Klotter", place="Tunneln Y"
    )
    store.engine.dispose()
    with running_app({"LOFTE_DATABASE_URL": url}) as base:
        yield base


def _open(chromium, app_url: str, link: str, size: str = "1920", *, charts: int = 1):  # noqa: ANN001, ANN202
    context = chromium.new_context(locale="sv-SE", timezone_id="Europe/Stockholm", viewport=SIZES[size])
    page = context.new_page()
    page.goto(f"{app_url}/{link}")
    wait_rendered(page, charts=charts)
    page.locator("h1").first.wait_for(timeout=10000)
    return context, page


@pytest.fixture(scope="module")
def shown(app_url, chromium):  # noqa: ANN001, ANN201 - playwright
    """Pages opened once for the tests that only read them, the window set to ``size`` (the page's layout is
    CSS, so a phone's width is a resize away): ``shown(link, size)``."""
    opened: dict[str, tuple] = {}

    def get(link: str, size: str = "1920"):  # noqa: ANN202
        if link not in opened:
            opened[link] = _open(chromium, app_url, link, size, charts=0 if "2022" in link else 1)
        page = opened[link][1]
        if page.viewport_size != SIZES[size]:
            page.set_viewport_size(SIZES[size])
            wait_rendered(page)  # the charts are drawn again at the new width
        return page

    yield get
    for context, _ in opened.values():
        context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_the_public_page_for_kungsor(shown, size: str) -> None:
    page = shown(LINK, size)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("h1").inner_text().strip() == "Medborgarlöfte 2023: Kungsör"
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "Ordinarie trafikkontroller med hastighetsmätning" in text and "63" in text
    assert "Skadegörelsebrott: 88 anmälda brott 2016" in text
    assert [s for s in SECRETS if s in page.content()] == []
    full_screenshot(page, ARTIFACTS / f"allmanhet_1960_2023_{size}.png")
    if size == "390":  # every column of the follow-up table is on the phone's screen, nothing to scroll sideways
        table = page.locator("[data-testid='stTable']").first.bounding_box()
        assert table["x"] >= 0 and table["x"] + table["width"] <= 390


def test_embedded_there_is_no_sidebar_menu_or_login(shown) -> None:
    page = shown(f"{LINK}&embed=true", "390")
    for testid in ("stSidebar", "stSidebarNav", "stSidebarCollapsedControl", "stToolbar", "stMainMenu", "stHeader"):
        assert not page.locator(f"[data-testid='{testid}']").is_visible(), testid
    assert "Logga in" not in page.locator("body").inner_text()
    assert page.get_by_role("link", name="2024").is_visible()
    full_screenshot(page, ARTIFACTS / "allmanhet_1960_2023_390_embed.png")


def test_the_plain_link_stands_on_its_own(shown) -> None:
    page = shown(LINK)
    assert page.locator("[data-testid='stSidebarNav']").is_visible()  # the app around it, but no choices
    assert page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").count() == 0
    assert "Logga in" not in page.locator("[data-testid='stSidebar']").inner_text()


def _serious(results: dict) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {len(v['nodes'])} st, t.ex. {v['nodes'][0]['target']}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical") and v["id"] not in STREAMLIT_OWN
    ]


@pytest.mark.parametrize("link", [LINK, f"{LINK}&embed=true", "allmanhet?kommun=1960&ar=2022"])
def test_axe_finds_no_serious_or_critical_violations(shown, link: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = shown(link)
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    results = Axe().run(page, options=options).response
    report = ARTIFACTS / "axe" / f"{link.replace('?', '_').replace('&', '_').replace('=', '-')}.txt"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(
        "\n".join(f"{v['id']} ({v['impact']}): {len(v['nodes'])}" for v in results["violations"]) or "inga",
        encoding="utf-8",
    )
    assert _serious(results) == []


def test_headings_are_in_order_and_every_chart_has_its_table(shown) -> None:
    page = shown(f"{LINK}&embed=true")
    levels = page.eval_on_selector_all(
        "[data-testid='stMain'] h1, [data-testid='stMain'] h2, [data-testid='stMain'] h3, "
        "[data-testid='stMain'] h4, [data-testid='stMain'] h5, [data-testid='stMain'] h6",
        "els => els.filter(e => e.offsetParent !== null).map(e => Number(e.tagName[1]))",
    )
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    # Each chart is followed by a real HTML table with the same figures (the text alternative).
    followed = page.eval_on_selector_all(
        "[data-testid='stPlotlyChart']",
        """charts => charts.map(chart => {
            const all = [...document.querySelectorAll("[data-testid='stPlotlyChart'], [data-testid='stTable']")];
            const next = all[all.indexOf(chart) + 1];
            return Boolean(next && next.matches("[data-testid='stTable']") && next.querySelector('table th'));
        })""",
    )
    assert followed and all(followed)


def test_the_page_is_usable_with_the_keyboard(app_url, chromium) -> None:
    """Tab reaches the links to the other years, and the focused link is visibly outlined."""
    context, page = _open(chromium, app_url, f"{LINK}&embed=true")
    reached = None
    for _ in range(60):
        page.keyboard.press("Tab")
        reached = page.evaluate("document.activeElement && document.activeElement.textContent.trim()")
        if reached == "2024":
            break
    assert reached == "2024"
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle !== 'none' || s.boxShadow !== 'none'; })()"
    )
    assert outline
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Medborgarlöfte 2024: Kungsör").wait_for(timeout=15000)
    assert "ar=2024" in page.url and "embed=true" in page.url  # same tab, still embedded
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    context.close()
