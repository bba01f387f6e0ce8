"""URL state and the sidebar (streamlit): the kommun and year, choices kept in the address, the view link."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from lofte_data.models import Kommun
from lofte_data.ui import loaders, widgets

DEFAULT_KOMMUN = "1960"


FIRST_YEAR = 2013


@dataclass(frozen=True)
class Selection:
    """What the viewer chose in the sidebar: a kommun and a year."""

    kommun: Kommun
    year: int


def sidebar() -> Selection:
    """Kommun and year in the sidebar, kept in the URL as ``?kommun=1960&ar=2023``."""
    loaders.drop_stale_caches()  # first in every run: another process may have written
    known = {k.code: k for k in loaders.kommuner()}
    notes: list[str] = []
    code = _from_url("kommun", list(known), _default_kommun(known), notes, "kommun", lambda c: known[c].name)
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


def _from_url(
    name: str, options: list, default: object, notes: list[str], what: str, shown: Callable[[object], str] = str
) -> object:
    """Put the URL's value into the widget state when the URL changed from outside (a link was opened);
    otherwise the widget keeps what the viewer chose. Unknown values fall back to ``default`` with a note."""
    raw = st.query_params.get(name)
    by_text = {str(o): o for o in options}
    if raw is not None and raw != st.session_state.get(f"_url_{name}"):
        if raw in by_text:
            st.session_state[name] = by_text[raw]
        else:
            st.session_state[name] = default
            given = f"{what} {widgets.plain(raw[:40])}, som inte finns" if raw.strip() else f"ett tomt värde för {what}"
            notes.append(f"Länken angav {given}. Visar {widgets.plain(shown(default))} i stället.")
    elif st.session_state.get(name) not in options:
        st.session_state[name] = default
    return st.session_state[name]


def _to_url(**values: str) -> None:
    """Write values into the URL, only those that changed (every write is a browser history entry)."""
    for name, value in values.items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value
        st.session_state[f"_url_{name}"] = value


def url_choice(label: str, options: list, *, key: str, default: object, radio: bool = False, **kwargs) -> object:
    """A selectbox (or horizontal radio) whose value lives in the URL under ``key``."""
    notes: list[str] = []
    _from_url(key, options, default, notes, label.lower(), kwargs.get("format_func", str))
    widget = st.radio if radio else st.selectbox
    extra = {"horizontal": True} if radio else {}
    value = widget(label, options, key=key, **extra, **kwargs)
    _to_url(**{key: str(value)})
    for note in notes:
        st.warning(note, icon="ℹ️")
    return value


def url_multi(label: str, options: list[str], *, key: str, default: list[str]) -> list[str]:
    """A multiselect whose values live in the URL under ``key`` (joined with ";"); unknown values are dropped."""
    raw = st.query_params.get(key)
    if raw is not None and raw != st.session_state.get(f"_url_{key}"):
        st.session_state[key] = [v for v in raw.split(";") if v in options] if raw else []
    elif key not in st.session_state:
        st.session_state[key] = [v for v in default if v in options]
    st.session_state[key] = [v for v in st.session_state[key] if v in options]
    values = st.multiselect(label, options, key=key, placeholder="Alla")
    _to_url(**{key: ";".join(values)})
    return values


def _default_kommun(known: dict[str, Kommun]) -> str:
    return DEFAULT_KOMMUN if DEFAULT_KOMMUN in known else next(iter(known))


def _default_year(kommun_code: str) -> int:
    years = loaders.promise_years(kommun_code)
    return years[-1] if years else date.today().year


def selection() -> Selection:
    """The selection made by the sidebar in this run (set by dashboard.py).

    The very first run of a fresh server opened on a sub-page goes through Streamlit's legacy
    pages/ folder mode, which runs the page without dashboard.py (Streamlit leaves that mode only
    once dashboard.py has called st.navigation). Leave it here and rerun through the router.
    """
    if "selection" not in st.session_state:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()
    loaders.drop_stale_caches()  # again for a page run on its own (AppTest's switch_page); cheap when current
    return st.session_state["selection"]


def view_link(slot: DeltaGenerator) -> None:
    """The address of exactly this view, with a copy button, in ``slot`` (bottom of the sidebar). Call it after
    the page has run: the page writes its own choices (crime type, measure, slide) into the URL as it runs."""
    base = st.context.url.split("?")[0] if st.context.url else ""
    query = urlencode({k: v for k, v in st.query_params.to_dict().items()})
    with slot.expander("Kopiera länk till vyn"):
        st.code(f"{base}?{query}" if query else base, language=None, wrap_lines=True)
        st.caption("Länken öppnar samma kommun, år och val på en annan dator.")
        if st.button("Presentationsläge", icon=":material/slideshow:", key="enter_presentation"):
            st.query_params["presentation"] = "1"
            st.rerun()
