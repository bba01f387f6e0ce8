"""Editing with access checks, Swedish validation, an audit row per change, soft delete and undo."""

from __future__ import annotations

from datetime import date

import pytest

from lofte_data import analysis, audit, editing
from lofte_data.access import AccessError, Editor
from lofte_data.audit import Entity
from lofte_data.errors import InputError
from lofte_data.storage import Store

KUNGSOR = Editor("anna@kungsor.se", "Anna Andersson", frozenset({"1960"}), "lösenord")
KATRINEHOLM = Editor("kim@katrineholm.se", "Kim", frozenset({"0483"}), "oidc")


def _commitment(store: Store, kommun: str, year: int, text: str) -> int:
    promise = store.promise(kommun, year)
    return next(c.id for a in promise.focus_areas for c in a.commitments if c.text.startswith(text))


def _tally(store: Store, kommun: str, year: int, commitment_id: int) -> int:
    return analysis.tallies(store.activities(store.promise(kommun, year).id)).get(commitment_id, 0)


def test_logging_an_activity_changes_the_tally_and_is_audited(seeded: Store) -> None:
    cid = _commitment(seeded, "1960", 2023, "Ordinarie trafikkontroller")
    editing.log_activity(seeded, KUNGSOR, commitment_id=cid, on=date(2023, 9, 14), count=3, place="Drottninggatan")
    assert _tally(seeded, "1960", 2023, cid) == 66
    entry = audit.history(seeded, ["1960"]).iloc[0]
    assert (entry["actor"], entry["action"], entry["entity"]) == ("Anna Andersson", "skapa", "aktivitet")
    assert '"count": 3' in entry["new_value"]


@pytest.mark.parametrize(
    ("on", "count", "message"),
    [
        (date(2022, 12, 31), 1, "utanför löftets år 2023"),
        (date(2023, 5, 1), -1, "mellan 0 och"),
        (date(2023, 5, 1), 2.5, "heltal"),
        (date(2023, 5, 1), "tre", "heltal"),
    ],
)
def test_invalid_activity_is_refused_and_nothing_written(seeded: Store, on: date, count, message: str) -> None:
    cid = _commitment(seeded, "1960", 2023, "Ordinarie trafikkontroller")
    before = seeded.count("activity")
    with pytest.raises(InputError, match=message):
        editing.log_activity(seeded, KUNGSOR, commitment_id=cid, on=on, count=count)
    assert seeded.count("activity") == before
    assert audit.history(seeded, ["1960"]).empty


def test_an_editor_of_kungsor_cannot_change_katrineholm(seeded: Store) -> None:
    cid = _commitment(seeded, "0483", 2019, "Tillsyn av alkohol")
    with pytest.raises(AccessError, match="får inte ändra"):
        editing.log_activity(seeded, KUNGSOR, commitment_id=cid, on=date(2019, 3, 1), count=1)
    with pytest.raises(AccessError):
        editing.create_promise(seeded, KUNGSOR, kommun_code="0483", year=2030, title="x")
    editing.log_activity(seeded, KATRINEHOLM, commitment_id=cid, on=date(2019, 3, 1), count=1)
    assert _tally(seeded, "0483", 2019, cid) == 1


def test_soft_delete_and_undo(seeded: Store) -> None:
    cid = _commitment(seeded, "1960", 2023, "Ordinarie trafikkontroller")
    activity_id = editing.log_activity(seeded, KUNGSOR, commitment_id=cid, on=date(2023, 10, 1), count=5)
    editing.delete(seeded, KUNGSOR, Entity.ACTIVITY, activity_id)
    assert _tally(seeded, "1960", 2023, cid) == 63
    delete_entry = int(audit.history(seeded, ["1960"]).iloc[0]["id"])
    editing.undo(seeded, KUNGSOR, delete_entry)
    assert _tally(seeded, "1960", 2023, cid) == 68
    with pytest.raises(InputError, match="redan ångrad"):
        editing.undo(seeded, KUNGSOR, delete_entry)
    with pytest.raises(InputError, match="inte ångra"):
        editing.undo(seeded, KATRINEHOLM, delete_entry)
    actions = audit.history(seeded, ["1960"])["action"].tolist()
    assert actions == ["ångra", "ta bort", "skapa"]


def test_undo_of_an_edit_puts_the_old_values_back(seeded: Store) -> None:
    cid = _commitment(seeded, "0483", 2019, "Trygghetsvandringar")
    editing.update_commitment(
        seeded,
        KATRINEHOLM,
        commitment_id=cid,
        text="Trygghetsvandringar",
        owner="Kommunen",
        target_type="minst",
        target_count=4,
        unit="vandringar",
    )
    changed = next(c for a in seeded.promise("0483", 2019).focus_areas for c in a.commitments if c.id == cid)
    assert changed.target_text() == "minst 4 vandringar"
    editing.undo(seeded, KATRINEHOLM, int(audit.history(seeded, ["0483"]).iloc[0]["id"]))
    restored = next(c for a in seeded.promise("0483", 2019).focus_areas for c in a.commitments if c.id == cid)
    assert (restored.owner, restored.target_text()) == ("Gemensamt", "minst 2 tillfällen")


