"""Pure crime-trend analysis (core): monthly series, rolling 12 months, year-on-year by crime type, per 100 000 inv."""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from lofte_data.analysis import MONTH_PERIODS, PeriodComparison, compare, year_to_date
from lofte_data.crime_types import label
from lofte_data.formats import MONTHS_SHORT

PER_100K = 100_000
TOTAL = "totalt"
MIN_COUNT_FOR_POPULATION = 20  # Brå rounds rates to whole numbers: small counts give poor population estimates

MONTHLY_COLUMNS = ("year", "month", "count", "per_100k", "preliminary", "source")
POPULATION_COLUMNS = ("area_code", "year", "population")
YEAR_ON_YEAR_COLUMNS = (
    "crime_type",
    "label",
    "period_label",
    "current",
    "previous",
    "absolute",
    "percent",
    "z",
    "verdict",
    "small_base",
    "surveillance",
    "per_100k_current",
    "per_100k_previous",
    "preliminary",
    "source",
)
YEARLY_COLUMNS = ("year", "crime_type", "count", "complete", "preliminary", "last_month", "source")
_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}"})  # after z, in Swedish alphabetical order


# -- per 100 000 inv -------------------------------------------------------------------------------------------


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def per_100k(count: float | None, population: float | None) -> float | None:
    """count / population x 100 000; None when the count or the population is missing, or the population is 0."""
    if _missing(count) or _missing(population) or population == 0:
        return None
    return float(count) / float(population) * PER_100K


def _population_lookup(population: pd.DataFrame) -> pd.Series:
    """Population indexed by (area_code, year); the last row wins when a key repeats."""
    frame = population.dropna(subset=["population"])
    frame = frame.assign(area_code=frame["area_code"].astype(str), year=frame["year"].astype(int))
    frame = frame.drop_duplicates(subset=["area_code", "year"], keep="last")
    return frame.set_index(["area_code", "year"])["population"].astype(float)


def derive_population(stats: pd.DataFrame) -> pd.DataFrame:
    """ESTIMATED population per kommun and year from Brå's own figures (columns area_code, year, population).

    Brå publishes a count and a rate per 100 000 inv, so count x 100 000 / rate is the population it used.
    The rate is rounded to a whole number, so only "totalt" month rows with count >= 20 and a rate > 0 are used,
    and the median over that year's months is taken, rounded to a whole number. It is an estimate: prefer
    Kolada N01951 or SCB when available. A kommun-year without any usable row is left out.
    """
    rows = stats[
        (stats["crime_type"] == TOTAL)
        & stats["period"].isin(MONTH_PERIODS)
        & (stats["count"].fillna(0) >= MIN_COUNT_FOR_POPULATION)
        & (stats["per_100k"].fillna(0) > 0)
    ]
    estimate = rows["count"].astype(float) * PER_100K / rows["per_100k"].astype(float)
    frame = pd.DataFrame({"area_code": rows["kommun_code"].astype(str), "year": rows["year"].astype(int)})
    medians = frame.assign(estimate=estimate).groupby(["area_code", "year"], as_index=False)["estimate"].median()
    medians["population"] = medians.pop("estimate").round().astype("int64")
    return medians.sort_values(["area_code", "year"], ignore_index=True)[list(POPULATION_COLUMNS)]


# -- summing over kommuner -------------------------------------------------------------------------------------


def _codes(stats: pd.DataFrame, kommun_codes: Iterable[str] | None) -> tuple[str, ...]:
    """The kommuner to sum: the given codes, or every kommun in ``stats``."""
    codes = stats["kommun_code"].astype(str).unique() if kommun_codes is None else kommun_codes
    return tuple(sorted({str(code) for code in codes}))


def _join_sources(sources: pd.Series) -> str:
    return ", ".join(sorted({str(s) for s in sources}))


def _joined_sources(rows: pd.DataFrame, keys: list[str]) -> pd.Series:
    """``_join_sources`` per group of ``keys`` (sorted like ``groupby``), without a Python call per group:
    the distinct sources are sorted once and joined with a cumulative string sum."""
    if rows["source"].nunique() <= 1:  # the common case: one source for everything
        return rows.groupby(keys, sort=True)["source"].first().astype(str)
    distinct = rows[[*keys, "source"]].astype({"source": str}).drop_duplicates().sort_values([*keys, "source"])
    with_sep = (", " + distinct["source"]).where(distinct.duplicated(keys), distinct["source"])
    return with_sep.groupby([distinct[k] for k in keys], sort=True).sum()


