"""Change computation, noise verdicts, year-to-date and yearly totals."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lofte_data import analysis
from lofte_data.analysis import compare, verdict

counts = st.integers(min_value=0, max_value=100_000)


def test_kungsor_2021_year_to_date_is_minus_70_and_minus_18_percent() -> None:
    change = compare(317, 387)
    assert change.absolute == -70
    assert round(change.percent * 100) == -18
    assert change.z == pytest.approx(-3.7, abs=0.05)
    assert change.verdict == "tydlig minskning"
    assert not change.small_base


def test_previous_zero_gives_no_percent() -> None:
    change = compare(5, 0)
    assert change.percent is None
    assert change.absolute == 5
    assert change.small_base


def test_both_zero_is_no_change() -> None:
    change = compare(0, 0)
    assert (change.absolute, change.percent, change.z, change.verdict) == (0, None, 0.0, "inom normal variation")


def test_small_base_is_flagged_under_30() -> None:
    assert compare(40, 29).small_base
    assert not compare(40, 30).small_base


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        compare(-1, 3)


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        (0, "inom normal variation"),
        (1.99, "inom normal variation"),
        (-1.99, "inom normal variation"),
        (2, "möjlig förändring"),
        (-3, "möjlig förändring"),
        (3.01, "tydlig ökning"),
        (-3.01, "tydlig minskning"),
    ],
)
def test_verdict_thresholds(z: float, expected: str) -> None:
    assert verdict(z) == expected


def test_surveillance_crimes_are_marked() -> None:
    assert compare(10, 5, crime_type="trafik").surveillance
    assert compare(10, 5, crime_type="alkohol_narkotika").surveillance
    assert not compare(10, 5, crime_type="vald").surveillance


@given(counts, counts)
def test_change_invariants(current: int, previous: int) -> None:
    change = compare(current, previous)
    assert change.absolute == current - previous
    assert (change.percent is None) == (previous == 0)
    assert (change.z > 0) == (current > previous)
    assert (change.z < 0) == (current < previous)
    if change.percent is not None:
        assert change.percent * previous == pytest.approx(current - previous)


@given(counts, counts)
def test_change_is_antisymmetric(a: int, b: int) -> None:
    assert compare(a, b).z == pytest.approx(-compare(b, a).z)


def _months(year: int, counts: list[int], crime_type: str = "totalt") -> list[dict]:
    return [
        {
            "crime_type": crime_type,
            "year": year,
            "period": f"M{m:02d}",
            "count": c,
            "preliminary": year == 2016,
            "source": "Brå",
            "note": "",
        }
        for m, c in enumerate(counts, start=1)
    ]


def test_year_to_date_uses_the_same_months_of_last_year() -> None:
    stats = pd.DataFrame(_months(2015, [10] * 12) + _months(2016, [20, 20, 20]))
    ytd = analysis.year_to_date(stats, 2016)
    assert (ytd.change.current, ytd.change.previous) == (60, 30)
    assert ytd.label == "jan–mar"
    assert ytd.preliminary


def test_year_to_date_falls_back_to_reported_figures() -> None:
    stats = pd.DataFrame(
        [
            {
                "crime_type": "totalt",
                "year": 2021,
                "period": "ytd",
                "count": 317,
                "preliminary": True,
                "source": "Brå",
                "note": "Sedan 1 januari",
            },
            {
                "crime_type": "totalt",
                "year": 2020,
                "period": "ytd",
                "count": 387,
                "preliminary": False,
                "source": "Brå",
                "note": "",
            },
        ]
    )
    ytd = analysis.year_to_date(stats, 2021)
    assert ytd.change.absolute == -70 and ytd.label == "Sedan 1 januari"
    assert analysis.year_to_date(stats, 2022) is None


def test_yearly_totals_sum_complete_years_only() -> None:
    stats = pd.DataFrame(_months(2015, [10] * 12) + _months(2016, [20] * 8))
    totals = analysis.yearly_totals(stats)
    assert totals["year"].tolist() == [2015]
    assert totals["count"].tolist() == [120]


def test_latest_full_year_picks_the_latest_pair() -> None:
    stats = pd.DataFrame(
        [
            {
                "crime_type": "totalt",
                "year": y,
                "period": "year",
                "count": c,
                "preliminary": False,
                "source": "Brå",
                "note": "",
            }
            for y, c in [(2019, 860), (2020, 841), (2021, 743), (2022, 638)]
        ]
    )
    latest = analysis.latest_full_year(stats, 2023)
    assert (latest.year, latest.change.absolute) == (2022, -105)
    assert analysis.latest_full_year(stats, 2019) is None


def test_tallies_sum_per_commitment() -> None:
    frame = pd.DataFrame({"commitment_id": [1, 1, 2], "count": [2, 1, 63]})
    assert analysis.tallies(frame) == {1: 3, 2: 63}
    assert analysis.tallies(frame.iloc[0:0]) == {}
