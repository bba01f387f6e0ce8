"""Load: 20 browser sessions at once against one server, each clicking through the viewer pages for a bounded
time. Every view must reach Streamlit's idle state with its own heading, without an exception, a traceback or a
section that could not be shown; the time from click (or page load) to idle is reported, p95 included."""

from __future__ import annotations

import asyncio
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest

from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, RENDER_TIMEOUT_MS, ROOT, SETTLE_MS

pytestmark = pytest.mark.browser
SESSIONS = 20
SECONDS = 15  # after its first page, each session starts a new view until then (at least one click each)
RAMP_SECONDS = 0.25  # between two sessions' first page loads
VIEW_TIMEOUT_MS = RENDER_TIMEOUT_MS  # bounds a real hang; a view ends as soon as Streamlit is idle
# Sidebar link -> the page's heading (h1); Allmänhet has its own frame and is left to test_public_browser.py.
PAGES = [
    ("Översikt", "Översikt"),
    ("Brottsstatistik", "Brottsstatistik"),
    ("Medborgarlöften", "Medborgarlöften"),
    ("Lägesbild", "Lägesbild"),
    ("Jämför kommuner", "Jämför kommuner"),
    ("Möte", "Möte"),
]
VIEWS = [("1960", "2023"), ("0483", "2025")]
_SHOWN = """(title) => {
    const app = document.querySelector("[data-testid='stApp']");
    const h1 = document.querySelector("[data-testid='stMain'] h1");
    return !!app && app.dataset.testConnectionState === 'CONNECTED' && app.dataset.testScriptState === 'notRunning'
        && document.querySelectorAll("[data-testid='stSkeleton']").length === 0
        && !!h1 && h1.innerText.trim() === title;
}"""
_STATE = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    const h1 = document.querySelector("[data-testid='stMain'] h1");
    return `${location.pathname}, ${app && app.dataset.testConnectionState}, ${app && app.dataset.testScriptState}, `
        + `h1 ${h1 && h1.innerText}, ${document.querySelectorAll("[data-testid='stSkeleton']").length} skeletons`;
}"""
_IDLE = """() => document.querySelector("[data-testid='stApp']").dataset.testScriptState === 'notRunning'"""
_PROBLEMS = """() => {
    const text = document.body.innerText;
    return [
        ...[...document.querySelectorAll("[data-testid='stException']")].map(e => 'undantag: ' + e.innerText),
        ...[...document.querySelectorAll("[data-testid='stAlertContentError']")].map(e => 'fel: ' + e.innerText),
        ...(text.includes('Traceback') ? ['Traceback på sidan'] : []),
        ...(text.includes('kunde inte visas just nu') ? ['en del kunde inte visas'] : []),
    ];
}"""


@dataclass
class Tally:
    seconds: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


async def _view(page, title: str, action, tally: Tally) -> None:  # noqa: ANN001 - playwright
    """One view: the click or load, then Streamlit idle with the page's heading; a run that follows at once
    (the router's first run, a page's st.rerun) is waited for and counted."""
    start = time.monotonic()
    try:
        await action()
        await page.wait_for_function(_SHOWN, arg=title, timeout=VIEW_TIMEOUT_MS)
        done = time.monotonic()
        await page.wait_for_timeout(SETTLE_MS)
        if not await page.evaluate(_IDLE):
            await page.wait_for_function(_SHOWN, arg=title, timeout=VIEW_TIMEOUT_MS)
            done = time.monotonic()
    except Exception as exc:  # a timeout or a closed page is a failed view, reported with the others
        state = await page.evaluate(_STATE) if not page.is_closed() else "stängd"
        tally.problems.append(f"{title}: {type(exc).__name__}: {str(exc).splitlines()[0]} ({state})")
        return
    tally.seconds.append(done - start)
    tally.problems += [f"{title}: {p}" for p in await page.evaluate(_PROBLEMS)]


async def _session(context, url: str, number: int, until: float, tally: Tally) -> None:  # noqa: ANN001
    await asyncio.sleep(number * RAMP_SECONDS)  # viewers arrive one after another, not in the same millisecond
    page = await context.new_page()  # a tab: a Streamlit session of its own
    kommun, year = VIEWS[number % len(VIEWS)]
    await _view(page, "Översikt", lambda: page.goto(f"{url}/?kommun={kommun}&ar={year}"), tally)
    step = number  # the sessions start on different pages
    while step == number or time.monotonic() < until:
        step += 1
        link, title = PAGES[step % len(PAGES)]
        nav = page.locator("[data-testid='stSidebarNav'] a").filter(has_text=link).first
        await _view(page, title, nav.click, tally)
    await page.close()


async def _warm_up(context, url: str) -> None:  # noqa: ANN001 - playwright
    """One view per kommun before the clock starts: the server's first run (seeding, caches) is not the load."""
    await asyncio.gather(_session(context, url, 0, 0.0, Tally()), _session(context, url, 1, 0.0, Tally()))


async def _load(url: str) -> Tally:
    """The sessions are tabs of one browser context: separate Streamlit sessions (a websocket each) that share
    the browser's cache, so the two cores go to the server rather than to compiling the same JavaScript twenty
    times, which twenty real viewers do on twenty machines."""
    from playwright.async_api import async_playwright

    tally = Tally()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = await browser.new_context(
            locale="sv-SE", timezone_id="Europe/Stockholm", viewport={"width": 1280, "height": 720}
        )
        context.set_default_timeout(VIEW_TIMEOUT_MS)
        await _warm_up(context, url)
        until = time.monotonic() + SECONDS
        await asyncio.gather(*(_session(context, url, n, until, tally) for n in range(SESSIONS)))
        await browser.close()
    return tally


def test_twenty_sessions_click_through_the_pages_without_an_error(app_url: str) -> None:
    started = time.monotonic()
    with ThreadPoolExecutor(1) as pool:  # a thread of its own: no other test's event loop in the way
        tally = pool.submit(asyncio.run, _load(app_url)).result()
    assert tally.problems == []
    times = sorted(tally.seconds)
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else float("nan")
    summary = (
        f"{SESSIONS} sessioner i {SECONDS} s ({time.monotonic() - started:.0f} s i allt): {len(times)} sidvisningar, "
        f"median {statistics.median(times):.2f} s, p95 {p95:.2f} s, längst {times[-1]:.2f} s till klar"
    )
    print(summary)
    artifact = ROOT / "test-artifacts" / "belastning.txt"
    artifact.parent.mkdir(parents=True, exist_ok=True)
    artifact.write_text(summary + "\n", encoding="utf-8")
    assert len(times) >= 2 * SESSIONS  # every session got past its first page
