"""The one Streamlit layer: cached loaders, the shared sidebar, and small shared widgets."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lofte_data import access, analysis, audit, exports, figures, followup, formats, report, tables, trends
from lofte_data import incidents as lagesbild
from lofte_data.access import Editor
from lofte_data.analysis import Change, PeriodComparison
from lofte_data.crime_types import CRIME_TYPES, KOLADA_KPIS, POPULATION_KPI, is_surveillance, label
from lofte_data.errors import LofteError
from lofte_data.models import OWNERS, TARGET_LABELS, TARGET_TYPES, Commitment, FocusArea, Kommun, Promise
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
def kpi_values(area_codes: tuple[str, ...]) -> pd.DataFrame:
    return store().kpi_values(area_codes, [*KOLADA_KPIS, POPULATION_KPI])


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def dataset(name: str) -> dict | None:
    return store().dataset(name)


def police_area_codes(kommun: Kommun) -> list[str]:
    """The kommuner of the chosen kommun's lokalpolisområde (just the kommun when it has none)."""
    if not kommun.police_area:
        return [kommun.code]
    return [k.code for k in kommuner() if k.police_area == kommun.police_area]


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def places(kommun_code: str) -> pd.DataFrame:
    return store().places(kommun_code)


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def source_titles() -> dict[str, str]:
    return {key: f"{doc.title} ({doc.publisher})" for key, doc in store().source_documents().items()}


# -- sidebar and URL ------------------------------------------------------------------
def sidebar() -> Selection:
    """Kommun and year in the sidebar, kept in the URL as ``?kommun=1960&ar=2023``."""
    known = {k.code: k for k in kommuner()}
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
            given = f"{what} {plain(raw[:40])}, som inte finns" if raw.strip() else f"ett tomt värde för {what}"
            notes.append(f"Länken angav {given}. Visar {plain(shown(default))} i stället.")
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
    years = promise_years(kommun_code)
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
    return st.session_state["selection"]


# -- shared widgets --------------------------------------------------------------------
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
    info = dataset(name)
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
                delta_description=row.verdict + (" · spaningsbrott" if row.surveillance else ""),
                border=True,
            )


# -- editors ------------------------------------------------------------------------------
def _secrets() -> dict:
    """The secrets file as a dict; empty when there is none (the meeting-room default)."""
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:
        return {}


def current_editor() -> Editor | None:
    """The signed-in editor: through OIDC (st.login) when configured, else the password login."""
    table = access.accounts(_secrets())
    if st.user.get("is_logged_in", False):
        return access.editor_for(st.user.get("email"), table, method="oidc")
    return st.session_state.get("editor")


def login_box() -> Editor | None:
    """The sidebar's sign-in and sign-out for editors; viewers can ignore it."""
    secrets = _secrets()
    editor = current_editor()
    box = st.sidebar.container(border=True)
    if editor is not None:
        box.caption(f"Inloggad redaktör: {plain(editor.name)} ({', '.join(sorted(editor.kommuner))})")
        if box.button("Logga ut", key="logout"):
            _logout()
        return editor
    if st.user.get("is_logged_in", False):
        box.warning(f"Kontot {plain(st.user.get('email', ''))} har ingen redaktörsbehörighet.")
        if box.button("Logga ut", key="logout"):
            _logout()
        return None
    with box.expander("Logga in (redaktörer)"):
        if "auth" in secrets:
            if st.button("Logga in med organisationens konto", key="oidc_login"):
                st.login()
        if any(a.password_hash for a in access.accounts(secrets).values()):
            _password_form(secrets)
        elif "auth" not in secrets:
            st.caption("Inloggning är inte uppsatt. Se README, avsnittet Redaktörer.")
    return None


def _password_form(secrets: dict) -> None:
    with st.form("password_login", clear_on_submit=True):
        username = st.text_input("Användarnamn eller e-post")
        password = st.text_input("Lösenord", type="password")
        if st.form_submit_button("Logga in"):
            try:
                st.session_state["editor"] = access.password_login(username, password, access.accounts(secrets))
                st.rerun()
            except access.AccessError as exc:
                st.error(str(exc))