def _summed(stats: pd.DataFrame, codes: tuple[str, ...], periods: Iterable[str]) -> pd.DataFrame:
    """crime_stat-shaped rows summed over ``codes``; a period is kept only when every kommun has a count for it.

    ``per_100k`` is Brå's published rate when a single kommun is summed, otherwise NA (see ``monthly``).
    """
    rows = stats[
        stats["kommun_code"].astype(str).isin(codes)
        & stats["period"].isin(tuple(periods))
        & stats["crime_type"].notna()
        & stats["count"].notna()
    ]
    rows = rows.assign(kommun_code=rows["kommun_code"].astype(str), preliminary=rows["preliminary"].astype(bool))
    keys = ["crime_type", "year", "period"]
    grouped = rows.groupby(keys, as_index=False).agg(
        kommuner=("kommun_code", "nunique"),
        count=("count", "sum"),
        per_100k=("per_100k", "first"),
        preliminary=("preliminary", "any"),
    )
    grouped["source"] = _joined_sources(rows, keys).to_numpy()
    grouped = grouped[grouped["kommuner"] == len(codes)].drop(columns="kommuner")
    if len(codes) != 1:
        grouped["per_100k"] = pd.NA
    grouped = grouped.assign(
        kommun_code="+".join(codes),
        count=grouped["count"].astype("Int64"),
        per_100k=grouped["per_100k"].astype("Float64"),
        note="",
    )
    return grouped.reset_index(drop=True)


def _group_population(lookup: pd.Series, codes: tuple[str, ...], year: int) -> float | None:
    """Summed population of ``codes`` in ``year`` (``lookup`` from ``_population_lookup``); None when any is missing."""
    keys = [(code, year) for code in codes]
    if not all(key in lookup.index for key in keys):
        return None
    return float(sum(lookup.loc[key] for key in keys))


# -- monthly series and rolling 12 months ----------------------------------------------------------------------


