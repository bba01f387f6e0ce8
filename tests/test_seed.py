"""The embedded default data holds every promise and figure of the source documents."""

from __future__ import annotations

import pytest

from lofte_data import analysis
from lofte_data.storage import Store


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
    [("1960", 2020, 3), ("1960", 2021, 1), ("1960", 2023, 2), ("1960", 2024, 3), ("0483", 2018, 1), ("0483", 2019, 1)],
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
    assert tallies["Förebyggande narkotikasök med hund på skolor"] == 3
    assert sorted(tallies.values(), reverse=True)[:3] == [63, 50, 14]


def test_katrineholm_2019_targets(seeded: Store) -> None:
    commitments = _commitments(seeded, "0483", 2019)
    assert commitments["Tillsyn av alkohol"][1] == "exakt 2 tillsyner"
    assert commitments["Tillsyn av tobak"][1] == "exakt 2 tillsyner"
    walks = commitments["Trygghetsvandringar i centrum, dag- och kvällstid, med fokus på ungas miljöer"]
    assert walks[:2] == ("Gemensamt", "minst 2 tillfällen")
    assert seeded.promise("0483", 2019).follow_ups_per_year == 3


def test_kungsor_2021_night_walks(seeded: Store) -> None:
    area = seeded.promise("1960", 2021).focus_areas[0]
    walks = area.commitments[0]
    assert walks.target_text() == "exakt 40 pass"
    assert "1 000 kr per genomfört pass" in walks.note


def test_reported_crime_figures(seeded: Store) -> None:
    stats = seeded.crime_stats(["1960"])
    totals = analysis.yearly_totals(stats).set_index("year")["count"].to_dict()
    assert totals == {2013: 553, 2014: 751, 2015: 660, 2016: 602, 2019: 860, 2020: 841, 2021: 743, 2022: 638}
    ytd = analysis.year_to_date(stats, 2021)
    assert (ytd.change.current, ytd.change.previous, ytd.change.absolute) == (317, 387, -70)
