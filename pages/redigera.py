"""Redigera löfte: create a promise and edit its focus areas and commitments (editors)."""

import streamlit as st

from lofte_data import editing, ui
from lofte_data.crime_types import CRIME_TYPES, label

sel = ui.selection()
ui.header("Redigera löfte", sel)
editor = ui.require_editor(sel.kommun)
store = ui.store()

promise = ui.promise(sel.kommun.code, sel.year)
if promise is None:
    st.info(f"Det finns inget medborgarlöfte för {sel.kommun.name} {sel.year}. Skapa det här.")
    with st.form("create_promise"):
        title = st.text_input("Rubrik", value=f"Medborgarlöfte {sel.year}")
        summary = st.text_area("Sammanfattning och gemensam lägesbild")
        signed = st.date_input("Undertecknat", value=None, format="YYYY-MM-DD")
        if st.form_submit_button("Skapa löftet"):
            create = lambda: editing.create_promise(store, editor, kommun_code=sel.kommun.code, year=sel.year,  # noqa: E731
                                                    title=title, summary=summary, signed_date=signed)  # fmt: skip
            if ui.attempt(create, success="Löftet är skapat."):
                st.rerun()
    st.stop()

st.subheader(ui.plain(promise.title))
areas = {a.id: a for a in promise.focus_areas}
commitments = {c.id: (a, c) for a in promise.focus_areas for c in a.commitments}


new_area, new_commitment, change, remove = st.tabs(["Nytt fokusområde", "Nytt åtagande", "Ändra åtagande", "Ta bort"])
with new_area, st.form("new_area", clear_on_submit=True):
    name = st.text_input("Fokusområde")
    description = st.text_area("Beskrivning")
    cause = st.text_area("Orsaksanalys")
    types = st.multiselect("Brottstyper som området riktar sig mot", [t.code for t in CRIME_TYPES], format_func=label)
    if st.form_submit_button("Lägg till fokusområde"):
        fields = {"name": name, "description": description, "cause_analysis": cause, "crime_types": types}
        add = lambda: editing.add_focus_area(store, editor, promise_id=promise.id, **fields)  # noqa: E731
        ui.attempt(add, success="Fokusområdet är tillagt.")
with new_commitment:
    if not areas:
        st.info("Lägg först till ett fokusområde.")
    else:
        with st.form("new_commitment", clear_on_submit=True):
            area_id = st.selectbox("Fokusområde", list(areas), format_func=lambda i: areas[i].name)
            fields = ui.commitment_inputs("new")
            if st.form_submit_button("Lägg till åtagande"):
                ui.attempt(lambda: editing.add_commitment(store, editor, focus_area_id=area_id, promise_id=promise.id,
                                                          **fields), success="Åtagandet är tillagt.")  # fmt: skip
with change:
    if commitments:
        chosen = st.selectbox("Välj åtagande", list(commitments), format_func=lambda i: commitments[i][1].text)
        with st.form("edit_commitment"):
            fields = ui.commitment_inputs(f"edit{chosen}", commitments[chosen][1])
            if st.form_submit_button("Spara ändringen"):
                ui.attempt(lambda: editing.update_commitment(store, editor, commitment_id=chosen, **fields),
                           success="Åtagandet är ändrat.")  # fmt: skip
with remove, st.form("remove"):
    targets = {("fokusområde", a.id): f"Fokusområde: {a.name}" for a in areas.values()}
    targets |= {("åtagande", i): f"Åtagande: {c.text}" for i, (_, c) in commitments.items()}
    target = st.selectbox("Ta bort", list(targets), format_func=targets.get) if targets else None
    st.caption("Borttaget kan återställas under Historik.")
    if st.form_submit_button("Ta bort") and target:
        ui.attempt(lambda: editing.delete(store, editor, *target), success="Borttaget. Ångra under Historik.")
