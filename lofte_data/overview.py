"""Län and Riket overviews (core, pure pandas): every kommun of an area ranked per 100 000 inv per crime type,
the latest year with figures against the year before.

The rates follow ``yearly.yearly_series`` point by point, for many kommuner at once and column-wise: Brå's full
year (``Store.full_years``) divided by the population (Kolada N01951, else estimated from Brå's rates), else
Kolada's rate through ``crime_types.SOURCE_MATCHES`` (marked estimated). A test holds the two to each other.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from lofte_data import formats, trends
from lofte_data.crime_types import MATCH_BY_TYPE, NONE

RATE_COLUMNS = ("kommun_code", "crime_type", "year", "count", "per_100k", "estimated", "preliminary")
RANK_COLUMNS = (
    "rank",
    "kommun_code",
    "kommun",
    "year",
    "per_100k",
    "per_100k_previous",
    "change",
    "count",
    "estimated",
    "preliminary",
)
LEVELS = {"lan": "länet", "riket": "riket"}


def yearly_rates(full_years: pd.DataFrame, kpi_values: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Per kommun, crime type and year the rate per 100 000 inv, by the rule of ``yearly.yearly_series``.

    ``full_years``: ``Store.full_years`` rows; ``kpi_values``: the kommuner's Kolada values (crime KPIs);
    ``population``: area_code, year, population (``comparison.population``). Columns RATE_COLUMNS; count is
    Brå's, or estimated from Kolada's rate x population (NA without a population), ``estimated`` True then.
    """
    people = population.astype({"area_code": str, "year": "int64"}).rename(columns={"area_code": "kommun_code"})
    bra = full_years.astype({"kommun_code": str, "year": "int64"}).merge(people, on=["kommun_code", "year"], how="left")
    bra = bra.assign(
        per_100k=_per_100k(bra["count"], bra["population"]), estimated=False, preliminary=bra["preliminary"]
    )
    kolada = _kolada_rates(kpi_values).merge(people, on=["kommun_code", "year"], how="left")
    kolada = kolada.merge(bra[["kommun_code", "crime_type", "year"]], how="left", indicator=True)
    kolada = kolada[kolada.pop("_merge") == "left_only"]  # Brå's full year wins
    estimate = (kolada["per_100k"] * kolada["population"] / trends.PER_100K).round()
    kolada = kolada.assign(count=estimate, estimated=True, preliminary=False)
    frame = pd.concat([bra[list(RATE_COLUMNS)], kolada[list(RATE_COLUMNS)]], ignore_index=True)
    types = {"count": "Float64", "per_100k": "Float64", "estimated": bool, "preliminary": bool}
    return frame.astype(types).sort_values(["crime_type", "kommun_code", "year"], ignore_index=True)


def _per_100k(count: pd.Series, population: pd.Series) -> pd.Series:
    people = pd.to_numeric(population, errors="coerce").astype("Float64")
    return (count.astype("Float64") / people.where(people != 0) * trends.PER_100K).astype("Float64")


def _kolada_rates(kpi_values: pd.DataFrame) -> pd.DataFrame:
    matches = pd.DataFrame(
        [(m.crime_type, m.kpi) for m in MATCH_BY_TYPE.values() if m.kpi and m.match != NONE],
        columns=["crime_type", "kpi"],
    )
    rows = kpi_values[kpi_values["value"].notna()]
    joined = matches.merge(rows[["area_code", "kpi", "year", "value"]], on="kpi")
    joined = joined.drop_duplicates(["area_code", "crime_type", "year"])
    return pd.DataFrame(
        {
            "kommun_code": joined["area_code"].astype(str),
            "crime_type": joined["crime_type"],
            "year": joined["year"].astype("int64"),
            "per_100k": joined["value"].astype(float),
        }
    )


def latest_year(rates: pd.DataFrame, *, crime_type: str, up_to: int) -> int | None:
    """The latest year up to ``up_to`` in which any kommun has a rate for the crime type."""
    years = rates.loc[
        (rates["crime_type"] == crime_type) & rates["per_100k"].notna() & (rates["year"] <= up_to), "year"
    ]
    return int(years.max()) if not years.empty else None


