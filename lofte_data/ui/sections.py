"""Sections shared by several pages (streamlit): crime summary, focus-area follow-up, no-promise note."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from lofte_data import analysis, figures, followup, formats, tables, trends
from lofte_data.crime_types import label
from lofte_data.models import FocusArea
from lofte_data.ui import loaders, state, widgets

STATUS_COLOURS = {
    "uppnått": "#CCE5F3",
    "på väg": "#D5EFE4",
    "efter plan": "#F8DCCB",
    "ej påbörjad": "#EEEEEE",
    "ingen uppgift": "#FFFFFF",
}


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
        st.table(_status_colours(view[shown]).hide())
        return
    st.dataframe(
        _status_colours(view),
        hide_index=True,
        width="stretch",
        column_order=[c for c in [*FOLLOW_UP_ORDER, "Andel av målet", "Läge"] if c in view.columns],
        column_config={
            "Andel av målet": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d %%"),
            "Åtagande": st.column_config.TextColumn(width="medium"),
            "Status": st.column_config.TextColumn(width="small"),
            "Totalt": st.column_config.NumberColumn(width="small"),
        },
    )


def _status_colours(view: pd.DataFrame) -> pd.io.formats.style.Styler:
    return view.style.map(lambda s: f"background-color: {STATUS_COLOURS.get(s, '')}", subset=["Status"])


def comment_list(notes: pd.DataFrame) -> None:
    """Comments per commitment and tertial, as plain text."""
    for row in notes.sort_values(["tertial"]).itertuples():
        signed = f"{widgets.plain(row.author)}, {formats.day(row.updated_at)}"
        st.markdown(f"**T{row.tertial}** – {widgets.plain(row.text)} *({signed})*")


def focus_area_table(
    area: FocusArea, number: int, table: pd.DataFrame, *, rows: tuple[int, int] | None = None, heading: bool = True
) -> None:
    """A focus area's heading (unless the slide title says it) and follow-up table; the description, cause
    analysis and status summary only with its first rows (a long table goes on over several slides:
    ``rows`` = [start, stop))."""
    if heading:
        st.markdown(f"### {number}. {widgets.plain(area.name)}")
    first = rows is None or rows[0] == 0
    if first and area.description:
        st.markdown(f"**Beskrivning:** {widgets.plain(area.description)}")
    if first and area.cause_analysis:
        st.markdown(f"**Orsaksanalys:** {widgets.plain(area.cause_analysis)}")
    if not area.commitments:
        st.info("Inga åtaganden är registrerade för fokusområdet.")
        return
    if first:
        st.caption(" · ".join(f"{status.capitalize()} {n}" for status, n in followup.summary(table["status"]).items()))
    follow_up_table(table.iloc[rows[0] : rows[1]] if rows else table)


def focus_area_charts(
    area: FocusArea, table: pd.DataFrame, *, year: int, yearly: pd.DataFrame, notes: pd.DataFrame, slide: bool = False
) -> None:
    """Effort per tertial beside the crime the area targets, and the comments. At full width one below the
    other on a page; side by side, filling the screen, on a slide."""
    linked = yearly[yearly["crime_type"].isin(area.crime_types) & yearly["complete"]]
    effort = bool(len(table)) and bool(table["total"].sum())
    if slide and not effort:
        st.caption("Inga aktiviteter är registrerade för fokusområdets åtaganden.")
    # The bars carry the commitments' names: the wider column, names cut shorter than on a page.
    both = slide and effort and not linked.empty
    left, right = st.columns([3, 2]) if both else (st.container(), st.container())
    fit = ("slide" if effort else "slide_with_heading") if slide else None
    if effort:
        with left:
            bars = figures.tertial_bars(table, title="Utfört per tertial", label_limit=30 if slide else 42)
            widgets.chart(bars, fit=fit)
    area_notes = notes[notes["commitment_id"].isin([c.id for c in area.commitments])]
    if not slide:
        comment_list(area_notes)
    with right:
        if linked.empty:
            st.caption("Brottstyper: " + (", ".join(label(t) for t in area.crime_types) or "inga kopplade"))
            st.caption("Inga årssiffror finns för de kopplade brottstyperna.")
        else:
            frame = linked.assign(label=linked["crime_type"].map(label))
            sources = ", ".join(sorted(set(linked["source"])))
            latest = int(linked["year"].max())
            old = f" Senaste inlästa år: {latest}." if latest < year - 1 else ""
            fig = figures.crime_types_by_year(
                frame, title="Brotten området riktar sig mot", source=f"Källa: {sources}.{old}"
            )
            widgets.chart(fig, fit=fit)
    if slide:
        comment_list(area_notes)


def focus_area_section(
    area: FocusArea,
    number: int,
    *,
    year: int,
    today: date,
    activities_frame: pd.DataFrame,
    yearly: pd.DataFrame,
    notes: pd.DataFrame,
) -> None:
    """One focus area on a page: description, the follow-up table, effort per tertial beside the crime it targets."""
    table = followup.follow_up_table(area.commitments, activities_frame, year=year, on=today)
    focus_area_table(area, number, table)
    if area.commitments:
        focus_area_charts(area, table, year=year, yearly=yearly, notes=notes)


def crime_summary(sel: state.Selection) -> None:
    """Reported crime for the kommun: this year so far, the latest full year, and per crime type."""
    crime_totals(sel)
    crime_by_type(sel)


def crime_totals(sel: state.Selection) -> None:
    """This year so far and the latest full year, each against the year before."""
    stats = loaders.crime_stats((sel.kommun.code,))
    ytd = analysis.year_to_date(stats, sel.year)
    full_year = analysis.latest_full_year(stats, sel.year)
    if ytd is not None and ytd.label == "helår":
        ytd = None  # all twelve months are in: the full-year comparison says it once
    if ytd is not None:
        st.markdown("**Hittills i år jämfört med samma period i fjol**")
        widgets.comparison(ytd)
    if full_year is not None:
        st.markdown(f"**Senaste hela år: {full_year.year} jämfört med {full_year.year - 1}**")
        widgets.comparison(full_year)
    if ytd is None and full_year is None:
        st.info(f"Det finns inga jämförbara siffror om anmälda brott för {sel.kommun.name} till och med {sel.year}.")


def _monthly_years(sel: state.Selection) -> pd.Series:
    stats = loaders.crime_stats((sel.kommun.code,))
    return stats.loc[stats["period"].str.startswith("M") & (stats["year"] <= sel.year), "year"]


def has_crime_types(sel: state.Selection) -> bool:
    """Whether there are monthly figures per crime type up to the chosen year (cheap: no table is built)."""
    return not _monthly_years(sel).empty


def crime_types_table(sel: state.Selection) -> tuple[int, pd.DataFrame]:
    """The latest year with monthly figures up to the chosen one, and its rows per crime type (rows of
    trends.year_on_year_table without the total); an empty frame when there are no monthly figures."""
    stats = loaders.crime_stats((sel.kommun.code,))
    monthly_years = _monthly_years(sel)
    if monthly_years.empty:
        return sel.year, pd.DataFrame()
    last_year = int(monthly_years.max())
    by_type = trends.year_on_year_table(stats, last_year, kommun_codes=[sel.kommun.code])
    return last_year, by_type[by_type["crime_type"] != "totalt"]


def crime_by_type(sel: state.Selection, *, per_row: int = 3) -> None:
    """One card per crime type for the latest year with monthly figures, with a note when that year is old.
    In presentation mode a table in large type instead: nine cards do not fit one screen without cutting
    their names short."""
    last_year, by_type = crime_types_table(sel)
    if by_type.empty:
        return
    if last_year < sel.year - 1:
        st.warning(
            f"De senaste inlästa månadssiffrorna från Brå gäller {last_year}. Nyare filer läses in under "
            "Importera data.",
            icon=":material/history:",
        )
    st.markdown(f"**Per brottstyp: {tables.period_heading(by_type['period_label'].iloc[0], last_year)}**")
    if widgets.presentation_mode():
        widgets.table(tables.year_on_year(by_type, last_year))
    else:
        widgets.change_cards(by_type, per_row=per_row)
    source = widgets.plain(by_type["source"].iloc[0])
    st.caption(f"Källa: {source}. Grå förändring: inom normal variation eller spaningsbrott.")


def no_promise_note(sel: state.Selection) -> None:
    """Says that the year has no promise, and which years do."""
    years = loaders.promise_years(sel.kommun.code)
    others = (
        f"Registrerade år: {', '.join(str(y) for y in years)}." if years else "Kommunen har inga registrerade löften."
    )
    st.info(f"Inget medborgarlöfte är registrerat för {sel.kommun.name} {sel.year}. {others}")
