"""Yearly crime series per kommun from Brå and Kolada, the latest year's change, NTU values (core, pure pandas)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from lofte_data import comparison, sweden, trends
from lofte_data.analysis import PeriodComparison, compare
from lofte_data.crime_types import KOLADA_KPIS, MATCH_BY_TYPE, NONE, NTU_INDICATORS, NtuIndicator, label

ESTIMATED_SOURCE = "beräknat ur Kolada"
SERIES_COLUMNS = (
    "kommun_code",
    "crime_type",
    "label",
    "year",
    "count",
    "per_100k",
    "source",
    "estimated",
    "preliminary",
    "definition",
    "kpi",
    "source_change",
)
LATEST_COLUMNS = (
    *trends.YEAR_ON_YEAR_COLUMNS,
    "year",
    "previous_year",
    "estimated",
    "approximate",
    "source_change",
    "verdict_text",
)
NTU_COLUMNS = ("kpi", "label", "area_code", "area", "level", "year", "value", "uncertainty", "lower", "upper")
_BRA_COLUMNS = ("crime_type", "year", "count", "preliminary", "source")
_KOLADA_COLUMNS = ("crime_type", "year", "rate", "kpi", "definition")


# -- one yearly series -------------------------------------------------------------------------------------------


def bra_definition(crime_type: str) -> str:
    """How a Brå point is labelled: "Brå: Stöldbrott" (Brå's own category name when known)."""
    match = MATCH_BY_TYPE.get(crime_type)
    return f"Brå: {match.bra_label if match and match.bra_label else label(crime_type)}"


def _bra_years(stats: pd.DataFrame, kommun_code: str) -> pd.DataFrame:
    """Brå's full years for the kommun: reported yearly figures or twelve months (trends.yearly_by_type)."""
    rows = stats[stats["kommun_code"].astype(str) == kommun_code] if not stats.empty else stats
    if rows.empty:
        return pd.DataFrame(columns=list(_BRA_COLUMNS))
    yearly = trends.yearly_by_type(rows, kommun_codes=[kommun_code])
    return yearly[yearly["complete"]][list(_BRA_COLUMNS)]


def _kolada_years(kpi_values: pd.DataFrame, kommun_code: str) -> pd.DataFrame:
    """Kolada's rates for the kommun, one row per crime type and year, through the mapping in crime_types."""
    rows = kpi_values[(kpi_values["area_code"].astype(str) == kommun_code) & kpi_values["value"].notna()]
    matches = pd.DataFrame(
        [(m.crime_type, m.kpi, m.definition) for m in MATCH_BY_TYPE.values() if m.kpi and m.match != NONE],
        columns=["crime_type", "kpi", "definition"],
    )
    joined = matches.merge(rows[["kpi", "year", "value"]], on="kpi")  # in the order of MATCH_BY_TYPE
    if joined.empty:
        return pd.DataFrame(columns=list(_KOLADA_COLUMNS))
    frame = joined.assign(year=joined["year"].astype(int), rate=joined["value"].astype(float))
    return frame[list(_KOLADA_COLUMNS)].reset_index(drop=True)


def _bra_point(row: pd.Series, people: float | None) -> dict[str, object]:
    count = int(row["count"])
    return {
        "count": count,
        "per_100k": trends.per_100k(count, people),
        "source": str(row["source"]),
        "estimated": False,
        "preliminary": bool(row["preliminary"]),
        "definition": bra_definition(str(row["crime_type"])),
        "kpi": "",
    }


def _kolada_point(row: pd.Series, people: float | None) -> dict[str, object]:
    rate = float(row["rate"])
    return {
        "count": None if people is None else round(rate * people / trends.PER_100K),
        "per_100k": rate,
        "source": ESTIMATED_SOURCE,
        "estimated": True,
        "preliminary": False,
        "definition": str(row["definition"]),
        "kpi": str(row["kpi"]),
    }


def _one_type(crime_type: str, bra: pd.DataFrame, kolada: pd.DataFrame, people: pd.Series) -> list[dict]:
    """Brå where it has the full year, else Kolada; ``source_change`` on the first point after a switch."""
    by_bra = bra[bra["crime_type"] == crime_type].set_index("year")
    by_kolada = kolada[kolada["crime_type"] == crime_type].drop_duplicates("year").set_index("year")
    points, previous = [], None
    for year in sorted({int(y) for y in [*by_bra.index, *by_kolada.index]}):
        population = people.get(year)
        population = None if population is None or pd.isna(population) else float(population)
        if year in by_bra.index:
            point = _bra_point(by_bra.loc[year], population)
        else:
            point = _kolada_point(by_kolada.loc[year], population)
        changed = previous is not None and point["definition"] != previous
        points.append({"crime_type": crime_type, "year": year, **point, "source_change": changed})
        previous = point["definition"]
    return points


def yearly_series(
    stats: pd.DataFrame,
    kpi_values: pd.DataFrame,
    *,
    kommun_code: str,
    crime_types: Iterable[str] | None = None,
) -> pd.DataFrame:
    """ONE yearly series per crime type for a kommun, with the source of every point.

    Parameters
    ----------
    stats:
        ``crime_stat`` rows (``Store.crime_stats``); Brå's full years win (a reported yearly figure or twelve
        months).
    kpi_values:
        ``kpi_value`` rows (``Store.kpi_values``) for the kommun: the crime KPIs and N01951. A year Brå lacks
        takes Kolada's rate; its count is estimated as rate x population / 100 000 (``estimated=True``,
        source "beräknat ur Kolada"; count NA without a population).
    crime_types:
        The types wanted (a focus area's); default every type with data.

    Returns
    -------
    Columns SERIES_COLUMNS, sorted by crime type and year. ``definition`` names the source's category
    ("Brå: Stöldbrott", "Kolada: stöld- och tillgreppsbrott (U07417)"); ``source_change`` is True on the
    first point after the definition changes, so a chart never joins the two silently.
    """
    bra, kolada = _bra_years(stats, kommun_code), _kolada_years(kpi_values, kommun_code)
    own_stats = stats[stats["kommun_code"].astype(str) == kommun_code] if not stats.empty else stats
    population = comparison.population(own_stats, kpi_values)
    people = population[population["area_code"] == kommun_code].set_index("year")["population"]
    wanted = crime_types if crime_types is not None else {*bra["crime_type"], *kolada["crime_type"]}
    rows = [point for t in sorted(set(wanted), key=trends.type_sort_key) for point in _one_type(t, bra, kolada, people)]
    frame = pd.DataFrame(rows, columns=[c for c in SERIES_COLUMNS if c not in ("kommun_code", "label")])
    frame = frame.assign(kommun_code=kommun_code, label=frame["crime_type"].map(label))[list(SERIES_COLUMNS)]
    dtypes = {"year": "int64", "count": "Int64", "per_100k": "Float64", "estimated": bool, "preliminary": bool}
    return frame.astype(dtypes | {"source_change": bool, "crime_type": str, "source": str, "definition": str})


# -- the latest year against the year before -----------------------------------------------------------------------


def _source_text(now: pd.Series, before: pd.Series, year: int) -> str:
    def named(row: pd.Series) -> str:
        return f"{ESTIMATED_SOURCE} ({row['kpi']})" if row["estimated"] else str(row["source"])

    if named(now) == named(before):
        return named(now)
    return f"{named(before)} ({year - 1}), {named(now)} ({year})"


def _verdict_text(verdict: str, approximate: bool, source_change: bool) -> str:
    text = verdict
    if approximate:
        text += "; ungefärlig bedömning: antalet är beräknat ur Koladas nyckeltal per 100 000 inv."
    if source_change:
        text += "; källan eller brottskategorin skiljer mellan åren"
    return text


def _latest_row(rows: pd.DataFrame, crime_type: str, up_to: int) -> dict[str, object] | None:
    usable = rows[rows["count"].notna() & (rows["year"] <= up_to)].set_index("year")
    for year in sorted(usable.index, reverse=True):
        if year - 1 not in usable.index:
            continue
        now, before = usable.loc[year], usable.loc[year - 1]
        change = compare(int(now["count"]), int(before["count"]), crime_type=crime_type)
        approximate = bool(now["estimated"] or before["estimated"])
        source_change = now["definition"] != before["definition"]
        return {
            **{name: getattr(change, name) for name in ("current", "previous", "absolute", "z", "verdict")},
            **{"small_base": change.small_base, "surveillance": change.surveillance},
            "crime_type": crime_type,
            "label": label(crime_type),
            "period_label": f"helår {year}",
            "percent": pd.NA if change.percent is None else change.percent,
            "per_100k_current": now["per_100k"],
            "per_100k_previous": before["per_100k"],
            "preliminary": bool(now["preliminary"] or before["preliminary"]),
            "source": _source_text(now, before, int(year)),
            "year": int(year),
            "previous_year": int(year) - 1,
            "estimated": approximate,
            "approximate": approximate,
            "source_change": bool(source_change),
            "verdict_text": _verdict_text(change.verdict, approximate, bool(source_change)),
        }
    return None


def latest_year_table(series: pd.DataFrame, *, up_to: int) -> pd.DataFrame:
    """Per crime type: the latest year up to ``up_to`` that any source has, against the year before.

    ``series`` comes from ``yearly_series``. The statistics rules of analysis.compare apply (absolute first,
    %, Poisson verdict). Columns LATEST_COLUMNS: trends.YEAR_ON_YEAR_COLUMNS (so the same cards and tables
    work) plus year, previous_year, estimated/approximate (a count is estimated: the verdict is approximate),
    source_change and verdict_text (the verdict in words with those caveats). ``source`` names the source(s).
    Types without two consecutive years are left out; "totalt" first, then by label.
    """
    rows = []
    for crime_type in sorted(series["crime_type"].unique(), key=trends.type_sort_key):
        row = _latest_row(series[series["crime_type"] == crime_type], crime_type, up_to)
        if row is not None:
            rows.append(row)
    frame = pd.DataFrame(rows, columns=list(LATEST_COLUMNS))
    dtypes = {"percent": "Float64", "per_100k_current": "Float64", "per_100k_previous": "Float64", "z": float}
    dtypes |= {"current": "int64", "previous": "int64", "absolute": "int64", "year": "int64", "previous_year": "int64"}
    flags = ("small_base", "surveillance", "preliminary", "estimated", "approximate", "source_change")
    return frame.astype(dtypes | dict.fromkeys(flags, bool))


# -- activities per year -------------------------------------------------------------------------------------------


def activities_per_year(activities: pd.DataFrame) -> pd.DataFrame:
    """Activities (``Store.activities`` rows, any number of promises concatenated) summed per year of their date:
    columns year, count. Only stated counts are summed: work done without a count (``count_stated`` false) is no
    0, so a year with only such work has no row. Empty (typed) when there are none."""
    if "count_stated" in activities.columns:
        activities = activities[activities["count_stated"].astype(bool)]
    if activities.empty:
        return pd.DataFrame({"year": pd.Series(dtype="int64"), "count": pd.Series(dtype="int64")})
    years = pd.to_datetime(activities["date"]).dt.year.astype("int64")
    summed = activities.assign(year=years).groupby("year", as_index=False)["count"].sum()
    return summed.astype({"year": "int64", "count": "int64"}).sort_values("year", ignore_index=True)


# -- NTU (Brå's trygghetsundersökning through Kolada) --------------------------------------------------------------


def _ntu_areas(kommun_code: str, lan_code: str, names: Mapping[str, str]) -> list[tuple[str, str, str]]:
    lan = f"00{lan_code}"
    return [
        (kommun_code, names.get(kommun_code, kommun_code), "kommun"),
        (lan, names.get(lan, f"Län {lan_code}"), "län"),
        (sweden.RIKET_CODE, names.get(sweden.RIKET_CODE, "Riket"), "riket"),
    ]


def _ntu_rows(kpi_values: pd.DataFrame, indicator: NtuIndicator, area: tuple[str, str, str]) -> list[dict]:
    mine = kpi_values[(kpi_values["area_code"].astype(str) == area[0]) & kpi_values["value"].notna()]
    values = mine[mine["kpi"] == indicator.kpi].set_index("year")["value"]
    halves = mine[mine["kpi"] == indicator.uncertainty_kpi].set_index("year")["value"]
    return [_ntu_row(indicator, area, int(year), float(value), halves.get(year)) for year, value in values.items()]


def _ntu_row(indicator: NtuIndicator, area: tuple[str, str, str], year: int, value: float, raw: Any) -> dict:
    half = None if raw is None or pd.isna(raw) else float(raw)
    low, high = (None, None) if half is None else (max(0.0, value - half), min(100.0, value + half))
    code, name, level = area
    return {
        **{"kpi": indicator.kpi, "label": indicator.label, "area_code": code, "area": name, "level": level},
        **{"year": year, "value": value, "uncertainty": half, "lower": low, "upper": high},
    }


def ntu_values(
    kpi_values: pd.DataFrame,
    *,
    kommun_code: str,
    lan_code: str,
    names: Mapping[str, str] | None = None,
    indicators: tuple[NtuIndicator, ...] = NTU_INDICATORS,
) -> pd.DataFrame:
    """NTU shares (%) for the kommun, its län (``00`` + ``lan_code``) and Riket, every year Kolada has.

    ``kpi_values`` holds the NTU KPIs (and their Osäkerhetstal twins) for the three areas. lower/upper are
    value -/+ the twin's Osäkerhetstal (clipped to 0..100), NA when the twin is unknown or missing.
    ``names`` maps area codes to display names. Columns NTU_COLUMNS; level is "kommun", "län" or "riket".
    Empty (typed) when Kolada has no NTU value for any of the three areas; see ``ntu_note``.
    """
    areas = _ntu_areas(kommun_code, lan_code, names or {})
    rows = [row for indicator in indicators for area in areas for row in _ntu_rows(kpi_values, indicator, area)]
    frame = pd.DataFrame(rows, columns=list(NTU_COLUMNS))
    floats = dict.fromkeys(("value", "uncertainty", "lower", "upper"), "Float64")
    return frame.astype(floats | {"year": "int64"}).sort_values(["kpi", "year", "level"], ignore_index=True)


def ntu_note(frame: pd.DataFrame, kommun_code: str) -> str | None:
    """A Swedish note when the kommun has no NTU values in Kolada (None when it has)."""
    if (frame["area_code"] == kommun_code).any():
        return None
    if frame.empty:
        return "Inga NTU-värden för kommunen i Kolada."
    return "Inga NTU-värden för kommunen i Kolada; länet och riket visas."


def latest_comparison(series: pd.DataFrame, *, up_to: int, crime_type: str = "totalt") -> PeriodComparison | None:
    """The latest full year up to ``up_to`` of one crime type against the year before, as a PeriodComparison
    ("helår"), with the source named; None without two consecutive years. Estimated counts say so in source."""
    table = latest_year_table(series[series["crime_type"] == crime_type], up_to=up_to)
    if table.empty:
        return None
    row = table.iloc[0]
    change = compare(int(row["current"]), int(row["previous"]), crime_type=crime_type)
    source = str(row["source"]) + ("; ungefärligt antal" if row["approximate"] else "")
    return PeriodComparison(int(row["year"]), "helår", change, source, bool(row["preliminary"]))


def split_by_year(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of ``latest_year_table`` for the newest year any type has, and the rows whose figures are older
    (a card of 2016 beside cards of 2025 would be misread as the same year)."""
    if table.empty:
        return table, table
    newest = int(table["year"].max())
    return table[table["year"] == newest], table[table["year"] < newest]


def without_aliases(series: pd.DataFrame) -> pd.DataFrame:
    """The series without Kolada points that only repeat another type's KPI: where a type falls back on a
    KPI whose own type is also in the series (hot_frihet on N07536, alkohol_narkotika on N07544), the KPI is
    shown once, under its own type, so no two cards or rows show the same figure under two names."""
    owner = series["kpi"].map(KOLADA_KPIS)
    alias = series["estimated"] & owner.notna() & (owner != series["crime_type"]) & owner.isin(series["crime_type"])
    return series[~alias]


def sources_text(table: pd.DataFrame) -> str:
    """The sources of a latest-year table in a few words: "Brå", "Kolada (antal beräknade ...)" or both."""
    estimated = bool(table["estimated"].any())
    named = sorted(
        {s for s, e in zip(table["source"], table["estimated"], strict=True) if not e and ESTIMATED_SOURCE not in s}
    )
    parts = [*named]
    if estimated:
        parts.append("Kolada (antal beräknade ur nyckeltal per 100 000 inv. och folkmängd)")
    return "; ".join(parts) or "–"
