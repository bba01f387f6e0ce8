"""Generic widgets (streamlit): headings, charts, comparison cards, tables, downloads and safe text."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lofte_data import exports, figures, formats, freshness
from lofte_data.analysis import Change, PeriodComparison
from lofte_data.errors import LofteError
from lofte_data.ui import loaders

if TYPE_CHECKING:
    from lofte_data.ui.state import Selection


LOG = logging.getLogger(__name__)
T = TypeVar("T")
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str) -> str:
    """Escape Markdown so user-entered or fetched text is shown as text, never as markup."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def shorten(text: str, limit: int = 300) -> str:
    """Long text (an import's old values) cut for a table cell; the whole text stays in the database."""
    return text if len(text) <= limit else text[:limit] + f" … ({len(text) - limit} tecken till)"


def header(title: str, sel: Selection) -> None:
    st.title(title)
    st.markdown(f"#### {sel.kommun.name} ({sel.kommun.code}) · {sel.year}")
    data_line(sel.kommun.code)


def data_line(kommun_code: str, *, more: Sequence[str] = ()) -> None:
    """How far each source's figures reach for the kommun, so nobody presents old data as new; ``more`` lines
    (Markdown, already escaped) follow in the same caption."""
    with section("Hur långt data räcker"):
        st.caption("  \n".join([plain(freshness.line(loaders.reach(kommun_code))), *more]))


# Room a slide keeps for everything but its charts (controls, title, data line, a heading), in rem: the chart
# takes the rest of the screen's height, so the slide fits 1920x1080 and 1280x720 alike without scrolling.
SLIDE_RESERVE_REM = {"slide": 14.5, "slide_with_heading": 16.5}
CAPTION_LINE_REM = 1.8  # one line of a caption on a slide (1.1 rem type): a footnote under a chart
# Set by the slide's data banner when it has more than the data line (``mote.data_banner``); charts leave room.
BANNER_EXTRA = "--slide-banner-extra"


def chart(fig: go.Figure, *, fit: str | None = None, footnotes: Sequence[str] = ()) -> None:
    """A plotly figure with its own large-type layout (not Streamlit's theme) and no toolbar, its ``footnotes``
    (plain text) below it; larger still in presentation mode, where ``fit`` (a SLIDE_RESERVE_REM key) makes it
    fill the rest of the screen, less the lines under it and the banner's extra lines."""
    if not presentation_mode() or fit is None:
        shown = fig if not presentation_mode() else figures.for_projector(fig)
        st.plotly_chart(shown, theme=None, width="stretch", config={"displayModeBar": False})
        if footnotes:
            st.caption("  \n".join(plain(line) for line in footnotes))
        return
    bare, source = figures.without_source(figures.for_projector(fig, fill=True))
    key = f"slidechart_{fit}_{abs(hash(fig.layout.title.text or '')) % 10**8}"
    # A fixed style sheet with numbers only: the chart's height follows the viewport (vh) and the type (rem).
    st.html(
        f"<style>.st-key-{key} [data-testid='stPlotlyChart'] "
        f"{{height: calc(100vh - {_reserve(fit, len(footnotes), bool(source))}rem - var({BANNER_EXTRA}, 0rem)) "
        "!important; min-height: 14rem;}</style>"
    )
    with st.container(key=key):
        st.plotly_chart(
            bare, theme=None, width="stretch", height="stretch", config={"displayModeBar": False, "responsive": True}
        )
    lines = [source] if source else []
    if lines or footnotes:  # one element, a line each: the source, then the notes
        st.caption("  \n".join(plain(line) for line in [*lines, *footnotes]))


def _reserve(fit: str, footnotes: int, has_source: bool) -> float:
    """The rem a slide keeps free around a chart: its SLIDE_RESERVE_REM (the source line included) and a line
    per footnote (with Streamlit's 1 rem gap when there is no source line for them to join)."""
    below = CAPTION_LINE_REM * footnotes + (0 if has_source or not footnotes else 1)
    return round(SLIDE_RESERVE_REM[fit] + below, 2)


def cached_chart(kind: str, key: tuple, build: Callable[[], go.Figure], *, fit: str | None = None) -> None:
    """``chart`` for a figure that depends only on ``kind`` and ``key`` (and the stored data): the figure is
    built once and kept as a plain spec, so a rerun skips building and validating it (tens of ms a chart).
    Cleared with the other cached reads after every write."""
    chart(go.Figure(_figure_spec(kind, key, build), _validate=False), fit=fit)


@st.cache_data(ttl=loaders.CACHE_TTL, max_entries=loaders.MAX_ENTRIES, show_spinner=False)
def _figure_spec(kind: str, key: tuple, _build: Callable[[], go.Figure]) -> dict:
    return _build().to_dict()


def source_note(text: str) -> None:
    st.caption(f"Källa: {plain(text)}")


def comparison(comp: PeriodComparison, *, labels: tuple[str, str] | None = None) -> None:
    """Three cards (this period, the same period a year earlier, the change) and the verdict."""
    change = comp.change
    prel = " (prel.)" if comp.preliminary else ""
    if labels is None:
        now, before = ("Helår", "Helår") if comp.label == "helår" else ("Hittills", "Samma period")
        labels = (f"{now} {comp.year}{prel}", f"{before} {comp.year - 1}")
    left, middle, right = st.columns(3)
    left.metric(labels[0], formats.number(change.current))
    middle.metric(labels[1], formats.number(change.previous))
    muted = change.small_base or change.percent is None
    delta = None if muted else formats.percent(change.percent)
    neutral = change.surveillance or change.verdict == "inom normal variation"
    right.metric("Förändring", formats.signed(change.absolute), delta=delta, **_delta_look(change.absolute, neutral))
    st.markdown(f"**Bedömning:** {change.verdict} (z = {formats.number(change.z, 1)}). {_verdict_help(change)}")
    st.caption(f"Period: {plain(comp.label)}. Källa: {plain(comp.source)}{prel}.")


