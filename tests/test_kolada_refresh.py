"""The national Kolada refresh: fewest requests, all-or-nothing storage, `refresh all` against a local fake Kolada."""

from __future__ import annotations

import itertools
import math
import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest

from lofte_data import config, refresh, storage, yearly
from lofte_data.__main__ import main
from lofte_data.access import OPERATOR
from lofte_data.crime_types import KOLADA_KPIS, POPULATION_KPI, kolada_refresh_kpis
from lofte_data.errors import InputError, SourceEmptyError, SourceUnavailableError
from lofte_data.seed import load_areas, seed_defaults
from lofte_data.sources.kolada import MAX_PER_PAGE, KoladaClient, data_urls, planned_data_urls
from lofte_data.sources.polisen import PolisenClient
from lofte_data.storage import Store
from tests.support.fake_kolada import LATEST_FAKE_YEAR, invented_value, serve_fake_kolada

ROOT = Path(__file__).resolve().parents[1]
AREAS = [area.code for area in load_areas()]
NATIONAL_YEARS = refresh.kolada_years(date(2026, 11, 30))  # 2010-2026


def boxes(urls: list[str]) -> list[tuple[list[str], list[str], list[str]]]:
    parts = [url.split("?")[0].split("/") for url in urls]
    return [(p[-5].split(","), p[-3].split(","), p[-1].split(",")) for p in parts]


# -- the request plan ------------------------------------------------------------------------------------------


def test_everything_the_app_needs_is_in_the_national_refresh() -> None:
    assert len(AREAS) == 290 + 21 + 1
    assert {a for a in AREAS if a.startswith("00")} == {f"00{n:02d}" for n in range(1, 26)} & set(AREAS) | {"0000"}
    assert kolada_refresh_kpis() == [*KOLADA_KPIS, POPULATION_KPI, "N07609", "N07611", "N07633"]
    assert NATIONAL_YEARS[0] == 2010 and NATIONAL_YEARS[-1] == 2026


def test_national_refresh_is_17_one_page_requests_covering_every_value_once() -> None:
    kpis = kolada_refresh_kpis()

    urls = planned_data_urls(kpis, AREAS, NATIONAL_YEARS)

    cells = [cell for k, a, y in boxes(urls) for cell in itertools.product(k, a, y)]
    assert len(cells) == len(set(cells)) == len(kpis) * len(AREAS) * len(NATIONAL_YEARS)
    assert all(max(len(k), len(a), len(y)) <= 25 for k, a, y in boxes(urls))
    assert all(len(k) * len(a) * len(y) <= MAX_PER_PAGE for k, a, y in boxes(urls))  # one page each
    assert len(urls) == 17


def test_the_plan_is_the_minimum_the_rules_allow() -> None:
    """No split into URLs of at most 25 ids per segment, each answered on one page, needs fewer requests;
    the naive 25-id chunks need 13 URLs x 2 pages = 26."""
    n_kpis, n_areas, n_years = len(kolada_refresh_kpis()), len(AREAS), len(NATIONAL_YEARS)
    fewest = min(
        math.ceil(n_kpis / k) * math.ceil(n_areas / a) * math.ceil(n_years / y)
        for k, a, y in itertools.product(range(1, 26), repeat=3)
        if k * a * y <= MAX_PER_PAGE
    )
    planned = len(planned_data_urls(kolada_refresh_kpis(), AREAS, NATIONAL_YEARS))
    assert planned == fewest
    assert planned >= math.ceil(n_kpis * n_areas * n_years / MAX_PER_PAGE)  # 16: the arithmetic floor
    naive = data_urls(kolada_refresh_kpis(), AREAS, NATIONAL_YEARS)
    assert len(naive) * math.ceil(n_kpis * 25 * n_years / MAX_PER_PAGE) == 26


def test_segments_are_balanced_not_left_almost_empty() -> None:
    sizes = sorted({len(a) for _, a, _ in boxes(planned_data_urls(kolada_refresh_kpis(), AREAS, NATIONAL_YEARS))})
    assert sizes == [18, 19]


# -- settings ----------------------------------------------------------------------------------------------------


