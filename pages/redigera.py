"""Redigera löfte: create a promise and edit it, its focus areas and commitments (editors)."""

from functools import partial

import streamlit as st

from lofte_data import editing
from lofte_data.audit import Entity
from lofte_data.ui import forms, loaders, signin, widgets

page = signin.editor_page("Redigera löfte")
sel = page.sel
editor = page.editor
store = page.store

promise = loaders.promise(sel.kommun.code, sel.year)
if promise is None:
    st.info(f"Det finns inget medborgarlöfte för {sel.kommun.name} {sel.year}. Skapa det här.")
    with st.form("create_promise"):
        fields = forms.promise_inputs("new", None, sel.year)
        fields.pop("signatories")
        if st.form_submit_button("Skapa löftet", type="primary"):
            create = partial(
                editing.create_promise, store, editor, kommun_code=sel.kommun.code, year=sel.year, **fields
            )
            if widgets.attempt(create, success="Löftet är skapat."):
                st.rerun()
    st.stop()

st.subheader(widgets.plain(promise.title))
areas = {a.id: a for a in promise.focus_areas}
commitments = {c.id: c for a in promise.focus_areas for c in a.commitments}

tabs = st.tabs(
    ["Löftet", "Nytt fokusområde", "Ändra fokusområde", "Nytt åtagande", "Ändra åtagande", "Ta bort", "Publicering"]
)
with tabs[0], st.form("edit_promise"):
    fields = forms.promise_inputs(forms.form_key("promise", promise), promise, sel.year)
    if st.form_submit_button("Spara löftet"):
        widgets.attempt(
            lambda: editing.update_promise(store, editor, promise_id=promise.id, **fields), success="Löftet är sparat."
        )
with tabs[1], st.form("new_area", clear_on_submit=True):
    fields = forms.focus_area_inputs("new", None)
    if st.form_submit_button("Lägg till fokusområde"):
        add = partial(editing.add_focus_area, store, editor, promise_id=promise.id, **fields)
        widgets.attempt(add, success="Fokusområdet är tillagt.")
with tabs[2]:
    if areas:
        chosen_area = st.selectbox(
            "Välj fokusområde", list(areas), format_func=lambda i: areas[i].name, key="edit_area_choice"
        )
        with st.form("edit_area"):
            fields = forms.focus_area_inputs(forms.form_key("area", areas[chosen_area]), areas[chosen_area])
            if st.form_submit_button("Spara fokusområdet"):
                save = partial(editing.update_focus_area, store, editor, focus_area_id=chosen_area, **fields)
                widgets.attempt(save, success="Fokusområdet är sparat.")
with tabs[3]:
    if not areas:
        st.info("Lägg först till ett fokusområde.")
    else:
        with st.form("new_commitment", clear_on_submit=True):
            area_id = st.selectbox("Fokusområde", list(areas), format_func=lambda i: areas[i].name)
            fields = forms.commitment_inputs("new")
            if st.form_submit_button("Lägg till åtagande"):
                add = partial(
                    editing.add_commitment, store, editor, focus_area_id=area_id, promise_id=promise.id, **fields
                )
                widgets.attempt(add, success="Åtagandet är tillagt.")
with tabs[4]:
    if commitments:
        chosen = st.selectbox("Välj åtagande", list(commitments), format_func=lambda i: commitments[i].text)
        with st.form("edit_commitment"):
            fields = forms.commitment_inputs(forms.form_key("commitment", commitments[chosen]), commitments[chosen])
            if st.form_submit_button("Spara ändringen"):
                save = partial(editing.update_commitment, store, editor, commitment_id=chosen, **fields)
                widgets.attempt(save, success="Åtagandet är ändrat.")
with tabs[5], st.form("remove"):
    targets = {(Entity.FOCUS_AREA, a.id): f"Fokusområde: {a.name}" for a in areas.values()}
    targets |= {(Entity.COMMITMENT, i): f"Åtagande: {c.text}" for i, c in commitments.items()}
    target = st.selectbox("Ta bort", list(targets), format_func=targets.get) if targets else None
    st.caption("Borttaget kan återställas under Historik.")
    if st.form_submit_button("Ta bort") and target:
        widgets.attempt(lambda: editing.delete(store, editor, *target), success="Borttaget. Ångra under Historik.")
with tabs[6]:
    shown = "visas" if promise.published else "visas inte"
    st.markdown(f"Uppföljningen {shown} på den öppna sidan **Allmänhet** (utan kommentarer, beslut och namn).")
    publish = not promise.published
    label = "Publicera för allmänheten" if publish else "Ta ned från allmänhetens sida"
    if st.button(label, type="primary" if publish else "secondary", key="toggle_published"):
        change = partial(editing.set_published, store, editor, promise_id=promise.id, published=publish)
        if widgets.attempt(change, success="Publiceringen är ändrad."):
            st.rerun()
    with st.form("plan_texts"):
        st.markdown("**Lägesbild och åtgärdsplan:** texterna som bara kommunen kan skriva.")
        fields = forms.plan_text_inputs(forms.form_key("plan", promise), promise)
        if st.form_submit_button("Spara texterna"):
            save = partial(editing.update_plan_texts, store, editor, promise_id=promise.id, **fields)
            widgets.attempt(save, success="Texterna är sparade.")
