"""Step through a meeting deck in presentation mode and measure every slide at both screen sizes.

Each slide is one rerun ("Nästa"); it is then measured at 1920x1080 and at 1280x720 by resizing the window,
which is what a projector or a laptop does to the page (the slide's layout is CSS: vh and rem, nothing the
server decides). So a deck costs one rerun per slide, not one per slide and size."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tests.browser.conftest import VIEWPORTS
from tests.browser.server import SETTLE_MS, wait_rendered

SLACK_PX = 4
ENGLISH = re.compile(r"\b(empty|None|NaN|null|undefined|Error|True|False)\b")
HYPHEN_MINUS = re.compile(r"(?<![\w+])-\d")
_CHARTS_SIZED = """(width) => [...document.querySelectorAll('.js-plotly-plot')].every(
    plot => plot.getBoundingClientRect().width <= width)"""


def main_text(page) -> str:  # noqa: ANN001 - playwright Page
    return page.locator("[data-testid='stMain']").inner_text()


def _main_height(page) -> int:  # noqa: ANN001
    return page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")


def _measure(page, size: str) -> int:  # noqa: ANN001
    """The slide's height at ``size`` once the window has that size and every chart has followed it."""
    page.set_viewport_size(VIEWPORTS[size])
    page.wait_for_function(_CHARTS_SIZED, arg=VIEWPORTS[size]["width"])
    page.wait_for_timeout(SETTLE_MS)
    return _main_height(page)


def slides_too_tall(
    page,  # noqa: ANN001 - playwright Page
    count: int,
    shots: Path,
    check: Callable[[str], None] = lambda text: None,
) -> list[tuple[int, str, int]]:
    """Walk slides 1..``count`` from the open first slide: no exception, no English word or hyphen for a minus
    on screen, ``check`` on the slide's text, a screenshot per slide and size in ``shots``. Returns the slides
    taller than the screen as (slide, size, px)."""
    shots.mkdir(parents=True, exist_ok=True)
    too_tall = []
    for number in range(1, count + 1):
        if number > 1:
            page.get_by_role("button", name="Nästa").click()
            wait_rendered(page)
        page.get_by_text(f"Bild {number} av {count}").wait_for()
        assert page.locator("[data-testid='stException']").count() == 0
        text = main_text(page)
        assert not ENGLISH.search(text), (number, ENGLISH.search(text))
        assert not HYPHEN_MINUS.search(text), (number, "a change with a hyphen instead of a minus sign")
        check(text)
        for size in VIEWPORTS:
            height = _measure(page, size)
            page.screenshot(path=str(shots / f"bild{number}_{size}.png"))
            if height > VIEWPORTS[size]["height"] + SLACK_PX:
                too_tall.append((number, size, height))
    return too_tall
