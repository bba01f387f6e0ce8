"""Möte: the lokalt BRÅ meeting, one topic per screen: open actions, lägesbild, crime, each focus area, decisions."""

from datetime import date

import streamlit as st

from lofte_data import editing, formats, incidents, meeting, trends, ui

sel = ui.selection()
today = date.today()
presenting = ui.presentation_mode()
if not presenting:
    ui.header("Möte", sel)
    st.write("Presentationen följer mötets ordning, ett ämne per bild. Bläddra med knapparna; länken visar var ni är.")
    if st.button("Starta presentationen", type="primary", icon=":material/slideshow:"):
        st.query_params.update(presentation="1", bild="1")
        st.rerun()
    ui.report_download(sel, today)

promise = ui.promise(sel.kommun.code, sel.year)
decisions = ui.decisions(sel.kommun.code)
actions = meeting.open_actions(decisions)
deck = meeting.slides(promise, open_action_count=len(actions))
index = meeting.slide_index(st.query_params.get("bild"), len(deck))
slide = deck[index - 1]
if st.query_params.get("bild") != str(index):
    st.query_params["bild"] = str(index)

ui.slide_controls(index, len(deck), title=f"{sel.kommun.name} {sel.year} · {slide.title}")
ui.data_banner()

if slide.kind == "atgarder":
    ui.table(ui.decision_table(actions))
elif slide.kind == "lagesbild":
    span = incidents.period("30d" if sel.year == today.year else "ar", year=sel.year, today=today)
    recent = incidents.select(ui.incidents(sel.kommun.code), span)
    st.subheader(f"{formats.count(len(recent), 'händelse', 'händelser')}, {span.label()}")
    st.caption("Polisens händelser är pressmeddelanden, inte brottsstatistik.")
    ui.incident_overview(recent)
elif slide.kind == "brott":
    ui.crime_summary(sel)
elif slide.kind == "fokus":
    area = next(a for a in promise.focus_areas if a.id == slide.focus_area_id)
    stats = ui.crime_stats((sel.kommun.code,))
    notes = ui.comments(tuple(c.id for c in area.commitments))
    ui.focus_area_section(
        area,
        promise.focus_areas.index(area) + 1,
        year=sel.year,
        today=today,
        activities_frame=ui.activities(promise.id),
        yearly=trends.yearly_by_type(stats[stats["year"] <= sel.year]),
        notes=notes,
    )
else:
    ui.table(ui.decision_table(decisions))
    editor = ui.current_editor()
    if editor is not None and editor.may_edit(sel.kommun.code):
        fields = ui.decision_form(today)
        if fields and ui.attempt(
            lambda: editing.add_decision(ui.store(), editor, kommun_code=sel.kommun.code, **fields),
            success="Anteckningen är sparad.",
        ):
            ui.stay_on_last_slide("Anteckningen är sparad.")
        done = ui.action_done_form(actions, today)
        if done and ui.attempt(
            lambda: editing.close_action(ui.store(), editor, **done), success="Åtgärden är markerad som klar."
        ):
            ui.stay_on_last_slide("Åtgärden är markerad som klar.")
    else:
        st.caption("Redaktörer antecknar beslut och åtgärder här under mötet.")

ui.auto_advance(index, len(deck))
