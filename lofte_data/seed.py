"""Embedded default data (core): readable files in lofte_data/data loaded into an empty database.

Loading is idempotent: kommuner, sources and crime figures are inserted when their key is
missing, and a promise only when its kommun has none for that year, so a second start
neither duplicates nor overwrites what editors have changed.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from lofte_data import sweden
from lofte_data.errors import InputError
from lofte_data.models import OWNERS, TARGET_TYPES, Activity, Commitment, FocusArea, Kommun, Promise, SourceDocument
from lofte_data.storage import Store

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def load_areas() -> list[Kommun]:
    """Every kommun in Sweden (police area known for ours), every län (code 00 + länskod) and Riket."""
    known = {row["code"]: row for row in read_csv_rows(DATA_DIR / "kommuner.csv")}
    frame = sweden.load_kommuner()
    kommuner = [
        Kommun(**(known.get(r.code) or {**r._asdict(), "police_area": "", "police_region": ""}))
        for r in frame.itertuples(index=False)
    ]
    lans = frame.drop_duplicates("lan_code")
    regions = [
        Kommun(f"00{r.lan_code}", r.lan_name, r.lan_code, r.lan_name, "", "", kind="L") for r in lans.itertuples()
    ]
    return [*kommuner, *regions, Kommun(sweden.RIKET_CODE, "Riket", "00", "Riket", "", "", kind="R")]


def load_sources() -> list[SourceDocument]:
    return [SourceDocument(**{k: v or None for k, v in row.items()}) for row in read_csv_rows(DATA_DIR / "kallor.csv")]


def load_crime_stats() -> pd.DataFrame:
    """Reported figures from the documents (brott.csv) and importer snapshots (brott_*.csv)."""
    files = sorted(DATA_DIR.glob("brott*.csv"))
    frame = pd.concat([_read_crime_csv(path) for path in files], ignore_index=True)
    return frame


def _read_crime_csv(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, sep=";", dtype={"kommun_code": str, "period": str, "note": str, "source": str})
    frame["note"] = frame["note"].fillna("")
    frame["preliminary"] = frame["preliminary"].astype(bool)
    frame["count"] = frame["count"].astype("Int64")
    return frame


def load_incidents() -> pd.DataFrame:
    """Archived police events (importer snapshot, Källa: Polisen)."""
    frame = pd.read_csv(
        DATA_DIR / "polisen_handelser.csv",
        sep=";",
        dtype={"kommun_code": str, "external_id": str},
        keep_default_na=False,
    )
    frame["occurred_at"] = pd.to_datetime(frame["occurred_at"])
    for column in ("lat", "lon"):
        frame[column] = pd.to_numeric(frame[column]).astype("Float64")
    return frame


def promise_from_dict(data: dict[str, Any]) -> tuple[Promise, list[tuple[int, int, Activity]]]:
    """A promise file's content as a Promise and its activities keyed by (focus, commitment) position."""
    year = int(data["year"])
    areas, activities = [], []
    for focus_pos, area in enumerate(data["focus_areas"], start=1):
        commitments = []
        for commitment_pos, item in enumerate(area.get("commitments", []), start=1):
            commitments.append(commitment_from_dict(item))
            activities += [(focus_pos, commitment_pos, activity_from_dict(a, year)) for a in item.get("activities", [])]
        areas.append(
            FocusArea(
                name=area["name"],
                description=area.get("description", ""),
                cause_analysis=area.get("cause_analysis", ""),
                crime_types=tuple(area.get("crime_types", [])),
                commitments=tuple(commitments),
            )
        )
    promise = Promise(
        kommun_code=data["kommun"],
        year=year,
        title=data["title"],
        summary=data.get("summary", ""),
        signed_date=date.fromisoformat(data["signed_date"]) if data.get("signed_date") else None,
        signatories=tuple(data.get("signatories", [])),
        follow_ups_per_year=data.get("follow_ups_per_year"),
        source_key=data.get("source"),
        focus_areas=tuple(areas),
        # A promise taken from a published source document is public already (README, Beslut).
        published=bool(data.get("published", data.get("source"))),
    )
    return promise, activities


def commitment_from_dict(item: dict[str, Any]) -> Commitment:
    if item["owner"] not in OWNERS or item["target"] not in TARGET_TYPES:
        raise InputError(f"Okänd ägare eller måltyp i åtagandet: {item['text']!r}")
    return Commitment(
        text=item["text"],
        owner=item["owner"],
        target_type=item["target"],
        target_count=item.get("count"),
        unit=item.get("unit", ""),
        note=item.get("note", ""),
    )


def activity_from_dict(item: dict[str, Any], year: int) -> Activity:
    whole_year = item.get("summary_of_year", False)
    start = item.get("period_start")
    return Activity(
        commitment_id=0,
        date=date.fromisoformat(item["date"]) if "date" in item else date(year, 12, 31),
        period_start=date(year, 1, 1) if whole_year else (date.fromisoformat(start) if start else None),
        count=int(item["count"]),
        place=item.get("place", ""),
        note=item.get("note", ""),
        reported_by=item.get("reported_by", "Källdokument"),
    )


def load_promises() -> list[tuple[Promise, list[tuple[int, int, Activity]]]]:
    files = sorted((DATA_DIR / "loften").glob("*.json"))
    return [promise_from_dict(json.loads(path.read_text(encoding="utf-8"))) for path in files]


def seed_defaults(store: Store) -> dict[str, int]:
    """Load the embedded data into ``store``; returns how many records of each kind were new."""
    added = {
        "områden": store.add_kommuner(load_areas()),
        "källor": store.add_source_documents(load_sources()),
        "brottssiffror": store.add_crime_stats(load_crime_stats()),
        "händelser": store.add_incidents(load_incidents())["nya"],
        "löften": 0,
    }
    for promise, activities in load_promises():
        if store.add_promise(promise, activities) is not None:
            added["löften"] += 1
    if any(added.values()):
        store.mark_dataset("standarddata", source="Inbyggda källdokument", note=f"Tillagt: {added}")
    if added["brottssiffror"] and store.dataset("bra") is None:
        store.mark_dataset("bra", source="Brå, statistikdatabasen (inbyggd)", note="månadsvis jan 2013–dec 2016")
    if added["händelser"] and store.dataset("polisen") is None:
        store.mark_dataset("polisen", source="Polisen (inbyggt arkiv)", note="dec 2022–aug 2026")
    return added
