"""Open-data refresh and archive import (core): fetch or read, then store in one transaction."""

from __future__ import annotations

from datetime import date

import pandas as pd

from lofte_data import sweden
from lofte_data.crime_types import KOLADA_KPIS, POPULATION_KPI
from lofte_data.ratelimit import SqlCallLog
from lofte_data.sources import polisen
from lofte_data.sources.http import HttpClient
from lofte_data.sources.kolada import KoladaClient
from lofte_data.storage import Store

KOLADA_SOURCE = "Kolada"
POLISEN_SOURCE = "Polisen"
KOLADA_YEARS = 10


def kolada_areas(store: Store, kommun_codes: list[str] | None = None) -> list[str]:
    """The kommuner asked for (default: those with a lokalpolisområde), the lokalpolisområdes' other
    kommuner, their län and Riket."""
    kommuner = store.kommuner()
    chosen = [k for k in kommuner if (k.code in kommun_codes if kommun_codes else k.police_area)]
    areas = {k.police_area for k in chosen if k.police_area}
    neighbours = [k for k in kommuner if k.police_area in areas]
    codes = {k.code for k in [*chosen, *neighbours]} | {f"00{k.lan_code}" for k in chosen} | {sweden.RIKET_CODE}
    return sorted(codes)


def refresh_kolada(store: Store, *, client: KoladaClient | None = None, kommun_codes: list[str] | None = None) -> int:
    """Fetch the crime KPIs and population for the areas and the last years; returns rows stored."""
    this_year = date.today().year
    years = list(range(this_year - KOLADA_YEARS, this_year + 1))
    areas = kolada_areas(store, kommun_codes)
    values = (client or KoladaClient()).fetch_values([*KOLADA_KPIS, POPULATION_KPI], areas, years)
    total = values[values["gender"] == "T"].rename(columns={"municipality": "area_code"})
    stored = store.upsert_kpi_values(total, source=KOLADA_SOURCE)
    store.mark_dataset("kolada", source=KOLADA_SOURCE, note=f"{len(areas)} områden, {years[0]}–{years[-1]}")
    return stored


def incidents_from_events(events: pd.DataFrame) -> pd.DataFrame:
    """Police events as ``incident`` rows for the kommuner Sweden has (others are left out)."""
    codes = events["kommun"].map(sweden.kommun_code)
    keep = events[codes.notna()]
    county_gps = keep["gps_is_county"].astype(bool)
    return pd.DataFrame(
        {
            "kommun_code": codes[codes.notna()],
            # Stored as naive Stockholm wall-clock time, the same on SQLite and PostgreSQL.
            "occurred_at": keep["occurred_at"].dt.tz_convert("Europe/Stockholm").dt.tz_localize(None),
            "category": keep["type"],
            "origin": "polisen",
            "external_id": keep["event_id"].astype(str),
            "place": "",
            "lat": keep["lat"].where(~county_gps),
            "lon": keep["lon"].where(~county_gps),
            "description": keep["summary"].fillna(""),
            "reported_by": POLISEN_SOURCE,
            "url": keep["url"],
        }
    )


def import_polisen_archive(store: Store, data: bytes) -> dict[str, int]:
    """Load a saved feed response or archive (JSON array in the feed's format)."""
    result = store.add_incidents(incidents_from_events(polisen.load_archive_file(data)))
    store.mark_dataset("polisen", source=POLISEN_SOURCE, note=f"Arkivfil: {result['nya']} nya händelser")
    return result


def refresh_polisen(store: Store, *, client: polisen.PolisenClient | None = None) -> dict[str, int]:
    """Fetch the latest events for the kommuner with a lokalpolisområde; rate limited across processes."""
    names = [k.name for k in store.kommuner() if k.police_area]
    # No retries here: a retry would wait 10 s or more (the API's rule) while an editor waits at the button;
    # the next run (or cron) simply tries again.
    http = HttpClient(timeout=15, max_retries=0)
    client = client or polisen.PolisenClient(http=http, limiter=polisen.polisen_limiter(SqlCallLog(store.engine)))
    result = store.add_incidents(incidents_from_events(client.fetch_events(locations=names)))
    store.mark_dataset("polisen", source=POLISEN_SOURCE, note=f"Hämtat: {result['nya']} nya händelser")
    return result