def test_urls_default_to_the_real_services(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(config.KOLADA_URL_ENV, raising=False)
    monkeypatch.delenv(config.POLISEN_URL_ENV, raising=False)
    assert KoladaClient().base_url == "https://api.kolada.se/v3"
    assert PolisenClient().events_url == "https://polisen.se/api/events"


def test_urls_are_read_when_a_client_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(config.KOLADA_URL_ENV, "http://127.0.0.1:9/kolada/v3/")
    monkeypatch.setenv(config.POLISEN_URL_ENV, "https://proxy.example")
    assert KoladaClient().base_url == "http://127.0.0.1:9/kolada/v3"
    assert PolisenClient().events_url == "https://proxy.example/api/events"
    monkeypatch.setenv(config.KOLADA_URL_ENV, "api.kolada.se")
    with pytest.raises(InputError, match="LOFTE_KOLADA_URL"):
        KoladaClient()


# -- storage -----------------------------------------------------------------------------------------------------


def kpi_frame(n_areas: int, years: range, value: float) -> pd.DataFrame:
    keys = list(itertools.product(AREAS[:n_areas], [*KOLADA_KPIS, POPULATION_KPI], years))
    return pd.DataFrame(
        {"area_code": [k[0] for k in keys], "kpi": [k[1] for k in keys], "year": [k[2] for k in keys], "value": value}
    )


def test_41000_values_store_and_replace_in_seconds(seeded: Store) -> None:
    frame = kpi_frame(312, range(2015, 2026), 1.0)  # 312 x 12 x 11 = 41 184
    started = time.perf_counter()
    assert seeded.upsert_kpi_values(frame, source="Kolada") == 41_184
    assert seeded.upsert_kpi_values(frame.assign(value=2.0), source="Kolada", dataset="kolada", note="x") == 41_184
    assert time.perf_counter() - started < 20  # was minutes with one DELETE per row; about 3 s here
    assert seeded.count("kpi_value") == 41_184
    assert set(seeded.kpi_values(["1960"], ["N07540"])["value"]) == {2.0}
    assert seeded.dataset("kolada")["note"] == "x"


def test_upsert_replaces_only_the_keys_given(seeded: Store) -> None:
    seeded.upsert_kpi_values(kpi_frame(3, range(2020, 2023), 1.0), source="Kolada")
    seeded.upsert_kpi_values(kpi_frame(1, range(2022, 2024), 5.0), source="Kolada")
    stored = seeded.kpi_values(AREAS[:3], ["N07540"]).set_index(["area_code", "year"])["value"]
    assert stored[(AREAS[0], 2021)] == 1.0 and stored[(AREAS[0], 2022)] == 5.0 and stored[(AREAS[0], 2023)] == 5.0
    assert stored[(AREAS[1], 2022)] == 1.0


def test_a_value_that_comes_back_unchanged_keeps_the_date_it_has_stood_since(
    seeded: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A nightly refresh that changes nothing is no news at the next meeting: ``fetched_at`` moves only for a
    value that is new or changed (a missing value that stays missing is unchanged too)."""
    values = [("N07540", 2024, 7000.0), ("N07540", 2025, 7100.0), ("N01951", 2025, 8400.0), ("N07548", 2025, None)]

    def frame(rows: list[tuple[str, int, float | None]]) -> pd.DataFrame:
        return pd.DataFrame([{"area_code": "1960", "kpi": k, "year": y, "value": v} for k, y, v in rows])

    first, later = datetime(2026, 11, 1, 3, tzinfo=UTC), datetime(2026, 11, 30, 3, tzinfo=UTC)
    monkeypatch.setattr(storage, "now", lambda: first)
    seeded.upsert_kpi_values(frame(values), source="Kolada", dataset="kolada")
    monkeypatch.setattr(storage, "now", lambda: later)
    changed = [(k, y, 7200.0 if (k, y) == ("N07540", 2025) else v) for k, y, v in values]
    seeded.upsert_kpi_values(frame(changed), source="Kolada", dataset="kolada")
    rows = seeded.kpi_values(["1960"], ["N07540", "N01951", "N07548"])
    since = {(r.kpi, r.year): _utc(r.fetched_at) for r in rows.itertuples()}
    assert since == {
        ("N07540", 2024): first,
        ("N07540", 2025): later,
        ("N01951", 2025): first,
        ("N07548", 2025): first,
    }
    assert _utc(seeded.dataset("kolada")["loaded_at"]) == later  # when it was last fetched


def _utc(value: object) -> datetime:
    stamp = pd.Timestamp(value)
    return (stamp.tz_localize(UTC) if stamp.tzinfo is None else stamp.tz_convert(UTC)).to_pydatetime()


# -- refresh in process against the fake ------------------------------------------------------------------------


def stored(store: Store, area: str, kpi: str) -> dict[int, float]:
    rows = store.kpi_values([area], [kpi])
    return dict(zip(rows["year"].astype(int), rows["value"], strict=True))


def expected(area: str, kpi: str, offset: float = 0.0) -> dict[int, float]:
    values = {y: invented_value(kpi, area, y) for y in range(2010, LATEST_FAKE_YEAR + 1)}
    return {y: v + offset for y, v in values.items() if v is not None}


def test_refresh_pages_through_throttling_and_stores_every_value(seeded: Store) -> None:
    with serve_fake_kolada(page_size=1000, throttle_once=True) as fake:
        client = KoladaClient(base_url=fake.kolada_url)
        result = refresh.refresh_kolada(seeded, editor=OPERATOR, client=client, today=date(2026, 11, 30))

    assert result.requests == 17 * 5  # the fake pages at 1 000 (URLs of 4 320 or 4 560 records) via next_url
    assert len(fake.data_requests) == result.requests + 1  # and one 429 retried
    assert result.latest_year == LATEST_FAKE_YEAR
    assert "(85 anrop)" in result.summary()
    assert stored(seeded, "1960", "N07540") == expected("1960", "N07540")
    assert stored(seeded, "0019", "N07403") == expected("0019", "N07403")
    assert stored(seeded, "0019", "N07540") == {}  # nulls are not stored
    assert stored(seeded, "1960", "N07609") == {}  # no NTU for small kommuner
    assert stored(seeded, "0483", "N07609") == expected("0483", "N07609")
    assert seeded.dataset("kolada")["note"] == f"312 områden, t.o.m. {LATEST_FAKE_YEAR}"


@pytest.mark.parametrize("answer", [{"empty": True}, {"all_null": True}])
def test_an_answer_without_data_keeps_values_and_date(seeded: Store, answer: dict[str, bool]) -> None:
    with serve_fake_kolada() as fake:
        refresh.refresh_kolada(
            seeded, editor=OPERATOR, client=KoladaClient(base_url=fake.kolada_url), kommun_codes=["1960"]
        )
        before = seeded.dataset("kolada")["loaded_at"]
        for name, value in answer.items():
            setattr(fake, name, value)
        with pytest.raises(SourceEmptyError, match="Kolada svarade utan data"):
            refresh.refresh_kolada(
                seeded, editor=OPERATOR, client=KoladaClient(base_url=fake.kolada_url), kommun_codes=["1960"]
            )
    assert seeded.dataset("kolada")["loaded_at"] == before
    assert stored(seeded, "1960", "N07540") == expected("1960", "N07540")


def test_a_refresh_failing_on_a_later_page_stores_nothing(seeded: Store) -> None:
    with serve_fake_kolada(page_size=2000) as fake:
        refresh.refresh_kolada(seeded, editor=OPERATOR, client=KoladaClient(base_url=fake.kolada_url))
        fake.offset, fake.fail_from = 1000.0, len(fake.data_requests) + 5  # 2nd URL, 2nd page
        with pytest.raises(SourceUnavailableError, match="serverfel"):
            refresh.refresh_kolada(seeded, editor=OPERATOR, client=KoladaClient(base_url=fake.kolada_url))
    assert stored(seeded, "0114", "N07540") == expected("0114", "N07540")  # in the first, fully fetched URL


def test_a_failed_refresh_is_followed_by_a_good_one(seeded: Store) -> None:
    """A run that fails (the server answers 500) changes nothing; the next run, with the server well again,
    stores the new values and moves the date."""
    with serve_fake_kolada() as fake:
        client = KoladaClient(base_url=fake.kolada_url)
        refresh.refresh_kolada(seeded, editor=OPERATOR, client=client, kommun_codes=["1960"])
        before = seeded.dataset("kolada")["loaded_at"]
        fake.offset, fake.fail_from = 1000.0, 1
        with pytest.raises(SourceUnavailableError):
            refresh.refresh_kolada(seeded, editor=OPERATOR, client=client, kommun_codes=["1960"])
        assert stored(seeded, "1960", "N07540") == expected("1960", "N07540")
        assert seeded.dataset("kolada")["loaded_at"] == before
        fake.fail_from = None
        refresh.refresh_kolada(seeded, editor=OPERATOR, client=client, kommun_codes=["1960"])
    assert stored(seeded, "1960", "N07540") == expected("1960", "N07540", offset=1000.0)
    assert seeded.dataset("kolada")["loaded_at"] > before


def test_refresh_all_goes_on_after_a_failing_source(db_url: str, monkeypatch, capsys) -> None:
    with serve_fake_kolada() as fake:
        monkeypatch.setenv(config.KOLADA_URL_ENV, fake.kolada_url)
        monkeypatch.setenv(config.POLISEN_URL_ENV, fake.polisen_url)
        fake.polisen_status = 503
        assert main(["refresh", "all", "--kommun", "1960"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("Kolada: klart. ")
    assert err.startswith("Polisen: misslyckades. ") and "serverfel (503)" in err


# -- `python -m lofte_data refresh all` as cron runs it ------------------------------------------------------------


def run_refresh_all(db_url: str, fake_url: str, polisen_url: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {
        "LOFTE_DATABASE_URL": db_url,
        config.KOLADA_URL_ENV: fake_url,
        config.POLISEN_URL_ENV: polisen_url,
    }
    return subprocess.run(
        [sys.executable, "-m", "lofte_data", "refresh", "all"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_refresh_all_from_the_command_line(db_url: str) -> None:
    with serve_fake_kolada(page_size=2500, throttle_once=True) as fake:
        done = run_refresh_all(db_url, fake.kolada_url, fake.polisen_url)

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Kolada: klart. ") and f"2010–{LATEST_FAKE_YEAR}" in lines[0]
    assert lines[1] == "Polisen: klart. Polisen svarade utan nya händelser; de senast hämtade händelserna finns kvar."
    store = Store.open(db_url)
    assert stored(store, "1960", "U07417") == expected("1960", "U07417")
    kpis = [*KOLADA_KPIS, POPULATION_KPI]
    series = yearly.yearly_series(
        store.crime_stats(["1960"]), store.kpi_values(["1960"], kpis), kommun_code="1960", crime_types=["totalt"]
    )
    assert series["year"].max() == LATEST_FAKE_YEAR
    last = series.iloc[-1]
    assert last["estimated"] and last["source"] == "beräknat ur Kolada"
    population = invented_value(POPULATION_KPI, "1960", LATEST_FAKE_YEAR)
    assert last["count"] == round(invented_value("N07540", "1960", LATEST_FAKE_YEAR) * population / 100_000)


def test_refresh_all_failing_halfway_keeps_the_earlier_values(db_url: str) -> None:
    store = Store.open(db_url)
    seed_defaults(store)
    with serve_fake_kolada(page_size=2000) as fake:
        refresh.refresh_kolada(
            store, editor=OPERATOR, client=KoladaClient(base_url=fake.kolada_url), kommun_codes=["1960", "0483"]
        )
        loaded = store.dataset("kolada")["loaded_at"]
        fake.offset, fake.fail_from = 1000.0, len(fake.data_requests) + 6
        done = run_refresh_all(db_url, fake.kolada_url, "http://127.0.0.1:9")  # nothing listens on port 9

    assert done.returncode == 1
    assert done.stderr.splitlines()[0].startswith("Kolada: misslyckades. ")
    assert "Polisen: misslyckades. " in done.stderr
    assert stored(store, "1960", "N07540") == expected("1960", "N07540")
    assert store.dataset("kolada")["loaded_at"] == loaded
