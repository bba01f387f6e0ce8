"""Speed and memory figures of the dashboard, printed with their targets (not a test: run it and read).

    python scripts/benchmark.py

Measures on a fresh SQLite database in a temporary folder: first start (migrate + embedded data), a Brå import
of all 290 kommuner x 12 months, the analysis behind the pages, each page rendered in-process (AppTest), the
PDF report, and a real server: start to healthy and its memory after a browser session on every page.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = [
    "pages/oversikt.py",
    "pages/brottsstatistik.py",
    "pages/medborgarloften.py",
    "pages/lagesbild.py",
    "pages/mote.py",
]
RESULTS: list[tuple[str, float, float, str]] = []


def timed(label: str, target: float, unit: str = "s", repeat: int = 1) -> Callable:
    def wrap(function: Callable[[], object]) -> object:
        runs, result = [], None
        for _ in range(repeat):
            start = time.perf_counter()
            result = function()
            runs.append(time.perf_counter() - start)
        RESULTS.append((label, statistics.median(runs), target, unit))
        return result

    return wrap


def databasfil(months: int = 12) -> bytes:
    """A Brå Databasfil (monthly menu) for every kommun, 10 categories, ``months`` months of one year."""
    from lofte_data.crime_types import BRA_LABELS
    from lofte_data.sources.bra import MONTHS
    from lofte_data.sweden import load_kommuner

    lines = ["Region;Brott;År;Period;Antal;/100 000 inv"]
    for name in load_kommuner()["name"]:
        for month in MONTHS[:months]:
            lines += [f"{name} kommun;{label};2017;{month};{17 + len(label)};{40 + len(name)};" for label in BRA_LABELS]
    return ("\n".join(lines) + "\n").encode("iso-8859-1")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="lofte-bench-"))
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["LOFTE_DATABASE_URL"] = url

    from lofte_data import importing, report, trends
    from lofte_data.access import OPERATOR
    from lofte_data.seed import seed_defaults
    from lofte_data.storage import Store

    store = timed("Första start: migrera + standarddata", 3.0)(lambda: (s := Store.open(url), seed_defaults(s))[0])
    data = databasfil()
    timed("Brå-import: 290 kommuner x 12 mån (34 800 rader)", 20.0)(
        lambda: importing.import_bra(store, data, filename="Databasfil.txt", editor=OPERATOR)
    )
    stats = store.crime_stats(["1960"])
    timed("Analys: hittills i år per brottstyp", 0.2, repeat=5)(lambda: trends.year_on_year_table(stats, 2016))
    timed("PDF: tertialrapport Kungsör 2023 T3", 5.0)(
        lambda: report.build_report(store, kommun_code="1960", year=2023, tertial=3)
    )
    app_pages()
    server(url)
    print_results()


def app_pages() -> None:
    from streamlit.testing.v1 import AppTest

    for page in PAGES:

        def render(page: str = page) -> None:
            at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
            at.query_params["kommun"], at.query_params["ar"] = "1960", "2023"
            at.run()
            at.switch_page(page).run()
            assert not at.exception, at.exception

        timed(f"Sida i processen (AppTest): {Path(page).stem}", 1.5, repeat=3)(render)


def server(url: str) -> None:
    from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, running_app, wait_rendered

    start = time.perf_counter()
    with running_app({"LOFTE_DATABASE_URL": url}) as base:
        RESULTS.append(("Server: start till svar på /_stcore/health", time.perf_counter() - start, 3.0, "s"))
        if not Path(CHROMIUM).exists():
            print("Chromium saknas: hoppar över webbläsarmätningen.")
            return
        from playwright.sync_api import sync_playwright

        pid = _server_pid(base)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            for path in ("", "brottsstatistik", "medborgarloften", "lagesbild", "mote"):
                begin = time.perf_counter()
                page.goto(f"{base}/{path}?kommun=1960&ar=2023")
                wait_rendered(page)
                RESULTS.append((f"Webbläsare: /{path} klar att läsa", time.perf_counter() - begin, 4.0, "s"))
            browser.close()
        if pid:
            RESULTS.append(("Server: minne (RSS) efter en session på alla sidor", rss_mb(pid), 400.0, "MB"))


def _server_pid(base: str) -> int | None:
    port = base.rsplit(":", 1)[1]
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if "streamlit" in command and f"--server.port={port}" in command:
                return int(proc.name)
    return None


def print_results() -> None:
    width = max(len(label) for label, *_ in RESULTS)
    print(f"\n{'Mätning'.ljust(width)}  {'värde':>9}  {'mål':>9}")
    for label, value, target, unit in RESULTS:
        verdict = "ok" if value <= target else "ÖVER MÅLET"
        print(f"{label.ljust(width)}  {value:8.2f} {unit:<2} {target:7.1f} {unit:<2}  {verdict}")


if __name__ == "__main__":
    main()
