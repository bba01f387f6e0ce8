"""Start the app the way README.md says (streamlit run dashboard.py) on a free port, and wait until healthy."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_app(
    env: dict[str, str], *, extra_args: tuple[str, ...] = (), port: int | None = None, script: Path | None = None
) -> Iterator[str]:
    """Yield the base URL of a running server (dashboard.py unless another ``script``); stop it afterwards."""
    port = port or free_port()
    script = script or ROOT / "dashboard.py"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
        *extra_args,
    ]
    log_path = ROOT / "test-artifacts" / "logs" / f"streamlit-{port}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=script.parent, env=os.environ | env, stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 30.0, *, name: str = "server") -> None:
    """Poll ``url``/_stcore/health until it says ok (also through a proxy in front of the app); fail early when
    ``process`` has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with code {process.returncode}; see test-artifacts/logs")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{name} did not become healthy")


# Generous: on a loaded 2-core machine a fresh session can take many seconds. These waits end as soon as
# Streamlit says it is done; the timeout only bounds a real hang.
RENDER_TIMEOUT_MS = 90_000
SETTLE_MS = 210  # Streamlit marks a run as running ~0.2 s after the trigger (RECIPES.md)
_DONE = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    return !!app && app.dataset.testConnectionState === 'CONNECTED' && app.dataset.testScriptState === 'notRunning'
        && document.querySelectorAll("[data-testid='stSkeleton']").length === 0;
}"""
_CHARTS_DRAWN = """(minimum) => {
    const charts = [...document.querySelectorAll("[data-testid='stPlotlyChart']")];
    return charts.length >= minimum && charts.every(chart => chart.querySelector('.main-svg'));
}"""


def wait_rendered(page, *, charts: int = 0) -> None:  # noqa: ANN001 - playwright Page
    """Wait on Streamlit's own signal that the run is done (connected, script not running, no skeletons), then
    for every plotly chart on the page to be drawn (at least ``charts`` of them). The signal is read twice,
    SETTLE_MS apart: a run can be followed at once by another (the router's first run, a page's st.rerun)."""
    for _ in range(2):
        page.wait_for_timeout(SETTLE_MS)
        page.wait_for_function(_DONE, timeout=RENDER_TIMEOUT_MS)
    page.wait_for_function(_CHARTS_DRAWN, arg=charts, timeout=RENDER_TIMEOUT_MS)


def full_screenshot(page, path: Path) -> None:  # noqa: ANN001 - playwright Page
    """Streamlit scrolls inside stMain: grow the viewport to its height, then shoot."""
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": max(int(height), 600)})
    page.wait_for_timeout(SETTLE_MS)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
