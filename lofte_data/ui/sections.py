"""Sections shared by several pages (streamlit): crime summary, focus-area follow-up, no-promise note."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from lofte_data import analysis, cycle, figures, followup, formats, palette, tables, yearly
from lofte_data.crime_types import label
from lofte_data.models import FocusArea
from lofte_data.ui import cycle as cycle_ui
from lofte_data.ui import loaders, state, widgets

# The commitment first, then what a meeting looks for: its status and the total; the rest after, so a 1280 px
# screen (sidebar open) shows status and totals without scrolling sideways.
FOLLOW_UP_ORDER = ["Åtagande", "Status", "Totalt", "Mål", "Ansvar", "T1", "T2", "T3", "Ej fördelat"]


def follow_up_table(table: pd.DataFrame) -> None:
    """The follow-up table: tallies per tertial, a progress bar, and the status on a colour that is also a word."""
    view = tables.follow_up(table)
    if not view["Ej fördelat"].any():
        view = view.drop(columns=["Ej fördelat"])
    if widgets.presentation_mode():  # an HTML table follows the large type and wraps long texts
        # "Läge" repeats the total and the target in words, and the progress bar does not print: the room reads
        # the status, the total and the tertials.
        shown = [c for c in FOLLOW_UP_ORDER if c in view.columns]
        st.table(_status_colours(widgets.inert(view[shown])).hide())
        return
    st.dataframe(
        _status_colours(view),
        hide_index=True,
        placeholder="–",
        width="stretch",
        column_order=[c for c in [*FOLLOW_UP_ORDER, "Andel av målet", "Läge"] if c in view.columns],
        column_config={
            "Andel av målet": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d %%"),
            "Åtagande": st.column_config.TextColumn(width="large"),  # the commitment readable, status beside it
            "Status": st.column_config.TextColumn(width="medium"),  # "genomfört, antal saknas" whole at 1280 px
            "Totalt": st.column_config.NumberColumn(width="small"),
        },
    )


def _status_colours(view: pd.DataFrame) -> pd.io.formats.style.Styler:
    """The status on its colour; a tally cell of work done without a count reads "–", never "None"."""
    tallies = [c for c in ("T1", "T2", "T3", "Ej fördelat", "Totalt") if c in view.columns]
    styled = view.style.map(lambda s: f"background-color: {palette.STATUS_FILLS.get(s, '')}", subset=["Status"])
    return styled.format(na_rep="–", subset=tallies)


def comment_list(notes: pd.DataFrame) -> None:
    """Comments per commitment and tertial, as plain text."""
    for row in notes.sort_values(["tertial"]).itertuples():
        signed = f"{widgets.plain(row.author)}, {formats.day(row.updated_at)}"
        st.markdown(f"**T{row.tertial}** – {widgets.plain(row.text)} *({signed})*")


def focus_area_table(
    area: FocusArea, number: int, table: pd.DataFrame, *, rows: tuple[int, int] | None = None, heading: bool = True
) -> None:
    """A focus area's heading (unless the slide title says it) and follow-up table; the description, the cause
    analysis (or that the source gives none) and the status summary only with its first rows (a long table goes
    on over several slides: ``rows`` = [start, stop))."""
    if heading:
        st.markdown(f"### {number}. {widgets.plain(area.name)}")
    first = rows is None or rows[0] == 0
    if first:
        for name, text in tables.focus_area_facts(area):
            st.markdown(f"**{name}:** {widgets.plain(text)}")
    if not area.commitments:
        st.info("Inga åtaganden är registrerade för fokusområdet.")
        return
    if first:
        counts = followup.summary(table["status"]).items()
        st.caption(" · ".join(f"{status.capitalize()} {n}" for status, n in counts if n))
    follow_up_table(table.iloc[rows[0] : rows[1]] if rows else table)


def focus_area_charts(
    area: FocusArea, table: pd.DataFrame, *, kommun_code: str, notes: pd.DataFrame, slide: bool = False
) -> None:
    """Effort per tertial, and effort beside the crime the area targets over the years, and the comments. At
    full width one below the other on a page; side by side, filling the screen, on a slide."""
    effort = bool(len(table)) and bool(table["total"].sum())
    if slide and not effort:
        st.caption("Inga aktiviteter med antal är registrerade för fokusområdets åtaganden i år.")
    # The bars carry the commitments' names: the wider column, names cut shorter than on a page.
    left, right = st.columns([2, 3]) if slide and effort else (st.container(), st.container())
    fit = ("slide" if effort else "slide_with_heading") if slide else None
    if effort:
        with left:
            bars = figures.tertial_bars(table, title="Utfört per tertial", label_limit=44 if slide else 80)
            widgets.chart(bars, fit=fit)
    area_notes = notes[notes["commitment_id"].isin([c.id for c in area.commitments])]
    if not slide:
        comment_list(area_notes)
    with right:
        focus_timeline(area, kommun_code, fit=fit)
    if slide:
        comment_list(area_notes)


def focus_area_section(
    area: FocusArea,
    number: int,
    *,
    table: pd.DataFrame,
    notes: pd.DataFrame,
    kommun_code: str,
) -> None:
    """One focus area on a page: description, its follow-up table (``loaders.follow_up_tables``), effort beside
    the crime it targets; the crime over the years is shown even when the area has no commitments yet."""
    focus_area_table(area, number, table)
    focus_area_charts(area, table, kommun_code=kommun_code, notes=notes)


def focus_timeline(area: FocusArea, kommun_code: str, *, fit: str | None = None) -> None:
    """Effort and crime on one timeline: the linked crime types per year, the area's activities per year
    (the same focus area in every promise of the kommun), the promise years shaded."""
    series = area_series(area, kommun_code)
    years = loaders.promise_years(kommun_code)
    effort = area_effort(area.name, kommun_code, years)
    types = ", ".join(label(t) for t in area.crime_types) or "inga kopplade brottstyper"
    # On a slide the heading above names the area: a long name in the title would be cut at the chart's edges.
    title = "Brott och insatser per år" if fit else f"Brott och insatser per år: {area.name}"
    fig = figures.focus_timeline(series, effort, promise_years=years, title=title, source=_sources(series, effort))
    notes = cycle_ui.notes(kommun_code)
    cycle_ui.chart_with_notes(fig, cycle.notes_for(notes, crime_types=area.crime_types, focus_area_id=area.id), fit=fit)
    if fit is None:  # on a slide the legend names them: every line counts on a projector
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


def _sources(series: pd.DataFrame, effort: pd.DataFrame) -> str:
    bars = " Staplar: registrerade aktiviteter." if not effort.empty else ""
    if series.empty:
        return f"Källa: inga siffror för områdets brottstyper.{bars}"
    names = sorted({"Kolada" if estimated else "Brå" for estimated in series["estimated"]})
    return f"Källa: {', '.join(names)}; siffror t.o.m. {int(series['year'].max())}.{bars}"


def crime_summary(sel: state.Selection) -> None:
    """Reported crime for the kommun: this year so far, the selected year in full, and per crime type."""
    crime_totals(sel)
    crime_by_type(sel)


def crime_totals(sel: state.Selection) -> None:
    """This year so far and the selected year in full (Brå, else estimated from Kolada), each against the year
    before."""
    ytd, full_year = crime_comparisons(sel.kommun.code, sel.year)
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


@st.cache_data(ttl=loaders.CACHE_TTL, show_spinner=False, max_entries=loaders.MAX_ENTRIES)
def crime_comparisons(
    kommun_code: str, year: int
) -> tuple[analysis.PeriodComparison | None, analysis.PeriodComparison | None]:
    """This year so far and the latest full year up to ``year``, each against the year before (stored data
    only: kept per kommun and year, cleared after every write)."""
    ytd = analysis.year_to_date(loaders.crime_stats((kommun_code,)), year)
    return ytd, yearly.latest_comparison(loaders.yearly_series(kommun_code), up_to=year)


@st.cache_data(ttl=loaders.CACHE_TTL, show_spinner=False)  # the meeting asks twice per rerun: the deck and the slide
def latest_by_type(kommun_code: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per crime type but the total: the rows of the newest year any source has, and the types whose figures
    are older (named apart, never shown as if of the same year)."""
    series = yearly.without_aliases(loaders.yearly_series(kommun_code))
    latest = yearly.latest_year_table(series, up_to=date.today().year)
    return yearly.split_by_year(latest[latest["crime_type"] != "totalt"])


