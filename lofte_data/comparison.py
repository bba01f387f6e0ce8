"""Yearly rates per 100 000 inv for a kommun beside its lokalpolisområde, län and Riket (core)."""

from __future__ import annotations

import pandas as pd

from lofte_data import trends
from lofte_data.crime_types import KOLADA_KPIS, POPULATION_KPI

COLUMNS = ("area", "year", "per_100k", "source")


def population(stats: pd.DataFrame, kpi_values: pd.DataFrame) -> pd.DataFrame:
    """Population per area and year: Kolada N01951 where fetched, else estimated from Brå's rates."""
    kolada = kpi_values[(kpi_values["kpi"] == POPULATION_KPI) & kpi_values["value"].notna()]
    fetched = pd.DataFrame(
        {
            "area_code": kolada["area_code"].astype(str),
            "year": kolada["year"].astype(int),
            "population": kolada["value"].round().astype(int),
        }
    )
    derived = trends.derive_population(stats) if not stats.empty else fetched.iloc[0:0]
    both = pd.concat([derived, fetched], ignore_index=True)
    return both.drop_duplicates(["area_code", "year"], keep="last").reset_index(drop=True)


def _yearly_rate(stats: pd.DataFrame, codes: list[str], crime_type: str, pop: pd.DataFrame) -> pd.DataFrame:
    yearly = trends.yearly_by_type(stats[stats["kommun_code"].isin(codes)], kommun_codes=codes)
    yearly = yearly[(yearly["crime_type"] == crime_type) & yearly["complete"]]
    lookup = pop.set_index(["area_code", "year"])["population"]
    rates = []
    for year, count in zip(yearly["year"], yearly["count"], strict=True):
        people = [lookup.get((code, int(year))) for code in codes]
        total = None if any(p is None or pd.isna(p) for p in people) else sum(people)
        rates.append(trends.per_100k(count, total))
    return pd.DataFrame({"year": yearly["year"], "per_100k": rates, "source": yearly["source"]})


def yearly_rates(
    stats: pd.DataFrame,
    kpi_values: pd.DataFrame,
    *,
    crime_type: str,
    kommun: tuple[str, str],
    police_area: tuple[str, list[str]] | None,
    regions: list[tuple[str, str]],
) -> pd.DataFrame:
    """Rows (area, year, per_100k, source): the kommun and its lokalpolisområde from Brå counts; the
    län and Riket (``regions`` = [(code, name)]) from Kolada's rates, which exist only once fetched."""
    pop = population(stats, kpi_values)
    frames = [_yearly_rate(stats, [kommun[0]], crime_type, pop).assign(area=kommun[1])]
    if police_area and len(police_area[1]) > 1:
        frames.append(
            _yearly_rate(stats, police_area[1], crime_type, pop).assign(area=f"Lokalpolisområde {police_area[0]}")
        )
    kpis = [kpi for kpi, code in KOLADA_KPIS.items() if code == crime_type]
    for code, name in regions:
        rows = kpi_values[
            (kpi_values["area_code"] == code) & kpi_values["kpi"].isin(kpis) & kpi_values["value"].notna()
        ]
        frames.append(pd.DataFrame({"area": name, "year": rows["year"], "per_100k": rows["value"], "source": "Kolada"}))
    frame = pd.concat(frames, ignore_index=True)[list(COLUMNS)]
    return frame.dropna(subset=["per_100k"]).astype({"year": int, "per_100k": float}).reset_index(drop=True)
