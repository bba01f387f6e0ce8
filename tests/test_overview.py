"""Län and Riket overviews: the rates follow the yearly series point by point; the page ranks every kommun
with a deep link to its figures."""

from __future__ import annotations

import pandas as pd
import pytest

from lofte_data import comparison, exports, overview, yearly
from lofte_data.crime_types import kolada_refresh_kpis
from lofte_data.storage import Store
from tests.support.fake_kolada import FAKE_YEARS, invented_value

KOMMUNER = ("1960", "1961", "1983", "1984", "0483")


def _kolada(codes: tuple[str, ...]) -> pd.DataFrame:
    rows = [
        (code, kpi, year, value)
        for kpi in kolada_refresh_kpis()
        for code in codes
        for year in FAKE_YEARS
        if (value := invented_value(kpi, code, year)) is not None and year != 2014  # a year without a population
    ]
    return pd.DataFrame(rows, columns=["area_code", "kpi", "year", "value"])


@pytest.mark.parametrize("with_kolada", [False, True])
def test_overview_rates_are_the_yearly_series_of_each_kommun(seeded: Store, with_kolada: bool) -> None:
    if with_kolada:
        seeded.upsert_kpi_values(_kolada(KOMMUNER), source="Kolada")
    values = seeded.kpi_values(KOMMUNER, kolada_refresh_kpis())
    months = seeded.crime_stats(KOMMUNER, crime_types=["totalt"], first_year=2010)
    rates = overview.yearly_rates(
        seeded.full_years(KOMMUNER, 2010, 2025), values, comparison.population(months, values)
    )
    for code in KOMMUNER:
        series = yearly.yearly_series(seeded.crime_stats([code]), values, kommun_code=code)
        series = series[series["year"] >= 2010].set_index(["crime_type", "year"])
        mine = rates[rates["kommun_code"] == code].set_index(["crime_type", "year"])
        assert sorted(mine.index) == sorted(series.index)
        pd.testing.assert_series_equal(
            mine["per_100k"].sort_index(), series["per_100k"].sort_index(), check_names=False, check_dtype=False
        )
        assert (mine["estimated"].sort_index() == series["estimated"].sort_index()).all()


def test_ranking_puts_the_highest_rate_first_and_kommuner_without_figures_last() -> None:
    rates = pd.DataFrame(
        {
            "kommun_code": ["a", "a", "b", "b", "c"],
            "crime_type": "totalt",
            "year": [2024, 2025, 2024, 2025, 2024],
            "count": [10.0, 12.0, 30.0, 20.0, 5.0],
            "per_100k": [100.0, 120.0, 300.0, 200.0, 50.0],
            "estimated": [False, False, False, True, False],
            "preliminary": False,
        }
    )
    ranked = overview.ranking(rates, {"a": "Ale", "b": "Bjuv", "c": "Dals-Ed"}, crime_type="totalt", up_to=2026)
    shown_columns = ranked[["rank", "kommun", "per_100k", "per_100k_previous", "change"]].astype(object)
    assert shown_columns.where(shown_columns.notna(), None).values.tolist() == [
        [1, "Bjuv", 200.0, 300.0, -100.0],
        [2, "Ale", 120.0, 100.0, 20.0],
        [None, "Dals-Ed", None, 50.0, None],
    ]
    shown = overview.display(ranked, chosen="a", crime_type="totalt")
    assert shown["Kommun"].tolist() == ["Bjuv", "Ale ◀", "Dals-Ed"]
    assert shown["Per 100 000 inv. 2025"].tolist() == ["≈200,0", "120,0", "–"]
    assert shown["Brottsstatistik"][0] == "brottsstatistik?kommun=b&ar=2025&brott=totalt&matt=per_100k"
    assert overview.ranking(rates, {"a": "Ale"}, crime_type="vald", up_to=2026).empty
    # The CSV for Excel: numbers Excel reads as numbers (decimal comma, a plain minus), no marks inside them.
    csv = exports.excel_csv(overview.export(ranked)).decode("utf-8-sig")
    assert csv.splitlines() == [
        "Plats;Kommun;Kommunkod;Per 100 000 inv. 2025;Per 100 000 inv. 2024;Förändring;Antal;Beräknat ur Kolada",
        "1;Bjuv;b;200,0;300,0;-100,0;20;ja",
        "2;Ale;a;120,0;100,0;20,0;12;nej",
        ";Dals-Ed;c;;50,0;;;nej",
    ]


@pytest.mark.parametrize(("level", "rows", "area"), [("lan", 10, "länet"), ("riket", 290, "riket")])
def test_the_page_ranks_the_lan_or_riket_with_links(app, level: str, rows: int, area: str) -> None:
    at = app("1960", "2023", page="pages/jamfor.py", niva=level)
    assert not at.exception
    assert at.title[0].value == "Jämför kommuner"
    assert at.subheader[0].value == f"Totalt antal brott per 100 000 inv., {area}, 2016 jämfört med 2015"
    table = at.dataframe[0].value
    assert len(table) == rows and "Kungsör ◀" in table["Kommun"].tolist()
    assert table["Brottsstatistik"].str.startswith("brottsstatistik?kommun=").all()
    assert any("Kungsör** har plats" in m.value for m in at.markdown)


def test_a_deep_link_opens_the_chosen_crime_type(app) -> None:
    at = app("0483", "2016", page="pages/jamfor.py", niva="riket", brott="vald")
    assert not at.exception
    assert at.subheader[0].value.startswith("Våldsbrott per 100 000 inv., riket, 2016")
