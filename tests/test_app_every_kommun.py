"""Every viewer page renders without an exception for every kommun in the embedded data, and for a few years
where the data differs (kommuner with promises, police events or monthly figures).

AppTest runs dashboard.py (and with it the sidebar that reads ``?kommun=&ar=``) only on the first run of a
session; ``switch_page`` then runs the page alone with the selection of that first run. So every kommun and
year gets its own session, and each page checks that it shows that kommun: a test that rendered Kungsör 290
times would pass without looking at anything else."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lofte_data.seed import seed_defaults
from lofte_data.storage import Store

ROOT = Path(__file__).resolve().parents[1]
VIEWER_PAGES = ("oversikt", "brottsstatistik", "medborgarloften", "lagesbild", "jamfor", "mote", "allmanhet")
YEARS = ("2016", "2021", "2023", "2026")  # Brå's old categories, promise years, the current year
PARTS = 6  # the kommuner split in parts, so the two test workers share the work


@pytest.fixture(scope="module")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    import streamlit as st

    url = f"sqlite:///{tmp_path_factory.mktemp('every') / 'lofte.sqlite3'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOFTE_DATABASE_URL", url)
        store = Store.open(url)
        seed_defaults(store)
        st.cache_data.clear()
        st.cache_resource.clear()
        yield store
        st.cache_data.clear()
        st.cache_resource.clear()


def _shows(at, name: str) -> bool:  # noqa: ANN001 - AppTest
    texts = [e.value for e in (*at.markdown, *at.title, *at.subheader, *at.caption, *at.header)]
    return any(name in text for text in texts if isinstance(text, str))


def _failures(kommun: str, name: str, year: str | None) -> list[str]:
    """Open the kommun (and year) in a new session, then every viewer page; what failed, in words."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["kommun"] = kommun
    if year is not None:
        at.query_params["ar"] = year
    at.run()
    where = f"?kommun={kommun}&ar={year}"
    chosen = at.session_state["selection"] if "selection" in at.session_state else None
    if chosen is None or chosen.kommun.code != kommun or (year is not None and str(chosen.year) != year):
        return [f"{where}: the session did not select the kommun and year of the link"]
    failed = []
    for page in VIEWER_PAGES:
        if page != "oversikt":  # the session's first run showed Översikt, the default page
            at.switch_page(f"pages/{page}.py").run()
        if at.exception:
            failed.append(f"{page}{where}: {at.exception[0].value[:160]}")
        elif page != "jamfor" and not _shows(at, name):
            failed.append(f"{page}{where}: does not name {name}")
    return failed


def _with_data(store: Store) -> list[str]:
    """Kommuner whose pages differ from the plain case: a promise, police events or monthly figures."""
    codes = {k.code for k in store.kommuner() if k.police_area or store.promise_years(k.code)}
    return sorted(codes)


@pytest.mark.parametrize("part", range(PARTS))
def test_every_page_renders_for_every_kommun(seeded_store, part) -> None:
    kommuner = seeded_store.kommuner()
    assert len(kommuner) == 290
    failed = [f for k in kommuner[part::PARTS] for f in _failures(k.code, k.name, None)]
    assert failed == []


@pytest.mark.parametrize("year", YEARS)
def test_every_page_renders_for_a_few_years_where_the_data_differs(seeded_store, year) -> None:
    names = {k.code: k.name for k in seeded_store.kommuner()}
    codes = [*_with_data(seeded_store), "0180", "2584"]  # plus two kommuner with only national figures
    assert {"1960", "0483"} <= set(codes)
    failed = [f for code in codes for f in _failures(code, names[code], year)]
    assert failed == []
