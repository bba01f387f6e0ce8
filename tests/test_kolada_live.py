"""Opt-in live check of the Kolada v3 client (core) against api.kolada.se: run with ``pytest -m live``."""

from __future__ import annotations

import pytest

from lofte_data.sources.kolada import KoladaClient


@pytest.mark.live
def test_live_kolada_total_crime_for_kungsor() -> None:
    df = KoladaClient().fetch_values(["N07540"], ["1960"], [2021, 2022, 2023])

    assert not df.empty, "Kolada gav inga värden för N07540 i Kungsör 2021-2023"
    assert set(df["kpi"]) == {"N07540"}
    assert set(df["municipality"]) == {"1960"}
    assert set(df["year"]) <= {2021, 2022, 2023}
    totals = df[df["gender"] == "T"]["value"].dropna()
    assert not totals.empty
    assert ((totals > 1000) & (totals < 50000)).all()  # reported crimes per 100 000 inv