def _logout() -> None:
    st.session_state.pop("editor", None)
    if st.user.get("is_logged_in", False):
        st.logout()  # sends the browser through /auth/logout, which clears the cookie and reloads
    else:
        st.rerun()


def require_editor(kommun: Kommun) -> Editor:
    """Stop an editing page unless an editor of ``kommun`` is signed in (the page is also unregistered
    for viewers; this is the second guard, the editing functions check a third time)."""
    editor = current_editor()
    if editor is None:
        st.error("Den här sidan kräver inloggning som redaktör.")
        st.stop()
    if not editor.may_edit(kommun.code):
        st.info(f"Du är redaktör för {', '.join(sorted(editor.kommuner))}. Välj en av dem i sidomenyn.")
        st.stop()
    return editor


def refresh_data() -> None:
    """After a write: drop cached reads so every page shows the change."""
    st.cache_data.clear()


def saved(message: str) -> None:
    st.toast(message, icon=":material/check_circle:")


def attempt(action: Callable[[], object], *, success: str) -> bool:
    """Run a write; on success clear the caches and say so, on a refused input show the Swedish reason."""
    try:
        action()
    except LofteError as exc:
        st.error(str(exc))
        return False
    refresh_data()
    st.success(success)
    return True


def default_day(year: int) -> date:
    """Today when it lies in ``year``, else the last day of that year."""
    today = date.today()
    return today if today.year == year else date(year, 12, 31)


def commitment_inputs(prefix: str, current: Commitment | None = None) -> dict:
    """The shared inputs of a commitment form."""
    types = list(TARGET_TYPES)
    return {
        "text": st.text_area("Åtagande", value=current.text if current else "", key=f"{prefix}_text"),
        "owner": st.selectbox(
            "Ansvarig", OWNERS, index=OWNERS.index(current.owner) if current else 0, key=f"{prefix}_owner"
        ),
        "target_type": st.selectbox(
            "Måltyp",
            types,
            format_func=TARGET_LABELS.get,
            key=f"{prefix}_type",
            index=types.index(current.target_type) if current else 0,
        ),
        "target_count": st.number_input(
            "Antal (för minst/exakt)",
            min_value=0,
            step=1,
            key=f"{prefix}_count",
            value=(current.target_count or 0) if current else 0,
        ),
        "unit": st.text_input("Enhet, t.ex. kontroller", value=current.unit if current else "", key=f"{prefix}_unit"),
    }


STATUS_COLOURS = {
    "uppnått": "#CCE5F3",
    "på väg": "#D5EFE4",
    "efter plan": "#F8DCCB",
    "ej påbörjad": "#EEEEEE",
    "ingen uppgift": "#FFFFFF",
}


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def comments(commitment_ids: tuple[int, ...]) -> pd.DataFrame:
    return audit.comments(store(), commitment_ids)


def follow_up_table(table: pd.DataFrame) -> None:
    """The follow-up table: tallies per tertial, a progress bar, and the status on a colour that is also a word."""
    view = tables.follow_up(table)
    if presentation_mode():  # an HTML table follows the large type; the interactive grid does not
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
    return view.style.map(lambda s: f"background-color: {STATUS_COLOURS.get(s, '')}", subset=["Status"])


def comment_list(notes: pd.DataFrame) -> None:
    """Comments per commitment and tertial, as plain text."""
    for row in notes.sort_values(["tertial"]).itertuples():
        st.markdown(f"**T{row.tertial}** – {plain(row.text)} *({plain(row.author)}, {formats.day(row.updated_at)})*")


