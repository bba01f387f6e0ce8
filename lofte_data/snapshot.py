"""Embedded default data from source files (core): runs the project's own importers on a scratch
database and writes the result as readable CSV files into lofte_data/data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lofte_data import importing, refresh
from lofte_data.access import OPERATOR
from lofte_data.seed import DATA_DIR, load_areas
from lofte_data.storage import Store

BRA_SOURCE = "Brå, statistikdatabasen (månadsvis)"
CRIME_FILE = "brott_bra_manad.csv"
EVENTS_FILE = "polisen_handelser.csv"
CRIME_COLUMNS = ["kommun_code", "crime_type", "year", "period", "count", "per_100k", "preliminary", "source", "note"]
EVENT_COLUMNS = [
    "kommun_code",
    "occurred_at",
    "category",
    "origin",
    "external_id",
    "place",
    "lat",
    "lon",
    "description",
    "reported_by",
    "url",
]


def write_default_data(bra_file: Path, polisen_file: Path, *, out_dir: Path = DATA_DIR) -> str:
    """Import both files for the kommuner with a lokalpolisområde and write the snapshots."""
    store = Store.open("sqlite://")
    store.add_kommuner(load_areas())
    importing.import_bra(store, bra_file.read_bytes(), filename=bra_file.name, source=BRA_SOURCE, editor=OPERATOR)
    refresh.import_polisen_archive(store, polisen_file.read_bytes(), editor=OPERATOR, filename=polisen_file.name)
    ours = [k.code for k in store.kommuner() if k.police_area]
    crime = store.crime_stats(ours).sort_values(["kommun_code", "crime_type", "year", "period"])
    crime[CRIME_COLUMNS].to_csv(out_dir / CRIME_FILE, sep=";", index=False, encoding="utf-8")
    events = [store.incidents(code) for code in ours]
    frame = events[0].iloc[0:0] if not any(len(e) for e in events) else _concat(events)
    frame[EVENT_COLUMNS].to_csv(out_dir / EVENTS_FILE, sep=";", index=False, encoding="utf-8")
    return f"Skrev {len(crime)} brottssiffror till {CRIME_FILE} och {len(frame)} händelser till {EVENTS_FILE}."


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:

    return pd.concat([f for f in frames if len(f)], ignore_index=True).sort_values(["kommun_code", "occurred_at"])
