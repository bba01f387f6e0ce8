"""The embedded default data holds every promise and figure of the source documents."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from lofte_data import analysis, audit, editing, followup, seed, tables
from lofte_data.access import Editor
from lofte_data.models import NO_CAUSE_ANALYSIS
from lofte_data.seed import DATA_DIR, load_areas, load_sources, promise_from_dict, seed_defaults
from lofte_data.storage import Store

EDITOR = Editor(identity="anna@kungsor.se", name="Anna Åberg", kommuner=frozenset({"1960"}), method="lösenord")


def _commitments(store: Store, kommun: str, year: int) -> dict[str, tuple]:
    promise = store.promise(kommun, year)
    tally = analysis.tallies(store.activities(promise.id))
    return {c.text: (c.owner, c.target_text(), tally.get(c.id, 0)) for a in promise.focus_areas for c in a.commitments}


def test_kommuner_carry_lan_and_police_area(seeded: Store) -> None:
    kungsor = seeded.kommun("1960")
    assert (kungsor.lan_name, kungsor.police_area, kungsor.police_region) == (
        "Västmanlands län",
        "Västra Mälardalen",
        "Mitt",
    )
    assert seeded.kommun("0483").police_region == "Öst"
    assert {k.code for k in seeded.kommuner()} >= {"1960", "1984", "1983", "1961", "0483"}


@pytest.mark.parametrize(
    ("kommun", "year", "areas"),
    [("1960", 2020, 3), ("1960", 2021, 1), ("1960", 2023, 2), ("1960", 2024, 4), ("0483", 2018, 1), ("0483", 2019, 1)],
)
def test_every_promise_is_there_with_its_source(seeded: Store, kommun: str, year: int, areas: int) -> None:
    promise = seeded.promise(kommun, year)
    assert len(promise.focus_areas) == areas
    assert promise.source_key in seeded.source_documents()


def test_kungsor_2023_tallies(seeded: Store) -> None:
    tallies = {text: count for text, (_, _, count) in _commitments(seeded, "1960", 2023).items()}
    assert tallies["Ordinarie trafikkontroller med hastighetsmätning"] == 63
    assert tallies["Polisens förebyggande och relationsskapande skolbesök"] == 14
    assert tallies["Fältning av socialtjänstens fältfunktion"] == 11
    assert tallies["Förebyggande narkotikasök med polishund på skolor"] == 2
    assert tallies["Förebyggande narkotikasök med hund genom privat aktör"] == 1
    assert sorted(tallies.values(), reverse=True)[:3] == [63, 50, 14]


def test_katrineholm_2019_targets(seeded: Store) -> None:
    commitments = _commitments(seeded, "0483", 2019)
    assert commitments["Tillsyn av alkohol"][1] == "exakt 2 tillsyner"
    assert commitments["Tillsyn av tobak"][1] == "exakt 2 tillsyner"
    walks = commitments["Trygghetsvandringar i centrum, dag- och kvällstid, med fokus på ungas miljöer"]
    assert walks[:2] == ("Gemensamt", "minst 2 tillfällen")
    assert seeded.promise("0483", 2019).follow_ups_per_year == 3


def test_kungsor_2021_night_walks_are_a_capacity_not_a_target(seeded: Store) -> None:
    # "Totalt finns möjlighet att kunna bemanna 40 vandringar": money for up to 40 shifts, not a promise of 40.
    area = seeded.promise("1960", 2021).focus_areas[0]
    walks = area.commitments[0]
    assert (walks.target_type, walks.target_count, walks.target_text()) == ("lopande", None, "löpande")
    assert "upp till 40 pass" in walks.note and "1 000 kr per genomfört pass" in walks.note
    row = _follow_up(seeded, "1960", 2021).loc[walks.text]
    assert "40" not in row["note"] and "av exakt" not in row["note"]


def _follow_up(store: Store, kommun: str, year: int, on: date | None = None):
    """The follow-up table of every focus area as the page shows it, indexed by commitment text."""
    promise = store.promise(kommun, year)
    commitments = [c for a in promise.focus_areas for c in a.commitments]
    on = on or followup.assessment_date(year, date(2026, 11, 22))
    return followup.follow_up_table(commitments, store.activities(promise.id), year=year, on=on).set_index("text")


def test_kungsor_2023_work_done_without_a_count_says_so(seeded: Store) -> None:
    table = _follow_up(seeded, "1960", 2023)
    for starts in ("Återkommande fartkontroller", "Unggruppen", "Gemensam lägesbild var 14:e dag"):
        row = table.loc[next(t for t in table.index if t.startswith(starts))]
        assert row["status"] == followup.DONE_UNCOUNTED
        assert row["note"] == "genomfört, antalet anges inte (löpande)"
        assert row["total"] == 0 and "total" in row["uncounted"]
    assert "ingen uppgift" not in set(table["status"])
    view = tables.follow_up(table.reset_index())
    fartkontroller = view[view["Åtagande"].str.startswith("Återkommande fartkontroller")].iloc[0]
    assert pd.isna(fartkontroller["Totalt"]) and pd.isna(fartkontroller["Ej fördelat"])  # no invented 0


def test_kungsor_2021_meetings_and_dialogue_are_done_without_a_count(seeded: Store) -> None:
    # "Genom lägesbildsträffar var 14:e dag …" and "för dialog dagligen": done, no number; the night walks only
    # have money for up to 40 shifts "under det som återstår av 2021", so nothing done is reported for them.
    table = _follow_up(seeded, "1960", 2021)
    status = {text.split(" ")[0]: row["status"] for text, row in table.iterrows()}
    assert status == {
        "Lägesbildsträffar": followup.DONE_UNCOUNTED,
        "Daglig": followup.DONE_UNCOUNTED,
        "Nattvandring": "ingen uppgift",
    }


def test_kungsor_2023_owners_follow_the_text(seeded: Store) -> None:
    commitments = _commitments(seeded, "1960", 2023)
    briefings = next(v for t, v in commitments.items() if t.startswith("Informationsträffar"))
    assert briefings[0] == "Gemensamt"  # "Kommunpolisen och RTMD"
    dogs = {t: v for t, v in commitments.items() if "narkotikasök" in t}
    assert sorted((owner, count) for owner, _, count in dogs.values()) == [("Kommunen", 1), ("Polisen", 2)]


def test_kungsor_2024_has_its_stated_commitment(seeded: Store) -> None:
    promise = seeded.promise("1960", 2024)
    area = promise.focus_areas[-1]
    assert area.name == "Gemensam lägesbild"
    (commitment,) = area.commitments
    assert (commitment.owner, commitment.target_type) == ("Gemensamt", "lopande")
    assert "lägesbildsmöten" in commitment.text and "lokala BRÅ" in commitment.note
    assert [a.name for a in promise.focus_areas[:3]] == [
        "Trafiksäkerhet samt trafikrelaterad brottslighet",
        "Brottsförebyggande arbete mot bedrägeribrott",
        "Narkotikabruk bland unga",
    ]


def test_no_cause_analysis_the_sources_do_not_give(seeded: Store) -> None:
    # None of the source texts states a cause analysis (the 2023 follow-up says one exists but does not print it).
    for kommun, year in (
        ("1960", 2020),
        ("1960", 2021),
        ("1960", 2023),
        ("1960", 2024),
        ("0483", 2018),
        ("0483", 2019),
    ):
        for area in seeded.promise(kommun, year).focus_areas:
            assert area.cause_analysis == "", (kommun, year, area.name)
            assert area.cause_analysis_text() == NO_CAUSE_ANALYSIS == "Källan anger ingen orsaksanalys."
            assert ("Orsaksanalys", NO_CAUSE_ANALYSIS) in tables.focus_area_facts(area)
    katrineholm = seeded.promise("0483", 2019).focus_areas[0]
    assert "otrygghet i centrum" not in katrineholm.description + katrineholm.cause_analysis


def test_a_signing_date_only_where_the_source_states_one(seeded: Store) -> None:
    # Kungsör 2020: "Den 20 december undertecknades …"; 2024: the promise is dated "Kungsör kommun 2023-12-14". The
    # 2023 follow-up, the 2021 news item and Katrineholm's texts give no date.
    stated = {
        ("1960", 2020): date(2019, 12, 20),
        ("1960", 2021): None,
        ("1960", 2023): None,
        ("1960", 2024): date(2023, 12, 14),
        ("0483", 2018): None,
        ("0483", 2019): None,
    }
    assert {(k, y): seeded.promise(k, y).signed_date for k, y in stated} == stated


def test_kungsor_2021_year_to_date_does_not_name_a_month(seeded: Store) -> None:
    ytd = analysis.year_to_date(seeded.crime_stats(["1960"]), 2021)
    assert ytd.label == "Sedan 1 januari 2021, datum ej angivet i källan"
    assert "våren" not in ytd.label


def test_reported_crime_figures(seeded: Store) -> None:
    stats = seeded.crime_stats(["1960"])
    totals = analysis.yearly_totals(stats).set_index("year")["count"].to_dict()
    assert totals == {2013: 553, 2014: 751, 2015: 660, 2016: 602, 2019: 860, 2020: 841, 2021: 743, 2022: 638}
    ytd = analysis.year_to_date(stats, 2021)
    assert (ytd.change.current, ytd.change.previous, ytd.change.absolute) == (317, 387, -70)


# -- corrections reach databases created before them -----------------------------------------------------------

OLD_2021 = {
    "kommun": "1960",
    "year": 2021,
    "title": "Trygghetsinsatser 2021",
    "source": "kungsor-nyhet-2021",
    "focus_areas": [
        {
            "name": "Vuxennärvaro och nattvandring",
            "cause_analysis": "Lägesbilden styr var bevakning behövs.",
            "crime_types": ["skadegorelse", "vald"],
            "commitments": [
                {"text": "Nattvandring", "owner": "Kommunen", "target": "exakt", "count": 40, "unit": "pass"},
            ],
        }
    ],
}


def _old_database(store: Store) -> None:
    """A database seeded before the corrections: Kungsör 2021 as it was shipped, with an old note."""
    store.add_kommuner(load_areas())
    store.add_source_documents(load_sources())
    store.add_promise(*promise_from_dict(OLD_2021))
    store.add_crime_stats(
        pd.DataFrame(
            [
                {
                    "kommun_code": "1960",
                    "crime_type": "totalt",
                    "year": 2021,
                    "period": "ytd",
                    "count": 317,
                    "per_100k": None,
                    "preliminary": True,
                    "source": "Brå (via kungsor.se 2021)",
                    "note": "Sedan 1 januari 2021, uppgift i kommunens nyhet våren 2021",
                }
            ]
        )
    )


def test_an_untouched_old_promise_is_corrected_on_the_next_start(store: Store) -> None:
    _old_database(store)
    added = seed_defaults(store)
    assert (added["rättade löften"], added["rättade anteckningar"]) == (1, 1)
    walks = store.promise("1960", 2021).focus_areas[0].commitments[0]
    assert (walks.target_type, walks.target_count) == ("lopande", None)
    assert store.promise("1960", 2021).focus_areas[0].cause_analysis == ""
    assert analysis.year_to_date(store.crime_stats(["1960"]), 2021).label.endswith("datum ej angivet i källan")
    again = seed_defaults(store)
    assert (again["rättade löften"], again["rättade anteckningar"]) == (0, 0)  # nothing left to correct


def test_a_promise_an_editor_has_changed_is_left_alone(store: Store) -> None:
    _old_database(store)
    promise = store.promise("1960", 2021)
    walks = promise.focus_areas[0].commitments[0]
    editing.log_activity(store, EDITOR, commitment_id=walks.id, on=date(2021, 7, 3), count=2)
    added = seed_defaults(store)
    assert added["rättade löften"] == 0
    kept = store.promise("1960", 2021).focus_areas[0].commitments[0]
    assert (kept.id, kept.target_text()) == (walks.id, "exakt 40 pass")
    assert analysis.tallies(store.activities(promise.id)) == {walks.id: 2}
    assert audit.promise_touched(store, promise.id)


def test_a_comment_alone_keeps_the_promise(store: Store) -> None:
    _old_database(store)
    walks = store.promise("1960", 2021).focus_areas[0].commitments[0]
    editing.set_comment(store, EDITOR, commitment_id=walks.id, tertial=2, text="Första passen i juli")
    assert seed_defaults(store)["rättade löften"] == 0
    assert store.promise("1960", 2021).focus_areas[0].commitments[0].target_text() == "exakt 40 pass"


def test_a_corrected_promise_keeps_its_id_and_a_seeded_one_is_not_touched(seeded: Store) -> None:
    before = {year: seeded.promise("1960", year) for year in (2020, 2023)}
    assert seed_defaults(seeded)["rättade löften"] == 0
    assert {year: seeded.promise("1960", year) for year in (2020, 2023)} == before  # same ids: links keep working


def test_the_shipped_files_load_as_written() -> None:
    data = json.loads((DATA_DIR / "loften" / "kungsor_2023.json").read_text(encoding="utf-8"))
    _, activities = promise_from_dict(data)
    assert sum(1 for *_, a in activities if a.count is None) == 3  # fartkontroller, Unggruppen, lägesbild


# -- a current database is not read again --------------------------------------------------------------------------


def test_a_start_with_current_embedded_data_reads_nothing(seeded: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_run() -> None:
        raise AssertionError("the embedded data was read although the database holds it")

    for name in ("load_areas", "load_crime_stats", "load_incidents", "load_promises"):
        monkeypatch.setattr(seed, name, must_not_run)
    assert set(seed_defaults(seeded).values()) == {0}


def test_changed_embedded_data_is_loaded_and_corrected_on_the_next_start(store: Store) -> None:
    _old_database(store)
    store.set_state(seed.FINGERPRINT_KEY, "an older version of the files")
    assert seed_defaults(store)["rättade löften"] == 1
    assert store.state(seed.FINGERPRINT_KEY) == seed.fingerprint()
