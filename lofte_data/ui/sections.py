"""Sections shared by several pages (streamlit): crime summary, focus-area follow-up, no-promise note."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lofte_data import analysis, figures, followup, formats, palette, tables, yearly
from lofte_data.analysis import PeriodComparison
from lofte_data.crime_types import label
from lofte_data.models import FocusArea
from lofte_data.ui import loaders, state, widgets


def follow_up_table(table: pd.DataFrame) -> None:
    """The follow-up table: tallies per tertial, a progress bar, and the status on a colour that is also a word."""
    view = tables.follow_up(table)
    if widgets.presentation_mode():  # an HTML table follows the large type; the interactive grid does not
        st.table(_status_colours(view.drop(columns=["Andel av målet"])).hide())
        return
    styled = _status_colours(view)
    st.dataframe(
        styled,
        hide_index=True,
        width="stretch",
        column_config={
            "Andel av målet": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d %%"),
            "Åtagande": st.column_config.TextColumn(width="large"),
        },
    )


def _status_colours(view: pd.DataFrame) -> pd.io.formats.style.Styler:
    return view.style.map(lambda s: f"background-color: {palette.STATUS_FILLS.get(s, '')}", subset=["Status"])


def comment_list(notes: pd.DataFrame) -> None:
    """Comments per commitment and tertial, as plain text."""
    for row in notes.sort_values(["tertial"]).itertuples():
        signed = f"{widgets.plain(row.author)}, {formats.day(row.updated_at)}"
        st.markdown(f"**T{row.tertial}** – {widgets.plain(row.text)} *({signed})*")


def focus_area_section(
    area: FocusArea,
    number: int,
    *,
    year: int,
    on: date,
    activities_frame: pd.DataFrame,
    notes: pd.DataFrame,
    kommun_code: str,
) -> None:
    """One focus area: description, the follow-up table, and effort beside the crime it targets over the years."""
    st.markdown(f"### {number}. {widgets.plain(area.name)}")
    for heading, text in tables.focus_area_facts(area):
        st.markdown(f"**{heading}:** {widgets.plain(text)}")
    if area.commitments:
        table = _follow_up(area, year, on, activities_frame)
        counts = followup.summary(table["status"]).items()
        st.caption(" · ".join(f"{status.capitalize()} {n}" for status, n in counts if n))
        follow_up_table(table)
        if table["total"].sum():
            key = (area, year, on, kommun_code)
            widgets.cached_chart("tertial_bars", key, lambda: figures.tertial_bars(table, title="Utfört per tertial"))
        comment_list(notes[notes["commitment_id"].isin([c.id for c in area.commitments])])
    else:
        st.info("Inga åtaganden är registrerade för fokusområdet.")
    focus_timeline(area, kommun_code)


@st.cache_data(ttl=loaders.CACHE_TTL, max_entries=loaders.MAX_ENTRIES, show_spinner=False)
def _follow_up(area: FocusArea, year: int, on: date, _activities: pd.DataFrame) -> pd.DataFrame:
    """The follow-up table of a focus area (its commitments are in ``area``, the activities are those of its
    promise, which the cache clears with every write)."""
    return followup.follow_up_table(area.commitments, _activities, year=year, on=on)


def focus_timeline(area: FocusArea, kommun_code: str) -> None:
    """Effort and crime on one timeline: the linked crime types per year, the area's activities per year
    (the same focus area in every promise of the kommun), the promise years shaded."""

    def build() -> go.Figure:
        series = area_series(area, kommun_code)
        years = loaders.promise_years(kommun_code)
        effort = area_effort(area.name, kommun_code, years)
        title = f"Brott och insatser per år: {area.name}"
        return figures.focus_timeline(series, effort, promise_years=years, title=title, source=_sources(series))

    widgets.cached_chart("focus_timeline", (kommun_code, area.name, area.crime_types), build)
    types = ", ".join(label(t) for t in area.crime_types) or "inga kopplade brottstyper"
    st.caption(f"Brottstyper som området riktar sig mot: {widgets.plain(types)}.")


def area_series(area: FocusArea, kommun_code: str) -> pd.DataFrame:
    """The yearly series of the area's crime types; Kolada's narkotika series is drawn once, not twice."""
    series = loaders.yearly_series(kommun_code)
    series = series[series["crime_type"].isin(area.crime_types)]
    if {"narkotika", "alkohol_narkotika"} <= set(area.crime_types):
        series = series[~((series["crime_type"] == "alkohol_narkotika") & series["estimated"])]
    return series


def area_effort(area_name: str, kommun_code: str, years: list[int]) -> pd.DataFrame:
    """Activities per year under focus areas of this name in every promise of the kommun."""
    frames = []
    for year in years:
        item = loaders.promise(kommun_code, year)
        ids = [c.id for a in item.focus_areas if a.name.casefold() == area_name.casefold() for c in a.commitments]
        done = loaders.activities(item.id)
        frames.append(done[done["commitment_id"].isin(ids)])
    return yearly.activities_per_year(pd.concat(frames, ignore_index=True) if frames else pd.DataFrame())


def _sources(series: pd.DataFrame) -> str:
    if series.empty:
        return "Källa: inga siffror för områdets brottstyper."
    names = sorted({"Kolada" if estimated else "Brå" for estimated in series["estimated"]})
    last = int(series["year"].max())
    return f"Källa: {', '.join(names)}; siffror t.o.m. {last}. Staplar: registrerade aktiviteter."


def crime_summary(sel: state.Selection) -> None:
    """Reported crime for the kommun: this year so far, the selected year in full, and per crime type the
    latest year any source has."""
    ytd, full_year = _summary_comparisons(sel.kommun.code, sel.year)
    series = loaders.yearly_series(sel.kommun.code)
    if ytd is not None and ytd.label == "helår":
        ytd = None  # all twelve months are in: the full-year comparison says it once
    if ytd is not None:
        st.markdown("**Hittills i år jämfört med samma period i fjol**")
        widgets.comparison(ytd)
    if full_year is not None:
        st.markdown(f"**Helår {full_year.year} jämfört med {full_year.year - 1}**")
        widgets.comparison(full_year)
    if ytd is None and full_year is None:
        st.info(f"Det finns inga jämförbara siffror om anmälda brott för {sel.kommun.name} till och med {sel.year}.")
    by_type_cards(series)


@st.cache_data(ttl=loaders.CACHE_TTL, max_entries=loaders.MAX_ENTRIES, show_spinner=False)
def _summary_comparisons(kommun_code: str, year: int) -> tuple[PeriodComparison | None, PeriodComparison | None]:
    """This year so far against last year, and the latest full year up to ``year`` against the one before."""
    stats = loaders.crime_stats((kommun_code,))
    return analysis.year_to_date(stats, year), yearly.latest_comparison(loaders.yearly_series(kommun_code), up_to=year)


@st.cache_data(ttl=loaders.CACHE_TTL, max_entries=loaders.MAX_ENTRIES, show_spinner=False)
def _latest_table(kommun_code: str, up_to: int, _series: pd.DataFrame) -> pd.DataFrame:
    return yearly.latest_year_table(_series, up_to=up_to)


def by_type_cards(series: pd.DataFrame) -> None:
    """Per crime type: the latest year any source has against the year before; older figures named apart."""
    kommun = str(series["kommun_code"].iloc[0]) if not series.empty else ""
    latest = _latest_table(kommun, date.today().year, series)
    current, older = yearly.split_by_year(latest[latest["crime_type"] != "totalt"])
    if current.empty:
        return
    year = int(current["year"].iloc[0])
    st.markdown(f"**Per brottstyp: senaste år med siffror, {year} jämfört med {year - 1}**")
    if year < date.today().year - 2:
        st.warning(
            f"De senaste siffrorna per brottstyp gäller {year}. Nyare siffror hämtas från Kolada "
            "(Importera data eller schemalagd hämtning).",
            icon=":material/history:",
        )
    widgets.change_cards(current)
    notes = [f"Källa: {widgets.plain('; '.join(sorted(set(current['source']))))}."]
    if current["approximate"].any():
        notes.append("Ungefärlig: antalet är beräknat ur Koladas nyckeltal per 100 000 inv. och folkmängden.")
    notes.append("Grå förändring: inom normal variation eller spaningsbrott.")
    if not older.empty:
        names = ", ".join(f"{r.label} ({r.year})" for r in older.itertuples())
        notes.append(f"Äldre siffror, inte jämförbara med {year}: {widgets.plain(names)}.")
    st.caption(" ".join(notes))


def trygghet(sel: state.Selection) -> None:
    """NTU (Brå's trygghetsundersökning through Kolada) for the kommun, its län and Riket."""
    frame = loaders.ntu(sel.kommun.code, sel.kommun.name, sel.kommun.lan_code, sel.kommun.lan_name)
    note = yearly.ntu_note(frame, sel.kommun.code)
    if frame.empty:
        st.info(f"{note} Värdena hämtas från Kolada (Importera data eller schemalagd hämtning).")
        return
    year = int(frame["year"].max())
    title = f"Trygghet och utsatthet (NTU), {year}"
    key = (sel.kommun.code, sel.kommun.name, sel.kommun.lan_code, sel.kommun.lan_name)
    source = "Källa: Brå NTU via Kolada"
    widgets.cached_chart("ntu", key, lambda: figures.ntu_intervals(frame, title=title, source=source))
    if note:
        st.caption(note)


def no_promise_note(sel: state.Selection) -> None:
    """Says that the year has no promise, and which years do."""
    years = loaders.promise_years(sel.kommun.code)
    others = (
        f"Registrerade år: {', '.join(str(y) for y in years)}." if years else "Kommunen har inga registrerade löften."
    )
    st.info(f"Inget medborgarlöfte är registrerat för {sel.kommun.name} {sel.year}. {others}")
