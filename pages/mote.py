"""Möte: the lokalt BRÅ meeting, one topic per screen: open actions, lägesbild, crime, each focus area, decisions."""

from datetime import date

import streamlit as st

from lofte_data import editing, incidents, meeting
from lofte_data.ui import cycle, lagesbild_dokument, loaders, mote, sections, signin, state, widgets

sel = state.selection()
code, today = sel.kommun.code, date.today()
presenting = widgets.presentation_mode()
if not presenting:
    widgets.header("Möte", sel)
# What the deck is built from; a part that cannot be read says so, and its slide stays in to say it again.
promise = widgets.read("Medborgarlöfte", lambda: loaders.promise(code, sel.year), otherwise=None)
actions = widgets.read("Öppna åtgärder", lambda: meeting.open_actions(loaders.decisions(code)), otherwise=None)
span = incidents.period("30d" if sel.year == today.year else "ar", year=sel.year, today=today)


def recent_incidents():  # for the deck and the lägesbild slide (the read is cached)
    return incidents.select(loaders.incidents(code, span.start, span.end), span)


recent = widgets.read("Lägesbild", recent_incidents, otherwise=None)
deck = meeting.slides(
    promise,
    open_action_count=1 if actions is None else len(actions),
    has_incidents=recent is None or not recent.empty,
    has_crime_types=widgets.read("Anmälda brott per brottstyp", lambda: sections.has_crime_types(sel), otherwise=True),
    has_trygghet=widgets.read("Trygghet", lambda: sections.has_trygghet(sel), otherwise=True),
)
if not presenting:
    st.write("Presentationen följer mötets ordning, ett ämne per bild. Bläddra med knapparna; länken visar var ni är.")
    if recent is not None and recent.empty:
        st.caption(f"Ingen lägesbild i presentationen: Polisen och egna rapporter har inga händelser {span.label()}.")
    if st.button("Starta presentationen", type="primary", icon=":material/slideshow:"):
        st.query_params.update(presentation="1", bild="1")
        st.rerun()
    with widgets.section("Tertialrapport"):
        mote.report_download(sel, today)
    lagesbild_dokument.download(sel, today)

index = meeting.slide_index(st.query_params.get("bild"), len(deck))
slide = deck[index - 1]
if st.query_params.get("bild") != str(index):
    st.query_params["bild"] = str(index)

context = " · ".join(part for part in (f"{sel.kommun.name} {sel.year}", slide.part_label()) if part)
mote.slide_controls(index, len(deck), title=slide.title, context=context)

with widgets.section(slide.title):  # the slide reads its own data: one that fails says so, the deck goes on
    if slide.kind == "sedan":
        cycle.since_last_meeting(sel, per_kind=2 if presenting else None)
    elif slide.kind == "atgarder":
        widgets.table(mote.decision_table(meeting.open_actions(loaders.decisions(code))), empty=mote.NO_DECISIONS)
    elif slide.kind == "lagesbild":
        mote.lagesbild_slide(recent_incidents(), span)
    elif slide.kind == "brott":
        sections.crime_totals(sel)
    elif slide.kind == "brott_typer":
        sections.crime_by_type(sel)
    elif slide.kind == "trygghet":
        sections.trygghet(sel, fit="slide")
    elif slide.kind in ("fokus", "fokus_diagram"):
        mote.focus_slide(slide, promise, sel, today)
    else:
        decisions = loaders.decisions(code)
        widgets.table(mote.decision_table(decisions), empty=mote.NO_DECISIONS)
        editor = signin.current_editor()
        if editor is not None and editor.may_edit(code):
            fields = mote.decision_form(today)
            if fields and widgets.attempt(
                lambda: editing.add_decision(loaders.store(), editor, kommun_code=code, **fields),
                success="Anteckningen är sparad.",
            ):
                mote.stay_on_last_slide("Anteckningen är sparad.")
            done = mote.action_done_form(meeting.open_actions(decisions), today)
            if done and widgets.attempt(
                lambda: editing.close_action(loaders.store(), editor, **done), success="Åtgärden är markerad som klar."
            ):
                mote.stay_on_last_slide("Åtgärden är markerad som klar.")
        else:
            st.caption("Redaktörer antecknar beslut och åtgärder här under mötet.")

if presenting:  # on the page the heading already says it
    mote.data_banner(sel.kommun.code)
mote.auto_advance(index, len(deck))
