"""The public page (streamlit): its frame (no app chrome when embedded), the cached content and its sections.

The page is the one most people open, so it reads one cached object per kommun, year and day, built from the
cached loaders: no database work per viewer beyond them.
"""

from __future__ import annotations

import html
from datetime import date
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from lofte_data import figures, formats, public
from lofte_data.ui import loaders, widgets

URL_PATH = "allmanhet"
_ROUTED = "_public_frame"

# Embedded (?embed=true): nothing of the app's frame. Streamlit already drops its toolbar in embed mode;
# the navigation is hidden by the router; this removes what could remain. A fixed style sheet, no user text.
EMBED_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
.stMainBlockContainer, [data-testid="stMainBlockContainer"] { padding-top: 1rem; }
</style>
"""
# Readable for everyone: lines no longer than a page, body text at 1.05rem, dark table headers, tables that
# wrap, links underlined (not told by colour alone) and a clearly visible keyboard focus.
PUBLIC_CSS = """
<style>
.stMainBlockContainer, [data-testid="stMainBlockContainer"] { max-width: 62rem; }
[data-testid="stMarkdownContainer"] p, [data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1.05rem; }
[data-testid="stTable"] th { color: #1f1f1f; font-weight: 600; }
[data-testid="stTable"] td { white-space: normal; }
[data-testid="stMarkdownContainer"] a, [data-testid="stPageLink-NavLink"] span { text-decoration: underline; }
.public-years { font-size: 1.05rem; } .public-years a { color: #0b5cad; text-decoration: underline; }
a:focus-visible, button:focus-visible { outline: 3px solid #0b5cad !important; outline-offset: 2px; }
</style>
"""


def embedded() -> bool:
    """Opened inside the kommun's website: Streamlit's own ``?embed=true`` (README, Beslut)."""
    return bool(st.context.is_embedded)


def frame() -> None:
    """Called by the router before the public page runs: the page's own look, and none of the app's frame
    when embedded."""
    st.session_state[_ROUTED] = True
    st.html(PUBLIC_CSS + (EMBED_CSS if embedded() else ""))


def ensure_routed() -> None:
    """A fresh server opened on this page first runs it in Streamlit's legacy pages/ mode, without the
    router; leave that mode and run again through dashboard.py (as state.selection does)."""
    if _ROUTED not in st.session_state:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()


def request(today: date) -> public.Request:
    """The kommun and year of the link; the notes say what was replaced. The address then names exactly the
    view shown, so it can be copied and shared."""
    asked = public.parse_request(
        st.query_params.get("kommun"), st.query_params.get("ar"), loaders.kommuner(), today=today
    )
    for name, value in (("kommun", asked.kommun.code), ("ar", str(asked.year))):
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    return asked


def title(page: public.Page) -> str:
    """The page's heading: the published record's own title ("Medborgarlöfte 2023", or "Trygghetsinsatser 2021"
    where the source holds no promise), else the year's promise that is not (yet) there."""
    name = page.title if page.state == "published" and page.title else f"Medborgarlöfte {page.year}"
    return f"{widgets.plain(name)}: {page.kommun.name}"


def link_notes(asked: public.Request) -> None:
    """What the link asked for that could not be shown; its text escaped (it comes from the address)."""
    for note in asked.notes:
        st.warning(widgets.plain(note), icon=":material/info:")


@st.cache_data(ttl=loaders.CACHE_TTL, show_spinner=False, max_entries=2000)
def content(kommun_code: str, year: int, today: date) -> public.Page:
    """The page's content, shared by every viewer of the same kommun, year and day."""
    kommun = next(k for k in loaders.kommuner() if k.code == kommun_code)
    years = [y for y in loaders.promise_years(kommun_code) if loaders.promise(kommun_code, y).published]
    promise = loaders.promise(kommun_code, year)
    visible = promise is not None and promise.published
    return public.build_page(
        kommun,
        year,
        promise=promise,
        published_years=years,
        activities=loaders.activities(promise.id) if visible else pd.DataFrame(),
        stats=loaders.crime_stats((kommun_code,)) if visible else pd.DataFrame(),
        source_title=loaders.source_titles().get(promise.source_key or "", "") if visible else "",
        today=today,
    )


def year_links(page: public.Page) -> None:
    """Links to the kommun's other published years: plain links in the same tab (keyboard and screen readers),
    and embedded links stay embedded. No user text in the markup: a kommun code from the list and years."""
    others = [y for y in page.published_years if y != page.year]
    if not others:
        return
    extra = {"embed": "true"} if embedded() else {}
    links = " · ".join(
        f'<a href="./{URL_PATH}?{html.escape(urlencode({"kommun": page.kommun.code, "ar": y, **extra}))}">{y}</a>'
        for y in others
    )
    st.html(
        f'<nav aria-label="Andra år"><p class="public-years">Andra år med publicerad uppföljning: {links}</p></nav>'
    )


def introduction(page: public.Page) -> None:
    st.markdown(
        f"Kommunen och Polisen i {widgets.plain(page.kommun.name)} lovar varje år invånarna att arbeta med några "
        "utvalda problem. Här ser du vad som lovades, hur mycket som har gjorts och hur de anmälda brotten som "
        "löftet riktar sig mot har utvecklats."
    )
    if page.summary:
        st.markdown(widgets.plain(page.summary))
    if page.signed:
        st.markdown(widgets.plain(page.signed))
    st.markdown(f"**Läget bedöms {formats.day(page.judged_on)}.** {public.STATUS_HELP}")


def focus_area(area: public.Area) -> None:
    """One focus area: what was promised and done, then the crime it targets as a chart with its table."""
    st.header(f"{area.number}. {widgets.plain(area.name)}", anchor=f"fokus-{area.number}")
    if area.description:
        st.markdown(widgets.plain(area.description))
    st.subheader("Vad som lovades och vad som har gjorts", anchor=f"gjort-{area.number}")
    st.markdown(widgets.plain(area.status_line))
    if not area.commitments.empty:
        _table(area.commitments)
    st.subheader("Brotten som fokusområdet riktar sig mot", anchor=f"brott-{area.number}")
    if area.trend is None:
        types = ", ".join(area.crime_labels) or "inga brottstyper är kopplade"
        st.markdown(f"Det finns inga årssiffror om anmälda brott för fokusområdet ({widgets.plain(types)}).")
        return
    for sentence in area.trend.sentences:
        st.markdown(widgets.plain(sentence))
    fig = figures.crime_types_by_year(area.trend.chart, title="", source=f"Källa: {area.trend.source}.")
    fig.update_layout(title=None, margin={"t": 60})  # the heading above names it; a phone needs the room
    widgets.chart(fig)
    st.markdown("Siffrorna i diagrammet:")
    _table(area.trend.table)
    st.markdown(f"Källa: {widgets.plain(area.trend.source)}.")


def sources(page: public.Page) -> None:
    st.header("Om uppgifterna", anchor="om-uppgifterna")
    document = f"Löftet och åtagandena: {widgets.plain(page.source)}. " if page.source else ""
    st.markdown(
        f"{document}Utfört är antalet aktiviteter som kommunen och Polisen har redovisat. Statusen räknas fram på "
        "samma sätt för alla åtaganden. Anmälda brott: Brå. En förändring bedöms mot den slumpmässiga variationen "
        "mellan år; procent visas inte när underlaget är litet (färre än 30)."
    )


def _table(frame: pd.DataFrame) -> None:
    """A real HTML table (read by screen readers, unlike the canvas grid); cells escaped: st.table reads Markdown."""
    st.table(frame.map(widgets.plain).style.hide(axis="index"))
