"""The one Streamlit layer: cached loaders, the shared sidebar, and small shared widgets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lofte_data import formats
from lofte_data.analysis import Change, PeriodComparison
from lofte_data.errors import LofteError
from lofte_data.models import OWNERS, Commitment, Kommun, Promise
from lofte_data.seed import seed_defaults
from lofte_data.storage import Store

DEFAULT_KOMMUN = "1960"
FIRST_YEAR = 2013
CACHE_TTL = 300
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


@dataclass(frozen=True)
class Selection:
    """What the viewer chose in the sidebar: a kommun and a year."""

    kommun: Kommun
    year: int


# -- data ---------------------------------------------------------------------------
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


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def incidents(kommun_code: str) -> pd.DataFrame:
    return store().incidents(kommun_code)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def source_titles() -> dict[str, str]:
    return {key: f"{doc.title} ({doc.publisher})" for key, doc in store().source_documents().items()}


# -- sidebar and URL ------------------------------------------------------------------
def sidebar() -> Selection:
    """Kommun and year in the sidebar, kept in the URL as ``?kommun=1960&ar=2023``."""
    known = {k.code: k for k in kommuner()}
    notes: list[str] = []
    code = _from_url("kommun", list(known), _default_kommun(known), notes, "kommun")
    st.sidebar.selectbox("Kommun", list(known), key="kommun", format_func=lambda c: known[c].name)
    years = list(range(date.today().year, FIRST_YEAR - 1, -1))
    _from_url("ar", years, _default_year(code), notes, "år")
    st.sidebar.selectbox("År", years, key="ar")
    kommun, year = known[st.session_state["kommun"]], int(st.session_state["ar"])
    _to_url(kommun=kommun.code, ar=str(year))
    police = f" · lokalpolisområde {kommun.police_area} · region {kommun.police_region}" if kommun.police_area else ""
    st.sidebar.caption(kommun.lan_name + police)
    for note in notes:
        st.warning(note, icon="ℹ️")
    return Selection(kommun=kommun, year=year)


def _from_url(name: str, options: list, default: object, notes: list[str], what: str) -> object:
    """Put the URL's value into the widget state when the URL changed from outside (a link was opened);
    otherwise the widget keeps what the viewer chose. Unknown values fall back to ``default`` with a note."""
    raw = st.query_params.get(name)
    by_text = {str(o): o for o in options}
    if raw is not None and raw != st.session_state.get(f"_url_{name}"):
        if raw in by_text:
            st.session_state[name] = by_text[raw]
        else:
            st.session_state[name] = default
            notes.append(f"Länken angav {what} {plain(raw[:40])}, som inte finns. Visar {default} i stället.")
    elif st.session_state.get(name) not in options:
        st.session_state[name] = default
    return st.session_state[name]


def _to_url(**values: str) -> None:
    st.query_params.update(values)
    for name, value in values.items():
        st.session_state[f"_url_{name}"] = value


def _default_kommun(known: dict[str, Kommun]) -> str:
    return DEFAULT_KOMMUN if DEFAULT_KOMMUN in known else next(iter(known))


def _default_year(kommun_code: str) -> int:
    years = promise_years(kommun_code)
    return years[-1] if years else date.today().year


def selection() -> Selection:
    """The selection made by the sidebar in this run (set by dashboard.py)."""
    return st.session_state["selection"]


# -- shared widgets --------------------------------------------------------------------
def plain(text: str) -> str:
    """Escape Markdown so user-entered or fetched text is shown as text, never as markup."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))


def header(title: str, sel: Selection) -> None:
    st.title(title)
    st.caption(f"{sel.kommun.name} ({sel.kommun.code}) · {sel.year}")


def chart(fig: go.Figure) -> None:
    """A plotly figure with its own large-type layout (not Streamlit's theme) and no toolbar."""
    st.plotly_chart(fig, theme=None, width="stretch", config={"displayModeBar": False})


def source_note(text: str) -> None:
    st.caption(f"Källa: {plain(text)}")


def comparison(comp: PeriodComparison) -> None:
    """Three cards (this period, the same period a year earlier, the change) and the verdict."""
    change = comp.change
    prel = " (prel.)" if comp.preliminary else ""
    now, before = ("Helår", "Helår") if comp.label == "helår" else ("Hittills", "Samma period")
    left, middle, right = st.columns(3)
    left.metric(f"{now} {comp.year}{prel}", formats.number(change.current))
    middle.metric(f"{before} {comp.year - 1}", formats.number(change.previous))
    muted = change.small_base or change.percent is None
    delta = None if muted else formats.percent(change.percent)
    neutral = change.surveillance or change.verdict == "inom normal variation"
    right.metric("Förändring", formats.signed(change.absolute), delta=delta,
                 delta_color="off" if neutral else "inverse")  # fmt: skip
    st.markdown(f"**Bedömning:** {change.verdict} (z = {formats.number(change.z, 1)}). {_verdict_help(change)}")
    st.caption(f"Period: {plain(comp.label)}. Källa: {plain(comp.source)}{prel}.")


def _verdict_help(change: Change) -> str:
    notes = ["Förändringar med |z| under 2 ryms i den slumpmässiga variationen mellan år."]
    if change.percent is None:
        notes.append("Ingen procentsats: föregående period hade 0.")
    elif change.small_base:
        notes.append(f"Procent visas inte: underlaget är under 30 ({formats.percent(change.percent)}).")
    if change.surveillance:
        notes.append("Spaningsbrott: en ökning kan betyda mer polisarbete, inte fler brott.")
    return " ".join(notes)


def commitment_table(commitments: tuple[Commitment, ...], tally: dict[int, int]) -> pd.DataFrame:
    """Commitments grouped by owner with target and tally, as text columns for a fixed Swedish look."""
    order = {owner: i for i, owner in enumerate(OWNERS)}
    rows = [
        {
            "Ansvar": c.owner,
            "Åtagande": c.text,
            "Mål": c.target_text(),
            "Utfört hittills": formats.number(tally.get(c.id, 0)) + (f" {c.unit}" if c.unit else ""),
            "Kommentar": c.note,
        }
        for c in sorted(commitments, key=lambda c: order.get(c.owner, 99))
    ]
    return pd.DataFrame(rows)
