"""Open-data refresh and archive import (core): fetch or read, then store in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from lofte_data import audit, formats, sweden
from lofte_data.access import OPERATOR, Editor
from lofte_data.crime_types import kolada_refresh_kpis
from lofte_data.errors import LofteError, SourceEmptyError
from lofte_data.ratelimit import SqlCallLog
from lofte_data.sources import polisen
from lofte_data.sources.http import HttpClient
from lofte_data.sources.kolada import KoladaClient
from lofte_data.storage import IncidentCounts, Store

KOLADA_SOURCE = "Kolada"
POLISEN_SOURCE = "Polisen"
KOLADA_FIRST_YEAR = 2010


@dataclass(frozen=True)
class KoladaRefresh:
    """What one Kolada refresh stored: values, areas, the years asked for and the latest with data, requests."""

    stored: int
    areas: int
    first_year: int
    latest_year: int
    requests: int

    def summary(self) -> str:
        """One Swedish sentence for the command line and the import page."""
        return (
            f"{formats.number(self.stored)} värden sparade för {self.areas} områden, "
            f"{self.first_year}–{self.latest_year} ({self.requests} anrop)"
        )


@dataclass(frozen=True)
class RefreshOutcome:
    """How one source fared in ``refresh_all``."""

    source: str
    ok: bool
    message: str

    def line(self) -> str:
        return f"{self.source}: {'klart' if self.ok else 'misslyckades'}. {self.message}"


def kolada_areas(store: Store, kommun_codes: list[str] | None = None) -> list[str]:
    """Every kommun, län (00NN) and Riket; with ``kommun_codes`` only those kommuner, their län and Riket."""
    if not kommun_codes:
        return [k.code for kind in ("K", "L", "R") for k in store.kommuner((kind,))]
    chosen = [k for k in store.kommuner() if k.code in kommun_codes]
    return sorted({k.code for k in chosen} | {f"00{k.lan_code}" for k in chosen} | {sweden.RIKET_CODE})


def kolada_years(today: date | None = None) -> list[int]:
    """2010 to this year: Kolada answers nothing for years it has not published, at no extra request."""
    return list(range(KOLADA_FIRST_YEAR, (today or date.today()).year + 1))


def _log(store: Store, editor: Editor, entity: audit.Entity, action: audit.Action, summary: str, **new: object) -> None:
    """The audit row of a refresh or archive import of shared data (who, when, what, rows changed)."""
    with store.atomic() as tx:
        audit.log_import(tx, actor=editor.name, kommun_codes=(), action=action, entity=entity, summary=summary, new=new)


def refresh_kolada(
    store: Store,
    *,
    editor: Editor,
    client: KoladaClient | None = None,
    kommun_codes: list[str] | None = None,
    today: date | None = None,
) -> KoladaRefresh:
    """Fetch the crime KPIs, population and NTU for every area (or ``kommun_codes``) and 2010 to this year.

    Everything is fetched before anything is written, then stored in ONE transaction with the dataset's
    date: a failure part-way raises and keeps the previous values. Null values are not stored (a null never
    replaces a good value). An answer without any value raises ``SourceEmptyError`` and changes nothing.
    Shared data: only an administrator (or the command line) may refresh it; the refresh is audited.
    """
    editor.require_admin("Uppdateringen från Kolada")
    client = client or KoladaClient()
    areas, years = kolada_areas(store, kommun_codes), kolada_years(today)
    values = client.fetch_values(kolada_refresh_kpis(), areas, years, planned=True)
    rows = values[(values["gender"] == "T") & values["value"].notna() & values["municipality"].isin(areas)]
    if rows.empty:
        raise SourceEmptyError("Kolada svarade utan data; de senast hämtade värdena behålls.")
    result = KoladaRefresh(len(rows), len(areas), years[0], int(rows["year"].max()), client.pages_fetched)
    frame = rows.rename(columns={"municipality": "area_code"})
    note = f"{len(areas)} områden, t.o.m. {result.latest_year}"
    store.upsert_kpi_values(frame, source=KOLADA_SOURCE, dataset="kolada", note=note)
    _log(store, editor, audit.Entity.KPI, audit.Action.REFRESH, f"Kolada: {result.summary()}", rader=result.stored)
    return result


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


def import_polisen_archive(store: Store, data: bytes, *, editor: Editor, filename: str = "") -> IncidentCounts:
    """Load a saved feed response or archive (JSON array in the feed's format); administrators only, audited."""
    editor.require_admin("Inläsning av Polisens händelser")
    result = store.add_incidents(incidents_from_events(polisen.load_archive_file(data)))
    store.mark_dataset("polisen", source=POLISEN_SOURCE, note=f"Arkivfil: {result.new} nya händelser")
    summary = f"Polisens arkiv {filename}: {result.new} nya, {result.already_archived} redan arkiverade".replace(
        "arkiv :", "arkiv:"
    )
    _log(store, editor, audit.Entity.INCIDENT, audit.Action.IMPORT, summary, fil=filename, nya=result.new)
    return result


def refresh_polisen(store: Store, *, editor: Editor, client: polisen.PolisenClient | None = None) -> IncidentCounts:
    """Fetch the latest events for the kommuner with a lokalpolisområde; rate limited across processes.

    An answer without any event is not news: nothing is stored and the dataset's date stays (``polisen_summary``
    says "Polisen svarade utan nya händelser"). Administrators only; audited."""
    editor.require_admin("Hämtningen från Polisen")
    names = [k.name for k in store.kommuner() if k.police_area]
    # No retries here: a retry would wait 10 s or more (the API's rule) while an editor waits at the button;
    # the next run (or cron) simply tries again.
    http = HttpClient(timeout=15, max_retries=0)
    client = client or polisen.PolisenClient(http=http, limiter=polisen.polisen_limiter(SqlCallLog(store)))
    events = client.fetch_events(locations=names)
    if events.empty:
        return IncidentCounts(new=0, already_archived=0)
    result = store.add_incidents(incidents_from_events(events))
    store.mark_dataset("polisen", source=POLISEN_SOURCE, note=f"Hämtat: {result.new} nya händelser")
    summary = f"Polisen: {result.new} nya händelser, {result.already_archived} redan arkiverade"
    _log(store, editor, audit.Entity.INCIDENT, audit.Action.REFRESH, summary, nya=result.new)
    return result


POLISEN_EMPTY = "Polisen svarade utan nya händelser; de senast hämtade händelserna finns kvar."


def polisen_summary(result: IncidentCounts) -> str:
    """What a Polisen refresh did, in Swedish; an empty answer is said to be one, not "0 nya"."""
    if result == IncidentCounts(new=0, already_archived=0):
        return POLISEN_EMPTY
    return f"{result.new} nya händelser, {result.already_archived} redan arkiverade"


def _polisen_step(store: Store) -> str:
    return polisen_summary(refresh_polisen(store, editor=OPERATOR))


def _kolada_step(store: Store) -> str:
    return refresh_kolada(store, editor=OPERATOR).summary()


NETWORK_STEPS: tuple[tuple[str, Callable[[Store], str]], ...] = (
    (KOLADA_SOURCE, _kolada_step),
    (POLISEN_SOURCE, _polisen_step),
)


def refresh_all(
    store: Store, *, steps: Sequence[tuple[str, Callable[[Store], str]]] = NETWORK_STEPS
) -> list[RefreshOutcome]:
    """Run every network refresh in turn (Kolada, then Polisen); a failing source does not stop the next."""
    outcomes = []
    for source, step in steps:
        try:
            outcomes.append(RefreshOutcome(source, True, step(store)))
        except LofteError as exc:
            outcomes.append(RefreshOutcome(source, False, str(exc)))
    return outcomes