def monthly(
    stats: pd.DataFrame,
    *,
    crime_type: str,
    kommun_codes: Iterable[str] | None = None,
    population: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Monthly counts of ``crime_type`` summed over ``kommun_codes`` (default: every kommun in ``stats``).

    Columns MONTHLY_COLUMNS: year, month (1-12), count (Int64), per_100k (Float64), preliminary, source.
    A month is included only when every kommun has a count for it (a partial sum is not the area's figure).
    per_100k: with ``population`` it is sum(count) / sum(population) x 100 000; without it, a single kommun
    keeps Brå's published rate and a group is recomputed from ``derive_population(stats)`` (an estimate).
    NA when a kommun's population is missing.
    """
    codes = _codes(stats, kommun_codes)
    rows = _summed(stats[stats["crime_type"] == crime_type], codes, MONTH_PERIODS)
    frame = pd.DataFrame(
        {
            "year": rows["year"].astype(int),
            "month": rows["period"].str[1:].astype(int),
            "count": rows["count"],
            "per_100k": rows["per_100k"],
            "preliminary": rows["preliminary"].astype(bool),
            "source": rows["source"].astype(str),
        }
    )
    if population is not None or len(codes) != 1:
        lookup = _population_lookup(derive_population(stats) if population is None else population)
        group = {year: _group_population(lookup, codes, year) for year in frame["year"].unique()}
        rates = [per_100k(c, group[y]) for c, y in zip(frame["count"], frame["year"], strict=True)]
        frame["per_100k"] = pd.Series(rates, index=frame.index, dtype="Float64")
    return frame.sort_values(["year", "month"], ignore_index=True)[list(MONTHLY_COLUMNS)]


def _month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def _month_name(index: int) -> str:
    return f"{MONTHS_SHORT[index % 12]} {index // 12}"


def rolling_12(
    stats: pd.DataFrame, *, crime_type: str, kommun_codes: Iterable[str] | None = None
) -> PeriodComparison | None:
    """The last 12 months with data vs the 12 months before, label like "sep 2015–aug 2016".

    None unless all 24 months up to the last month with data have a count (summed as in ``monthly``).
    """
    months = monthly(stats, crime_type=crime_type, kommun_codes=kommun_codes)
    if months.empty:
        return None
    months = months.assign(index=[_month_index(y, m) for y, m in zip(months["year"], months["month"], strict=True)])
    last = int(months["index"].max())
    window = months[months["index"] > last - 24].set_index("index")
    if len(window) < 24:
        return None
    current, previous = window.loc[last - 11 : last], window.loc[last - 23 : last - 12]
    change = compare(int(current["count"].sum()), int(previous["count"].sum()), crime_type=crime_type)
    label_text = f"{_month_name(last - 11)}–{_month_name(last)}"
    source = _join_sources(current["source"])
    return PeriodComparison(last // 12, label_text, change, source, bool(current["preliminary"].any()))


# -- year on year by crime type --------------------------------------------------------------------------------


def type_sort_key(code: str) -> tuple[int, str]:
    """ "totalt" first, then by Swedish label in Swedish alphabetical order (å, ä, ö last)."""
    return (0 if code == TOTAL else 1, label(code).casefold().translate(_SWEDISH_ORDER))


def _rate(count: int, lookup: pd.Series | None, codes: tuple[str, ...], year: int) -> float | None:
    if lookup is None:
        return None
    return per_100k(count, _group_population(lookup, codes, year))


def _year_on_year_row(
    comparison: PeriodComparison, crime_type: str, lookup: pd.Series | None, codes: tuple[str, ...]
) -> dict[str, object]:
    change = comparison.change
    return {
        "crime_type": crime_type,
        "label": label(crime_type),
        "period_label": comparison.label,
        "current": change.current,
        "previous": change.previous,
        "absolute": change.absolute,
        "percent": pd.NA if change.percent is None else change.percent,
        "z": change.z,
        "verdict": change.verdict,
        "small_base": change.small_base,
        "surveillance": change.surveillance,
        "per_100k_current": _rate(change.current, lookup, codes, comparison.year),
        "per_100k_previous": _rate(change.previous, lookup, codes, comparison.year - 1),
        "preliminary": comparison.preliminary,
        "source": comparison.source,
    }


def year_on_year_table(
    stats: pd.DataFrame,
    year: int,
    *,
    kommun_codes: Iterable[str] | None = None,
    population: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Year-to-date per crime type: months 1..m of ``year`` vs the same months of ``year - 1``, m being the
    last month with data for that crime type in ``year``; counts summed over ``kommun_codes`` as in ``monthly``.

    Columns YEAR_ON_YEAR_COLUMNS. percent is a fraction (-0.07 = -7 %), NA when previous is 0; per_100k_* are
    rates for the period (not annualised), NA without ``population``. Crime types lacking any of the months
    in either year are left out. "totalt" first, then by label.
    """
    codes = _codes(stats, kommun_codes)
    months = _summed(stats, codes, MONTH_PERIODS)
    lookup = None if population is None else _population_lookup(population)
    rows = []
    for crime_type in sorted(months["crime_type"].unique(), key=type_sort_key):
        comparison = year_to_date(months, year, crime_type=crime_type)
        if comparison is not None:
            rows.append(_year_on_year_row(comparison, crime_type, lookup, codes))
    frame = pd.DataFrame(rows, columns=list(YEAR_ON_YEAR_COLUMNS))
    dtypes = {"percent": "Float64", "per_100k_current": "Float64", "per_100k_previous": "Float64", "z": float}
    dtypes |= {"current": "int64", "previous": "int64", "absolute": "int64"}
    dtypes |= {"small_base": bool, "surveillance": bool, "preliminary": bool}
    return frame.astype(dtypes)


# -- yearly series for charts ----------------------------------------------------------------------------------


def _yearly_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Per crime type and year (``rows`` summed by ``_summed``): the reported yearly figure; else the sum of
    twelve months (source of January); else the run of months from January without a gap, summed, with its
    sources joined (complete False). Years without January are left out. Column-wise, no loop per group."""
    keys = ["crime_type", "year"]
    reported = rows[rows["period"] == "year"].assign(complete=True, last_month=12)
    months = rows[rows["period"].isin(MONTH_PERIODS)]
    months = months.assign(month=months["period"].str[1:].astype(int)).sort_values([*keys, "month"])
    run = months[months["month"] == months.groupby(keys).cumcount() + 1]  # months 1, 2, ... up to the first gap
    summed = run.groupby(keys, as_index=False).agg(
        count=("count", "sum"),
        preliminary=("preliminary", "any"),
        last_month=("month", "max"),
        first=("source", "first"),
    )
    summed["complete"] = summed["last_month"] == 12
    summed["source"] = summed["first"].where(summed["complete"], _joined_sources(run, keys).to_numpy())
    summed = summed.merge(reported[keys], on=keys, how="left", indicator=True)
    summed = summed[summed.pop("_merge") == "left_only"]
    columns = list(YEARLY_COLUMNS)
    return pd.concat([reported[columns], summed[columns]], ignore_index=True)


def yearly_by_type(stats: pd.DataFrame, *, kommun_codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Yearly counts per crime type for charts, summed over ``kommun_codes`` as in ``monthly``.

    Columns YEARLY_COLUMNS. complete is True for a reported yearly figure or twelve months; otherwise the
    year holds months 1..last_month without a gap (a chart labels it with ``period_label``). Sorted by
    crime type and year.
    """
    codes = _codes(stats, kommun_codes)
    rows = _summed(stats, codes, (*MONTH_PERIODS, "year"))
    if rows.empty:
        return pd.DataFrame(columns=list(YEARLY_COLUMNS))
    frame = _yearly_rows(rows)
    frame = frame.astype({"year": "int64", "count": "int64", "complete": bool, "preliminary": bool})
    return frame.astype({"last_month": "int64"}).sort_values(["crime_type", "year"], ignore_index=True)


def period_label(last_year: int, last_month: int, preliminary: bool) -> str:
    """Caption of how far the figures go: "t.o.m. aug 2016", or "prel., t.o.m. aug 2016"."""
    if not 1 <= last_month <= 12:
        raise ValueError("last_month must be 1..12")
    text = f"t.o.m. {MONTHS_SHORT[last_month - 1]} {last_year}"
    return f"prel., {text}" if preliminary else text
