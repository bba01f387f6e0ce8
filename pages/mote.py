"""Möte: the lokalt BRÅ meeting, one topic per screen: open actions, lägesbild, crime, each focus area, decisions."""

from datetime import date

import streamlit as st

from lofte_data import editing, followup, formats, incidents, meeting
from lofte_data.ui import lagesbild_dokument, loaders, mote, sections, signin, state, widgets

sel = state.selection()
today = date.today()
presenting = widgets.presentation_mode()
if not presenting:
    widgets.header("Möte", sel)
    st.write("Presentationen följer mötets ordning, ett ämne per bild. Bläddra med knapparna; länken visar var ni är.")
    if st.button("Starta presentationen", type="primary", icon=":material/slideshow:"):
        st.query_params.update(presentation="1", bild="1")
        st.rerun()
    mote.report_download(sel, today)
    lagesbild_dokument.download(sel, today)

promise = loaders.promise(sel.kommun.code, sel.year)
decisions = loaders.decisions(sel.kommun.code)
actions = meeting.open_actions(decisions)
deck = meeting.slides(promise, open_action_count=len(actions))
index = meeting.slide_index(st.query_params.get("bild"), len(deck))
slide = deck[index - 1]
if st.query_params.get("bild") != str(index):
    st.query_params["bild"] = str(index)

mote.slide_controls(index, len(deck), title=f"{sel.kommun.name} {sel.year} · {slide.title}")
mote.data_banner()

if slide.kind == "atgarder":
    widgets.table(mote.decision_table(actions))
elif slide.kind == "lagesbild":
    span = incidents.period("30d" if sel.year == today.year else "ar", year=sel.year, today=today)
    recent = incidents.select(loaders.incidents(sel.kommun.code), span)
    st.subheader(f"{formats.count(len(recent), 'händelse', 'händelser')}, {span.label()}")
    st.caption("Polisens händelser är pressmeddelanden, inte brottsstatistik.")
    mote.incident_overview(recent)
elif slide.kind == "brott":
    sections.crime_summary(sel)
    sections.trygghet(sel)
elif slide.kind == "fokus":
    area = next(a for a in promise.focus_areas if a.id == slide.focus_area_id)
    sections.focus_area_section(
        area,
        promise.focus_areas.index(area) + 1,
        year=sel.year,
        on=followup.assessment_date(sel.year, today),
        activities_frame=loaders.activities(promise.id),
        notes=loaders.comments(tuple(c.id for c in area.commitments)),
        kommun_code=sel.kommun.code,
    )
else:
    widgets.table(mote.decision_table(decisions))
    editor = signin.current_editor()
    if editor is not None and editor.may_edit(sel.kommun.code):
        fields = mote.decision_form(today)
        if fields and widgets.attempt(
            lambda: editing.add_decision(loaders.store(), editor, kommun_code=sel.kommun.code, **fields),
            success="Anteckningen är sparad.",
        ):
            mote.stay_on_last_slide("Anteckningen är sparad.")
        done = mote.action_done_form(actions, today)
        if done and widgets.attempt(
            lambda: editing.close_action(loaders.store(), editor, **done), success="Åtgärden är markerad som klar."
        ):
            mote.stay_on_last_slide("Åtgärden är markerad som klar.")
    else:
        st.caption("Redaktörer antecknar beslut och åtgärder här under mötet.")

mote.auto_advance(index, len(deck))
