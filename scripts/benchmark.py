"""The dashboard at national scale, each figure as a ratio against its floor measured in the same run (not a test).

    python scripts/benchmark.py               # full scale: 290 kommuner x 20 years of Brå, 1 000 000 incidents
    python scripts/benchmark.py --scale 0.05  # a quick run on a twentieth of the data

Builds a national data set in the real formats (scripts/national_data.py) in a fresh database, then measures:

1. each page's warm rerun in Chromium (the kommun switched from Kungsör to Stockholm in the sidebar, until
   Streamlit is idle and every chart drawn) vs the same switch on an empty page with one widget
   (scripts/empty_page.py, served by a second server on the same machine at the same time);
2. each page's first render in a fresh browser context vs the empty page;
3. server memory after 1 and after 20 concurrent sessions (on different pages and kommuner);
3b. the first page after a server start (cold cache) vs the empty page after a start;
4. the Brå import of one 20-year national export (``python -m lofte_data import-bra``) vs ``pandas.read_csv``
   of the same file, and storing a national Kolada refresh;
4b. the län and Riket overviews (/jamfor) are pages of 1. and 2.;
5. ``refresh kolada`` for every area against the local fake Kolada with 50 ms latency: requests and time vs
   one request per area and KPI;
6. the public page (/allmanhet, no widgets: a viewer's rerun is a reload) under 50 concurrent viewers: all 50
   reload at once, p95 of the time until each is drawn again, vs the empty page under the same 50 viewers.

Measurements are interleaved (the app, then the floor) and the median of ``--reps`` repetitions is taken, so
a machine shared with others moves both alike. A step that fails prints its error and the run goes on. The
last line is ``worst page ratio: X.XX`` (the largest ratio of 1. and 2.). Everything runs on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts import national_data  # noqa: E402
from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, running_app  # noqa: E402

EMPTY_PAGE = ROOT / "scripts" / "empty_page.py"
YEAR = national_data.PROMISE_YEAR
# (label, path and query after the kommun) of every page measured in the browser.
PAGES = [
    ("Översikt", "", ""),
    ("Brottsstatistik", "brottsstatistik", ""),
    ("Medborgarlöften", "medborgarloften", ""),
    ("Lägesbild", "lagesbild", "&period=ar"),
    ("Möte", "mote", ""),
    ("Jämför: länet", "jamfor", "&niva=lan"),
    ("Jämför: riket", "jamfor", "&niva=riket"),
]
PAGE_GOAL, FIRST_GOAL, COLD_GOAL, IMPORT_GOAL, SESSION_MB_GOAL = 2.0, 1.5, 3.0, 3.0, 5.0
KOLADA_LATENCY = 0.05
SESSIONS = 20
VIEWERS = 50


@dataclass
class Row:
    label: str
    value: float
    floor: float | None
    goal: float | None
    unit: str = "s"
    page: bool = False  # counts toward "worst page ratio"

    @property
    def ratio(self) -> float | None:
        return self.value / self.floor if self.floor else None

    def line(self) -> str:
        ratio = f"{self.ratio:6.2f}x" if self.ratio is not None else "       "
        floor = f"{self.floor:8.2f}" if self.floor is not None else "        "
        goal = f"mål ≤ {self.goal:g}{'x' if self.floor else ' ' + self.unit}" if self.goal is not None else ""
        within = self.ratio if self.floor else self.value
        verdict = "" if self.goal is None else ("ok" if within is not None and within <= self.goal else "ÖVER MÅLET")
        return f"{self.label:<52} {self.value:8.2f} {floor} {self.unit:<3} {ratio}  {goal:<12} {verdict}"


RESULTS: list[Row] = []


def record(row: Row) -> None:
    RESULTS.append(row)
    print(row.line(), flush=True)


def step(name: str, action: Callable[[], object]) -> object:
    """Run one step; a failure prints its error and the run goes on."""
    print(f"\n== {name}", flush=True)
    try:
        return action()
    except Exception as exc:  # noqa: BLE001 - a benchmark step reports any failure and the next one runs
        print(f"STEGET MISSLYCKADES: {exc.__class__.__name__}: {exc}", flush=True)
        traceback.print_exc(limit=3)
        return None


def median_of(reps: int, action: Callable[[], float]) -> float:
    return statistics.median(action() for _ in range(reps))


# -- data -------------------------------------------------------------------------------------------------------


def build_data(url: str, scale: float, folder: Path) -> None:
    from lofte_data.seed import seed_defaults
    from lofte_data.storage import Store

    begin = time.perf_counter()
    store = Store.open(url)
    seed_defaults(store)
    record(Row("Ny databas: migrera + standarddata", time.perf_counter() - begin, None, None))
    step("Brå: import av en nationell 20-årsexport (4)", lambda: bra_import(url, scale, folder))
    step("Kolada: alla kommuner, län och riket sparade (4)", lambda: kolada_store(store))
    begin = time.perf_counter()
    count = national_data.store_incidents(store, scale)
    record(Row(f"Testdata: {count:,} händelser sparade".replace(",", " "), time.perf_counter() - begin, None, None))
    begin = time.perf_counter()
    count = national_data.store_promises(store, scale)
    record(
        Row(f"Testdata: löften med {count:,} aktiviteter".replace(",", " "), time.perf_counter() - begin, None, None)
    )
    begin = time.perf_counter()
    seed_defaults(Store.open(url))
    record(Row("Öppna databasen igen (migrera + standarddata)", time.perf_counter() - begin, None, None))
    store.engine.dispose()


def bra_import(url: str, scale: float, folder: Path) -> None:
    import pandas as pd

    path = folder / "Databasfil.txt"
    path.write_bytes(national_data.databasfil(scale))
    mb = path.stat().st_size / 1e6

    def read() -> float:
        begin = time.perf_counter()
        pd.read_csv(io.BytesIO(path.read_bytes()), sep=";", encoding="iso-8859-1")
        return time.perf_counter() - begin

    floor = median_of(3, read)
    begin = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "lofte_data", "import-bra", str(path)],
        cwd=ROOT,
        env=os.environ | {"LOFTE_DATABASE_URL": url},
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - begin
    print((done.stdout or done.stderr).strip()[:300])
    if done.returncode:
        raise RuntimeError(f"import-bra gav slutkod {done.returncode}")
    record(Row(f"Brå-import {mb:.0f} MB (CLI) mot pandas.read_csv", seconds, floor, IMPORT_GOAL))


def kolada_store(store: object) -> None:
    begin = time.perf_counter()
    stored = national_data.store_kolada(store)  # type: ignore[arg-type]
    record(Row(f"Kolada: {stored:,} värden sparade".replace(",", " "), time.perf_counter() - begin, None, 10.0))


def kolada_refresh(url: str) -> None:
    """refresh kolada for every area against the fake with 50 ms latency; the floor is one request per
    area and KPI at that latency (not run: computed)."""
    from lofte_data import access, refresh
    from lofte_data.crime_types import kolada_refresh_kpis
    from lofte_data.sources import kolada
    from lofte_data.storage import Store
    from tests.support.fake_kolada import serve_fake_kolada

    store = Store.open(url)
    areas, years = refresh.kolada_areas(store), refresh.kolada_years(date(2025, 12, 31))
    kpis = kolada_refresh_kpis()
    minimum = len(kolada.planned_data_urls(kpis, areas, years, base_url="http://x"))
    with serve_fake_kolada(latency=KOLADA_LATENCY) as fake:
        begin = time.perf_counter()
        result = refresh.refresh_kolada(
            store,
            editor=access.OPERATOR,
            client=kolada.KoladaClient(base_url=fake.kolada_url),
            today=date(2025, 12, 31),
        )
        seconds = time.perf_counter() - begin
        requests = len(fake.data_requests)
    naive = len(kpis) * len(areas)
    print(f"{result.summary()}; minsta möjliga {minimum}, ett per område och nyckeltal {naive}")
    record(Row(f"refresh kolada: {requests} anrop (minst {minimum}) mot {naive}", requests, naive, 1.0, "st"))
    record(Row("refresh kolada: tid mot ett anrop per område och KPI", seconds, naive * KOLADA_LATENCY, 1.0))
    store.engine.dispose()


# -- servers and the browser ----------------------------------------------------------------------------------------


def server_pid(base: str) -> int | None:
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


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@contextmanager
def servers(url: str) -> Iterator[tuple[str, str]]:
    env = {"LOFTE_DATABASE_URL": url}
    with running_app(env) as app, running_app(env, script=EMPTY_PAGE) as empty:
        yield app, empty


# Idle = connected, the script not running, the expected text shown, no skeleton, every plotly chart drawn.
IDLE = """(expected) => {
  const app = document.querySelector("[data-testid=stApp]");
  if (!app || app.dataset.testConnectionState !== "CONNECTED" || app.dataset.testScriptState !== "notRunning")
    return false;
  if (!document.body.innerText.includes(expected)) return false;
  if (document.querySelectorAll("[data-testid=stSkeleton]").length) return false;
  return [...document.querySelectorAll("[data-testid=stPlotlyChart]")].every((c) => c.querySelector(".main-svg"));
}"""


def wait_idle(page, expected: str) -> None:  # noqa: ANN001 - playwright Page
    page.wait_for_timeout(50)  # let a run that was just triggered start
    page.wait_for_function(IDLE, arg=expected, polling=50, timeout=120_000)
    page.wait_for_timeout(0)


def new_page(browser):  # noqa: ANN001, ANN201 - playwright objects
    context = browser.new_context(
        locale="sv-SE", timezone_id="Europe/Stockholm", viewport={"width": 1920, "height": 1080}
    )
    return context, context.new_page()


def first_render(browser, address: str, expected: str) -> float:  # noqa: ANN001
    context, page = new_page(browser)
    try:
        begin = time.perf_counter()
        page.goto(address)
        wait_idle(page, expected)
        return time.perf_counter() - begin
    finally:
        context.close()


def switch_kommun(page, name: str, expected: str) -> float:  # noqa: ANN001
    """Choose ``name`` in the sidebar's kommun box; seconds until the page is idle and drawn again."""
    box = page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").first
    box.click()
    page.keyboard.type(name)
    begin = time.perf_counter()
    page.keyboard.press("Enter")
    wait_idle(page, expected)
    return time.perf_counter() - begin