def promise_rows(kommun_codes: list[str], today: date) -> list[dict]:
    """Every promise of the kommuner with its focus areas and status counts, for the overview tables."""
    names = {k.code: k.name for k in kommuner()}
    rows = []
    for code in kommun_codes:
        for year in promise_years(code):
            item = promise(code, year)
            commitments = [c for a in item.focus_areas for c in a.commitments]
            table = followup.follow_up_table(commitments, activities(item.id), year=year, on=today)
            rows.append(
                {
                    "kommun": names[code],
                    "year": year,
                    "title": item.title,
                    "focus_areas": [a.name for a in item.focus_areas],
                    "summary": followup.summary(table["status"]),
                }
            )
    return rows


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
    """One focus area: description, the follow-up table, effort per tertial beside the crime it targets."""
    st.markdown(f"### {number}. {plain(area.name)}")
    if area.description:
        st.markdown(f"**Beskrivning:** {plain(area.description)}")
    if area.cause_analysis:
        st.markdown(f"**Orsaksanalys:** {plain(area.cause_analysis)}")
    if not area.commitments:
        st.info("Inga åtaganden är registrerade för fokusområdet.")
        return
    table = followup.follow_up_table(area.commitments, activities_frame, year=year, on=today)
    st.caption(" · ".join(f"{status.capitalize()} {n}" for status, n in followup.summary(table["status"]).items()))
    follow_up_table(table)
    # Side by side on a screen; stacked in presentation mode, where each chart needs the full width.
    area_notes = notes[notes["commitment_id"].isin([c.id for c in area.commitments])]
    # Effort, then the crime it targets, each at full width: long commitment texts and axis labels need room.
    if table["total"].sum():
        chart(figures.tertial_bars(table, title="Utfört per tertial"))
    comment_list(area_notes)
    linked = yearly[yearly["crime_type"].isin(area.crime_types) & yearly["complete"]]
    if linked.empty:
        st.caption("Brottstyper: " + (", ".join(label(t) for t in area.crime_types) or "inga kopplade"))
        st.caption("Inga årssiffror finns för de kopplade brottstyperna.")
        return
    frame = linked.assign(label=linked["crime_type"].map(label))
    sources = ", ".join(sorted(set(linked["source"])))
    latest = int(linked["year"].max())
    old = f" Senaste inlästa år: {latest}." if latest < year - 1 else ""
    chart(figures.crime_types_by_year(frame, title="Brotten området riktar sig mot", source=f"Källa: {sources}.{old}"))


def crime_summary(sel: Selection) -> None:
    """Reported crime for the kommun: this year so far, the latest full year, and per crime type."""
    stats = crime_stats((sel.kommun.code,))
    ytd = analysis.year_to_date(stats, sel.year)
    full_year = analysis.latest_full_year(stats, sel.year)
    if ytd is not None and ytd.label == "helår":
        ytd = None  # all twelve months are in: the full-year comparison says it once
    if ytd is not None:
        st.markdown("**Hittills i år jämfört med samma period i fjol**")
        comparison(ytd)
    if full_year is not None:
        st.markdown(f"**Senaste hela år: {full_year.year} jämfört med {full_year.year - 1}**")
        comparison(full_year)
    if ytd is None and full_year is None:
        st.info(f"Det finns inga jämförbara siffror om anmälda brott för {sel.kommun.name} till och med {sel.year}.")
    monthly_years = stats.loc[stats["period"].str.startswith("M") & (stats["year"] <= sel.year), "year"]
    if monthly_years.empty:
        return
    last_year = int(monthly_years.max())
    if last_year < sel.year - 1:
        st.warning(
            f"De senaste inlästa månadssiffrorna från Brå gäller {last_year}. Nyare filer läses in under "
            "Importera data.",
            icon=":material/history:",
        )
    by_type = trends.year_on_year_table(stats, last_year, kommun_codes=[sel.kommun.code])
    by_type = by_type[by_type["crime_type"] != "totalt"]
    if not by_type.empty:
        st.markdown(f"**Per brottstyp: {tables.period_heading(by_type['period_label'].iloc[0], last_year)}**")
        change_cards(by_type)
        source = plain(by_type["source"].iloc[0])
        st.caption(f"Källa: {source}. Grå förändring: inom normal variation eller spaningsbrott.")


