"""Lägesbild: incidents from the police feed and the kommun's own reporters, on a map and in time."""

import streamlit as st

from lofte_data import figures, formats, incidents
from lofte_data.ui import lagesbild, loaders, state, widgets

sel = state.selection()
widgets.header("Lägesbild", sel)
st.caption(
    "Polisens händelser är pressmeddelanden om enskilda händelser, inte brottsstatistik, och räknas aldrig in i "
    "anmälda brott. Egna rapporter kommer från kommunens rapportörer."
)

with widgets.section("Händelser", needed=True):  # the filters and every part below are built on it
    summary = loaders.incident_summary(sel.kommun.code)
if not summary.count:
    st.info(
        f"Inga händelser är registrerade för {sel.kommun.name} ännu. Här visas händelser från Polisens händelse-API "
        "och rapporter från kommunens rapportörer när de finns: på karta, per veckodag och timme och som de mest "
        "drabbade platserna."
    )
    st.stop()
with widgets.section("Hämtning från Polisen"):
    widgets.data_status("polisen", "Polisens händelser")
    lagesbild.stale_notice("polisen", what="Polisens händelser")

span, types, origins = lagesbild.filters(sel, summary)
with widgets.section("Händelser under perioden", needed=True):
    # The period and the same period a year earlier (the monthly comparison), read through the index.
    window = loaders.incidents(sel.kommun.code, span.year_before().start, span.end)
of_kind = incidents.of_kind(window, categories=types, origins=origins)
chosen = incidents.select(of_kind, span)
st.subheader(f"{formats.count(len(chosen), 'händelse', 'händelser')}, {span.label()}")
if chosen.empty:
    st.info(
        f"Inga händelser under perioden. Den senaste registrerade händelsen är från {formats.day(summary.last)}. "
        "Välj en längre period, t.ex. hela året."
    )
    st.stop()

source = "Källa: Polisen (händelser) och egna rapporter"
view = (sel.kommun.code, span, tuple(types), tuple(origins))  # what the charts below depend on
map_col, spots_col = st.columns([3, 2])
with map_col:
    lagesbild.incident_map(chosen, centre=incidents.centre(window), view=view)
with spots_col:
    st.markdown("**Platser med flest händelser**")
    st.dataframe(
        incidents.hot_spots(chosen),
        hide_index=True,
        placeholder="–",
        width="stretch",
        column_config={  # the count stays on screen beside the map at 1280 px; long names end in "…"
            "Plats": st.column_config.TextColumn(width="medium"),
            "Händelser": st.column_config.NumberColumn(width="small"),
        },
    )

matrix = incidents.weekday_hour(chosen)
widgets.cached_chart(
    "weekday_hour", view, lambda: figures.weekday_hour_heatmap(matrix, title="Veckodag och timme", source=source)
)
trend = incidents.monthly(of_kind, span, first=summary.first)
widgets.cached_chart(
    "incident_months",
    view,
    lambda: figures.monthly_comparison(trend, title="Per månad, jämfört med året före", source=source),
)

st.subheader("Nattvandring och bevakning")
categories = list(summary.categories)
watch = state.url_multi("Kategorier att bevaka", categories, key="bevaka", default=list(incidents.WATCH_DEFAULT))
slots = incidents.patrol_slots(chosen[chosen["category"].isin(watch)] if watch else chosen)
st.markdown(
    "\n".join(f"- {widgets.plain(line)}" for line in slots)
    or f"Inga händelser {incidents.NIGHT_HOURS_TEXT} i de valda kategorierna."
)