APP_SHOWS = {"Stockholm": "Stockholm (0180)", "Kungsör": "Kungsör (1960)"}
EMPTY_SHOWS = {"Stockholm": "Vald kommun: Stockholm", "Kungsör": "Vald kommun: Kungsör"}


def warm_reruns(browser, address: str, shows: dict[str, str], reps: int) -> float:  # noqa: ANN001
    """Median time of switching Kungsör -> Stockholm, after one round that fills the caches."""
    context, page = new_page(browser)
    try:
        page.goto(address)
        wait_idle(page, shows["Kungsör"])
        times = []
        for rep in range(reps + 1):
            seconds = switch_kommun(page, "Stockholm", shows["Stockholm"])
            switch_kommun(page, "Kungsör", shows["Kungsör"])
            if rep:
                times.append(seconds)
        return statistics.median(times)
    finally:
        context.close()


def browser_steps(url: str, reps: int) -> None:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError("Chromium saknas (apt-get install -y chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            with servers(url) as (app, empty):
                step("Golvet med ett plotly-diagram (upplysning)", lambda: chart_floor(browser, empty, reps))
                for name, path, extra in PAGES:
                    step(
                        f"{name}: första visning och omkörning",
                        lambda a=(name, path, extra): page_figures(browser, app, empty, *a, reps=reps),
                    )
            step(f"Allmänhet: {VIEWERS} samtidiga tittare (6)", lambda: public_viewers(browser, url))
            step("Minne: 1 och 20 samtidiga sessioner (3)", lambda: memory(browser, url))
            step("Första sidan efter serverstart (3b)", lambda: cold_start(browser, url, reps=max(2, reps // 2)))
        finally:
            browser.close()


def chart_floor(browser, empty: str, reps: int) -> None:  # noqa: ANN001
    """Not a goal: what one small plotly chart adds to the empty page's first render (plotly.js is loaded and
    compiled in every fresh context), so the page ratios can be read as Streamlit's part and the app's part."""
    plain, chart = [], []
    for _ in range(reps):
        plain.append(first_render(browser, f"{empty}/", EMPTY_SHOWS["Kungsör"]))
        chart.append(first_render(browser, f"{empty}/?diagram=1", EMPTY_SHOWS["Kungsör"]))
    record(
        Row("Tom sida med ett plotly-diagram, första visning", statistics.median(chart), statistics.median(plain), None)
    )


def page_figures(browser, app: str, empty: str, name: str, path: str, extra: str, *, reps: int) -> None:  # noqa: ANN001
    address = f"{app}/{path}?kommun=0180&ar={YEAR}{extra}"
    floor_address = f"{empty}/?kommun=0180"
    firsts, floors = [], []
    first_render(browser, address, APP_SHOWS["Stockholm"])  # fills the server's caches for this page
    for _ in range(reps):
        floors.append(first_render(browser, floor_address, EMPTY_SHOWS["Kungsör"]))
        firsts.append(first_render(browser, address, APP_SHOWS["Stockholm"]))
    record(
        Row(
            f"{name}: första visning, ny webbläsarkontext (2)",
            statistics.median(firsts),
            statistics.median(floors),
            FIRST_GOAL,
            page=True,
        )
    )
    start = f"{app}/{path}?kommun=1960&ar={YEAR}{extra}"
    floor = warm_reruns(browser, f"{empty}/", EMPTY_SHOWS, reps)
    value = warm_reruns(browser, start, APP_SHOWS, reps)
    record(Row(f"{name}: byt kommun Kungsör -> Stockholm (1)", value, floor, PAGE_GOAL, page=True))


# Run on every page load: notes the time (ms after navigation start) at which the page is first idle and drawn.
MARK_IDLE = (
    "(expected) => { const done = " + IDLE + ";"
    " const poll = () => done(expected) ? (window.__idleAt = performance.now()) : setTimeout(poll, 20); poll(); }"
)


def _reload_p95(browser, address: str, expected: str) -> float:  # noqa: ANN001
    """VIEWERS tabs open on ``address``; all reload at once (each a new session); p95 of the seconds from each
    reload until that tab is idle and drawn again, as the tab itself saw it."""
    context, first = new_page(browser)
    context.add_init_script(f"window.addEventListener('DOMContentLoaded', () => ({MARK_IDLE})({json.dumps(expected)}))")
    try:
        pages = [first, *(context.new_page() for _ in range(VIEWERS - 1))]
        for page in pages:
            page.goto(address)
            wait_idle(page, expected)
        for page in pages:
            page.evaluate("setTimeout(() => location.reload(), 0)")
        seconds = []
        for page in pages:
            page.wait_for_function("() => window.__idleAt !== undefined", polling=100, timeout=600_000)
            seconds.append(page.evaluate("window.__idleAt") / 1000)
        return statistics.quantiles(seconds, n=20)[-1]
    finally:
        context.close()


def public_viewers(browser, url: str) -> None:  # noqa: ANN001
    with servers(url) as (app, empty):
        floor = _reload_p95(browser, f"{empty}/", EMPTY_SHOWS["Kungsör"])
        value = _reload_p95(browser, f"{app}/allmanhet?kommun=0180&ar={YEAR}", "Stockholm")
    record(Row(f"Allmänhet: {VIEWERS} tittare laddar om samtidigt, p95 (6)", value, floor, None))


def _sessions(browser, base: str, count: int, shows: Callable[[int], tuple[str, str]]) -> list:  # noqa: ANN001
    context, _ = new_page(browser)
    pages = []
    for i in range(count):
        page = context.new_page()
        address, expected = shows(i)
        page.goto(f"{base}{address}")
        wait_idle(page, expected)
        pages.append(page)
    return [context, *pages]


def memory(browser, url: str) -> None:  # noqa: ANN001
    from lofte_data.sweden import load_kommuner

    frame = load_kommuner()
    codes = frame["code"].tolist()
    names = dict(zip(frame["code"], frame["name"], strict=True))

    def app_view(i: int) -> tuple[str, str]:
        code = "0180" if i == 0 else codes[(i * 37) % len(codes)]
        _, path, extra = PAGES[i % len(PAGES)]
        return f"/{path}?kommun={code}&ar={YEAR}{extra}", f"{names[code]} ({code})"

    figures = {}
    for label, script, view in (("appen", None, app_view), ("tom sida", EMPTY_PAGE, lambda i: ("/", "Vald kommun"))):
        with running_app({"LOFTE_DATABASE_URL": url}, script=script) as base:
            pid = server_pid(base)
            opened = _sessions(browser, base, 1, view)
            one = rss_mb(pid)
            more = _sessions(browser, base, SESSIONS - 1, lambda i, v=view: v(i + 1))
            time.sleep(1)
            twenty = rss_mb(pid)
            for context in (opened[0], more[0]):
                context.close()
        figures[label] = (one, twenty, (twenty - one) / (SESSIONS - 1))
        print(f"{label}: {one:.0f} MB efter 1 session, {twenty:.0f} MB efter {SESSIONS}")
    app, floor = figures["appen"], figures["tom sida"]
    record(Row("Minne efter 1 session (MB)", app[0], floor[0], None, "MB"))
    record(Row(f"Minne efter {SESSIONS} sessioner (MB)", app[1], floor[1], None, "MB"))
    record(Row("Minne per extra session (MB, mål under 5 MB)", app[2], None, SESSION_MB_GOAL, "MB"))


def cold_start(browser, url: str, *, reps: int) -> None:  # noqa: ANN001
    """From starting the server to the first page drawn: the app's Översikt for Stockholm vs the empty page."""

    def once(script: Path | None, address: str, expected: str) -> float:
        begin = time.perf_counter()
        with running_app({"LOFTE_DATABASE_URL": url}, script=script) as base:
            first_render(browser, f"{base}{address}", expected)
            return time.perf_counter() - begin

    values, floors = [], []
    for _ in range(reps):
        floors.append(once(EMPTY_PAGE, "/", EMPTY_SHOWS["Kungsör"]))
        values.append(once(None, f"/?kommun=0180&ar={YEAR}", APP_SHOWS["Stockholm"]))
    record(
        Row(
            "Första sidan efter serverstart (kall cache) (3b)",
            statistics.median(values),
            statistics.median(floors),
            COLD_GOAL,
        )
    )


# -- report ------------------------------------------------------------------------------------------------------


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    load = os.getloadavg()[0]
    return f"{os.cpu_count()} kärnor ({cpu}), Python {platform.python_version()}, belastning {load:.1f} vid slutet"


def print_table(scale: float, reps: int) -> None:
    print(f"\nSkala {scale:g}, median av {reps} upprepningar, {date.today().isoformat()}; {machine()}")
    print(f"{'Mätning':<52} {'värde':>8} {'golv':>8} {'':<3} {'kvot':>7}")
    for row in RESULTS:
        print(row.line())
    pages = [row.ratio for row in RESULTS if row.page and row.ratio is not None]
    print(f"worst page ratio: {max(pages):.2f}" if pages else "worst page ratio: nan")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="andel av den nationella datamängden (standard 1)")
    parser.add_argument("--reps", type=int, default=5, help="upprepningar per mätning (median)")
    parser.add_argument("--database-url", help="en TOM databas att mäta i (standard: SQLite i en tillfällig mapp)")
    parser.add_argument("--skip-browser", action="store_true", help="hoppa över webbläsarmätningarna")
    args = parser.parse_args(argv)
    # A stopped run (kill PID) still stops the servers and Chromium it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    folder = Path(tempfile.mkdtemp(prefix="lofte-bench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["LOFTE_DATABASE_URL"] = url
    try:
        step("Data i verkliga format", lambda: build_data(url, args.scale, folder))
        step("refresh kolada mot en lokal Kolada med 50 ms fördröjning (5)", lambda: kolada_refresh(url))
        if not args.skip_browser:
            step("Webbläsaren", lambda: browser_steps(url, args.reps))
    finally:
        print_table(args.scale, args.reps)
        shutil.rmtree(folder, ignore_errors=True)  # the generated export and the SQLite database (GBs at full scale)


if __name__ == "__main__":
    main()
