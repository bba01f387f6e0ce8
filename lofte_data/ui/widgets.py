"""Generic widgets (streamlit): headings, charts, comparison cards, tables, downloads and safe text."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lofte_data import exports, figures, formats
from lofte_data.analysis import Change, PeriodComparison
from lofte_data.errors import LofteError
from lofte_data.ui import loaders

if TYPE_CHECKING:
    from lofte_data.ui.state import Selection


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str) -> str:
    """Escape Markdown so user-entered or fetched text is shown as text, never as markup."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def header(title: str, sel: Selection) -> None:
    st.title(title)
    st.markdown(f"#### {sel.kommun.name} ({sel.kommun.code}) · {sel.year}")


def chart(fig: go.Figure) -> None:
    """A plotly figure with its own large-type layout (not Streamlit's theme) and no toolbar; larger still
    in presentation mode."""
    if presentation_mode():
        fig = figures.for_projector(fig)
    st.plotly_chart(fig, theme=None, width="stretch", config={"displayModeBar": False})


def cached_chart(kind: str, key: tuple, build: Callable[[], go.Figure]) -> None:
    """``chart`` for a figure that depends only on ``kind`` and ``key`` (and the stored data): the figure is
    built once and kept as a plain spec, so a rerun skips building and validating it (tens of ms a chart).
    Cleared with the other cached reads after every write."""
    chart(go.Figure(_figure_spec(kind, key, build), _validate=False))


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
    right.metric(
        "Förändring",
        formats.signed(change.absolute),
        delta=delta,
        delta_color="off" if neutral else "inverse",
        delta_arrow="off" if change.absolute == 0 else "auto",
    )
    st.markdown(f"**Bedömning:** {change.verdict} (z = {formats.number(change.z, 1)}). {_verdict_help(change)}")
    st.caption(f"Period: {plain(comp.label)}. Källa: {plain(comp.source)}{prel}.")


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
    """One card per crime type (rows of trends.year_on_year_table): count, change and verdict."""
    rows = list(table.itertuples())
    for start in range(0, len(rows), per_row):
        for column, row in zip(st.columns(per_row), rows[start : start + per_row], strict=False):
            pct = "" if pd.isna(row.percent) or row.small_base else f" ({formats.percent(float(row.percent))})"
            neutral = row.surveillance or row.verdict == "inom normal variation"
            column.metric(
                plain(row.label),
                formats.number(row.current),
                delta=f"{formats.signed(row.absolute)}{pct}",
                delta_color="off" if neutral else "inverse",
                delta_arrow="off" if row.absolute == 0 else "auto",
                delta_description=_card_note(row),
                border=True,
            )


def _card_note(row: object) -> str:
    notes = [row.verdict]
    if getattr(row, "approximate", False):
        notes.append("ungefärlig")
    if getattr(row, "source_change", False):
        notes.append("ny källa")
    if row.surveillance:
        notes.append("spaningsbrott")
    return " · ".join(notes)


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


def table(frame: pd.DataFrame) -> None:
    """A read-only table: the interactive grid, or in presentation mode an HTML table in large type."""
    if presentation_mode():
        st.table(frame.style.hide(axis="index"))
    else:
        st.dataframe(frame, hide_index=True, width="stretch")
