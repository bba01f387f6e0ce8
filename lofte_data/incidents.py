"""Lägesbild analysis (core): incidents filtered by period, type and origin; hot spots; weekday x hour;
monthly trend against the year before; and the slots where night walks and guards would help most."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from lofte_data import followup, formats
from lofte_data.formats import MONTHS_SHORT, count

PERIODS = {
    "14d": "Senaste 14 dagarna",
    "30d": "Senaste 30 dagarna",
    "tertial": "Tertialet",
    "ar": "Hela året",
    "egen": "Egen period",
}
ORIGINS = {"polisen": "Polisens händelser", "egen": "Egna rapporter"}
EST_CATEGORIES = (
    "Skadegörelse",
    "Klotter",
    "Otrygghetsskapande samling",
    "Ordningsstörning",
    "Otrygg plats",
    "Nedskräpning",
    "Brand",
    "Annat",
)
# What night walks and guards can do something about (EST categories and the police's matching types).
WATCH_DEFAULT = (
    "Skadegörelse",
    "Klotter",
    "Ordningsstörning",
    "Otrygghetsskapande samling",
    "Misshandel",
    "Stöld",
    "Stöld/inbrott",
    "Brand",
    "Rån",
)
WATCH_TEXT = "av de slag nattvandring och väktare kan påverka (skadegörelse, stöld, misshandel m.fl.)"
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
UNKNOWN_PLACE = "Ingen plats angiven (kommunens mittpunkt)"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def label(self) -> str:
        return (
            f"{self.start.day} {MONTHS_SHORT[self.start.month - 1]} {self.start.year} – "
            f"{self.end.day} {MONTHS_SHORT[self.end.month - 1]} {self.end.year}"
        )

    def year_before(self) -> Period:
        return Period(_minus_year(self.start), _minus_year(self.end))


def _minus_year(day: date) -> date:
    return day.replace(year=day.year - 1) if (day.month, day.day) != (2, 29) else date(day.year - 1, 2, 28)


def reference_day(year: int, today: date) -> date:
    """The day the relative periods end on: today in the current year, else the last day of ``year``."""
    return today if year >= today.year else date(year, 12, 31)


def period(kind: str, *, year: int, today: date, custom: tuple[date, date] | None = None) -> Period:
    """The date range for a period choice (PERIODS keys)."""
    ref = reference_day(year, today)
    if kind == "14d":
        return Period(ref - timedelta(days=13), ref)
    if kind == "30d":
        return Period(ref - timedelta(days=29), ref)
    if kind == "tertial":
        return Period(*followup.tertial_bounds(ref.year, followup.tertial_of(ref)))
    if kind == "egen" and custom:
        return Period(min(custom), max(custom))
    return Period(date(year, 1, 1), date(year, 12, 31))


def of_kind(
    frame: pd.DataFrame, *, categories: list[str] | None = None, origins: list[str] | None = None
) -> pd.DataFrame:
    """Incidents of the categories and origins given (None or empty = all)."""
    mask = pd.Series(True, index=frame.index)
    if categories:
        mask &= frame["category"].isin(categories)
    if origins:
        mask &= frame["origin"].isin(origins)
    return frame[mask]


def select(
    frame: pd.DataFrame, span: Period, *, categories: list[str] | None = None, origins: list[str] | None = None
) -> pd.DataFrame:
    """Incidents inside the period (inclusive), of the categories and origins given (None = all)."""
    days = frame["occurred_at"].dt.date
    return of_kind(frame[(days >= span.start) & (days <= span.end)], categories=categories, origins=origins)


def archive_span(kommun_name: str, first: date | None, last: date | None) -> str:
    """ " Registrerade händelser för Kungsör: 20 dec 2022 – 1 aug 2026." (leading space), or "" when none are:
    what is known when a period holds no incident."""
    if first is None or last is None:
        return ""
    return f" Registrerade händelser för {kommun_name}: {formats.day(first)} – {formats.day(last)}."


def centre(frame: pd.DataFrame) -> tuple[float, float]:
    """Where to centre the map: the median position of the incidents, else the middle of Sweden."""
    placed = frame.dropna(subset=["lat", "lon"])
    if placed.empty:
        return (62.0, 15.0)
    return (float(placed["lat"].median()), float(placed["lon"].median()))


def hot_spots(frame: pd.DataFrame, *, limit: int = 10) -> pd.DataFrame:
    """Places ranked by the number of incidents (Plats, Händelser, Vanligaste typ; a tie goes to the first
    type alphabetically)."""
    if frame.empty:
        return pd.DataFrame(columns=["Plats", "Händelser", "Vanligaste typ"])
    places = frame["place"].where(frame["place"].str.strip() != "", UNKNOWN_PLACE)
    pairs = frame.assign(Plats=places).groupby(["Plats", "category"]).size().rename("n").reset_index()
    pairs = pairs.sort_values(["Plats", "n", "category"], ascending=[True, False, True])
    table = pd.DataFrame(
        {
            "Händelser": pairs.groupby("Plats")["n"].sum(),
            "Vanligaste typ": pairs.drop_duplicates("Plats").set_index("Plats")["category"],
        }
    )
    return table.sort_values(["Händelser", "Vanligaste typ"], ascending=[False, True]).head(limit).reset_index()


def weekday_hour(frame: pd.DataFrame) -> pd.DataFrame:
    """A 7 x 24 count matrix: rows måndag..söndag, columns hour 0..23."""
    matrix = pd.crosstab(frame["occurred_at"].dt.day_of_week, frame["occurred_at"].dt.hour)
    return matrix.reindex(index=range(7), columns=range(24), fill_value=0).set_axis(list(WEEKDAYS), axis=0)


def monthly(frame: pd.DataFrame, span: Period, *, first: pd.Timestamp | None = None) -> pd.DataFrame:
    """Incidents per month in the period and in the same months a year earlier (Månad, I perioden, Året före).
    Months before the first incident on record are gaps (None), not zeros: the archive did not reach back.
    ``first`` is the first incident on record (default: the first in ``frame``; pass it when ``frame`` holds
    only the period and the year before)."""
    first = first if first is not None else (frame["occurred_at"].min() if not frame.empty else None)
    first_month = pd.Timestamp(first).to_period("M") if first is not None else None
    now = _per_month(select(frame, span))
    then = _per_month(select(frame, span.year_before()))
    months = pd.period_range(span.start, span.end, freq="M")
    rows = [
        {
            "Månad": f"{MONTHS_SHORT[month.month - 1]} {month.year}",
            "I perioden": _count_in(now, month, first_month),
            "Året före": _count_in(then, month - 12, first_month),
        }
        for month in months
    ]
    return pd.DataFrame(rows, columns=["Månad", "I perioden", "Året före"])


def _per_month(frame: pd.DataFrame) -> pd.Series:
    return frame["occurred_at"].dt.to_period("M").value_counts()


def _count_in(counts: pd.Series, month: pd.Period, first: pd.Period | None) -> int | None:
    if first is None or month < first:
        return None
    return int(counts.get(month, 0))


# Night walks and evening guards happen from 18 to 06: a busy Friday lunchtime is no slot for them.
NIGHT_HOURS = frozenset(range(18, 24)) | frozenset(range(0, 6))
NIGHT_HOURS_TEXT = "kvällar och nätter (kl. 18–06)"


def patrol_slots(frame: pd.DataFrame, *, limit: int = 5, block_hours: int = 3) -> list[str]:
    """The weekday and evening or night blocks (18-06) with the most incidents, as lines a coordinator can
    act on; day-time incidents are left out. Blocks start on multiples of ``block_hours`` (3: 18-21, 21-24,
    00-03, 03-06)."""
    if frame.empty:
        return []
    when = frame["occurred_at"]
    when = when[when.dt.hour.isin(NIGHT_HOURS)]
    if when.empty:
        return []
    blocks = pd.DataFrame({"day": when.dt.day_of_week, "block": when.dt.hour // block_hours})
    counts = blocks.value_counts().rename("n").reset_index()
    counts = counts.sort_values(["n", "day", "block"], ascending=[False, True, True]).head(limit)
    lines = []
    for day, block, n in counts[["day", "block", "n"]].itertuples(index=False):
        start = block * block_hours
        when = f"{WEEKDAYS[day].capitalize()} kl. {start:02d}–{start + block_hours:02d}"
        lines.append(f"{when}: {count(n, 'händelse', 'händelser')}")
    return lines
