"""Imports into the database (core): parse a whole file first, then write it in one transaction."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from lofte_data import audit
from lofte_data.access import AccessError, Editor
from lofte_data.errors import ImportFileError
from lofte_data.sources import bra
from lofte_data.storage import IncidentCounts, Store, Tx, UpsertCounts

# A 20-year national monthly export from Brå is about 37 MB; the upload limit in .streamlit/config.toml matches.
MAX_IMPORT_BYTES = 64 * 1024 * 1024
PERIOD_LABELS = np.array(
    ["", *(f"M{m:02d}" for m in range(1, 13)), "", *(f"Q{q}" for q in range(1, 5)), "year"], dtype=object
)
OUTCOME_WORDS = {"new": "nya", "updated": "uppdaterade", "unchanged": "oförändrade", "kept_final": "slutliga behållna"}


@dataclass(frozen=True)
class ImportResult:
    """What an import did, in words an editor can read."""

    outcomes: UpsertCounts
    skipped_regions: tuple[str, ...] = ()
    skipped_categories: tuple[str, ...] = ()
    kommuner: int = 0
    periods: str = ""
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{n} {OUTCOME_WORDS[what]}" for what, n in asdict(self.outcomes).items() if n]
        text = f"{self.kommuner} områden, {self.periods}: " + (", ".join(parts) or "inga rader")
        if self.skipped_regions:
            text += f". Hoppade över regioner som inte är kommuner: {', '.join(self.skipped_regions[:5])}"
        if self.skipped_categories:
            text += f". Hoppade över okända brottskategorier: {', '.join(self.skipped_categories[:5])}"
        return text + "."


def crime_rows_from_bra(parsed: pd.DataFrame, *, source: str) -> pd.DataFrame:
    """Parsed Brå rows as ``crime_stat`` rows: kommuner and Riket with a known crime category."""
    keep = parsed[(parsed["region_code"].notna() & parsed["crime_type"].notna()).to_numpy()]
    kind = keep["period_kind"].to_numpy()
    number = keep["period"].to_numpy()
    # "M01".."M12", "Q1".."Q4" or "year", looked up by position rather than formatted per row
    place = np.where(kind == "month", number, np.where(kind == "quarter", 13 + number, len(PERIOD_LABELS) - 1))
    return pd.DataFrame(
        {
            "kommun_code": keep["region_code"].astype(str).array,
            "crime_type": keep["crime_type"].astype(str).array,
            "year": keep["year"].astype(int).to_numpy(),
            "period": pd.array(PERIOD_LABELS[place], dtype="str"),
            "count": keep["count"].array,
            "per_100k": keep["per_100k"].array,
            "preliminary": keep["preliminary"].astype(bool).to_numpy(),
            "source": source,
            "note": "",
        }
    )


def period_span(rows: pd.DataFrame) -> str:
    """ "jan 2013–dec 2016" style span of the monthly rows, or the years for annual rows."""
    if rows.empty:
        return "inga perioder"
    months = rows[rows["period"].str.startswith("M")]
    if months.empty:
        years = sorted(set(rows["year"]))
        return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    keys = months[["year", "period"]].sort_values(["year", "period"])
    (first_year, first), (last_year, last) = keys.iloc[0].tolist(), keys.iloc[-1].tolist()
    return f"{bra.MONTHS[int(first[1:]) - 1].lower()} {first_year}–{bra.MONTHS[int(last[1:]) - 1].lower()} {last_year}"


def _check_kommuner(store: Store, editor: Editor, rows: pd.DataFrame) -> None:
    """A kommun editor imports figures of their own kommuner only; an administrator imports any."""
    if editor.admin:
        return
    others = sorted(set(rows["kommun_code"].unique()) - editor.kommuner)
    if others:
        names = [f"{k.name} ({k.code})" if (k := store.kommun(code)) else code for code in others[:5]]
        more = f" och {len(others) - 5} till" if len(others) > 5 else ""
        raise AccessError(
            f"Filen innehåller siffror för {', '.join(names)}{more}, som du inte är redaktör för. "
            "Ta bort de raderna eller be en administratör läsa in filen. Inget sparades."
        )


def import_bra(
    store: Store,
    data: bytes,
    *,
    filename: str,
    editor: Editor,
    year: int | None = None,
    source: str | None = None,
) -> ImportResult:
    """Import a Brå export (Databasfil or annual kommun file): all rows or none, audited (undo in Historik).

    The whole file is parsed and checked before the one short write transaction starts."""
    source = source or f"Brå ({filename})"
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(f"Filen är större än {MAX_IMPORT_BYTES // 1024 // 1024} MB. Dela upp exporten.")
    parsed = bra.parse_any(data, year=year if year is not None else bra.year_from_filename(filename))
    rows = crime_rows_from_bra(parsed, source=source)
    if rows.empty:
        raise ImportFileError("Filen innehöll inga rader för kommuner med kända brottskategorier. Inget sparades.")
    _check_kommuner(store, editor, rows)
    span = period_span(rows)

    def audited(tx: Tx, replaced: list[dict], written: pd.DataFrame) -> None:
        old, new = audit.crime_import_values(replaced, written)
        summary = f"Brå-import {filename}: {len(written) - len(replaced)} nya, {len(replaced)} ändrade ({span})"
        audit.log_import(
            tx,
            actor=editor.name,
            kommun_codes=rows["kommun_code"].unique(),
            action=audit.Action.IMPORT,
            entity=audit.Entity.CRIME_STAT,
            summary=summary,
            old=old,
            new=new | {"fil": filename},
        )
        tx.mark_dataset("bra", source=source, note=span)

    outcomes = store.upsert_crime_stats(rows, on_write=audited)
    return ImportResult(
        outcomes=outcomes,
        skipped_regions=tuple(sorted(set(parsed.loc[parsed["region_code"].isna(), "region"]))),
        skipped_categories=tuple(sorted(set(parsed.loc[parsed["crime_type"].isna(), "brott"]))),
        kommuner=rows["kommun_code"].nunique(),
        periods=period_span(rows),
    )


def incidents_summary(counts: IncidentCounts) -> str:
    """What archiving incidents did, in Swedish: "12 nya, 3 redan arkiverade"."""
    return f"{counts.new} nya, {counts.already_archived} redan arkiverade"
