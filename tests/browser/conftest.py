"""Browser fixtures: one Chromium and one app server per test session (the read-only tests share them), a
Swedish 1920x1080 page per test."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, RENDER_TIMEOUT_MS, ROOT, running_app

# What a test expects to see after a click is waited for (the click's rerun may start after a first idle signal
# on a loaded machine); the timeout only bounds a real hang.
expect.set_options(timeout=RENDER_TIMEOUT_MS)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium saknas: installera med apt-get install -y chromium (se .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory):
    """One server on its own seeded database for every test that only reads (tests that sign in and write
    start their own)."""
    db = tmp_path_factory.mktemp("db") / "browser.sqlite3"
    with running_app({"LOFTE_DATABASE_URL": f"sqlite:///{db}"}) as url:
        yield url


VIEWPORTS = {"1920": {"width": 1920, "height": 1080}, "1280": {"width": 1280, "height": 720}}


def new_context(chromium, size: str = "1920", locale: str = "sv-SE"):  # noqa: ANN001, ANN201 - playwright
    context = chromium.new_context(locale=locale, timezone_id="Europe/Stockholm", viewport=VIEWPORTS[size])
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    return context


@pytest.fixture
def sv_page(chromium):
    context = new_context(chromium)
    yield context.new_page()
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # noqa: ANN201 - pluggy hook wrapper
    """When a browser test fails, add what its page showed and the end of its server's log to the report (CI
    keeps only the output), and keep a screenshot in test-artifacts/failures."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    for name, value in getattr(item, "funcargs", {}).items():
        if isinstance(value, Page) and not value.is_closed():
            _describe_page(report, item.name, name, value)


def _describe_page(report: pytest.TestReport, test: str, fixture: str, page: Page) -> None:
    try:
        text = page.locator("body").inner_text(timeout=5_000)
        page.screenshot(path=str(ROOT / "test-artifacts" / "failures" / f"{test}-{fixture}.png"), timeout=10_000)
    except Exception as exc:  # noqa: BLE001 - a report must not fail on a broken page
        text = f"(sidan kunde inte läsas: {exc})"
    report.sections.append((f"page {fixture} at {page.url}", text[:4_000]))
    log = ROOT / "test-artifacts" / "logs" / f"streamlit-{urlsplit(page.url).port}.log"
    if log.exists():
        report.sections.append((f"server log {log.name}", log.read_text(errors="replace")[-4_000:]))
