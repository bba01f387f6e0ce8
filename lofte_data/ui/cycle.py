"""The tertial cycle on screen (streamlit): "Sedan förra mötet", charts with their notes, the notes form and list,
and the freeze / sign / unfreeze panel of the editor page Tertialuppföljning with the line viewers read about a
frozen tertial."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go
import streamlit as st

from lofte_data import cycle, editing, figures, formats, signoff
from lofte_data.access import PARTIES, Editor
from lofte_data.crime_types import CRIME_TYPES
from lofte_data.followup import TERTIALS, tertial_bounds
from lofte_data.ui import loaders, widgets
from lofte_data.ui.state import Selection

FLASH = "cycle_flash"
SINCE_PARAM = "sedan"  # ?sedan=2023-05-10: the editor's own date of the previous meeting, kept in the link


# -- Sedan förra mötet -------------------------------------------------------------------------------------------


def chosen_since() -> date | None:
    """The previous meeting's date given in the address (``sedan=ÅÅÅÅ-MM-DD``), None when absent or malformed."""
    raw = st.query_params.get(SINCE_PARAM)
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        st.warning(f"Länken angav sedan={widgets.plain(raw[:20])}, som inte är ett datum. Visar sedan förra mötet.")
        return None


# On a page, the first lines of each kind; the rest (a big kommun logs hundreds of activities) folded under them.
PAGE_LINES_PER_KIND = 12


def since_last_meeting(
    sel: Selection, *, today: date | None = None, per_kind: int | None = None
) -> cycle.SinceLastMeeting:
    """The change list since the previous meeting, as lines linking to their views (the first slide of the deck);
    ``per_kind`` caps the lines of each kind (a slide fits one screen), the rest counted on one line. On a page the
    first PAGE_LINES_PER_KIND lines of a kind are shown and the rest folded under them."""
    result = loaders.since_last_meeting(sel.kommun.code, sel.year, today or date.today(), chosen_since())
    span = f"Räknat från {formats.day(result.since)} ({widgets.plain(result.basis)}) till {formats.day(result.today)}."
    if per_kind:  # a slide: its title says what this is; the heading joins the caption to save a line
        st.caption(f"{widgets.plain(result.heading)}. {span}")
    else:
        st.subheader(result.heading)
        st.caption(span)
    if not result.lines:
        st.info(result.empty_text)
        return result
    for kind in cycle.KIND_ORDER:
        lines = [line for line in result.lines if line.kind == kind]
        if not lines:
            continue
        shown = lines[: per_kind or PAGE_LINES_PER_KIND]
        items = _items(shown)
        if per_kind and len(lines) > len(shown):
            items.append(f"- och {len(lines) - len(shown)} till (hela listan på sidan Möte)")
        st.markdown(f"**{widgets.plain(kind)}**\n\n" + "\n".join(items))
        if not per_kind and len(lines) > len(shown):
            with st.expander(f"Visa {len(lines) - len(shown)} till ({len(lines)} i allt)"):
                st.markdown("\n".join(_items(lines[len(shown) :])))
    return result


def _items(lines: Sequence[cycle.Line]) -> list[str]:
    return [f"- {widgets.plain(line.text)} · [visa]({line.link})" for line in lines]


# -- notes on the charts ---------------------------------------------------------------------------------------------


@st.cache_data(ttl=loaders.CACHE_TTL, show_spinner=False)
def notes(kommun_code: str) -> list[cycle.Note]:
    """The kommun's notes on the charts (cached; cleared after every write)."""
    return cycle.notes_from(loaders.store().annotations(kommun_code))


def chart_with_notes(fig: go.Figure, chart_notes: Sequence[cycle.Note], *, fit: str | None = None) -> list[str]:
    """A chart with a numbered marker per note in its range and the numbered footnotes below it."""
    annotated, footnotes = figures.annotate(fig, chart_notes)
    widgets.chart(annotated, fit=fit, footnotes=footnotes)
    return footnotes


def _targets(sel: Selection) -> dict[str, tuple[str | None, int | None]]:
    """What a note can be about: every chart, one crime type, or one focus area of the year's promise."""
    options: dict[str, tuple[str | None, int | None]] = {"Alla diagram för kommunen": (None, None)}
    options |= {f"Brottstyp: {t.label}": (t.code, None) for t in CRIME_TYPES}
    promise = loaders.promise(sel.kommun.code, sel.year)
    if promise is not None:
        options |= {f"Fokusområde {sel.year}: {a.name}": (None, a.id) for a in promise.focus_areas}
    return options


def annotations_form(sel: Selection, editor: Editor) -> None:
    """The form for a new note on the charts."""
    targets = _targets(sel)
    with st.form("annotation", clear_on_submit=True):
        day = st.date_input("Datum", value=widgets.default_day(sel.year), format="YYYY-MM-DD")
        month_only = st.checkbox("Gäller hela månaden")
        about = st.selectbox("Gäller", list(targets))
        text = st.text_input(
            "Notering", max_chars=editing.LIMITS["notering"], placeholder="Hundsök på Kung Karls skola"
        )
        if st.form_submit_button("Spara notering"):
            crime_type, focus_area_id = targets[about]
            widgets.attempt(
                lambda: editing.add_annotation(
                    loaders.store(),
                    editor,
                    kommun_code=sel.kommun.code,
                    day=day,
                    text=text,
                    month_only=month_only,
                    crime_type=crime_type,
                    focus_area_id=focus_area_id,
                ),
                success="Noteringen är sparad. Den visas i diagrammen som täcker datumet.",
            )