def ranking(rates: pd.DataFrame, names: Mapping[str, str], *, crime_type: str, up_to: int) -> pd.DataFrame:
    """The kommuner in ``names`` ranked by rate (1 = the most per 100 000 inv) in the latest year up to ``up_to``,
    with the year before beside it. Columns RANK_COLUMNS; ``change`` is the rate minus the year before's.
    Kommuner without a rate that year come last, unranked (rank NA). Empty when no kommun has a rate."""
    year = latest_year(rates[rates["kommun_code"].isin(list(names))], crime_type=crime_type, up_to=up_to)
    if year is None:
        return pd.DataFrame(columns=list(RANK_COLUMNS))
    mine = rates[rates["crime_type"] == crime_type].set_index(["kommun_code", "year"])
    codes = pd.Index(list(names), name="kommun_code")
    now = mine.xs(year, level="year").reindex(codes)
    before = mine["per_100k"].xs(year - 1, level="year").reindex(codes) if year - 1 in mine.index.levels[1] else None
    frame = pd.DataFrame(
        {
            "kommun_code": codes,
            "kommun": [names[c] for c in codes],
            "year": year,
            "per_100k": now["per_100k"].astype("Float64").to_numpy(),
            "per_100k_previous": (before if before is not None else pd.Series(pd.NA, index=codes))
            .astype("Float64")
            .to_numpy(),
            "count": now["count"].astype("Float64").to_numpy(),
            "estimated": now["estimated"].fillna(False).astype(bool).to_numpy(),
            "preliminary": now["preliminary"].fillna(False).astype(bool).to_numpy(),
        }
    )
    frame["change"] = frame["per_100k"] - frame["per_100k_previous"]
    frame = frame.sort_values(["per_100k", "kommun"], ascending=[False, True], na_position="last", ignore_index=True)
    ranked = frame["per_100k"].notna()
    frame["rank"] = pd.Series(range(1, len(frame) + 1), dtype="Int64").where(ranked)
    return frame[list(RANK_COLUMNS)]


def display(ranked: pd.DataFrame, *, chosen: str, crime_type: str) -> pd.DataFrame:
    """The ranking as the page shows it: Swedish columns and numbers, a deep link to each kommun's figures."""
    year = int(ranked["year"].iloc[0]) if not ranked.empty else 0
    marks = ["≈" if e else "" for e in ranked["estimated"]]
    return pd.DataFrame(
        {
            "Plats": ["–" if pd.isna(r) else str(int(r)) for r in ranked["rank"]],
            "Kommun": [
                f"{n} ◀" if c == chosen else n for c, n in zip(ranked["kommun_code"], ranked["kommun"], strict=True)
            ],
            f"Per 100 000 inv. {year}": [m + _number(v) for m, v in zip(marks, ranked["per_100k"], strict=True)],
            f"{year - 1}": [_number(v) for v in ranked["per_100k_previous"]],
            "Förändring": [_number(v, signed=True) for v in ranked["change"]],
            "Antal": [m + _number(v, decimals=0) for m, v in zip(marks, ranked["count"], strict=True)],
            "Brottsstatistik": [
                f"brottsstatistik?kommun={c}&ar={year}&brott={crime_type}&matt=per_100k" for c in ranked["kommun_code"]
            ],
        }
    )


def export(ranked: pd.DataFrame) -> pd.DataFrame:
    """The ranking for CSV and Excel: numbers as numbers (sortable, summable), no marks inside them; a column
    says which rates are Kolada's and which counts are computed from them."""
    year = int(ranked["year"].iloc[0]) if not ranked.empty else 0
    return pd.DataFrame(
        {
            "Plats": ranked["rank"].astype("Int64"),
            "Kommun": ranked["kommun"],
            "Kommunkod": ranked["kommun_code"],
            f"Per 100 000 inv. {year}": ranked["per_100k"].astype(float).round(1),
            f"Per 100 000 inv. {year - 1}": ranked["per_100k_previous"].astype(float).round(1),
            "Förändring": ranked["change"].astype(float).round(1),
            "Antal": ranked["count"].astype(float).round(0).astype("Int64"),
            "Beräknat ur Kolada": ranked["estimated"].map({True: "ja", False: "nej"}),
        }
    )


def _number(value: object, *, decimals: int = 1, signed: bool = False) -> str:
    if value is None or pd.isna(value):
        return "–"
    number = float(value)  # type: ignore[arg-type]
    return formats.signed(number, decimals) if signed else formats.number(number, decimals)
