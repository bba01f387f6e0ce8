"""Embedded default data (core): readable files in lofte_data/data loaded into an empty database.

Loading is idempotent: kommuner, sources and crime figures are inserted when their key is
missing, and a promise only when its kommun has none for that year, so a second start
neither duplicates nor overwrites what editors have changed.

Corrections to the embedded data reach existing databases too (``correct_embedded``): a stored
embedded promise that differs from its file is replaced, with its source-document activities,
only when no editor has touched it (nothing in the audit log, no comments); an edited promise is
left as the editors made it. The notes of embedded crime figures are corrected the same way when
the figure itself is unchanged.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from lofte_data import audit, sweden
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
        count=None if item["count"] is None else int(item["count"]),  # None: done, count not stated
        place=item.get("place", ""),
        note=item.get("note", ""),
        reported_by=item.get("reported_by", "Källdokument"),
    )


def load_promises() -> list[tuple[Promise, list[tuple[int, int, Activity]]]]:
    files = sorted((DATA_DIR / "loften").glob("*.json"))
    return [promise_from_dict(json.loads(path.read_text(encoding="utf-8"))) for path in files]


def correct_embedded(store: Store) -> dict[str, int]:
    """Bring stored embedded data up to the files where no editor has changed it; returns what changed."""
    promises = sum(_correct_promise(store, promise, activities) for promise, activities in load_promises())
    notes = store.correct_crime_notes(_read_crime_csv(DATA_DIR / "brott.csv"))
    return {"rättade löften": promises, "rättade anteckningar": notes}


def _correct_promise(store: Store, promise: Promise, activities: list[tuple[int, int, Activity]]) -> bool:
    """Replace the stored copy of an embedded promise when it differs and nobody has touched it."""
    promise_id = store.promise_id(promise.kommun_code, promise.year)
    stored = store.promise_by_id(promise_id) if promise_id is not None else None
    if stored is None or stored.source_key != promise.source_key:
        return False
    same = _content(stored) == _content(promise)
    if same and _stored_activities(stored, store.activities(promise_id)) == _activity_keys(activities):
        return False
    if audit.promise_touched(store, promise_id):
        return False
    store.replace_promise(promise_id, promise, activities)
    return True


def _content(promise: Promise) -> Promise:
    """The promise without database ids, for comparing a stored copy with its file."""
    areas = tuple(
        replace(a, id=None, commitments=tuple(replace(c, id=None) for c in a.commitments)) for a in promise.focus_areas
    )
    return replace(promise, id=None, focus_areas=areas)


def _activity_keys(activities: list[tuple[int, int, Activity]]) -> list[tuple]:
    keys = [
        (f, c, a.date, a.period_start, a.count, a.place, a.note, a.reported_by, a.source_key) for f, c, a in activities
    ]
    return sorted(keys, key=repr)


def _stored_activities(promise: Promise, frame: pd.DataFrame) -> list[tuple]:
    """The stored activities of a promise as (focus position, commitment position, fields) keys."""
    where = {c.id: (f, n) for f, a in enumerate(promise.focus_areas, 1) for n, c in enumerate(a.commitments, 1)}
    keys = []
    for row in frame.to_dict("records"):
        start = None if pd.isna(row["period_start"]) else row["period_start"].date()
        count = int(row["count"]) if row["count_stated"] else None
        fields = (row["date"].date(), start, count, row["place"], row["note"], row["reported_by"], row["source_key"])
        keys.append((*where.get(row["commitment_id"], (0, 0)), *fields))
    return sorted(keys, key=repr)


SEED_VERSION = "1"  # raise when the loading rules change, so every database loads the embedded data again
FINGERPRINT_KEY = "standarddata"
SEED_KINDS = ("områden", "källor", "brottssiffror", "händelser", "löften", "rättade löften", "rättade anteckningar")


def fingerprint() -> str:
    """A digest of every embedded data file and of SEED_VERSION: it changes exactly when loading could change
    what is stored (a corrected file, a new file, new loading rules)."""
    digest = hashlib.sha256(SEED_VERSION.encode())
    for path in sorted(DATA_DIR.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(DATA_DIR)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def seed_defaults(store: Store) -> dict[str, int]:
    """Load the embedded data into ``store``; returns how many records of each kind were new.

    Runs on every store open and CLI command, so it first compares the stored fingerprint of the embedded
    data with the files': when it is current nothing is read or compared (all counts 0). Otherwise the data
    is loaded as described above and the fingerprint stored."""
    current = fingerprint()
    if store.state(FINGERPRINT_KEY) == current:
        return dict.fromkeys(SEED_KINDS, 0)
    added = _seed(store)
    store.set_state(FINGERPRINT_KEY, current)
    return added


def _seed(store: Store) -> dict[str, int]:
    added = {
        "områden": store.add_kommuner(load_areas()),
        "källor": store.add_source_documents(load_sources()),
        "brottssiffror": store.add_crime_stats(load_crime_stats()),
        "händelser": store.add_incidents(load_incidents()).new,
        "löften": 0,
    }
    for promise, activities in load_promises():
        if store.add_promise(promise, activities) is not None:
            added["löften"] += 1
    added |= correct_embedded(store)
    if any(added.values()):
        store.mark_dataset("standarddata", source="Inbyggda källdokument", note=f"Tillagt: {added}")
    if added["brottssiffror"] and store.dataset("bra") is None:
        store.mark_dataset("bra", source="Brå, statistikdatabasen (inbyggd)", note="månadsvis jan 2013–dec 2016")
    if added["händelser"] and store.dataset("polisen") is None:
        store.mark_dataset("polisen", source="Polisen (inbyggt arkiv)", note="dec 2022–aug 2026")
    return added