# -- meeting room -------------------------------------------------------------------------
PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
html { font-size: 22px !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stTable"] td, [data-testid="stTable"] th,
[data-testid="stCaptionContainer"] { font-size: 1.1rem !important; }
.stMainBlockContainer, [data-testid="stMainBlockContainer"] { padding-top: 1.2rem; max-width: 100%; }
[data-testid="stMetricValue"] { font-size: 3rem; }
</style>
"""


def presentation_mode() -> bool:
    """Large type, no sidebar or toolbar: ``?presentation=1`` on any page."""
    return st.query_params.get("presentation") == "1"


def presentation_frame() -> None:
    """Applies the meeting-room look (a fixed style sheet, no user text in it) and offers the way out."""
    st.html(PRESENTATION_CSS)  # style only: Streamlit adds it to the page without a visible element
    if st.button("Avsluta presentationsläge", key="leave_presentation", icon=":material/close_fullscreen:"):
        del st.query_params["presentation"]
        st.rerun()


def view_link() -> None:
    """The address of exactly this view, with a copy button (bottom of the sidebar)."""
    base = st.context.url.split("?")[0] if st.context.url else ""
    query = urlencode({k: v for k, v in st.query_params.to_dict().items()})
    with st.sidebar.expander("Kopiera länk till vyn"):
        st.code(f"{base}?{query}" if query else base, language=None, wrap_lines=True)
        st.caption("Länken öppnar samma kommun, år och val på en annan dator.")
        if st.button("Presentationsläge", icon=":material/slideshow:", key="enter_presentation"):
            st.query_params["presentation"] = "1"
            st.rerun()


@st.cache_data(ttl=CACHE_TTL, show_spinner=False)
def decisions(kommun_code: str) -> pd.DataFrame:
    return store().decisions(kommun_code)


def data_banner() -> None:
    """How far the figures reach, so nobody presents old data as new."""
    parts = []
    for name, what in (("bra", "Brå"), ("polisen", "Polisen"), ("kolada", "Kolada")):
        info = dataset(name)
        if info:
            parts.append(f"{what}: {plain(info['note'])} (inläst {formats.day(info['loaded_at'])})")
    st.caption("Data t.o.m. · " + " · ".join(parts) if parts else "Ingen data är inläst ännu.")


def slide_controls(index: int, count: int, *, title: str) -> None:
    """Previous and next above the slide's title; the slide number lives in the URL (``bild``)."""
    back, where, forward = st.columns([2, 3, 2], vertical_alignment="center")
    if back.button("Föregående", icon=":material/arrow_back:", disabled=index <= 1, key="slide_back", width="stretch"):
        st.query_params["bild"] = str(index - 1)
        st.rerun()
    where.markdown(f"**Bild {index} av {count}**", text_alignment="center")
    if forward.button(
        "Nästa", icon=":material/arrow_forward:", disabled=index >= count, key="slide_next", width="stretch"
    ):
        st.query_params["bild"] = str(index + 1)
        st.rerun()
    st.markdown(f"## {plain(title)}")


def table(frame: pd.DataFrame) -> None:
    """A read-only table: the interactive grid, or in presentation mode an HTML table in large type."""
    if presentation_mode():
        st.table(frame.style.hide(axis="index"))
    else:
        st.dataframe(frame, hide_index=True, width="stretch")


def decision_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Decisions and actions as the meeting reads them."""
    if frame.empty:
        return pd.DataFrame({"Inga beslut eller åtgärder är antecknade ännu.": []})
    return pd.DataFrame(
        {
            "Möte": [formats.day(d) for d in frame["meeting_date"]],
            "Typ": frame["kind"].str.capitalize(),
            "Vad": frame["text"],
            "Vem": frame["owner"],
            "Klart senast": [formats.day(d) if pd.notna(d) else "–" for d in frame["due"]],
            "Klar": [formats.day(d) if pd.notna(d) else "nej" for d in frame["done_at"]],
        }
    )


def decision_form(today: date) -> dict | None:
    """The editor's form for a decision or an action; the fields when submitted."""
    with st.form("decision", clear_on_submit=True):
        kind = st.radio("Typ", ["beslut", "åtgärd"], horizontal=True, format_func=str.capitalize)
        text = st.text_area("Vad")
        owner = st.text_input("Vem (ansvarig för en åtgärd)")
        left, right = st.columns(2)
        meeting_date = left.date_input("Mötesdag", value=today, format="YYYY-MM-DD")
        due = right.date_input("Klart senast", value=None, format="YYYY-MM-DD")
        if st.form_submit_button("Spara anteckning", type="primary"):
            return {"meeting_date": meeting_date, "kind": kind, "text": text, "owner": owner, "due": due}
    return None


def action_done_form(actions: pd.DataFrame, today: date) -> dict | None:
    """Mark an open action as done; the fields when submitted."""
    if actions.empty:
        return None
    labels = {int(r.id): f"{r.text} ({r.owner})" for r in actions.itertuples()}
    with st.form("action_done"):
        chosen = st.selectbox("Öppen åtgärd", list(labels), format_func=labels.get)
        done = st.date_input("Klar den", value=today, format="YYYY-MM-DD")
        if st.form_submit_button("Markera som klar"):
            return {"decision_id": chosen, "done": done}
    return None


def incident_overview(frame: pd.DataFrame) -> None:
    """Weekday x hour and the slots for night walks, for one screen."""
    if frame.empty:
        st.info("Inga händelser under perioden.")
        return
    source = "Källa: Polisen (händelser) och egna rapporter"
    left, right = st.columns([3, 1])
    with left:
        chart(figures.weekday_hour_heatmap(lagesbild.weekday_hour(frame), title="Veckodag och timme", source=source))
    with right:
        st.markdown("**Nattvandring och bevakning**")
        watch = frame[frame["category"].isin(lagesbild.WATCH_DEFAULT)]
        slots = lagesbild.patrol_slots(watch if not watch.empty else frame)
        st.markdown("\n".join(f"- {plain(line)}" for line in slots))


def _seconds_param(name: str, low: int, high: int) -> int | None:
    raw = st.query_params.get(name, "")
    return min(max(int(raw), low), high) if raw.isdigit() else None


def auto_advance(index: int, count: int) -> None:
    """``?auto=60`` moves to the next slide every 60 s; ``?uppdatera=5`` reloads the data every 5 minutes."""
    seconds = _seconds_param("auto", 10, 900)
    minutes = _seconds_param("uppdatera", 1, 120)
    if seconds:
        st.fragment(run_every=seconds)(_advance)(index, count)
    if minutes:
        st.fragment(run_every=minutes * 60)(_reload)()


def _advance(index: int, count: int) -> None:
    key = f"_shown_{index}"
    if st.session_state.get(key):  # a tick after the slide was first drawn
        st.session_state[key] = False
        st.query_params["bild"] = str(index % count + 1)
        st.rerun(scope="app")
    st.session_state[key] = True


def _reload() -> None:
    if st.session_state.get("_reloaded"):
        refresh_data()
        st.session_state["_reloaded"] = False
        st.rerun(scope="app")
    st.session_state["_reloaded"] = True


def report_download(sel: Selection, today: date) -> None:
    """The tertial follow-up report as a PDF, built only when the button is clicked."""
    if promise(sel.kommun.code, sel.year) is None or sel.year > today.year:
        return
    current = followup.tertial_of(today) if sel.year == today.year else 3
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    tertial = left.selectbox("Tertial", [1, 2, 3], index=current - 1, format_func=followup.TERTIALS.get)
    right.download_button(
        "Ladda ned tertialrapporten (PDF)",
        data=lambda: report.build_report(store(), kommun_code=sel.kommun.code, year=sel.year, tertial=tertial),
        file_name=f"uppfoljning-{sel.kommun.code}-{sel.year}-T{tertial}.pdf",
        mime="application/pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
    )


def no_promise_note(sel: Selection) -> None:
    """Says that the year has no promise, and which years do."""
    years = promise_years(sel.kommun.code)
    others = (
        f"Registrerade år: {', '.join(str(y) for y in years)}." if years else "Kommunen har inga registrerade löften."
    )
    st.info(f"Inget medborgarlöfte är registrerat för {sel.kommun.name} {sel.year}. {others}")


def police_effort(sel: Selection, crime_type: str) -> None:
    """For a spaningsbrott, the matching work recorded in the year's promise: a rise may be that work."""
    if not is_surveillance(crime_type):
        return
    item = promise(sel.kommun.code, sel.year)
    if item is None:
        return
    tally = analysis.tallies(activities(item.id))
    related = {crime_type} | (
        {"narkotika", "alkohol_narkotika"} if crime_type in ("narkotika", "alkohol_narkotika") else set()
    )
    lines = [
        f"{formats.number(tally[c.id])} {c.unit or 'st'}: {plain(c.text)}"
        for area in item.focus_areas
        if related & set(area.crime_types)
        for c in area.commitments
        if tally.get(c.id)
    ]
    if lines:
        st.info(
            f"**{label(crime_type)} är ett spaningsbrott.** Registrerad polisaktivitet i löftet {sel.year}: "
            + "; ".join(lines)
            + ". Fler kontroller ger ofta fler anmälda brott.",
            icon=":material/policy:",
        )


def promise_inputs(prefix: str, current: Promise | None, year: int) -> dict:
    """The inputs of a promise form (title, summary, signed date, signatories one per line)."""
    title = st.text_input("Rubrik", value=current.title if current else f"Medborgarlöfte {year}", key=f"{prefix}_t")
    summary = st.text_area(
        "Sammanfattning och gemensam lägesbild", value=current.summary if current else "", key=f"{prefix}_s"
    )
    signed = st.date_input(
        "Undertecknat", value=current.signed_date if current else None, format="YYYY-MM-DD", key=f"{prefix}_d"
    )
    names = st.text_area(
        "Undertecknare (en per rad)", value="\n".join(current.signatories) if current else "", key=f"{prefix}_n"
    )
    return {"title": title, "summary": summary, "signed_date": signed, "signatories": names.splitlines()}


def focus_area_inputs(prefix: str, current: FocusArea | None) -> dict:
    """The inputs of a focus area form."""
    codes = [t.code for t in CRIME_TYPES]
    return {
        "name": st.text_input("Fokusområde", value=current.name if current else "", key=f"{prefix}_name"),
        "description": st.text_area("Beskrivning", value=current.description if current else "", key=f"{prefix}_desc"),
        "cause_analysis": st.text_area(
            "Orsaksanalys", value=current.cause_analysis if current else "", key=f"{prefix}_cause"
        ),
        "crime_types": st.multiselect(
            "Brottstyper som området riktar sig mot",
            codes,
            format_func=label,
            default=list(current.crime_types) if current else [],
            key=f"{prefix}_types",
        ),
    }


def stale_notice(name: str, *, what: str, days: int = 2) -> None:
    """Say so when a fetched dataset is older than ``days``: the archive is shown, not live data."""
    info = dataset(name)
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


def form_key(kind: str, record: object) -> str:
    """A widget-key prefix that changes when the stored record changes (an edit elsewhere, an undo),
    so an edit form never shows values left over from before."""
    return f"edit-{kind}-{abs(hash(record))}"


def stay_on_last_slide(message: str) -> None:
    """After a note is saved the deck can grow (open actions come first): stay on the notes, the last slide."""
    st.toast(message, icon=":material/check_circle:")
    st.query_params["bild"] = "sista"
    st.rerun()
