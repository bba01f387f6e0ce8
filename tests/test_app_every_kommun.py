"""Every viewer page renders without an exception for every kommun in the embedded data, and for a few years
where the data differs (kommuner with promises, police events or monthly figures)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lofte_data.seed import seed_defaults
from lofte_data.storage import Store

ROOT = Path(__file__).resolve().parents[1]
VIEWER_PAGES = ("oversikt", "brottsstatistik", "medborgarloften", "lagesbild", "mote", "allmanhet")
YEARS = ("2013", "2016", "2019", "2021", "2023", "2024", "2026")


@pytest.fixture(scope="module")
def seeded_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, Store]]:
    """One seeded database and one AppTest for the module: each render is a rerun with other URL values."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    url = f"sqlite:///{tmp_path_factory.mktemp('every') / 'lofte.sqlite3'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOFTE_DATABASE_URL", url)
        store = Store.open(url)
        seed_defaults(store)
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.run()
        yield at, store
        st.cache_data.clear()
        st.cache_resource.clear()


def _failures(at, pages: tuple[str, ...], kommun: str, year: str | None) -> list[str]:  # noqa: ANN001 - AppTest
    failed = []
    for page in pages:
        at.query_params.clear()
        at.query_params["kommun"] = kommun
        if year is not None:
            at.query_params["ar"] = year
        at.switch_page(f"pages/{page}.py").run()
        if at.exception:
            failed.append(f"{page}?kommun={kommun}&ar={year}: {at.exception[0].value[:160]}")
        elif not at.title and page != "mote":
            failed.append(f"{page}?kommun={kommun}&ar={year}: rendered no title")
    return failed


def _with_data(store: Store) -> list[str]:
    """Kommuner whose pages differ from the plain case: a promise, police events or monthly figures."""
    codes = {k.code for k in store.kommuner() if k.police_area or store.promise_years(k.code)}
    return sorted(codes)


def test_every_page_renders_for_every_kommun(seeded_app) -> None:
    at, store = seeded_app
    codes = [k.code for k in store.kommuner()]
    assert len(codes) == 290
    failed = [f for code in codes for f in _failures(at, VIEWER_PAGES, code, None)]
    assert failed == []


def test_every_page_renders_for_a_few_years_where_the_data_differs(seeded_app) -> None:
    at, store = seeded_app
    codes = [*_with_data(store), "0180", "2584"]  # plus two kommuner with only national figures
    assert {"1960", "0483"} <= set(codes)
    failed = [f for code in codes for year in YEARS for f in _failures(at, VIEWER_PAGES, code, year)]
    assert failed == []