def _delta_look(absolute: float, neutral: bool) -> dict[str, str]:
    """Colour and arrow of a change card, set explicitly: Streamlit reads the direction from a leading ASCII "-",
    and our changes carry a real minus sign (−). Fewer crimes is green, more is red, noise is grey."""
    if absolute == 0:
        return {"delta_color": "gray", "delta_arrow": "off"}
    falling = absolute < 0
    colour = "gray" if neutral else ("green" if falling else "red")
    return {"delta_color": colour, "delta_arrow": "down" if falling else "up"}


VERDICT_HELP = {
    "inom normal variation": "Förändringen ryms i den slumpmässiga variationen mellan år.",
    "möjlig förändring": "Förändringen är större än vanlig slumpvariation men kan vara tillfällig.",
    "tydlig ökning": "Ökningen är klart större än den slumpmässiga variationen mellan år.",
    "tydlig minskning": "Minskningen är klart större än den slumpmässiga variationen mellan år.",
}


def _verdict_help(change: Change) -> str:
    notes = [VERDICT_HELP[change.verdict]]
    if change.percent is None:
        notes.append("Ingen procentsats: föregående period hade 0.")
    elif change.small_base:
        notes.append(f"Procent visas inte: underlaget är under 30 ({formats.percent(change.percent)}).")
    if change.surveillance:
        notes.append("Spaningsbrott: en ökning kan betyda mer polisarbete, inte fler brott.")
    return " ".join(notes)


def data_status(name: str, what: str) -> None:
    """When a dataset was last loaded, so old figures are never mistaken for new ones."""
    info = loaders.dataset(name)
    if info:
        st.caption(
            f"{what}: {plain(info['note'])} · inläst {formats.day(info['loaded_at'])} · källa {plain(info['source'])}"
        )


def download_csv(frame: pd.DataFrame, *, filename: str, label: str = "Ladda ned tabellen (CSV för Excel)") -> None:
    st.download_button(label, data=exports.excel_csv(frame), file_name=filename, mime="text/csv", on_click="ignore")


def change_cards(table: pd.DataFrame, *, per_row: int = 3) -> None:
    """One card per crime type (rows of trends.year_on_year_table or yearly.latest_year_table): the count, the
    change, and the verdict in words below it (a caption wraps; a metric's description would be cut off)."""
    rows = list(table.itertuples())
    for start in range(0, len(rows), per_row):
        for column, row in zip(st.columns(per_row), rows[start : start + per_row], strict=False):
            pct = "" if pd.isna(row.percent) or row.small_base else f" ({formats.percent(float(row.percent))})"
            neutral = row.surveillance or row.verdict == "inom normal variation"
            approximate = "≈" if getattr(row, "approximate", False) else ""
            card = column.container(border=True)
            card.metric(
                plain(row.label),
                approximate + formats.number(row.current),
                delta=f"{formats.signed(row.absolute)}{pct}",
                **_delta_look(row.absolute, neutral),
            )
            card.caption(_card_note(row))


def _card_note(row: object) -> str:
    notes = [row.verdict]
    if getattr(row, "approximate", False):
        notes.append("ungefärlig")
    if getattr(row, "source_change", False):
        notes.append("ny källa")
    if row.surveillance:
        notes.append("spaningsbrott")
    return " · ".join(notes)


@contextmanager
def section(name: str, *, needed: bool = False) -> Iterator[None]:
    """One part of a page: if its data fails (a LofteError, database errors included), a Swedish notice takes
    its place and the rest of the page still renders. ``needed``: the rest of the page is built on this part,
    so the page ends after the notice. ``st.stop`` and ``st.rerun`` pass through."""
    try:
        yield
    except LofteError as exc:
        LOG.warning("Avsnittet %s kunde inte visas", name, exc_info=exc)
        st.warning(f"Den här delen ({plain(name)}) kunde inte visas just nu: {plain(str(exc))}", icon="⚠️")
        if needed:
            st.stop()


def read(name: str, load: Callable[[], T], *, otherwise: T) -> T:
    """``load()`` inside ``section(name)``: when its data cannot be read, the notice and ``otherwise``."""
    with section(name):
        return load()
    return otherwise


def attempt(action: Callable[[], object], *, success: str) -> bool:
    """Run a write; on success clear the caches and say so, on a refused input show the Swedish reason."""
    try:
        action()
    except LofteError as exc:
        st.error(str(exc))
        return False
    loaders.refresh_data()
    st.success(success)
    return True


def default_day(year: int) -> date:
    """Today when it lies in ``year``, else the last day of that year."""
    today = date.today()
    return today if today.year == year else date(year, 12, 31)


def presentation_mode() -> bool:
    """Large type, no sidebar or toolbar: ``?presentation=1`` on any page."""
    return st.query_params.get("presentation") == "1"


def inert(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell and header escaped: ``st.table`` renders cells as Markdown, and free text
    (a decision, a commitment) must never become a link or an image fetched from another server."""
    safe = frame.rename(columns=lambda name: plain(name) if isinstance(name, str) else name)
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(lambda value: plain(value) if isinstance(value, str) else value)
    return safe


def table(frame: pd.DataFrame, *, empty: str = "Inga rader att visa.") -> None:
    """A read-only table: the interactive grid, or in presentation mode an HTML table in large type. No rows:
    one Swedish line (an empty HTML table would say "empty")."""
    if frame.empty:
        st.markdown(empty)
        return
    if presentation_mode():
        st.table(inert(frame), hide_index=True)
    else:
        st.dataframe(frame, hide_index=True, placeholder="–", width="stretch")
