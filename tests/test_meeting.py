"""The meeting: slide order, open actions, decisions with validation."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from lofte_data import editing, meeting
from lofte_data.access import AccessError, Editor
from lofte_data.editing import DecisionKind
from lofte_data.errors import InputError
from lofte_data.models import Commitment, FocusArea
from lofte_data.storage import Store

ANNA = Editor("anna@kungsor.se", "Anna", frozenset({"1960"}), "lösenord")


def test_slides_follow_the_meeting_order(seeded: Store) -> None:
    promise = seeded.promise("1960", 2023)
    deck = meeting.slides(promise, open_action_count=0)
    kinds = [s.kind for s in deck]
    assert kinds[:4] == ["sedan", "lagesbild", "brott", "brott_typer"] and kinds[-1] == "beslut"
    assert deck[4].title == "Fokusområde: Ungdomsproblematik"
    assert meeting.slides(promise, open_action_count=2)[1].kind == "atgarder"  # right after what changed
    assert [s.kind for s in meeting.slides(None, open_action_count=0)] == [
        "sedan",
        "lagesbild",
        "brott",
        "brott_typer",
        "beslut",
    ]


def test_no_lagesbild_slide_without_incidents(seeded: Store) -> None:
    deck = meeting.slides(None, open_action_count=0, has_incidents=False, has_crime_types=False)
    assert [s.kind for s in deck] == ["sedan", "brott", "beslut"]


def _area(commitments: int) -> FocusArea:
    items = tuple(Commitment(f"Åtagande {i}", "Polisen", "minst", 1, id=i) for i in range(commitments))
    return FocusArea("Trygghet", description="Text", commitments=items, id=7)


def test_a_short_focus_area_is_a_table_slide_then_a_chart_slide() -> None:
    deck = meeting.focus_area_slides(_area(3))
    assert [(s.kind, s.part, s.parts, s.rows) for s in deck] == [("fokus", 1, 2, (0, 3)), ("fokus_diagram", 2, 2, None)]
    assert {s.focus_area_id for s in deck} == {7}
    assert [(s.title, s.part_label()) for s in deck] == [
        ("Fokusområde: Trygghet", "del 1 av 2"),
        ("Fokusområde: Trygghet", "del 2 av 2"),
    ]
    assert meeting.Slide("brott", "Anmälda brott").part_label() == ""


def test_a_long_follow_up_table_is_spread_over_slides() -> None:
    deck = meeting.focus_area_slides(_area(10))
    assert [s.rows for s in deck] == [(0, 4), (4, 10), None]
    assert [s.part for s in deck] == [1, 2, 3] and deck[-1].kind == "fokus_diagram"
    assert [s.rows for s in meeting.focus_area_slides(_area(11))][:3] == [(0, 4), (4, 10), (10, 11)]


def test_a_focus_area_without_commitments_is_its_text_then_its_crime() -> None:
    slides = [(s.kind, s.part, s.parts, s.rows) for s in meeting.focus_area_slides(_area(0))]
    assert slides == [("fokus", 1, 2, None), ("fokus_diagram", 2, 2, None)]


def test_the_trygghet_slide_follows_the_crime_when_there_is_ntu() -> None:
    kinds = [s.kind for s in meeting.slides(None, open_action_count=0, has_trygghet=True)]
    assert kinds == ["sedan", "lagesbild", "brott", "brott_typer", "trygghet", "beslut"]
    assert "trygghet" not in [s.kind for s in meeting.slides(None, open_action_count=0)]


def test_every_commitment_is_on_exactly_one_slide(seeded: Store) -> None:
    for code, year in (("1960", 2023), ("0483", 2019), ("0483", 2018)):
        promise = seeded.promise(code, year)
        for area in promise.focus_areas:
            rows = [r for s in meeting.focus_area_slides(area) if s.rows for r in range(*s.rows)]
            assert rows == list(range(len(area.commitments)))


@pytest.mark.parametrize(("raw", "expected"), [(None, 1), ("3", 3), ("99", 5), ("0", 1), ("x", 1), ("-2", 1)])
def test_slide_index_is_clamped(raw: str | None, expected: int) -> None:
    assert meeting.slide_index(raw, 5) == expected


def test_decisions_and_open_actions(seeded: Store) -> None:
    editing.add_decision(
        seeded,
        ANNA,
        kommun_code="1960",
        meeting_date=date(2026, 11, 10),
        kind=DecisionKind.DECISION,
        text="Fler trygghetsvandringar i centrum",
    )
    action = editing.add_decision(
        seeded,
        ANNA,
        kommun_code="1960",
        meeting_date=date(2026, 11, 10),
        kind=DecisionKind.ACTION,
        text="Kontakta fastighetsägaren om belysningen",
        owner="Säkerhetssamordnaren",
        due=date(2026, 12, 1),
    )
    open_now = meeting.open_actions(seeded.decisions("1960"))
    assert open_now["text"].tolist() == ["Kontakta fastighetsägaren om belysningen"]
    editing.close_action(seeded, ANNA, decision_id=action, done=date(2026, 11, 20))
    assert meeting.open_actions(seeded.decisions("1960")).empty


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"kind": DecisionKind.ACTION, "owner": ""}, InputError, "ansvarig"),
        ({"kind": "åtgärd", "owner": ""}, InputError, "ansvarig"),  # the stored word still names the kind
        ({"kind": "möte"}, InputError, "beslut eller åtgärd"),
        ({"text": "  "}, InputError, "tomt"),
        ({"due": date(2026, 1, 1)}, InputError, "före mötesdagen"),
        ({"kommun_code": "0483"}, AccessError, "får inte ändra"),
    ],
)
def test_decision_validation(seeded: Store, fields: dict, error: type, message: str) -> None:
    values = {
        "kommun_code": "1960",
        "meeting_date": date(2026, 11, 10),
        "kind": DecisionKind.DECISION,
        "text": "x",
    } | fields
    with pytest.raises(error, match=message):
        editing.add_decision(seeded, ANNA, **values)
    assert seeded.decisions("1960").empty


def test_open_actions_of_an_empty_frame() -> None:
    assert meeting.open_actions(pd.DataFrame()).empty


def test_the_last_slide_by_name() -> None:
    assert meeting.slide_index("sista", 7) == 7