def has_crime_types(sel: state.Selection) -> bool:
    """Whether any crime type has two consecutive years to compare."""
    return not latest_by_type(sel.kommun.code)[0].empty


def crime_by_type(sel: state.Selection, *, per_row: int = 3) -> None:
    """Per crime type: the latest year any source has against the year before, as cards; in presentation mode a
    table in large type (a dozen cards do not fit one screen without cutting their names short)."""
    current, older = latest_by_type(sel.kommun.code)
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
    if widgets.presentation_mode():
        widgets.table(tables.latest_year(current).drop(columns=["Källa"]))
    else:
        widgets.change_cards(current, per_row=per_row)
    notes = [f"Källa: {widgets.plain(yearly.sources_text(current))}."]
    if current["approximate"].any():
        notes.append("≈ Ungefärlig: antalet är beräknat ur Koladas nyckeltal per 100 000 inv. och folkmängden.")
    notes.append("Grå förändring: inom normal variation eller spaningsbrott.")
    if not older.empty:
        names = ", ".join(f"{r.label} ({r.year})" for r in older.itertuples())
        notes.append(f"Äldre siffror, inte jämförbara med {year}: {widgets.plain(names)}.")
    st.caption(" ".join(notes))


def has_trygghet(sel: state.Selection) -> bool:
    """Whether Kolada has NTU values for the kommun, its län or Riket."""
    return not loaders.ntu(sel.kommun.code, sel.kommun.name, sel.kommun.lan_code, sel.kommun.lan_name).empty


def trygghet(sel: state.Selection, *, fit: str | None = None) -> None:
    """NTU (Brå's trygghetsundersökning through Kolada) for the kommun, its län and Riket."""
    frame = loaders.ntu(sel.kommun.code, sel.kommun.name, sel.kommun.lan_code, sel.kommun.lan_name)
    note = yearly.ntu_note(frame, sel.kommun.code)
    if frame.empty:
        st.info(f"{note} Värdena hämtas från Kolada (Importera data eller schemalagd hämtning).")
        return
    year = int(frame["year"].max())
    title = f"Trygghet och utsatthet (NTU), {year}"
    key = (sel.kommun.code, sel.kommun.name, sel.kommun.lan_code, sel.kommun.lan_name)  # what loaders.ntu reads
    build = lambda: figures.ntu_intervals(frame, title=title, source="Källa: Brå NTU via Kolada")  # noqa: E731
    widgets.cached_chart("ntu", key, build, fit=fit)
    if note:
        st.caption(note)


def no_promise_note(sel: state.Selection) -> None:
    """Says that the year has no promise, and which years do."""
    years = loaders.promise_years(sel.kommun.code)
    others = (
        f"Registrerade år: {', '.join(str(y) for y in years)}." if years else "Kommunen har inga registrerade löften."
    )
    st.info(f"Inget medborgarlöfte är registrerat för {sel.kommun.name} {sel.year}. {others}")
