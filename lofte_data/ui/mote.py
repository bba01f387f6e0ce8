"""Meeting-room widgets (streamlit): presentation mode, slide controls, decisions, auto-advance, the PDF."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from lofte_data import editing, figures, followup, formats, meeting, report
from lofte_data import incidents as lagesbild
from lofte_data.models import Promise
from lofte_data.ui import cycle, loaders, sections, state, widgets

PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
/* The type follows the screen: 22 px on a 1920x1080 projector, 17 px (still above the page's 16) at 1280x720. */
html { font-size: clamp(17px, min(2.05vh, 1.15vw), 26px) !important; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stTable"] td, [data-testid="stTable"] th,
[data-testid="stCaptionContainer"] { font-size: 1.1rem !important; }
[data-testid="stTable"] td, [data-testid="stTable"] th { padding: 0.25rem 0.5rem !important; line-height: 1.3; }
/* Headline numbers: larger than on the page (the rule above would otherwise shrink their text to 1.1rem). */
[data-testid="stMetricValue"], [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p {
    font-size: 3rem !important; line-height: 1.15 !important;
}
/* Little padding: a slide is one screen, Streamlit's 6rem/10rem around the page would push it past the fold. */
.stMainBlockContainer, [data-testid="stMainBlockContainer"] {
    padding: 0.7rem 1.5rem 0.5rem !important; max-width: 100%;
}
.st-key-leave_presentation { position: fixed; right: 0.6rem; bottom: 0.4rem; z-index: 999990; width: auto !important;
    opacity: 0.75; }
.st-key-leave_presentation button { min-height: 0; padding: 0.1rem 0.6rem; }
.st-key-leave_presentation [data-testid="stMarkdownContainer"] p { font-size: 0.75rem !important; }
.st-key-data_banner [data-testid="stCaptionContainer"],
.st-key-data_banner [data-testid="stCaptionContainer"] p { font-size: 0.85rem !important; }
.st-key-slide_controls h3 { padding: 0 !important; font-size: 1.6rem !important; }
.st-key-slide_controls [data-testid="stMarkdownContainer"] p { font-size: 0.95rem !important; }
</style>
"""


def presentation_frame() -> None:
    """Applies the meeting-room look (a fixed style sheet, no user text in it) and offers the way out, small in
    a corner so the slide keeps the screen."""
    st.html(PRESENTATION_CSS)  # style only: Streamlit adds it to the page without a visible element
    if st.button("Avsluta presentationsläge", key="leave_presentation", icon=":material/close_fullscreen:"):
        del st.query_params["presentation"]
        st.rerun()


BANNER_LINE_REM = 1.45  # one line of the banner's caption (0.85 rem type, see PRESENTATION_CSS)


def data_banner(kommun_code: str) -> None:
    """How far each source reaches for the kommun, so nobody presents old data as new (one line under the slide),
    and a line per frozen tertial of the year shown, so the room knows the follow-up is locked and signed."""
    frozen = cycle.frozen_lines(kommun_code, state.selection().year)
    with st.container(key="data_banner"):
        widgets.data_line(kommun_code, more=frozen)
    if frozen:  # a fixed style sheet with a number only: every chart on the slide leaves room for these lines
        st.html(f"<style>:root {{{widgets.BANNER_EXTRA}: {BANNER_LINE_REM * len(frozen)}rem;}}</style>")


def slide_controls(index: int, count: int, *, title: str, context: str) -> None:
    """Previous, the slide's number and title, next: one row; the slide number lives in the URL (``bild``).
    ``context`` (kommun and year) goes on the small line with the number, so the title keeps to one line."""
    with st.container(key="slide_controls"):
        back, where, forward = st.columns([1.7, 6, 1.7], vertical_alignment="center")  # "← Föregående" whole at 1280 px
    if back.button("Föregående", icon=":material/arrow_back:", disabled=index <= 1, key="slide_back", width="stretch"):
        st.query_params["bild"] = str(index - 1)
        st.rerun()
    where.markdown(f"**{widgets.plain(context)} · Bild {index} av {count}**", text_alignment="center")
    where.markdown(f"### {widgets.plain(title)}", text_alignment="center")
    if forward.button(
        "Nästa", icon=":material/arrow_forward:", disabled=index >= count, key="slide_next", width="stretch"
    ):
        st.query_params["bild"] = str(index + 1)
        st.rerun()


