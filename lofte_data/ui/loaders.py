"""Cached reads (streamlit): the shared store and every loader the pages use; cleared after a write."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from lofte_data import audit, comparison, cycle, followup, formats, freshness, overview, signoff, yearly
from lofte_data.crime_types import KOLADA_KPIS, NTU_INDICATORS, POPULATION_KPI, kolada_refresh_kpis
from lofte_data.errors import LofteError
from lofte_data.models import Kommun, Promise
from lofte_data.seed import seed_defaults
from lofte_data.storage import IncidentSummary, Store

CACHE_TTL = 300
MAX_ENTRIES = 500  # per loader: bounds the memory of caches keyed by kommun and period (290 kommuner)


@st.cache_resource(show_spinner=False)
def _open_store() -> Store:
    store = Store.open()
    seed_defaults(store)
    return store


def store() -> Store:
    """The shared store; a database that cannot be opened stops the page with a Swedish message."""
    try:
        return _open_store()
    except LofteError as exc:
        st.error(f"Databasen kunde inte öppnas. {exc}")
        st.stop()
        raise  # st.stop raises; this line keeps type checkers calm


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def kommuner() -> list[Kommun]:
    return store().kommuner()


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def crime_stats(kommun_codes: tuple[str, ...]) -> pd.DataFrame:
    return store().crime_stats(kommun_codes)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def promise(kommun_code: str, year: int) -> Promise | None:
    return store().promise(kommun_code, year)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def promise_years(kommun_code: str) -> list[int]:
    return store().promise_years(kommun_code)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def activities(promise_id: int) -> pd.DataFrame:
    return store().activities(promise_id)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False, max_entries=MAX_ENTRIES)
def follow_up_tables(kommun_code: str, year: int, on: date) -> dict[int, pd.DataFrame]:
    """The follow-up table of each focus area of the kommun's promise for ``year``, judged on ``on`` (kept per
    kommun, year and day; every page and slide that shows a focus area reads it from here)."""
    item = promise(kommun_code, year)
    if item is None:
        return {}
    done = activities(item.id)
    return {a.id: followup.follow_up_table(a.commitments, done, year=year, on=on) for a in item.focus_areas}


@st.cache_data(ttl=CACHE_TTL, show_spinner=False, max_entries=MAX_ENTRIES)
def incidents(kommun_code: str, start: date | None = None, end: date | None = None) -> pd.DataFrame:
    """The kommun's incidents on the days ``start``..``end`` (inclusive; all when not given)."""
    return store().incidents(kommun_code, start, end)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False, max_entries=MAX_ENTRIES)
def since_last_meeting(kommun_code: str, year: int, today: date, chosen: date | None) -> cycle.SinceLastMeeting:
    """What changed since the previous meeting (read once per kommun, year, day and chosen date)."""
    return cycle.since_last_meeting(store(), kommun_code=kommun_code, year=year, today=today, chosen=chosen)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False, max_entries=MAX_ENTRIES)
def incident_summary(kommun_code: str) -> IncidentSummary:
    """How many incidents the kommun has, the first and the last, and their categories (counted in SQL)."""
    return store().incident_summary(kommun_code)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def kpi_values(area_codes: tuple[str, ...]) -> pd.DataFrame:
    return store().kpi_values(area_codes, [*KOLADA_KPIS, POPULATION_KPI])


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def dataset(name: str) -> dict | None:
    return store().dataset(name)


def police_area_codes(kommun: Kommun) -> list[str]:
    """The kommuner of the chosen kommun's lokalpolisområde (just the kommun when it has none)."""
    if not kommun.police_area:
        return [kommun.code]
    return list(_police_area_members(kommun.police_area))


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def _police_area_members(police_area: str) -> tuple[str, ...]:
    """Kept apart from ``kommuner``: a cached read is a copy, and 290 kommuner are copied in milliseconds."""
    return tuple(k.code for k in kommuner() if k.police_area == police_area)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def places(kommun_code: str) -> pd.DataFrame:
    return store().places(kommun_code)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def source_titles() -> dict[str, str]:
    return {key: f"{doc.title} ({doc.publisher})" for key, doc in store().source_documents().items()}


