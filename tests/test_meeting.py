"""The meeting: slide order, open actions, decisions with validation."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from lofte_data import editing, meeting
from lofte_data.access import AccessError, Editor
from lofte_data.editing import DecisionKind
from lofte_data.errors import InputError
from lofte_data.storage import Store

ANNA = Editor("anna@kungsor.se", "Anna", frozenset({"1960"}), "lösenord")


def test_slides_follow_the_meeting_order(seeded: Store) -> None:
    promise = seeded.promise("1960", 2023)
    deck = meeting.slides(promise, open_action_count=0)
    assert [s.kind for s in deck] == ["lagesbild", "brott", "fokus", "fokus", "beslut"]
    assert deck[2].title == "Fokusområde: Ungdomsproblematik"
    assert meeting.slides(promise, open_action_count=2)[0].kind == "atgarder"
    assert [s.kind for s in meeting.slides(None, open_action_count=0)] == ["lagesbild", "brott", "beslut"]


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
