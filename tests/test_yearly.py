"""One yearly series from Brå and Kolada (Brå wins, estimates labelled, source changes marked), the latest
year's comparison, NTU intervals, the source mapping and the timeline figures; pure, no network."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from lofte_data import figures, yearly
from lofte_data.crime_types import BRA_LABELS, BY_CODE, CLOSE, EXACT, KOLADA_KPIS, MATCH_BY_TYPE, NONE, NtuIndicator

CRIME_COLUMNS = ["kommun_code", "crime_type", "year", "period", "count", "per_100k", "preliminary", "source", "note"]


def crime(rows: list[tuple]) -> pd.DataFrame:
    """crime_stat rows (kommun, type, year, period, count, preliminary)."""
    frame = pd.DataFrame(
        [(k, t, y, p, c, None, prel, "Brå", "") for k, t, y, p, c, prel in rows], columns=CRIME_COLUMNS
    )
    return frame.astype({"count": "Int64", "per_100k": "Float64", "preliminary": bool})


def months(kommun: str, crime_type: str, year: int, count: int, n: int = 12) -> list[tuple]:
    return [(kommun, crime_type, year, f"M{m:02d}", count, False) for m in range(1, n + 1)]


def kpis(rows: list[tuple[str, str, int, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["area_code", "kpi", "year", "value"]).astype({"value": "Float64"})


POPULATION = [("1960", "N01951", y, 8000.0) for y in range(2014, 2026)]


def series_for(stats: pd.DataFrame, values: list[tuple], **options) -> pd.DataFrame:
    return yearly.yearly_series(stats, kpis(values), kommun_code="1960", **options)


# -- the merge ---------------------------------------------------------------------------------------------------


def test_bra_wins_where_it_has_the_full_year() -> None:
    stats = crime(months("1960", "totalt", 2015, 50) + [("1960", "totalt", 2016, "year", 700, True)])
    values = POPULATION + [("1960", "N07540", y, 9000.0) for y in (2015, 2016, 2017)]

    series = series_for(stats, values).set_index("year")

    assert series.loc[2015, "count"] == 600 and series.loc[2015, "source"] == "Brå"
    assert series.loc[2016, "count"] == 700 and series.loc[2016, "preliminary"]
    assert not series.loc[2015, "estimated"] and series.loc[2015, "per_100k"] == pytest.approx(7500.0)
    assert series.loc[2017, "estimated"] and series.loc[2017, "source"] == "beräknat ur Kolada"


def test_a_partial_bra_year_gives_way_to_kolada() -> None:
    stats = crime(months("1960", "totalt", 2016, 50, n=8))
    series = series_for(stats, POPULATION + [("1960", "N07540", 2016, 9000.0)]).set_index("year")
    assert series.loc[2016, "count"] == 720 and series.loc[2016, "estimated"]


def test_the_estimate_is_rate_times_population_and_labelled() -> None:
    series = series_for(crime([]), POPULATION + [("1960", "U07417", 2024, 2512.5)])
    row = series.iloc[0]
    assert (row["crime_type"], row["year"], row["count"]) == ("stold", 2024, round(2512.5 * 8000 / 100_000))
    assert row["per_100k"] == 2512.5 and row["estimated"] and row["kpi"] == "U07417"
    assert row["definition"] == "Kolada: stöld- och tillgreppsbrott (U07417)"


def test_without_population_the_rate_stays_and_the_count_is_missing() -> None:
    series = series_for(crime([]), [("1960", "N07540", 2024, 9000.0)])
    assert pd.isna(series.iloc[0]["count"]) and series.iloc[0]["per_100k"] == 9000.0


def test_a_source_change_is_marked_on_the_first_point_after_it() -> None:
    stats = crime(months("1960", "stold", 2015, 10) + months("1960", "stold", 2016, 10))
    values = POPULATION + [("1960", "U07417", y, 2000.0) for y in range(2014, 2019)]

    series = series_for(stats, values)

    assert series["year"].tolist() == [2014, 2015, 2016, 2017, 2018]
    assert series["definition"].tolist() == [
        "Kolada: stöld- och tillgreppsbrott (U07417)",
        "Brå: Stöldbrott",
        "Brå: Stöldbrott",
        "Kolada: stöld- och tillgreppsbrott (U07417)",
        "Kolada: stöld- och tillgreppsbrott (U07417)",
    ]
    assert series["source_change"].tolist() == [False, True, False, True, False]


def test_bedrageri_gets_the_closest_kolada_series_named_as_such() -> None:
    series = series_for(crime([]), POPULATION + [("1960", "N07538", 2024, 700.0)], crime_types=["bedrageri"])
    assert series.iloc[0]["definition"] == "Bedrägeri- och ekobrott (Kolada N07538, närmaste serie)"
    assert series.iloc[0]["label"] == "Bedrägeri- och ekobrott"


def test_imported_bra_bedrageri_figures_win_over_ekobrott() -> None:
    assert BRA_LABELS["9 kap. Bedrägeri och annan oredlighet"] == "bedrageri"
    stats = crime([("1960", "bedrageri", 2024, "year", 120, False)])
    series = series_for(stats, POPULATION + [("1960", "N07538", y, 700.0) for y in (2023, 2024)])
    assert series["definition"].tolist() == [
        "Bedrägeri- och ekobrott (Kolada N07538, närmaste serie)",
        "Brå: 9 kap. Bedrägeri och annan oredlighet",
    ]
    assert series["source_change"].tolist() == [False, True]


def test_only_the_kommun_and_the_types_asked_for() -> None:
    stats = crime(months("1984", "totalt", 2015, 99) + months("1960", "vald", 2015, 5))
    values = [("1984", "N07540", 2015, 1.0), ("1960", "N07546", 2015, 100.0), *POPULATION]
    series = series_for(stats, values, crime_types=["vald", "vapen"])
    assert series["crime_type"].tolist() == ["vald"] and set(series["kommun_code"]) == {"1960"}
    assert series_for(crime([]), []).empty


# -- the latest year ---------------------------------------------------------------------------------------------


def test_latest_year_uses_the_newest_source_and_says_the_verdict_is_approximate() -> None:
    stats = crime([("1960", "totalt", 2022, "year", 638, True)])
    values = POPULATION + [("1960", "N07540", 2023, 7000.0), ("1960", "N07540", 2024, 7500.0)]
    series = series_for(stats, values)

    row = yearly.latest_year_table(series, up_to=2026).iloc[0]

    assert (row["year"], row["previous_year"], row["current"], row["previous"]) == (2024, 2023, 600, 560)
    assert row["absolute"] == 40 and row["percent"] == pytest.approx(40 / 560)
    assert row["verdict"] == "inom normal variation" and row["approximate"] and not row["source_change"]
    assert "ungefärlig bedömning" in row["verdict_text"]
    assert row["source"] == "beräknat ur Kolada (N07540)"


def test_latest_year_up_to_a_year_and_across_a_source_change() -> None:
    stats = crime([("1960", "totalt", 2022, "year", 638, True)])
    values = POPULATION + [("1960", "N07540", y, 7000.0) for y in (2023, 2024)]
    row = yearly.latest_year_table(series_for(stats, values), up_to=2023).iloc[0]
    assert (row["year"], row["current"], row["previous"]) == (2023, 560, 638)
    assert row["source_change"] and row["preliminary"] and row["approximate"]
    assert row["source"] == "Brå (2022), beräknat ur Kolada (N07540) (2023)"
    assert "källan eller brottskategorin skiljer" in row["verdict_text"]


def test_latest_year_with_bra_only_is_exact_and_previous_zero_has_no_percent() -> None:
    stats = crime(months("1960", "vapen", 2015, 0) + months("1960", "vapen", 2016, 1))
    row = yearly.latest_year_table(series_for(stats, []), up_to=2030).iloc[0]
    assert (row["current"], row["previous"]) == (12, 0) and pd.isna(row["percent"])
    assert not row["approximate"] and row["verdict_text"] == row["verdict"]


def test_latest_year_table_is_empty_without_two_years() -> None:
    table = yearly.latest_year_table(series_for(crime([]), POPULATION + [("1960", "N07540", 2024, 1.0)]), up_to=2030)
    assert table.empty and list(table.columns) == list(yearly.LATEST_COLUMNS)


# -- NTU ---------------------------------------------------------------------------------------------------------

TWINS = (NtuIndicator("N07609", "Otrygghet", "N99609"),)


def test_a_kpi_borrowed_by_another_type_is_shown_once_under_its_own_type() -> None:
    stats = crime(months("1960", "hot_frihet", 2016, 7) + months("1960", "frihet_frid", 2016, 9))
    values = [*POPULATION, ("1960", "N07536", 2024, 2000.0), ("1960", "N07536", 2025, 2100.0)]
    series = series_for(stats, values)
    assert set(series.loc[series["estimated"], "crime_type"]) == {"hot_frihet", "frihet_frid"}  # both fall back
    shown = yearly.without_aliases(series)
    assert set(shown.loc[shown["estimated"], "crime_type"]) == {"frihet_frid"}
    assert len(shown[shown["crime_type"] == "hot_frihet"]) == 1  # Brå's own year stays
    alone = yearly.without_aliases(series[series["crime_type"] == "hot_frihet"])
    assert alone["estimated"].any()  # without its owner in the series, the closest KPI still continues the line


def test_sources_in_a_few_words() -> None:
    table = pd.DataFrame({"source": ["Brå", "beräknat ur Kolada (N07540)"], "estimated": [False, True]})
    assert yearly.sources_text(table) == "Brå; Kolada (antal beräknade ur nyckeltal per 100 000 inv. och folkmängd)"


def test_ntu_interval_from_the_osakerhetstal_twin() -> None:
    values = kpis(
        [
            ("0483", "N07609", 2025, 30.0),
            ("0483", "N99609", 2025, 4.5),
            ("0004", "N07609", 2025, 28.0),
            ("0000", "N07609", 2025, 1.5),
            ("0000", "N99609", 2025, 3.0),
        ]
    )
    names = {"0483": "Katrineholm", "0004": "Sörmland"}
    ntu = yearly.ntu_values(values, kommun_code="0483", lan_code="04", indicators=TWINS, names=names)
    by_area = ntu.set_index("area")
    assert by_area.loc["Katrineholm", ["value", "lower", "upper"]].tolist() == [30.0, 25.5, 34.5]
    assert by_area.loc["Sörmland", "level"] == "län" and pd.isna(by_area.loc["Sörmland", "lower"])
    assert by_area.loc["Riket", ["lower", "upper"]].tolist() == [0.0, 4.5]  # clipped at 0
    assert yearly.ntu_note(ntu, "0483") is None


def test_ntu_is_empty_when_kolada_has_none() -> None:
    ntu = yearly.ntu_values(kpis([("1960", "N07540", 2024, 1.0)]), kommun_code="1960", lan_code="19")
    assert ntu.empty and list(ntu.columns) == list(yearly.NTU_COLUMNS)
    assert yearly.ntu_note(ntu, "1960") == "Inga NTU-värden för kommunen i Kolada."
    only_lan = yearly.ntu_values(kpis([("0019", "N07611", 2024, 40.0)]), kommun_code="1960", lan_code="19")
    assert yearly.ntu_note(only_lan, "1960") == "Inga NTU-värden för kommunen i Kolada; länet och riket visas."


# -- the mapping -------------------------------------------------------------------------------------------------


def test_every_crime_type_has_exactly_one_mapping_with_an_honest_match() -> None:
    assert set(MATCH_BY_TYPE) == set(BY_CODE)
    assert {m.match for m in MATCH_BY_TYPE.values()} == {EXACT, CLOSE, NONE}
    for match in MATCH_BY_TYPE.values():
        assert (match.kpi is None) == (match.match == NONE)
        assert match.kpi is None or match.kpi in KOLADA_KPIS
        assert match.bra_label is None or BRA_LABELS[match.bra_label] == match.crime_type
    assert MATCH_BY_TYPE["totalt"].match == EXACT and MATCH_BY_TYPE["stold"].match == CLOSE


# -- figures -----------------------------------------------------------------------------------------------------


def traces(fig) -> list[dict]:
    return json.loads(fig.to_json())["data"]


def test_timeline_marks_estimates_source_changes_and_promise_years() -> None:
    stats = crime(months("1960", "stold", 2015, 10) + months("1960", "stold", 2016, 10))
    series = series_for(stats, POPULATION + [("1960", "U07417", y, 2000.0) for y in range(2015, 2019)])
    acts = yearly.activities_per_year(pd.DataFrame({"date": [date(2017, 3, 1), date(2017, 9, 1)], "count": [2, 3]}))

    fig = figures.focus_timeline(series, acts, promise_years=[2017], title="Titel", source="Källa: Brå; Kolada")

    data = traces(fig)
    bars = [t for t in data if t["type"] == "bar"]
    assert bars[0]["y"] == [5] and bars[0]["yaxis"] == "y2"
    lines = [t for t in data if t["type"] == "scatter"]
    assert [t["x"] for t in lines] == [[2015, 2016], [2017, 2018]]  # not joined across the change
    assert [t["line"]["dash"] for t in lines] == ["solid", "dot"]
    assert lines[1]["marker"]["color"] == "white"  # open markers for estimates
    layout = json.loads(fig.to_json())["layout"]
    assert layout["separators"] == ", "
    assert [s["x0"] for s in layout["shapes"] if s["type"] == "rect"] == [2016.5]
    assert any(s["type"] == "line" and s["x0"] == 2016.5 for s in layout["shapes"])  # the source change
    texts = " ".join(a["text"] for a in layout["annotations"])
    assert "Löfte 2017" in texts and "ny källa" in texts and "beräknat ur Kolada" in texts


def test_timeline_without_activities_or_crime_figures() -> None:
    empty_acts = yearly.activities_per_year(pd.DataFrame(columns=["date", "count"]))
    series = series_for(crime([]), POPULATION + [("1960", "N07538", 2024, 700.0)])
    fig = figures.focus_timeline(series, empty_acts, promise_years=[2024], title="Bedrägerier", source="Källa: Kolada")
    assert [t["type"] for t in traces(fig)] == ["scatter"]
    layout = json.dumps(json.loads(fig.to_json())["layout"], ensure_ascii=False)
    assert "Inga aktiviteter med antal registrerade" in layout

    nothing = figures.focus_timeline(series.iloc[0:0], empty_acts, promise_years=[2024], title="T", source="K")
    assert "Inga brottssiffror" in json.dumps(json.loads(nothing.to_json())["layout"], ensure_ascii=False)


def test_consecutive_promise_years_share_one_band_and_one_label() -> None:
    empty_acts = yearly.activities_per_year(pd.DataFrame(columns=["date", "count"]))
    series = series_for(crime([]), POPULATION + [("1960", "N07538", 2024, 700.0)])
    fig = figures.focus_timeline(series, empty_acts, promise_years=[2023, 2020, 2021], title="T", source="K")
    layout = json.loads(fig.to_json())["layout"]
    assert [(s["x0"], s["x1"]) for s in layout["shapes"] if s["type"] == "rect"] == [(2019.5, 2021.5), (2022.5, 2023.5)]
    labels = [a["text"] for a in layout["annotations"] if a["text"].startswith("Löfte")]
    assert labels == ["Löfte 2020\u201321", "Löfte 2023"]


def test_ntu_figure_draws_intervals_for_the_latest_year() -> None:
    values = kpis(
        [
            ("0483", "N07609", 2023, 20.0),
            ("0483", "N07609", 2025, 30.0),
            ("0483", "N99609", 2025, 4.5),
            ("0000", "N07609", 2025, 25.0),
        ]
    )
    ntu = yearly.ntu_values(values, kommun_code="0483", lan_code="04", indicators=TWINS, names={"0483": "Katrineholm"})

    data = traces(figures.ntu_intervals(ntu, title="Trygghet", source="Källa: Brå (NTU) via Kolada"))

    assert [t["name"] for t in data] == ["Katrineholm", "Riket"]
    assert data[0]["x"] == [30.0] and data[0]["y"] == ["Otrygghet (2025)"]
    assert data[0]["error_x"]["array"] == [4.5] and data[0]["error_x"]["visible"]
    assert not data[1]["error_x"]["visible"]
    empty = figures.ntu_intervals(ntu.iloc[0:0], title="Trygghet", source="Källa")
    assert traces(empty) == []


def test_work_done_without_a_count_is_no_zero_bar() -> None:
    # Kungsör 2021: meetings every 14 days and a daily dialogue, no number given; 2023: 82 stated and some without.
    acts = pd.DataFrame(
        {
            "date": [date(2021, 12, 31), date(2021, 12, 31), date(2023, 12, 31), date(2023, 12, 31)],
            "count": [0, 0, 82, 0],
            "count_stated": [False, False, True, False],
        }
    )
    assert yearly.activities_per_year(acts).to_dict("records") == [{"year": 2023, "count": 82}]
