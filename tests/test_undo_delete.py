"""Undo and delete leave no zombie: an undone promise is gone everywhere, takes no activities and can be created
again; deleting a comment (or an unknown kind of record) is a Swedish error, never a bare KeyError."""

from __future__ import annotations

from datetime import date

import pytest

from lofte_data import audit, editing
from lofte_data.access import Editor
from lofte_data.audit import Entity
from lofte_data.errors import InputError
from lofte_data.storage import Store

ANNA = Editor("anna@kungsor.se", "Anna Andersson", frozenset({"1960"}), "lösenord")


def _undo_last(store: Store) -> None:
    editing.undo(store, ANNA, int(audit.history(store, ["1960"]).iloc[0]["id"]))


def test_an_undone_promise_is_gone_everywhere_and_can_be_created_again(seeded: Store) -> None:
    promise_id = editing.create_promise(seeded, ANNA, kommun_code="1960", year=2031, title="Löfte 2031")
    area = editing.add_focus_area(seeded, ANNA, promise_id=promise_id, name="Trafik")
    commitment = editing.add_commitment(
        seeded,
        ANNA,
        focus_area_id=area,
        promise_id=promise_id,
        text="Kontroller",
        owner="Polisen",
        target_type="minst",
        target_count=3,
        unit="st",
    )
    undo_id = int(audit.history(seeded, ["1960"]).query("entity == 'löfte'").iloc[0]["id"])
    editing.undo(seeded, ANNA, undo_id)

    assert seeded.promise("1960", 2031) is None
    assert 2031 not in seeded.promise_years("1960")
    assert seeded.promise_by_id(promise_id) is None
    with pytest.raises(InputError, match="Åtagandet finns inte"):
        editing.log_activity(seeded, ANNA, commitment_id=commitment, on=date(2031, 3, 1), count=1)

    again = editing.create_promise(seeded, ANNA, kommun_code="1960", year=2031, title="Nytt löfte 2031")
    recreated = seeded.promise("1960", 2031)
    assert recreated is not None and recreated.id == again and recreated.title == "Nytt löfte 2031"
    assert recreated.focus_areas == ()  # the old tree stays deleted
    _undo_last(seeded)
    assert seeded.promise("1960", 2031) is None


def test_deleting_a_comment_is_a_swedish_error(seeded: Store) -> None:
    cid = next(c.id for a in seeded.promise("1960", 2023).focus_areas for c in a.commitments)
    editing.set_comment(seeded, ANNA, commitment_id=cid, tertial=1, text="Bra jobbat")
    comment_id = int(seeded.comments([cid])["id"].iloc[0])
    for entity in (Entity.COMMENT, "kommentar"):
        with pytest.raises(InputError, match="Kommentar kan inte tas bort"):
            editing.delete(seeded, ANNA, entity, comment_id)
    with pytest.raises(InputError, match="Okänd sorts post"):
        editing.delete(seeded, ANNA, "nåt annat", comment_id)
    assert audit.kommun_of(seeded, Entity.COMMENT, comment_id) == "1960"
