"""Browser fixtures: one Chromium per test session, a Swedish 1920x1080 page per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.server import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium saknas: installera med apt-get install -y chromium (se .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def sv_page(chromium):
    context = chromium.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", viewport={"width": 1920, "height": 1080}
    )
    yield context.new_page()
    context.close()
