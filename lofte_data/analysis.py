"""Pure statistics (core): change, noise verdicts, year-to-date, yearly totals, activity tallies."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from lofte_data.crime_types import is_surveillance
from lofte_data.formats import MONTHS_SHORT

SMALL_BASE = 30
MONTH_PERIODS = tuple(f"M{m:02d}" for m in range(1, 13))


@dataclass(frozen=True)
class Change:
    """Current vs previous count with the statistics rules of the design applied."""

    current: int
    previous: int
    absolute: int
    percent: float | None  # None when previous is 0: no % is shown, never 100 %
    z: float
    verdict: str
    small_base: bool  # the % is muted when the base is under 30
    surveillance: bool = False  # spaningsbrott: colour neutral, a rise may mean more police work


def poisson_z(current: int, previous: int) -> float:
    """Variance-stabilised difference of two Poisson counts: 2 (sqrt(c) - sqrt(p))."""
    return 2.0 * (math.sqrt(current) - math.sqrt(previous))


def verdict(z: float) -> str:
    """Plain-Swedish verdict for a z value: |z| < 2 noise, 2..3 possible change, > 3 clear."""
    if abs(z) < 2:
        return "inom normal variation"
    if abs(z) <= 3:
        return "möjlig förändring"
    return "tydlig ökning" if z > 0 else "tydlig minskning"


def compare(current: int, previous: int, *, crime_type: str | None = None) -> Change:
    """The change from ``previous`` to ``current``; counts must be whole and not negative."""
    if current < 0 or previous < 0:
        raise ValueError("counts must not be negative")
    z = poisson_z(current, previous)
    return Change(
        current=int(current),
        previous=int(previous),
        absolute=int(current - previous),
        percent=None if previous == 0 else (current - previous) / previous,
        z=z,
        verdict=verdict(z),
        small_base=previous < SMALL_BASE,
        surveillance=is_surveillance(crime_type) if crime_type else False,
    )


@dataclass(frozen=True)
class PeriodComparison:
    """A comparison of one period with the same period a year earlier, with where the figures come from."""

    year: int
    label: str  # e.g. "jan–aug" or the note of a reported figure
    change: Change
    source: str
    preliminary: bool


def year_to_date(stats: pd.DataFrame, year: int, *, crime_type: str = "totalt") -> PeriodComparison | None:
    """Months 1..m of ``year`` vs the same months of ``year - 1`` (m = last month with data);
    falls back to reported year-to-date figures ("ytd" rows). None when neither exists."""
    rows = stats[stats["crime_type"] == crime_type]
    from_months = _ytd_from_months(rows, year, crime_type)
    return from_months if from_months is not None else _ytd_reported(rows, year, crime_type)


def _ytd_from_months(rows: pd.DataFrame, year: int, crime_type: str) -> PeriodComparison | None:
    monthly = rows[rows["period"].isin(MONTH_PERIODS) & rows["count"].notna()]
    this_year = monthly[monthly["year"] == year]
    if this_year.empty:
        return None
    last = max(int(p[1:]) for p in this_year["period"])
    months = set(MONTH_PERIODS[:last])
    previous = monthly[(monthly["year"] == year - 1) & monthly["period"].isin(months)]
    if len(previous) < last or len(this_year[this_year["period"].isin(months)]) < last:
        return None
    current_rows = this_year[this_year["period"].isin(months)]
    change = compare(int(current_rows["count"].sum()), int(previous["count"].sum()), crime_type=crime_type)
    span = "jan" if last == 1 else "helår" if last == 12 else f"jan–{MONTHS_SHORT[last - 1]}"
    return PeriodComparison(year, span, change, _sources(current_rows), _prel(current_rows))


def _ytd_reported(rows: pd.DataFrame, year: int, crime_type: str) -> PeriodComparison | None:
    ytd = rows[rows["period"] == "ytd"].set_index("year")
    if year not in ytd.index or year - 1 not in ytd.index:
        return None
    now, before = ytd.loc[year], ytd.loc[year - 1]
    if pd.isna(now["count"]) or pd.isna(before["count"]):
        return None
    change = compare(int(now["count"]), int(before["count"]), crime_type=crime_type)
    return PeriodComparison(year, str(now["note"]), change, str(now["source"]), bool(now["preliminary"]))


def yearly_totals(stats: pd.DataFrame, *, crime_type: str = "totalt") -> pd.DataFrame:
    """One row per year (year, count, preliminary, source): reported yearly figures, else the sum
    of twelve months when all twelve exist."""
    rows = stats[(stats["crime_type"] == crime_type) & stats["count"].notna()]
    reported = rows[rows["period"] == "year"][["year", "count", "preliminary", "source"]]
    monthly = rows[rows["period"].isin(MONTH_PERIODS)]
    full = monthly[monthly.groupby("year")["period"].transform("nunique") == 12]
    summed = full.groupby("year", as_index=False).agg(
        count=("count", "sum"), preliminary=("preliminary", "any"), source=("source", "first")
    )
    summed = summed[~summed["year"].isin(reported["year"])]
    result = pd.concat([reported, summed], ignore_index=True).sort_values("year", ignore_index=True)
    return result.astype({"year": int, "count": int, "preliminary": bool})


def latest_full_year(stats: pd.DataFrame, up_to: int, *, crime_type: str = "totalt") -> PeriodComparison | None:
    """The latest year up to ``up_to`` with a total and a total for the year before."""
    totals = yearly_totals(stats, crime_type=crime_type).set_index("year")
    for year in sorted((y for y in totals.index if y <= up_to), reverse=True):
        if year - 1 in totals.index:
            now, before = totals.loc[year], totals.loc[year - 1]
            change = compare(int(now["count"]), int(before["count"]), crime_type=crime_type)
            return PeriodComparison(year, "helår", change, str(now["source"]), bool(now["preliminary"]))
    return None


def tallies(activities: pd.DataFrame) -> dict[int, int]:
    """Total count per commitment id."""
    if activities.empty:
        return {}
    sums = activities.groupby("commitment_id")["count"].sum()
    return {int(k): int(v) for k, v in sums.items()}


def _sources(rows: pd.DataFrame) -> str:
    return ", ".join(sorted(set(rows["source"].astype(str))))


def _prel(rows: pd.DataFrame) -> bool:
    return bool(rows["preliminary"].astype(bool).any())