def refresh_data() -> None:
    """After a write: drop cached reads so every page shows the change, here and (through the data version
    in the database) in every other app process within VERSION_TTL."""
    st.cache_data.clear()
    try:
        _seen_version()["version"] = store().data_changed()  # this process is current: no second clear
    except LofteError:
        pass  # the write itself succeeded; other processes then catch up when their caches expire (CACHE_TTL)


VERSION_TTL = 5  # seconds: how stale another replica's cached reads may be after a write (plus one rerun)


@st.cache_data(ttl=VERSION_TTL, show_spinner=False)
def _data_version() -> str | None:
    return store().data_version()


@st.cache_resource(show_spinner=False)
def _seen_version() -> dict[str, str | None]:
    return {}


def drop_stale_caches() -> None:
    """At the start of every run: when another process (a replica, a scheduled import) has written since this
    process last looked, drop the cached reads. One small query per VERSION_TTL, shared by all sessions."""
    version, seen = _data_version(), _seen_version()
    if "version" in seen and seen["version"] != version:
        st.cache_data.clear()
    seen["version"] = version


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def comments(commitment_ids: tuple[int, ...]) -> pd.DataFrame:
    return audit.comments(store(), commitment_ids)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def frozen_texts(kommun_code: str, year: int) -> list[str]:
    """A line per frozen tertial of the year's follow-up: when it was frozen, who signed, who is awaited."""
    return signoff.frozen_texts(store(), kommun_code, year)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def decisions(kommun_code: str) -> pd.DataFrame:
    return store().decisions(kommun_code)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def yearly_series(kommun_code: str) -> pd.DataFrame:
    """One yearly series per crime type for the kommun: Brå where it has the year, else Kolada (estimated)."""
    data = store()
    stats = data.crime_stats([kommun_code])
    values = data.kpi_values([kommun_code], kolada_refresh_kpis())
    return yearly.yearly_series(stats, values, kommun_code=kommun_code)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def ntu(kommun_code: str, kommun_name: str, lan_code: str, lan_name: str) -> pd.DataFrame:
    """NTU (trygghet) for the kommun, its län and Riket, from Kolada."""
    areas = [kommun_code, f"00{lan_code}", "0000"]
    kpis = [kpi for i in NTU_INDICATORS for kpi in (i.kpi, i.uncertainty_kpi) if kpi]
    names = {kommun_code: kommun_name, f"00{lan_code}": lan_name, "0000": "Riket"}
    values = store().kpi_values(areas, kpis)
    return yearly.ntu_values(values, kommun_code=kommun_code, lan_code=lan_code, names=names)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def reach(kommun_code: str) -> list[freshness.Reach]:
    """How far Brå, Kolada and Polisen reach for the kommun, and when each was loaded."""
    data = store()
    newest = data.data_reach(kommun_code)
    loaded = {name: (data.dataset(name) or {}).get("loaded_at") for name in ("bra", "kolada", "polisen")}
    police = newest["polisen"]
    return [
        freshness.Reach("Brå", freshness.bra_until(*newest["bra"]), loaded["bra"]),
        freshness.Reach("Kolada", str(newest["kolada"]) if newest["kolada"] else None, loaded["kolada"]),
        freshness.Reach("Polisen", formats.day(police) if police is not None else None, loaded["polisen"]),
    ]


OVERVIEW_YEARS = 10  # how far back the overview looks for the latest year with figures


@st.cache_data(ttl=CACHE_TTL, show_spinner=False, max_entries=MAX_ENTRIES)
def overview_rates(kommun_codes: tuple[str, ...], year: int) -> pd.DataFrame:
    """Rates per 100 000 inv of every kommun given, crime type and year (the last few years up to ``year``),
    from Brå's full years summed in SQL and Kolada; shared by every viewer of the same län or Riket."""
    data, first = store(), year - OVERVIEW_YEARS
    full = data.full_years(kommun_codes, first, year)
    values = data.kpi_values(kommun_codes, [*KOLADA_KPIS, POPULATION_KPI])
    months = data.crime_stats(kommun_codes, crime_types=["totalt"], first_year=first)  # Brå's own population
    return overview.yearly_rates(full, values, comparison.population(months, values))
