"""Current figures on the pages: after `refresh all` against a fake Kolada (invented values 2010-2025), every
"latest year" view uses the latest fake year, each focus area draws its crime types beside its activities, and
a refresh that fails halfway leaves the earlier figures on the pages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from lofte_data import config
from lofte_data.__main__ import main
from lofte_data.seed import seed_defaults
from lofte_data.storage import Store
from tests.support.fake_kolada import LATEST_FAKE_YEAR, invented_population, invented_value, serve_fake_kolada

ROOT = Path(__file__).resolve().parents[1]
LATEST = LATEST_FAKE_YEAR


@pytest.fixture(scope="module")
def refreshed_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A seeded database after `python -m lofte_data refresh all` against the fake Kolada (run in-process)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('current') / 'lofte.sqlite3'}"
    seed_defaults(Store.open(url))
    with serve_fake_kolada() as fake, pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOFTE_DATABASE_URL", url)
        patch.setenv(config.KOLADA_URL_ENV, fake.kolada_url)
        patch.setenv(config.POLISEN_URL_ENV, fake.polisen_url)
        assert main(["refresh", "all", "--kommun", "1960", "--kommun", "0483"]) == 0
    yield url


@pytest.fixture
def page(refreshed_url: str, monkeypatch: pytest.MonkeyPatch):
    """An AppTest on the refreshed database: page(kommun, year, path, **params)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("LOFTE_DATABASE_URL", refreshed_url)
    st.cache_data.clear()
    st.cache_resource.clear()

    def make(kommun: str, year: str, path: str | None = None, **params: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.query_params.update(kommun=kommun, ar=year, **params)
        at.run()
        if path:
            at.switch_page(path).run()
        assert not at.exception
        return at

    yield make
    st.cache_data.clear()
    st.cache_resource.clear()


def charts(at) -> list[dict]:  # noqa: ANN001 - AppTest
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def texts(at) -> str:  # noqa: ANN001 - AppTest
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    return "\n".join(parts).replace("\\", "")


def estimate(kpi: str, area: str, year: int) -> int:
    """The count the app estimates from Kolada's rate and population: rate x population / 100 000."""
    return round(invented_value(kpi, area, year) * invented_population(area, year) / 100_000)


def test_oversikt_2024_compares_the_latest_year_per_crime_type(page) -> None:
    at = page("1960", "2024")
    assert f"**Per brottstyp: senaste år med siffror, {LATEST} jämfört med {LATEST - 1}**" in texts(at)
    cards = {m.label: m.value for m in at.metric}
    assert cards["Våldsbrott"].replace("\u00a0", "") == f"≈{estimate('N07403', '1960', LATEST)}"  # estimated
    assert "Kolada (antal beräknade ur nyckeltal" in texts(at) and "Ungefärlig" in texts(at)
    assert "Hot-, kränknings- och frihetsbrott" not in cards  # its Kolada fallback is N07536, shown once
    assert "Helår 2016 jämfört med 2015" not in texts(at)  # the 2016 fallback is gone where newer exists
    full_year = [m for m in at.metric if m.label.startswith("Helår 2024")]
    assert full_year and full_year[0].value.replace("\u00a0", "") == str(estimate("N07540", "1960", 2024))


def test_every_page_says_how_far_each_source_reaches(page) -> None:
    for path in (None, "pages/brottsstatistik.py", "pages/medborgarloften.py", "pages/lagesbild.py"):
        captions = [c.value.replace("\\", "") for c in page("1960", "2024", path).caption]
        line = next(c for c in captions if c.startswith("Data t.o.m."))
        assert "Brå 2022 (inläst " in line and f"Kolada {LATEST} (inläst " in line, line
        assert "Polisen " in line and "inga siffror" not in line


def test_medborgarloften_2023_draws_the_linked_types_through_the_latest_year_beside_the_work(page) -> None:
    at = page("1960", "2023", "pages/medborgarloften.py")
    timelines = [c for c in charts(at) if "Brott och insatser per år" in c["layout"]["title"]["text"]]
    assert len(timelines) == 2  # one per focus area
    youth = timelines[0]
    wanted = ("Skadegörelsebrott", "Våldsbrott")
    lines = [t for t in youth["data"] if t.get("type") == "scatter" and t["name"] in wanted]
    assert {t["name"] for t in lines} == {"Skadegörelsebrott", "Våldsbrott"}
    years = {int(x) for t in lines for x in t["x"]}
    assert LATEST in years and 2013 in years  # Brå's monthly years and Kolada's through the latest year
    bars = next(t for t in youth["data"] if t.get("type") == "bar")
    assert 2023 in [int(x) for x in bars["x"]]  # the 2023 activities on the same axis


def test_a_focus_area_without_commitments_still_shows_its_crime(page) -> None:
    at = page("1960", "2024", "pages/medborgarloften.py")
    titles = [c["layout"]["title"]["text"] for c in charts(at)]
    assert "Brott och insatser per år: Brottsförebyggande arbete mot bedrägeribrott" in titles


def test_brottsstatistik_leads_with_the_latest_year(page) -> None:
    at = page("1960", "2024", "pages/brottsstatistik.py")
    assert at.subheader[0].value == f"Senaste år med siffror: {LATEST} jämfört med {LATEST - 1}"
    table = at.dataframe[0].value.set_index("Brottstyp")
    assert table.loc["Totalt antal brott", "År"] == f"{LATEST} mot {LATEST - 1}"
    assert "beräknat ur Kolada" in table.loc["Totalt antal brott", "Källa"]


def test_trygghet_for_a_kommun_with_and_without_ntu(page) -> None:
    at = page("0483", "2024")
    assert any("Trygghet och utsatthet (NTU)" in c["layout"]["title"]["text"] for c in charts(at))
    at = page("1960", "2024")
    assert "Inga NTU-värden för kommunen i Kolada" in texts(at)


def test_a_refresh_failing_halfway_leaves_the_earlier_figures_on_the_page(refreshed_url: str, page) -> None:
    before = {m.label: m.value for m in page("1960", "2024").metric}
    with serve_fake_kolada(page_size=2000) as fake, pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOFTE_DATABASE_URL", refreshed_url)
        patch.setenv(config.KOLADA_URL_ENV, fake.kolada_url)
        patch.setenv(config.POLISEN_URL_ENV, fake.polisen_url)
        fake.offset, fake.fail_from = 1000.0, 5  # the national refresh fails on its 5th request
        assert main(["refresh", "kolada"]) == 2  # a Swedish error, nothing stored
        assert len(fake.data_requests) >= 5
    after = {m.label: m.value for m in page("1960", "2024").metric}
    assert after == before
