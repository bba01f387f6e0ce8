"""Allmänhet: the promise and its follow-up for citizens; published content only, embeddable (?embed=true)."""

from datetime import date

import streamlit as st

from lofte_data import public
from lofte_data.ui import allmanhet

allmanhet.ensure_routed()
today = date.today()
asked = allmanhet.request(today)
page = allmanhet.content(asked.kommun.code, asked.year, today)

st.title(allmanhet.title(page))
allmanhet.link_notes(asked)
if page.state != "published":
    st.info(public.missing_text(page))
    allmanhet.year_links(page)
    st.stop()

allmanhet.introduction(page)
for area in page.areas:
    allmanhet.focus_area(area)
if not page.areas:
    st.info("Inga fokusområden är publicerade för löftet.")
allmanhet.sources(page)
allmanhet.year_links(page)
