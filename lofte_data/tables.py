"""Display tables (core): DataFrames with Swedish column names and pre-formatted Swedish text values,
so a meeting-room PC with an English browser shows ``1 234`` and ``-18 %`` all the same."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from lofte_data import followup, formats
from lofte_data.models import OWNERS, Commitment, FocusArea, Promise


def commitments(items: tuple[Commitment, ...], tally: dict[int, int]) -> pd.DataFrame:
    """Commitments grouped by owner (Polisen, Kommunen, Gemensamt) with target and tally."""
    order = {owner: i for i, owner in enumerate(OWNERS)}
    rows = [
        {
            "Ansvar": c.owner,
            "Åtagande": c.text,
            "Mål": c.target_text(),
            "Utfört hittills": formats.number(tally.get(c.id, 0) if c.id is not None else 0)
            + (f" {c.unit}" if c.unit else ""),
            "Kommentar": c.note,
        }
        for c in sorted(items, key=lambda c: order.get(c.owner, 99))
    ]
    return pd.DataFrame(rows)


def year_on_year(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """The trends.year_on_year_table as the page shows it: absolute change first, % muted on small bases."""
    return pd.DataFrame(
        {
            "Brottstyp": [_type_label(r) for r in table.itertuples()],
            "Period": table["period_label"],
            str(year): [formats.number(v) for v in table["current"]],
            str(year - 1): [formats.number(v) for v in table["previous"]],
            "Förändring": [formats.signed(v) for v in table["absolute"]],
            "%": [_percent(r) for r in table.itertuples()],
            "Bedömning": table["verdict"],
        }
    )


def year_on_year_export(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """The same rows with numbers as numbers, for CSV and Excel."""
    return pd.DataFrame(
        {
            "Brottstyp": table["label"],
            "Period": table["period_label"],
            f"Antal {year}": table["current"],
            f"Antal {year - 1}": table["previous"],
            "Förändring": table["absolute"],
            "Förändring %": (table["percent"] * 100).round(0),
            "z": table["z"].round(2),
            "Bedömning": table["verdict"],
            "Spaningsbrott": table["surveillance"].map({True: "ja", False: "nej"}),
            "Preliminär": table["preliminary"].map({True: "ja", False: "nej"}),
            "Källa": table["source"],
        }
    )


def latest_year(table: pd.DataFrame) -> pd.DataFrame:
    """yearly.latest_year_table as the page shows it: the year and the year before per crime type, the change,
    the verdict (marked when approximate) and the source of each row."""
    return pd.DataFrame(
        {
            "Brottstyp": [_type_label(r) for r in table.itertuples()],
            "År": [f"{r.year} mot {r.previous_year}" for r in table.itertuples()],
            "Antal": [_approx(r.current, r.approximate) for r in table.itertuples()],
            "Året före": [_approx(r.previous, r.approximate) for r in table.itertuples()],
            "Förändring": [formats.signed(v) for v in table["absolute"]],
            "%": [_percent(r) for r in table.itertuples()],
            "Bedömning": [_verdict(r) for r in table.itertuples()],
            "Källa": table["source"],
        }
    )


def latest_year_export(table: pd.DataFrame) -> pd.DataFrame:
    """The same rows with numbers as numbers, for CSV and Excel."""
    return pd.DataFrame(
        {
            "Brottstyp": table["label"],
            "År": table["year"],
            "Antal": table["current"],
            "Antal året före": table["previous"],
            "Förändring": table["absolute"],
            "Förändring %": (table["percent"] * 100).round(0),
            "z": table["z"].round(2),
            "Bedömning": table["verdict_text"],
            "Beräknat antal": table["approximate"].map({True: "ja", False: "nej"}),
            "Spaningsbrott": table["surveillance"].map({True: "ja", False: "nej"}),
            "Källa": table["source"],
        }
    )


def _approx(value: int, approximate: bool) -> str:
    return f"≈{formats.number(value)}" if approximate else formats.number(value)


def _verdict(row: Any) -> str:
    notes = [row.verdict]
    if row.approximate:
        notes.append("ungefärlig")
    if row.source_change:
        notes.append("ny källa")
    return ", ".join(notes)


def _type_label(row: Any) -> str:
    return f"{row.label} (spaningsbrott)" if row.surveillance else row.label


def _percent(row: Any) -> str:
    if pd.isna(row.percent):
        return "–"
    text = formats.percent(float(row.percent))
    return f"{text} (litet underlag)" if row.small_base else text


FOLLOW_UP_HEADERS = {
    "owner": "Ansvar",
    "text": "Åtagande",
    "target": "Mål",
    "status": "Status",
    "total": "Totalt",
    "T1": "T1",
    "T2": "T2",
    "T3": "T3",
    "ej_fordelat": "Ej fördelat",
    "progress": "Andel av målet",
    "note": "Läge",
}


def follow_up(table: pd.DataFrame) -> pd.DataFrame:
    """followup.follow_up_table with Swedish headers; progress in whole percent for a progress bar.

    A tally cell that holds only work done without a count is empty (NA), never a 0: the status
    ("genomfört, antal saknas") and the note say what was done."""
    view = table.assign(progress=(table["progress"].astype(float) * 100).round(0))
    for column in followup.TALLY_COLUMNS:
        view[column] = counted(view, column)
    return view[list(FOLLOW_UP_HEADERS)].rename(columns=FOLLOW_UP_HEADERS)


def counted(table: pd.DataFrame, column: str) -> pd.Series:
    """A tally column as nullable integers, NA where the cell holds only work done without a count."""
    uncounted = table["uncounted"] if "uncounted" in table.columns else pd.Series([()] * len(table), table.index)
    only_uncounted = [column in cells and value == 0 for cells, value in zip(uncounted, table[column], strict=True)]
    return table[column].astype("Int64").mask(pd.Series(only_uncounted, index=table.index, dtype=bool))


def focus_area_card(area: FocusArea, table: pd.DataFrame) -> tuple[str, str]:
    """The overview card of a focus area: its number of commitments and how many have work recorded (with or
    without a count), from ``followup.follow_up_table``; an area without commitments says so."""
    if not area.commitments:
        return "–", "inga egna åtaganden registrerade"
    reported = int(((table["total"] > 0) | table["uncounted"].map(bool)).sum())
    return formats.count(len(area.commitments), "åtagande", "åtaganden"), f"{reported} med rapporterade aktiviteter"


def focus_area_facts(area: FocusArea) -> list[tuple[str, str]]:
    """What a page, a slide or the report states about a focus area: the description when there is one,
    and always the cause analysis, or that the source gives none."""
    facts = [("Beskrivning", area.description)] if area.description.strip() else []
    return [*facts, ("Orsaksanalys", area.cause_analysis_text())]


def follow_up_export(promise: Promise, activities: pd.DataFrame, *, year: int, on: date) -> pd.DataFrame:
    """Every commitment of the promise with its focus area, tallies per tertial and status, for Excel."""
    frames = [
        followup.follow_up_table(area.commitments, activities, year=year, on=on).assign(focus=area.name)
        for area in promise.focus_areas
        if area.commitments
    ]
    if not frames:
        return pd.DataFrame(columns=["Fokusområde", *FOLLOW_UP_HEADERS.values()])
    table = pd.concat(frames, ignore_index=True)
    view = follow_up(table)
    view.insert(0, "Fokusområde", table["focus"])
    return view


def promise_overview(rows: list[dict]) -> pd.DataFrame:
    """One row per promise: kommun, year, focus areas and how its commitments stand.

    ``rows`` hold kommun, year, title, focus_areas (names) and summary (status -> count)."""
    return pd.DataFrame(
        [
            {
                "Kommun": r["kommun"],
                "År": str(r["year"]),
                "Löfte": r["title"],
                "Fokusområden": " · ".join(r["focus_areas"]) or "–",
                "Åtaganden": sum(r["summary"].values()),
                **{status.capitalize(): n for status, n in r["summary"].items()},
            }
            for r in rows
        ]
    )


def period_heading(label: str, year: int) -> str:
    """ "Helår 2016 jämfört med 2015" or "jan–aug 2016 jämfört med samma period 2015"."""
    if label == "helår":
        return f"Helår {year} jämfört med {year - 1}"
    return f"{label} {year} jämfört med samma period {year - 1}"
