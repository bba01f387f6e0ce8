"""One AppTest per page on the real entry point: each page shows what only it shows, for two kommuner."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto

from tests.support.figures import bar_labels

NB = "\u00a0"


def _texts(at) -> str:  # noqa: ANN001 - AppTest
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    return "\n".join(parts).replace("\\", "")


def test_oversikt_kungsor_2021_year_to_date(app) -> None:
    at = app("1960", "2021")
    assert not at.exception
    assert at.title[0].value == "Översikt"
    metrics = [(m.label, m.value, m.delta) for m in at.metric]
    assert metrics[:3] == [
        ("Hittills 2021 (prel.)", "317", ""),
        ("Samma period 2020", "387", ""),
        ("Förändring", "\u221270", f"\u221218{NB}%"),
    ]
    assert metrics[3:6] == [
        ("Helår 2021", "743", ""),
        ("Helår 2020", "841", ""),
        ("Förändring", "\u221298", f"\u221212{NB}%"),
    ]
    assert "tydlig minskning" in _texts(at)
    # The real minus sign does not fool Streamlit: a clear fall is still green and points down.
    fall = at.metric[2].proto
    assert (fall.color, fall.direction) == (MetricProto.MetricColor.GREEN, MetricProto.MetricDirection.DOWN)


def test_a_source_without_figures_is_named_in_the_data_line(app) -> None:
    at = app("0180", "2024")  # Stockholm: no Brå, Kolada or police figures in the embedded data
    line = next(c for c in (c.value.replace("\\", "") for c in at.caption) if c.startswith("Data t.o.m."))
    none = "inga siffror inlästa"
    assert line == f"Data t.o.m.: Brå: {none} · Kolada: {none} · Polisen: {none}"


def test_oversikt_katrineholm_2019_promise(app) -> None:
    at = app("0483", "2019")
    assert not at.exception
    assert at.title[0].value == "Översikt"
    metrics = [(m.label, m.value, m.delta) for m in at.metric]
    assert metrics[:3] == [
        ("Helår 2016 (prel.)", f"4{NB}774", ""),
        ("Helår 2015", f"4{NB}696", ""),
        ("Förändring", "+78", f"+2{NB}%"),
    ]
    assert "inom normal variation" in _texts(at)
    assert "Droger, vapen och unga på väg in i kriminalitet" in [m[0] for m in metrics]


def _charts(at) -> list[dict]:  # noqa: ANN001 - AppTest
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def test_brottsstatistik_kungsor_table_and_charts(app) -> None:
    at = app("1960", "2023", page="pages/brottsstatistik.py")
    assert not at.exception
    assert at.title[0].value == "Brottsstatistik"
    assert at.subheader[0].value == "Senaste år med siffror: 2022 jämfört med 2021"  # Brå's yearly totals
    latest = at.dataframe[0].value.set_index("Brottstyp")
    assert latest.loc["Totalt antal brott"].tolist()[:5] == [
        "2022 mot 2021",
        "638",
        "743",
        "\u2212105",
        f"\u221214{NB}%",
    ]
    assert latest.loc["Stöld- och tillgreppsbrott", "År"] == "2016 mot 2015"  # no newer figures for the type
    assert at.subheader[1].value == "Månad för månad (Brå): Helår 2016 jämfört med 2015"
    table = at.dataframe[1].value.set_index("Brottstyp")
    assert table.loc["Totalt antal brott"].tolist() == [
        "helår",
        "602",
        "660",
        "\u221258",
        f"\u22129{NB}%",
        "möjlig förändring",
    ]
    assert table.loc["Stöld- och tillgreppsbrott", "Bedömning"] == "tydlig minskning"
    assert table.loc["Vapenbrott", "%"] == f"+50{NB}% (litet underlag)"  # base under 30: muted
    assert "Trafikbrott (spaningsbrott)" in table.index
    monthly, yearly = _charts(at)
    assert [t["name"] for t in monthly["data"]] == ["2013", "2014", "2015", "2016"]
    assert "t.o.m. dec 2016" in monthly["layout"]["annotations"][0]["text"]
    runs = [t["y"] for t in yearly["data"] if t["type"] == "scatter"]
    assert runs == [[553, 751, 660, 602], [860, 841, 743, 638]]  # a gap (2017-2018) breaks the line
    assert yearly["layout"]["separators"] == ", "


def test_brottsstatistik_per_100k_compares_with_the_police_area(app) -> None:
    at = app("1984", "2016", page="pages/brottsstatistik.py", matt="per_100k", brott="skadegorelse")
    assert not at.exception
    comparison = _charts(at)[-1]
    assert [t["name"] for t in comparison["data"]] == ["Arboga", "Lokalpolisområde Västra Mälardalen"]
    assert "Skadegörelsebrott per 100 000 inv." in comparison["layout"]["title"]["text"]


def test_brottsstatistik_csv_opens_in_swedish_excel(app) -> None:
    at = app("0483", "2016", page="pages/brottsstatistik.py")
    data = at.get("download_button")[0].proto
    assert data.label == "Ladda ned tabellen (CSV för Excel)"


def test_brottsstatistik_without_figures_has_an_honest_empty_state(app) -> None:
    at = app("0428", "2019", page="pages/brottsstatistik.py")
    assert not at.exception
    assert at.title[0].value == "Brottsstatistik"
    assert "inga siffror om anmälda brott" in at.info[0].value


def test_medborgarloften_kungsor_2023_tallies(app) -> None:
    at = app("1960", "2023", page="pages/medborgarloften.py")
    assert not at.exception
    assert at.title[0].value == "Medborgarlöften"
    traffic = at.dataframe[1].value.set_index("Åtagande")
    row = traffic.loc["Ordinarie trafikkontroller med hastighetsmätning"]
    assert (row["Totalt"], row["Ej fördelat"], row["Status"]) == (63, 63, "uppnått")
    youth = at.dataframe[0].value.set_index("Åtagande")
    briefings = youth.loc[
        "Informationsträffar med elever om utlösta brandlarm (kommunpolisen och räddningstjänsten RTMD)"
    ]
    assert (briefings["T1"], briefings["Totalt"]) == (4, 4)
    assert briefings["Ansvar"] == "Gemensamt"  # "Kommunpolisen och RTMD"
    speed_checks = traffic.loc["Återkommande fartkontroller på de vägsträckor som tipsen gäller"]
    assert speed_checks["Status"] == "genomfört, antal saknas"  # done, the follow-up gives no number
    assert pd.isna(speed_checks["Totalt"])  # no number, not a 0 ...
    assert {d.proto.placeholder for d in at.dataframe} == {"–"}  # ... and the grid shows "–", not "None"
    charts = _charts(at)
    assert "Utfört per tertial" in charts[0]["layout"]["title"]["text"]
    timeline = next(
        c for c in charts if "Brott och insatser per år: Ungdomsproblematik" in c["layout"]["title"]["text"]
    )
    assert [t["name"] for t in timeline["data"] if t["type"] == "scatter"][:2] == ["Skadegörelsebrott", "Våldsbrott"]


def test_medborgarloften_says_when_the_source_gives_no_cause_analysis(app) -> None:
    at = app("1960", "2023", page="pages/medborgarloften.py")
    texts = _texts(at)
    assert "Orsaksanalys" in texts and "Källan anger ingen orsaksanalys." in texts


def test_medborgarloften_katrineholm_2019_targets_grouped_by_owner(app) -> None:
    at = app("0483", "2019", page="pages/medborgarloften.py")
    assert not at.exception
    table = at.dataframe[0].value
    assert table["Ansvar"].tolist() == sorted(table["Ansvar"], key=["Polisen", "Kommunen", "Gemensamt"].index)
    assert "minst 2 tillfällen" in table["Mål"].tolist()
    assert table["Mål"].tolist().count("exakt 2 tillsyner") == 2
    assert set(table["Status"]) == {"ingen uppgift"}  # the year is over and nothing was recorded
    assert "Följs upp 3 gånger per år" in _texts(at)
    overview = at.dataframe[1].value
    assert overview["År"].tolist() == ["2018", "2019"]


def test_medborgarloften_year_without_promise(app) -> None:
    at = app("1960", "2022", page="pages/medborgarloften.py")
    assert "Registrerade år: 2020, 2021, 2023, 2024" in at.info[0].value


@pytest.mark.parametrize(("kommun", "name"), [("0428", "Vingåker"), ("1440", "Ale")])
def test_lagesbild_empty_state(app, kommun: str, name: str) -> None:
    at = app(kommun, "2023", page="pages/lagesbild.py")
    assert not at.exception
    assert at.title[0].value == "Lägesbild"
    assert f"Inga händelser är registrerade för {name}" in at.info[0].value


@pytest.mark.parametrize(("kommun", "year"), [("9999", "2023"), ("1960", "abc"), ("<script>", "1800"), (None, None)])
def test_bad_or_missing_parameters_fall_back_with_a_note(app, kommun, year) -> None:
    at = app(kommun, year)
    assert not at.exception
    assert at.title[0].value == "Översikt"
    assert at.query_params["kommun"] == "1960"
    if kommun is not None:
        assert any("som inte finns" in w.value for w in at.warning)


def test_lagesbild_katrineholm_2025_with_filters(app) -> None:
    at = app("0483", "2025", page="pages/lagesbild.py", period="ar")
    assert not at.exception
    assert at.title[0].value == "Lägesbild"
    assert at.subheader[0].value == "65 händelser, 1 jan 2025 – 31 dec 2025"
    assert "inte brottsstatistik" in _texts(at)
    names = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert names == ["Händelser på kartan", "Veckodag och timme", "Per månad, jämfört med året före"]
    at = app("0483", "2025", page="pages/lagesbild.py", period="ar", typ="Trafikolycka;Brand")
    counts = at.subheader[0].value.split(" ")[0]
    assert 0 < int(counts) < 65


def test_lagesbild_default_is_the_last_14_days(app) -> None:
    at = app("0483", "2026", page="pages/lagesbild.py")
    assert not at.exception
    assert at.selectbox(key="period").value == "14d"
    assert "Den senaste registrerade händelsen är från" in at.info[0].value


def test_mote_steps_through_the_slides(app) -> None:
    at = app("1960", "2023", page="pages/mote.py")
    assert not at.exception
    assert at.title[0].value == "Möte"
    assert any(m.value == "**Kungsör 2023 · Bild 1 av 10**" for m in at.markdown)
    assert any(m.value == "### Sedan förra mötet" for m in at.markdown)
    assert "(första mötet)" in _texts(at)  # no decision or frozen tertial yet: the year so far
    next(b for b in at.button if b.label == "Nästa").click().run()
    assert any(m.value == "### Lägesbild" for m in at.markdown)
    assert at.query_params["bild"] == "2"
    at = app("1960", "2023", page="pages/mote.py", bild="5")
    texts = _texts(at)
    assert "### Fokusområde: Ungdomsproblematik" in texts and "Kungsör 2023 · del 1 av 3 · Bild 5 av 10" in texts
    assert "Beskrivning:" in texts and len(at.dataframe[0].value) == 4  # the first four commitments
    at = app("1960", "2023", page="pages/mote.py", bild="7")
    assert "del 3 av 3" in _texts(at) and len(at.get("plotly_chart")) == 2  # effort beside the crime
    bars, timeline = _charts(at)
    assert timeline["layout"]["title"]["text"] == "Brott och insatser per år"  # the slide heading names the area
    labels = bar_labels(bars)  # above the bars, the whole width of the column for the bars
    searches = [label for label in labels if label.startswith("Förebyggande narkotikasök med")]
    assert len(searches) == 2 and len(set(labels)) == len(labels) == 6  # the two searches have a bar each


def test_mote_leaves_out_an_empty_lagesbild(app) -> None:
    """Katrineholm 2019: the police feed has nothing for 2019, so no slide that says only "0 händelser"."""
    at = app("0483", "2019", page="pages/mote.py", bild="2")
    assert not at.exception
    assert "Ingen lägesbild i presentationen" in _texts(at)
    assert any(m.value == "### Anmälda brott" for m in at.markdown)
    assert "0 händelser" not in _texts(at)


def test_presentation_mode_clamps_the_slide_and_drops_the_page_header(app) -> None:
    at = app("1960", "2023", page="pages/mote.py", presentation="1", bild="99")
    assert not at.exception
    assert at.query_params["bild"] == "10"
    assert any(m.value == "### Anteckningar och beslut" for m in at.markdown)
    # No decisions yet: one Swedish line, not an empty table (an HTML table would say "empty").
    assert "Inga beslut eller åtgärder är antecknade ännu." in _texts(at)
    assert not at.table
    assert not at.title  # no page header in presentation


def test_the_lagesbild_slide_lists_only_what_night_walks_can_act_on(app) -> None:
    """The slide's night-walk slots are those of the lägesbild PDF (the watched kinds only) and say so; traffic
    accidents, the most common kind in Katrineholm 2025, never fill them in."""
    from lofte_data import incidents
    from lofte_data.ui import loaders, widgets

    at = app("0483", "2025", page="pages/mote.py", bild="2")
    assert not at.exception
    assert f"Flest händelser {incidents.NIGHT_HOURS_TEXT} {incidents.WATCH_TEXT}:" in [c.value for c in at.caption]
    year = loaders.incidents("0483")
    year = year[year["occurred_at"].dt.year == 2025]  # the slide's period: "1 jan 2025 – 31 dec 2025"
    expected = incidents.patrol_slots(year[year["category"].isin(incidents.WATCH_DEFAULT)])
    everything = incidents.patrol_slots(year)
    assert expected and expected != everything  # the filter matters here
    shown = next(m.value for m in at.markdown if m.value.startswith("- ") and "kl\\. " in m.value)
    assert shown == "\n".join(f"- {widgets.plain(line)}" for line in expected)
