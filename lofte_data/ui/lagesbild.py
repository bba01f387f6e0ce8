"""Sections of the Lägesbild page (streamlit): the filters, the notice when the police archive is old, the map."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from lofte_data import figures, formats, incidents
from lofte_data.storage import IncidentSummary
from lofte_data.ui import loaders, state, widgets


def filters(sel: state.Selection, summary: IncidentSummary) -> tuple[incidents.Period, list[str], list[str]]:
    """Period, types and sources, each kept in the URL: the 14 days of the lägesbild meetings by default; for a
    past year, the whole year."""
    left, middle, right = st.columns([2, 3, 2])
    with left:
        default_period = "14d" if sel.year >= date.today().year else "ar"
        kind = state.url_choice(
            "Period", list(incidents.PERIODS), key="period", default=default_period, format_func=incidents.PERIODS.get
        )
        custom = None
        if kind == "egen":
            custom = st.date_input("Från och med – till och med", value=(date(sel.year, 1, 1), date(sel.year, 12, 31)))
    with middle:
        types = state.url_multi("Typ", list(summary.categories), key="typ", default=[])
    with right:
        origins = state.url_multi("Källa", list(incidents.ORIGINS), key="kalla", default=[])
    chosen = custom if custom and len(custom) == 2 else None
    return incidents.period(kind, year=sel.year, today=date.today(), custom=chosen), types, origins


def stale_notice(name: str, *, what: str, days: int = 2) -> None:
    """Say so when a fetched dataset is older than ``days``: the archive is shown, not live data."""
    info = loaders.dataset(name)
    if info is None:
        return
    loaded = pd.Timestamp(info["loaded_at"])
    loaded = loaded.tz_localize("UTC") if loaded.tzinfo is None else loaded
    if pd.Timestamp.now(tz="UTC") - loaded > pd.Timedelta(days=days):
        st.info(
            f"{what} hämtades senast {formats.day(loaded)}. Sidan visar det sparade arkivet; nyare händelser syns "
            "när de har hämtats (Importera data eller schemalagd hämtning).",
            icon=":material/history:",
        )


def incident_map(chosen: pd.DataFrame, *, centre: tuple[float, float], view: tuple) -> None:
    """The incidents on a map; many are merged per ~100 m square, and those without a position are counted.
    ``view`` is what ``chosen`` follows from (kommun, period, filters): the built map is kept for it."""
    build = lambda: figures.incident_map(chosen, title="Händelser på kartan", centre=centre)  # noqa: E731
    widgets.cached_chart("incident_map", view, build)
    placed = int(chosen["lat"].notna().sum())
    if placed > figures.MAP_POINTS:
        st.caption(
            f"{formats.number(placed)} händelser: kartan slår ihop händelser av samma typ inom ungefär 100 meter "
            "(större ring = fler händelser)."
        )
    missing = len(chosen) - placed
    if missing:
        st.caption(
            f"{missing} händelser saknar egen position (Polisen anger sedan 2026 bara länet) och syns inte på kartan."
        )
