"""Översikt: reported crime this year against last year, and the promise of the year at a glance."""

import streamlit as st

from lofte_data import analysis, formats, trends, ui

sel = ui.selection()
ui.header("Översikt", sel)

stats = ui.crime_stats((sel.kommun.code,))
st.subheader("Anmälda brott")
ytd = analysis.year_to_date(stats, sel.year)
full_year = analysis.latest_full_year(stats, sel.year)
if ytd is not None and ytd.label == "jan–dec":
    ytd = None  # all twelve months are in: the full-year comparison below says it once
if ytd is not None:
    st.markdown(f"**Hittills i år jämfört med samma period i fjol** ({ui.plain(ytd.label)})")
    ui.comparison(ytd)
if full_year is not None:
    st.markdown(f"**Senaste hela år: {full_year.year} jämfört med {full_year.year - 1}**")
    ui.comparison(full_year)
if ytd is None and full_year is None:
    st.info(f"Det finns inga jämförbara siffror om anmälda brott för {sel.kommun.name} till och med {sel.year}.")

monthly_years = stats.loc[stats["period"].str.startswith("M") & (stats["year"] <= sel.year), "year"]
if not monthly_years.empty:
    last_year = int(monthly_years.max())
    by_type = trends.year_on_year_table(stats, last_year, kommun_codes=[sel.kommun.code])
    by_type = by_type[by_type["crime_type"] != "totalt"]
    if not by_type.empty:
        st.markdown(
            f"**Per brottstyp: {by_type['period_label'].iloc[0]} {last_year} mot samma period {last_year - 1}**"
        )
        ui.change_cards(by_type)
        st.caption(
            f"Källa: {ui.plain(by_type['source'].iloc[0])}. Grå förändring: inom normal variation eller spaningsbrott."
        )

st.subheader("Medborgarlöfte")
promise = ui.promise(sel.kommun.code, sel.year)
if promise is None:
    years = ui.promise_years(sel.kommun.code)
    others = ", ".join(str(y) for y in years) or "inga år"
    st.info(f"Inget medborgarlöfte är registrerat för {sel.kommun.name} {sel.year}. Registrerade år: {others}.")
    st.stop()

tally = analysis.tallies(ui.activities(promise.id))
signed = f" · undertecknat {formats.day(promise.signed_date)}" if promise.signed_date else ""
st.markdown(f"**{ui.plain(promise.title)}**{signed} · {len(promise.focus_areas)} fokusområden")
columns = st.columns(max(len(promise.focus_areas), 1))
for column, area in zip(columns, promise.focus_areas, strict=False):
    reported = sum(1 for c in area.commitments if tally.get(c.id, 0) > 0)
    column.metric(ui.plain(area.name), f"{len(area.commitments)} åtaganden",
                  delta=f"{reported} med rapporterade aktiviteter", delta_color="off", delta_arrow="off")  # fmt: skip
st.page_link(
    "pages/medborgarloften.py", label="Se hela uppföljningen under Medborgarlöften", icon=":material/assignment:"
)