NO_DECISIONS = "Inga beslut eller åtgärder är antecknade ännu."


def decision_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Decisions and actions as the meeting reads them (no rows when there are none)."""
    if frame.empty:
        return pd.DataFrame(columns=["Möte", "Typ", "Vad", "Vem", "Klart senast", "Klar"])
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
        kind = st.radio("Typ", list(editing.DecisionKind), horizontal=True, format_func=str.capitalize)
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


def lagesbild_slide(frame: pd.DataFrame, span: lagesbild.Period) -> None:
    """The incidents of the period: how many, weekday x hour and the slots for night walks, on one screen."""
    st.markdown(
        f"**{formats.count(len(frame), 'händelse', 'händelser')}, {span.label()}.** "
        "Polisens händelser är pressmeddelanden, inte brottsstatistik."
    )
    incident_overview(frame)


def incident_overview(frame: pd.DataFrame) -> None:
    """Weekday x hour and the slots for night walks, for one screen."""
    if frame.empty:
        st.info("Inga händelser under perioden.")
        return
    source = "Källa: Polisen (händelser) och egna rapporter"
    left, right = st.columns([3, 1])
    with left:
        widgets.chart(
            figures.weekday_hour_heatmap(lagesbild.weekday_hour(frame), title="Veckodag och timme", source=source),
            fit="slide_with_heading",
        )
    with right:
        st.markdown("**Nattvandring och bevakning**")
        # The same slots as the lägesbild PDF: only what night walks and guards can act on, and the slide says so.
        slots = lagesbild.patrol_slots(frame[frame["category"].isin(lagesbild.WATCH_DEFAULT)])
        st.caption(f"Flest händelser {lagesbild.NIGHT_HOURS_TEXT} {lagesbild.WATCH_TEXT}:")
        st.markdown("\n".join(f"- {widgets.plain(line)}" for line in slots) or "Inga sådana händelser under perioden.")


def focus_slide(slide: meeting.Slide, promise: Promise, sel: state.Selection, today: date) -> None:
    """One slide of a focus area: its follow-up table (a share of the rows), or its charts."""
    area = next(a for a in promise.focus_areas if a.id == slide.focus_area_id)
    on = followup.assessment_date(sel.year, today)
    table = loaders.follow_up_tables(sel.kommun.code, sel.year, on)[area.id]
    if slide.kind == "fokus":
        sections.focus_area_table(area, promise.focus_areas.index(area) + 1, table, rows=slide.rows, heading=False)
        return
    notes = loaders.comments(tuple(c.id for c in area.commitments))
    sections.focus_area_charts(area, table, kommun_code=sel.kommun.code, notes=notes, slide=True)


def _seconds_param(name: str, low: int, high: int) -> int | None:
    raw = st.query_params.get(name, "")
    # Strict: str.isdigit() is also true for "٣" and "²" (int("²") raises), and a 5 000-digit value would too.
    return min(max(int(raw), low), high) if raw.isascii() and raw.isdigit() and len(raw) <= 6 else None


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
        loaders.refresh_data()
        st.session_state["_reloaded"] = False
        st.rerun(scope="app")
    st.session_state["_reloaded"] = True


def report_download(sel: state.Selection, today: date) -> None:
    """The tertial follow-up report as a PDF, built only when the button is clicked."""
    if loaders.promise(sel.kommun.code, sel.year) is None or sel.year > today.year:
        return
    current = followup.tertial_of(today) if sel.year == today.year else 3
    cycle.frozen_note(sel.kommun.code, sel.year)
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    tertial = left.selectbox("Tertial", [1, 2, 3], index=current - 1, format_func=followup.TERTIALS.get)
    right.download_button(
        "Ladda ned tertialrapporten (PDF)",
        data=lambda: report.build_report(loaders.store(), kommun_code=sel.kommun.code, year=sel.year, tertial=tertial),
        file_name=f"uppfoljning-{sel.kommun.code}-{sel.year}-T{tertial}.pdf",
        mime="application/pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
    )


def stay_on_last_slide(message: str) -> None:
    """After a note is saved the deck can grow (open actions come first): stay on the notes, the last slide."""
    st.toast(message, icon=":material/check_circle:")
    st.query_params["bild"] = "sista"
    st.rerun()
