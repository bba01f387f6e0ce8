"""Crime trends: monthly sums, rolling 12 months, year-on-year by crime type, per 100 000 inv, population estimate."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lofte_data import trends
from lofte_data.trends import (
    derive_population,
    monthly,
    per_100k,
    period_label,
    rolling_12,
    year_on_year_table,
    yearly_by_type,
)

BRA_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference" / "bra"
BRA_FILE = BRA_DIR / "databasfil_2013-2016_5kommuner_utf8.csv"

# Kungsör, totalt antal brott, as published by Brå (2016 preliminary).
KUNGSOR_2015 = [61, 43, 59, 61, 46, 58, 48, 64, 39, 53, 89, 39]
KUNGSOR_2016_JAN_AUG = [43, 59, 35, 49, 98, 46, 33, 46]

small_counts = st.integers(min_value=0, max_value=5_000)


def _rows(
    counts: list[int | None],
    *,
    year: int = 2016,
    start: int = 1,
    kommun: str = "1960",
    crime_type: str = "totalt",
    per_100k_values: list[float | None] | None = None,
    preliminary: bool = False,
    source: str = "Brå",
) -> list[dict]:
    """crime_stat rows for consecutive months from ``start`` (overflowing into the next years)."""
    rates = per_100k_values or [None] * len(counts)
    rows = []
    for offset, (count, rate) in enumerate(zip(counts, rates, strict=True)):
        index = year * 12 + start - 1 + offset
        rows.append(
            {
                "kommun_code": kommun,
                "crime_type": crime_type,
                "year": index // 12,
                "period": f"M{index % 12 + 1:02d}",
                "count": count,
                "per_100k": rate,
                "preliminary": preliminary,
                "source": source,
                "note": "",
            }
        )
    return rows


def _frame(*row_lists: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame([row for rows in row_lists for row in rows])
    return frame.astype({"count": "Int64", "per_100k": "Float64", "preliminary": bool})


def _kungsor() -> pd.DataFrame:
    return _frame(_rows(KUNGSOR_2015, year=2015), _rows(KUNGSOR_2016_JAN_AUG, year=2016, preliminary=True))


def _row(table: pd.DataFrame, crime_type: str) -> pd.Series:
    match = table[table["crime_type"] == crime_type]
    assert len(match) == 1, f"{crime_type} not in table"
    return match.iloc[0]


# -- year on year ----------------------------------------------------------------------------------------------


def test_kungsor_jan_aug_2016_is_minus_31_and_within_normal_variation() -> None:
    row = _row(year_on_year_table(_kungsor(), 2016), "totalt")
    assert (row["current"], row["previous"], row["absolute"]) == (409, 440, -31)
    assert round(row["percent"] * 100) == -7
    assert row["z"] == pytest.approx(-1.5, abs=0.01)
    assert row["verdict"] == "inom normal variation"
    assert row["period_label"] == "jan–aug"
    assert row["label"] == "Totalt antal brott"
    assert row["preliminary"] and row["source"] == "Brå"
    assert not row["small_base"] and not row["surveillance"]
    assert pd.isna(row["per_100k_current"]) and pd.isna(row["per_100k_previous"])


def test_table_columns_are_as_documented() -> None:
    assert tuple(year_on_year_table(_kungsor(), 2016).columns) == trends.YEAR_ON_YEAR_COLUMNS
    assert tuple(year_on_year_table(_kungsor().iloc[:0], 2016).columns) == trends.YEAR_ON_YEAR_COLUMNS


def test_totalt_first_then_by_swedish_label() -> None:
    types = ["vald", "bilbrott", "trafik", "totalt", "alkohol_narkotika", "vardsloshet", "vapen"]
    stats = _frame(*[_rows([5] * 14, year=2015, crime_type=t) for t in types])
    assert list(year_on_year_table(stats, 2016)["label"]) == [
        "Totalt antal brott",
        "Alkohol- och narkotikabrott",
        "Bilbrott",
        "Trafikbrott",
        "Vapenbrott",
        "Våldsbrott",
        "Vårdslöshets- och vållandebrott",
    ]


def test_each_crime_type_uses_its_own_last_month() -> None:
    stats = _frame(_rows([10] * 20, year=2015), _rows([4] * 18, year=2015, crime_type="vald"))
    table = year_on_year_table(stats, 2016).set_index("crime_type")
    assert table.loc["totalt", "period_label"] == "jan–aug"
    assert table.loc["vald", "period_label"] == "jan–jun"
    assert (table.loc["vald", "current"], table.loc["vald", "previous"]) == (24, 24)


def test_previous_zero_gives_no_percent() -> None:
    stats = _frame(_rows([0, 0, 0], year=2015), _rows([2, 1, 0], year=2016))
    row = _row(year_on_year_table(stats, 2016), "totalt")
    assert (row["current"], row["previous"], row["absolute"]) == (3, 0, 3)
    assert pd.isna(row["percent"])
    assert row["small_base"]


@pytest.mark.parametrize(("previous", "small"), [(29, True), (30, False)])
def test_small_base_under_30(previous: int, small: bool) -> None:
    stats = _frame(_rows([previous], year=2015), _rows([40], year=2016))
    assert _row(year_on_year_table(stats, 2016), "totalt")["small_base"] == small


def test_surveillance_flag_for_spaningsbrott() -> None:
    types = ["trafik", "alkohol_narkotika", "vald"]
    stats = _frame(*[_rows([50] * 14, year=2015, crime_type=t) for t in types])
    flags = year_on_year_table(stats, 2016).set_index("crime_type")["surveillance"]
    assert flags.to_dict() == {"alkohol_narkotika": True, "trafik": True, "vald": False}


def test_crime_type_without_both_years_is_left_out() -> None:
    stats = _frame(
        _rows([10] * 20, year=2015),
        _rows([3] * 4, year=2016, crime_type="vapen"),  # no 2015 at all
        _rows([3, None, 3, 3], year=2015, crime_type="vald"),  # 2015 feb missing
        _rows([3] * 4, year=2016, crime_type="vald"),
    )
    assert list(year_on_year_table(stats, 2016)["crime_type"]) == ["totalt"]


def test_year_on_year_per_100k_with_population() -> None:
    population = pd.DataFrame({"area_code": ["1960", "1960"], "year": [2015, 2016], "population": [8000, 8200]})
    row = _row(year_on_year_table(_kungsor(), 2016, population=population), "totalt")
    assert row["per_100k_current"] == pytest.approx(409 / 8200 * 100_000)
    assert row["per_100k_previous"] == pytest.approx(440 / 8000 * 100_000)


# -- lokalpolisområde: several kommuner ---------------------------------------------------------------------------


def _two_kommuner() -> pd.DataFrame:
    return _frame(
        _rows([36, 30, 40], year=2016, kommun="1960", per_100k_values=[444, 370, 493]),
        _rows([100, 80, None], year=2016, kommun="1961", per_100k_values=[641, 513, None]),
        _rows([7], year=2016, kommun="1983"),
    )


def test_lokalpolisomrade_sums_kommuner_and_drops_months_one_kommun_lacks() -> None:
    months = monthly(_two_kommuner(), crime_type="totalt", kommun_codes=["1960", "1961"])
    assert tuple(months.columns) == trends.MONTHLY_COLUMNS
    assert months[["year", "month", "count"]].values.tolist() == [[2016, 1, 136], [2016, 2, 110]]


def test_lokalpolisomrade_per_100k_is_recomputed_from_population() -> None:
    population = pd.DataFrame({"area_code": ["1960", "1961"], "year": [2016, 2016], "population": [8000, 16000]})
    months = monthly(_two_kommuner(), crime_type="totalt", kommun_codes=["1960", "1961"], population=population)
    assert months["per_100k"].tolist() == pytest.approx([136 / 24000 * 100_000, 110 / 24000 * 100_000])


def test_lokalpolisomrade_per_100k_from_derived_population() -> None:
    months = monthly(_two_kommuner(), crime_type="totalt", kommun_codes=["1960", "1961"])
    derived = derive_population(_two_kommuner()).set_index("area_code")["population"]
    assert months["per_100k"].iloc[0] == pytest.approx(136 / (derived["1960"] + derived["1961"]) * 100_000)


def test_single_kommun_keeps_published_rate() -> None:
    months = monthly(_two_kommuner(), crime_type="totalt", kommun_codes=["1960"])
    assert months["per_100k"].tolist() == [444, 370, 493]


def test_missing_population_gives_na_rate() -> None:
    population = pd.DataFrame({"area_code": ["1960"], "year": [2016], "population": [8000]})
    months = monthly(_two_kommuner(), crime_type="totalt", kommun_codes=["1960", "1961"], population=population)
    assert months["per_100k"].isna().all()


def test_year_on_year_over_two_kommuner() -> None:
    stats = _frame(
        _rows([10] * 14, year=2015, kommun="1960"),
        _rows([20] * 13, year=2015, kommun="1961"),  # 1961 only up to jan 2016
    )
    row = _row(year_on_year_table(stats, 2016, kommun_codes=["1960", "1961"]), "totalt")
    assert (row["period_label"], row["current"], row["previous"]) == ("jan", 30, 30)


# -- rolling 12 --------------------------------------------------------------------------------------------------


def test_rolling_12_with_exactly_24_months() -> None:
    counts = [10] * 12 + [12] * 12
    result = rolling_12(_frame(_rows(counts, year=2014, start=9)), crime_type="totalt")
    assert result is not None
    assert result.label == "sep 2015–aug 2016"
    assert result.year == 2016
    assert (result.change.current, result.change.previous, result.change.absolute) == (144, 120, 24)


def test_rolling_12_with_a_gap_is_none() -> None:
    counts: list[int | None] = [10] * 24
    counts[5] = None
    assert rolling_12(_frame(_rows(counts, year=2014, start=9)), crime_type="totalt") is None


def test_rolling_12_with_23_months_is_none() -> None:
    assert rolling_12(_frame(_rows([10] * 23, year=2014, start=10)), crime_type="totalt") is None
    assert rolling_12(_frame(_rows([10], year=2014)).iloc[:0], crime_type="totalt") is None


def test_rolling_12_ignores_gaps_before_the_last_24_months() -> None:
    counts: list[int | None] = [None] + [5] * 24
    result = rolling_12(_frame(_rows(counts, year=2014, start=1)), crime_type="totalt")
    assert result is not None and result.label == "feb 2015–jan 2016"


def test_rolling_12_surveillance_and_preliminary() -> None:
    stats = _frame(_rows([3] * 12, year=2015, crime_type="trafik"), _rows([4] * 12, year=2016, crime_type="trafik"))
    stats.loc[stats["year"] == 2016, "preliminary"] = True
    result = rolling_12(stats, crime_type="trafik")
    assert result is not None and result.change.surveillance and result.preliminary


# -- population and per 100 000 ---------------------------------------------------------------------------------


def test_derive_population_from_count_and_rate() -> None:
    stats = _frame(_rows([36], year=2013, per_100k_values=[444]))
    assert derive_population(stats).to_dict("records") == [{"area_code": "1960", "year": 2013, "population": 8108}]


def test_derive_population_uses_median_of_usable_totalt_months() -> None:
    stats = _frame(
        _rows([36, 29, 39, 54, 5, 30], year=2013, per_100k_values=[444, 358, 481, 666, 62, 0]),
        _rows([40], year=2013, crime_type="vald", per_100k_values=[1]),
    )
    # used: 36/444, 29/358, 39/481, 54/666 (5 is under 20, rate 0 is unusable, vald is not totalt)
    expected = round(pd.Series([36 / 444, 29 / 358, 39 / 481, 54 / 666]).median() * 100_000)
    assert derive_population(stats)["population"].tolist() == [expected]


def test_derive_population_skips_kommun_years_without_usable_rows() -> None:
    stats = _frame(_rows([10, 12], year=2013, per_100k_values=[120, 150]))
    assert derive_population(stats).empty
    assert tuple(derive_population(stats).columns) == trends.POPULATION_COLUMNS


@pytest.mark.parametrize("population", [None, 0, float("nan"), pd.NA])
def test_per_100k_without_population_is_none(population: object) -> None:
    assert per_100k(10, population) is None


def test_per_100k_value() -> None:
    assert per_100k(36, 8108) == pytest.approx(444.0, abs=0.1)
    assert per_100k(None, 8108) is None


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**7), st.integers(1, 50))
def test_per_100k_scales_linearly(count: int, population: int, factor: int) -> None:
    base = per_100k(count, population)
    assert per_100k(count * factor, population) == pytest.approx(base * factor)
    assert per_100k(count, population * factor) == pytest.approx(base / factor)


# -- yearly series and captions -----------------------------------------------------------------------------------


def test_yearly_by_type_marks_incomplete_years() -> None:
    stats = _frame(
        _rows(KUNGSOR_2015, year=2015),
        _rows(KUNGSOR_2016_JAN_AUG, year=2016, preliminary=True),
        [
            {
                "kommun_code": "1960",
                "crime_type": "totalt",
                "year": 2014,
                "period": "year",
                "count": 843,
                "per_100k": None,
                "preliminary": False,
                "source": "Brå",
                "note": "",
            }
        ],
    )
    result = yearly_by_type(stats)
    assert tuple(result.columns) == trends.YEARLY_COLUMNS
    assert result[["year", "count", "complete", "last_month", "preliminary"]].values.tolist() == [
        [2014, 843, True, 12, False],
        [2015, sum(KUNGSOR_2015), True, 12, False],
        [2016, 409, False, 8, True],
    ]


def test_yearly_by_type_counts_only_months_from_january_without_gap() -> None:
    stats = _frame(_rows([5, 5, None, 5], year=2016), _rows([1, 1], year=2016, start=3, crime_type="vald"))
    result = yearly_by_type(stats)
    assert result[["crime_type", "count", "last_month"]].values.tolist() == [["totalt", 10, 2]]


def test_yearly_by_type_names_january_for_a_full_year_and_every_source_of_a_partial_one() -> None:
    full = _rows([1] * 6, year=2015) + _rows([1] * 6, year=2015, start=7, source="Brå (Databasfil.txt)")
    partial = _rows([2, 2], year=2016, source="Brå (b)") + _rows([2], year=2016, start=3, source="Brå (a)")
    result = yearly_by_type(_frame(full, partial, _rows([3, 3], year=2016, kommun="0483")), kommun_codes=["1960"])
    assert result[["year", "count", "source"]].values.tolist() == [[2015, 12, "Brå"], [2016, 6, "Brå (a), Brå (b)"]]


def test_period_label() -> None:
    assert period_label(2016, 8, False) == "t.o.m. aug 2016"
    assert period_label(2016, 8, True) == "prel., t.o.m. aug 2016"
    assert f"Källa: Brå, {period_label(2016, 5, True)}" == "Källa: Brå, prel., t.o.m. maj 2016"
    with pytest.raises(ValueError):
        period_label(2016, 13, False)


# -- properties -----------------------------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(st.lists(small_counts, min_size=12, max_size=12), st.lists(small_counts, min_size=1, max_size=12))
def test_ytd_current_is_the_sum_of_the_months_it_covers(before: list[int], now: list[int]) -> None:
    row = _row(year_on_year_table(_frame(_rows(before, year=2015), _rows(now, year=2016)), 2016), "totalt")
    assert row["current"] == sum(now)
    assert row["previous"] == sum(before[: len(now)])
    assert row["absolute"] == sum(now) - sum(before[: len(now)])


@settings(max_examples=25, deadline=None)
@given(st.lists(small_counts, min_size=24, max_size=40), st.integers(min_value=1, max_value=12))
def test_rolling_12_covers_the_last_24_months(counts: list[int], start: int) -> None:
    result = rolling_12(_frame(_rows(counts, year=2012, start=start)), crime_type="totalt")
    assert result is not None
    assert result.change.current == sum(counts[-12:])
    assert result.change.current + result.change.previous == sum(counts[-24:])


@settings(max_examples=15, deadline=None)
@given(st.lists(small_counts, min_size=1, max_size=12), st.lists(small_counts, min_size=1, max_size=12))
def test_group_sum_is_the_sum_of_its_kommuner(a: list[int], b: list[int]) -> None:
    stats = _frame(_rows(a, kommun="1960"), _rows(b, kommun="1961"))
    months = monthly(stats, crime_type="totalt", kommun_codes=["1960", "1961"])
    assert months["count"].tolist() == [x + y for x, y in zip(a, b, strict=False)]


# -- acceptance: the real Brå Databasfil ---------------------------------------------------------------------------


def _crime_stat_from_databasfil(path: Path) -> pd.DataFrame:
    """The parsed Databasfil in the crime_stat shape (months only, known crime types)."""
    from lofte_data.sources.bra import parse_databasfil

    parsed = parse_databasfil(path.read_bytes())
    rows = parsed[(parsed["period_kind"] == "month") & parsed["crime_type"].notna() & parsed["region_code"].notna()]
    return pd.DataFrame(
        {
            "kommun_code": rows["region_code"].astype(str),
            "crime_type": rows["crime_type"].astype(str),
            "year": rows["year"].astype(int),
            "period": [f"M{p:02d}" for p in rows["period"]],
            "count": rows["count"],
            "per_100k": rows["per_100k"],
            "preliminary": rows["preliminary"].astype(bool),
            "source": "Brå",
            "note": "",
        }
    )


@pytest.mark.skipif(not BRA_FILE.exists(), reason="Brå reference file not available")
def test_acceptance_kungsor_2016_jan_aug_from_the_real_file() -> None:
    stats = _crime_stat_from_databasfil(BRA_FILE)
    as_of_aug_2016 = stats[~((stats["year"] == 2016) & (stats["period"] > "M08"))]
    row = _row(year_on_year_table(as_of_aug_2016, 2016, kommun_codes=["1960"]), "totalt")
    assert (row["current"], row["previous"], row["absolute"]) == (409, 440, -31)
    assert (round(row["percent"] * 100), row["verdict"], row["period_label"]) == (
        -7,
        "inom normal variation",
        "jan–aug",
    )
    assert row["preliminary"]
    rolling = rolling_12(as_of_aug_2016, crime_type="totalt", kommun_codes=["1960"])
    assert rolling is not None and rolling.label == "sep 2015–aug 2016"
    population = derive_population(stats).set_index(["area_code", "year"])["population"]
    assert 8_000 < population[("1960", 2013)] < 8_200