def annotation_list(sel: Selection, editor: Editor | None = None) -> None:
    """The kommun's notes; an editor can remove one (undo under Historik)."""
    found = notes(sel.kommun.code)
    if not found:
        st.info("Inga noteringar för kommunen ännu.")
        return
    areas = {}
    promise = loaders.promise(sel.kommun.code, sel.year)
    if promise is not None:
        areas = {a.id: a.name for a in promise.focus_areas}
    rows = [
        {
            "Datum": n.when,
            "Gäller": areas.get(n.focus_area_id, n.about) if n.focus_area_id else n.about,
            "Notering": n.text,
        }
        for n in found
    ]
    st.dataframe(rows, hide_index=True, placeholder="–", width="stretch")
    if editor is None:
        return
    choices = {f"{n.when}: {n.text}": n.id for n in found}
    chosen = st.selectbox("Ta bort notering", list(choices), index=None, placeholder="Välj en notering")
    if st.button("Ta bort", key="annotation_delete") and chosen:
        note_id = choices[chosen]
        if note_id is not None:
            widgets.attempt(
                lambda: editing.delete_annotation(loaders.store(), editor, note_id), success=f"Borttagen: {chosen}"
            )


# -- freeze, sign, unfreeze ------------------------------------------------------------------------------------------


def frozen_lines(kommun_code: str, year: int) -> list[str]:
    """A Markdown line per frozen tertial of the year: frozen when, signed by whom, or whose signature it awaits."""
    return [f":material/lock: {widgets.plain(line)}" for line in loaders.frozen_texts(kommun_code, year)]


def frozen_note(kommun_code: str, year: int) -> None:
    """The frozen tertials of the year, one short line each (nothing while every tertial is open)."""
    lines = frozen_lines(kommun_code, year)
    if lines:
        st.caption("  \n".join(lines))


def _act(action: object, message: str) -> None:
    """Run a write; on success keep the message across the rerun that shows the new state."""
    if widgets.attempt(action, success=message):  # type: ignore[arg-type]
        st.session_state[FLASH] = message
        st.rerun()


def freeze_panel(sel: Selection, editor: Editor) -> None:
    """Each tertial of the year: open, frozen, signed by Polisen / Kommunen / both; freeze, sign, unfreeze."""
    if FLASH in st.session_state:
        st.success(st.session_state.pop(FLASH))
    store = loaders.store()
    if store.promise_id(sel.kommun.code, sel.year) is None:
        st.info(f"Det finns inget medborgarlöfte för {sel.year}.")
        return
    party = editor.party or "ingen part angiven (kan frysa men inte underteckna)"
    st.caption(f"Du undertecknar som: {widgets.plain(party)}.")
    for state in signoff.states(store, sel.kommun.code, sel.year):
        with st.container(border=True):
            _tertial(sel, editor, state)


def _tertial(sel: Selection, editor: Editor, state: signoff.TertialState) -> None:
    t, store = state.tertial, loaders.store()
    st.markdown(f"**{TERTIALS[t]} {sel.year}: {state.label}**")
    if state.row is None:
        last = tertial_bounds(sel.year, t)[1]
        if date.today() < last:
            st.caption(f"Kan frysas från {formats.day(last)}.")
        elif st.button(f"Frys T{t}", key=f"freeze_{t}"):
            _act(
                lambda: signoff.freeze(
                    store, editor, kommun_code=sel.kommun.code, year=sel.year, tertial=t, today=date.today()
                ),
                f"T{t} är fryst. Nu behövs underskrift för Polisen och för Kommunen.",
            )
        return
    row = state.row
    st.caption(f"Fryst {formats.day(row['frozen_at'])} av {widgets.plain(row['frozen_by'])}.")
    for party in PARTIES:
        who = state.signed_by(party)
        when = row.get(f"signed_{party.casefold()}_at")
        st.markdown(
            f"- {party}: undertecknat av {widgets.plain(who)} {formats.day(when)}"
            if who
            else f"- {party}: ej undertecknat"
        )
    if editor.party in PARTIES and not state.signed_by(editor.party):
        if st.button(f"Underteckna för {editor.party}", key=f"sign_{t}", type="primary"):
            _act(lambda: signoff.sign(store, editor, frozen_id=row["id"]), f"T{t} är undertecknat för {editor.party}.")
    _unfreeze(editor, state)
    _changed(state)


def _unfreeze(editor: Editor, state: signoff.TertialState) -> None:
    row, t = state.row or {}, state.tertial
    asked = [p for p in PARTIES if state.unfreeze_asked_by(p)]
    if asked:
        st.caption(f"Upplåsning begärd av {', '.join(asked)}: {widgets.plain(row.get('unfreeze_reason', ''))}")
    if editor.party not in PARTIES or editor.party in asked:
        return
    with st.expander(f"Lås upp T{t} (kräver båda parter)"):
        with st.form(f"unfreeze_{t}", clear_on_submit=True):
            reason = st.text_input("Skäl", max_chars=editing.LIMITS["text"])
            label = "Lås upp" if asked else "Begär upplåsning"
            if st.form_submit_button(label):
                _act(
                    lambda: signoff.unfreeze(loaders.store(), editor, frozen_id=row["id"], reason=reason),
                    f"T{t} är upplåst." if asked else f"Upplåsning av T{t} begärd; nu krävs den andra parten.",
                )


def _changed(state: signoff.TertialState) -> None:
    """Later edits of the promise, logged after the freeze."""
    changed = signoff.changed_since(loaders.store(), state)
    if changed.empty:
        st.caption("Inget i löftet är ändrat sedan frysningen.")
        return
    st.markdown(f"Ändrat sedan frysningen ({len(changed)}):")
    st.dataframe(
        changed.assign(at=[formats.day(a) for a in changed["at"]]).rename(
            columns={"at": "Datum", "actor": "Vem", "action": "Händelse", "entity": "Vad", "summary": "Beskrivning"}
        ),
        hide_index=True,
        width="stretch",
    )