def test_create_promise_focus_area_and_commitment(seeded: Store) -> None:
    promise_id = editing.create_promise(seeded, KUNGSOR, kommun_code="1960", year=2025, title="Medborgarlöfte 2025")
    area_id = editing.add_focus_area(seeded, KUNGSOR, promise_id=promise_id, name="Trafik", crime_types=["trafik"])
    editing.add_commitment(
        seeded,
        KUNGSOR,
        focus_area_id=area_id,
        promise_id=promise_id,
        text="Hastighetskontroller",
        owner="Polisen",
        target_type="minst",
        target_count=20,
        unit="kontroller",
    )
    promise = seeded.promise("1960", 2025)
    assert promise.focus_areas[0].commitments[0].target_text() == "minst 20 kontroller"
    with pytest.raises(InputError, match="redan ett medborgarlöfte"):
        editing.create_promise(seeded, KUNGSOR, kommun_code="1960", year=2025, title="Igen")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "  ", "owner": "Polisen", "target_type": "lopande", "target_count": None, "unit": ""}, "tomt"),
        ({"text": "x", "owner": "Någon", "target_type": "lopande", "target_count": None, "unit": ""}, "Ansvarig"),
        ({"text": "x", "owner": "Polisen", "target_type": "minst", "target_count": None, "unit": ""}, "antal"),
    ],
)
def test_commitment_validation(seeded: Store, fields: dict, message: str) -> None:
    promise = seeded.promise("1960", 2023)
    with pytest.raises(InputError, match=message):
        editing.add_commitment(
            seeded, KUNGSOR, focus_area_id=promise.focus_areas[0].id, promise_id=promise.id, **fields
        )


def test_unknown_kommun_is_refused(seeded: Store) -> None:
    with pytest.raises(InputError, match="Okänd kommunkod"):
        editing.create_promise(seeded, KUNGSOR, kommun_code="9999", year=2025, title="x")


def test_hostile_text_is_stored_as_text(seeded: Store) -> None:
    cid = _commitment(seeded, "1960", 2023, "Ordinarie trafikkontroller")
    note = '<script>alert(1)</script> =HYPERLINK("x") **fet**\x07'
    aid = editing.log_activity(seeded, KUNGSOR, commitment_id=cid, on=date(2023, 6, 1), count=1, note=note)
    stored = seeded.activities(seeded.promise("1960", 2023).id).set_index("id").loc[aid, "note"]
    assert stored == note.replace("\x07", "")


def test_comments_per_tertial_are_replaced_and_audited(seeded: Store) -> None:
    cid = _commitment(seeded, "1960", 2023, "Ordinarie trafikkontroller")
    editing.set_comment(seeded, KUNGSOR, commitment_id=cid, tertial=2, text="Fokus på Kungsgatan.")
    editing.set_comment(seeded, KUNGSOR, commitment_id=cid, tertial=2, text="Fokus på Kungsgatan och Torget.")
    stored = audit.comments(seeded, [cid])
    assert stored["text"].tolist() == ["Fokus på Kungsgatan och Torget."]
    assert audit.history(seeded, ["1960"])["action"].tolist() == ["ändra", "skapa"]


def test_import_is_all_or_nothing(seeded: Store) -> None:
    cid = _commitment(seeded, "1960", 2023, "Ordinarie trafikkontroller")
    rows = [
        {"commitment_id": cid, "date": date(2023, 3, 1), "count": 2, "place": "", "note": "", "reported_by": ""},
        {"commitment_id": cid, "date": date(2024, 3, 1), "count": 2, "place": "", "note": "", "reported_by": ""},
    ]
    before = seeded.count("activity")
    with pytest.raises(InputError, match="Rad 3"):
        editing.import_activities(seeded, KUNGSOR, rows)
    assert seeded.count("activity") == before
    assert editing.import_activities(seeded, KUNGSOR, rows[:1]) == 1


def test_edit_promise_and_focus_area_and_undo(seeded: Store) -> None:
    promise = seeded.promise("1960", 2024)
    editing.update_promise(
        seeded,
        KUNGSOR,
        promise_id=promise.id,
        title="Medborgarlöfte 2024 (reviderat)",
        summary="Ny lägesbild.",
        signed_date=date(2023, 12, 14),
        signatories=["A", " ", "B"],
    )
    area = promise.focus_areas[1]
    editing.update_focus_area(
        seeded, KUNGSOR, focus_area_id=area.id, name="Bedrägerier mot äldre", crime_types=["bedrageri"]
    )
    changed = seeded.promise("1960", 2024)
    assert (changed.title, changed.signatories) == ("Medborgarlöfte 2024 (reviderat)", ("A", "B"))
    assert changed.focus_areas[1].name == "Bedrägerier mot äldre"
    with pytest.raises(InputError, match="Okända brottstyper"):
        editing.update_focus_area(seeded, KUNGSOR, focus_area_id=area.id, name="x", crime_types=["mord"])
    with pytest.raises(AccessError):
        editing.update_promise(seeded, KATRINEHOLM, promise_id=promise.id, title="x")
    editing.undo(seeded, KUNGSOR, int(audit.history(seeded, ["1960"]).iloc[0]["id"]))
    assert seeded.promise("1960", 2024).focus_areas[1].name == area.name


@pytest.mark.parametrize(("meeting", "due"), [(date(1800, 3, 1), None), (date(2025, 3, 1), date(9999, 1, 1))])
def test_a_decision_far_in_the_past_or_future_is_refused(seeded: Store, meeting: date, due: date | None) -> None:
    with pytest.raises(InputError, match="år som appen följer"):
        editing.add_decision(
            seeded, KUNGSOR, kommun_code="1960", meeting_date=meeting, kind="åtgärd", text="Gör", owner="Anna", due=due
        )
    assert seeded.decisions("1960").empty


def test_an_own_incident_far_in_the_past_is_refused(seeded: Store) -> None:
    from datetime import datetime

    before = seeded.count("incident")
    with pytest.raises(InputError, match="år som appen följer"):
        editing.add_incident(
            seeded, KUNGSOR, kommun_code="1960", occurred_at=datetime(1800, 5, 1, 12), category="Skadegörelse"
        )
    assert seeded.count("incident") == before
