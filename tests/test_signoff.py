"""Frozen tertials: freezing keeps the report as it was, editing refuses frozen tertials, sign-off and unfreezing
need both parties, and later edits to the promise are listed."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime

import pytest

from lofte_data import audit, editing, report, report_data, signoff
from lofte_data.access import AccessError, Editor
from lofte_data.audit import Entity
from lofte_data.errors import InputError
from lofte_data.storage import Store

POLIS = Editor("per@polisen.se", "Per Polis", frozenset({"1960"}), "lösenord", party="Polisen")
KOMMUN = Editor("anna@kungsor.se", "Anna Andersson", frozenset({"1960"}), "lösenord", party="Kommunen")
NO_PARTY = Editor("rita@kungsor.se", "Rita Rapportör", frozenset({"1960"}), "lösenord")
TODAY = date(2024, 1, 10)


def _commitment(store: Store, text: str = "Ordinarie trafikkontroller") -> int:
    promise = store.promise("1960", 2023)
    return next(c.id for a in promise.focus_areas for c in a.commitments if c.text.startswith(text))


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def _freeze(store: Store, tertial: int = 2) -> int:
    return signoff.freeze(store, KOMMUN, kommun_code="1960", year=2023, tertial=tertial, today=TODAY)


def _state(**row: object) -> signoff.TertialState:
    frozen = {"frozen_at": datetime(2023, 8, 31, 22, 30, tzinfo=UTC)}  # 1 September in Sweden
    names = ("signed_polisen_by", "signed_kommunen_by", "unfreeze_polisen_by", "unfreeze_kommunen_by")
    return signoff.TertialState(2, frozen | dict.fromkeys(names) | row)


def test_the_frozen_line_names_who_signed_and_who_is_awaited() -> None:
    assert signoff.frozen_text(signoff.TertialState(2, None), 2023) == ""
    assert signoff.frozen_text(_state(), 2023) == (
        "Tertial 2 2023 fryst 1 sep 2023 · väntar på underskrift av Polisen och Kommunen"
    )
    one = _state(signed_kommunen_by="Anna Andersson", unfreeze_polisen_by="Per Polis")
    assert signoff.frozen_text(one, 2023) == (
        "Tertial 2 2023 fryst 1 sep 2023 · undertecknad av Kommunen (Anna Andersson) · väntar på underskrift av "
        "Polisen · upplåsning begärd av Polisen"
    )
    both = _state(signed_polisen_by="Per Polis", signed_kommunen_by="Anna Andersson")
    assert signoff.frozen_text(both, 2023) == (
        "Tertial 2 2023 fryst 1 sep 2023 · undertecknad av Polisen (Per Polis) och Kommunen (Anna Andersson)"
    )


def test_frozen_texts_has_a_line_per_frozen_tertial_only(seeded: Store) -> None:
    assert signoff.frozen_texts(seeded, "1960", 2023) == []
    signoff.sign(seeded, POLIS, frozen_id=_freeze(seeded))
    (line,) = signoff.frozen_texts(seeded, "1960", 2023)
    assert line.startswith("Tertial 2 2023 fryst ") and line.endswith(
        "· undertecknad av Polisen (Per Polis) · väntar på underskrift av Kommunen"
    )
    assert signoff.frozen_texts(seeded, "1960", 2019) == []  # no promise that year


def test_a_tertial_is_open_until_frozen_then_signed_by_one_party_then_both(seeded: Store) -> None:
    assert [s.label for s in signoff.states(seeded, "1960", 2023)] == ["öppen"] * 3
    frozen_id = _freeze(seeded)
    assert [s.label for s in signoff.states(seeded, "1960", 2023)] == ["öppen", "fryst", "öppen"]
    assert signoff.sign(seeded, POLIS, frozen_id=frozen_id) == "undertecknad av Polisen"
    state = signoff.states(seeded, "1960", 2023)[1]
    assert not state.fully_signed and state.signed_by("Polisen") == "Per Polis"
    assert signoff.sign(seeded, KOMMUN, frozen_id=frozen_id) == "undertecknad av båda"
    assert signoff.states(seeded, "1960", 2023)[1].fully_signed
    actions = audit.history(seeded, ["1960"])["summary"].tolist()
    assert actions[:3] == [
        "Undertecknade tertial 2 för Kommunen",
        "Undertecknade tertial 2 för Polisen",
        "Frös tertial 2 2023",
    ]


def test_one_party_alone_cannot_sign_off(seeded: Store) -> None:
    frozen_id = _freeze(seeded)
    signoff.sign(seeded, POLIS, frozen_id=frozen_id)
    with pytest.raises(InputError, match="redan undertecknat för Polisen"):
        signoff.sign(seeded, POLIS, frozen_id=frozen_id)
    with pytest.raises(AccessError, match="anger inte för vilken part"):
        signoff.sign(seeded, NO_PARTY, frozen_id=frozen_id)
    assert not signoff.states(seeded, "1960", 2023)[1].fully_signed


def test_an_editor_of_another_kommun_cannot_freeze_or_sign(seeded: Store) -> None:
    other = Editor("kim@katrineholm.se", "Kim", frozenset({"0483"}), "oidc", party="Kommunen")
    with pytest.raises(AccessError):
        signoff.freeze(seeded, other, kommun_code="1960", year=2023, tertial=1, today=TODAY)
    frozen_id = _freeze(seeded)
    with pytest.raises(AccessError):
        signoff.sign(seeded, other, frozen_id=frozen_id)


def test_a_running_tertial_cannot_be_frozen_nor_one_twice(seeded: Store) -> None:
    with pytest.raises(InputError, match="slutar 31 aug 2023"):
        signoff.freeze(seeded, KOMMUN, kommun_code="1960", year=2023, tertial=2, today=date(2023, 8, 30))
    _freeze(seeded)
    with pytest.raises(InputError, match="redan fryst"):
        _freeze(seeded)


def test_unfreezing_needs_both_parties_and_a_reason(seeded: Store) -> None:
    frozen_id = _freeze(seeded)
    with pytest.raises(InputError, match="tomt"):
        signoff.unfreeze(seeded, POLIS, frozen_id=frozen_id, reason="  ")
    assert signoff.unfreeze(seeded, POLIS, frozen_id=frozen_id, reason="Fel antal kontroller i maj") is False
    with pytest.raises(InputError, match="redan begärt"):
        signoff.unfreeze(seeded, POLIS, frozen_id=frozen_id, reason="igen")
    assert signoff.states(seeded, "1960", 2023)[1].frozen
    assert signoff.unfreeze(seeded, KOMMUN, frozen_id=frozen_id, reason="Instämmer") is True
    assert not signoff.states(seeded, "1960", 2023)[1].frozen
    logged = audit.history(seeded, ["1960"])["summary"].tolist()
    assert logged[0] == "Låste upp tertial 2 (Kommunen): Instämmer"
    assert logged[1] == "Begärde upplåsning av tertial 2 (Polisen): Fel antal kontroller i maj"
    cid = _commitment(seeded)
    editing.log_activity(seeded, KOMMUN, commitment_id=cid, on=date(2023, 5, 3), count=1)  # open again


def test_a_freeze_cannot_be_undone_from_history(seeded: Store) -> None:
    _freeze(seeded)
    entry = int(audit.history(seeded, ["1960"]).iloc[0]["id"])
    with pytest.raises(InputError, match="båda parter"):
        editing.undo(seeded, KOMMUN, entry)


def test_activities_and_comments_in_a_frozen_tertial_are_refused(seeded: Store) -> None:
    cid = _commitment(seeded)
    old = editing.log_activity(seeded, KOMMUN, commitment_id=cid, on=date(2023, 6, 1), count=2)
    _freeze(seeded)
    with pytest.raises(InputError, match="Tertial 2 2023 är fryst"):
        editing.log_activity(seeded, KOMMUN, commitment_id=cid, on=date(2023, 6, 2), count=1)
    with pytest.raises(InputError, match="fryst"):
        editing.set_comment(seeded, KOMMUN, commitment_id=cid, tertial=2, text="Ändrat i efterhand")
    with pytest.raises(InputError, match="fryst"):
        editing.delete(seeded, KOMMUN, Entity.ACTIVITY, old)
    rows = [{"commitment_id": cid, "date": date(2023, 7, 1), "count": 1, "place": "", "note": ""}]
    with pytest.raises(InputError, match="fryst"):
        editing.import_activities(seeded, KOMMUN, rows)
    editing.log_activity(seeded, KOMMUN, commitment_id=cid, on=date(2023, 10, 2), count=1)  # T3 is open
    editing.set_comment(seeded, KOMMUN, commitment_id=cid, tertial=3, text="Fortsatt arbete")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_an_edit_after_freezing_changes_neither_the_record_nor_the_pdf(seeded: Store) -> None:
    cid = _commitment(seeded)
    before_freeze = _pdf_text(report.build_report(seeded, kommun_code="1960", year=2023, tertial=2, today=TODAY))
    frozen_id = _freeze(seeded)
    record = seeded.frozen_tertials(seeded.promise_id("1960", 2023))[2]["record"]
    first = _pdf_text(report.build_report(seeded, kommun_code="1960", year=2023, tertial=2, today=TODAY))
    # Later edits: a T1-free commitment text, a T3 activity dated in T3 (not frozen), a promise title.
    editing.log_activity(seeded, KOMMUN, commitment_id=cid, on=date(2023, 10, 1), count=40)
    editing.update_promise(seeded, KOMMUN, promise_id=seeded.promise_id("1960", 2023), title="Nytt namn på löftet")
    again = _pdf_text(report.build_report(seeded, kommun_code="1960", year=2023, tertial=2, today=date(2025, 3, 1)))
    assert seeded.frozen_tertials(seeded.promise_id("1960", 2023))[2]["record"] == record
    assert again == first
    assert "Nytt namn på löftet" not in again and "Fryst uppföljning" in again
    assert first.replace(" ", "").count("Frystuppföljning") == 1 and "Fryst uppföljning" not in before_freeze
    live = _pdf_text(report.build_report(seeded, kommun_code="1960", year=2023, tertial=3, today=TODAY))
    assert "Nytt namn på löftet" in live  # the open T3 follows the edits
    changed = signoff.changed_since(seeded, signoff.states(seeded, "1960", 2023)[1])
    assert changed["summary"].tolist() == ["Aktivitet 2023-10-01: 40 st", "Ändrat löfte: Nytt namn på löftet"]
    signoff.sign(seeded, POLIS, frozen_id=frozen_id)
    assert "Undertecknad för Polisen av Per Polis" in _pdf_text(
        report.build_report(seeded, kommun_code="1960", year=2023, tertial=2, today=TODAY)
    ).replace("\n", " ")


def test_the_record_reads_back_to_the_same_report_data(seeded: Store) -> None:
    data = report_data.report_data(seeded, kommun_code="1960", year=2023, tertial=3, today=TODAY)
    text = report_data.to_record(data)
    assert report_data.to_record(report_data.from_record(text)) == text
    with pytest.raises(InputError, match="skadad"):
        report_data.from_record("{not json")


def test_the_party_comes_from_the_editors_entry_in_secrets() -> None:
    from lofte_data import access

    table = access.accounts(
        {
            "redaktorer": {
                "per@polisen.se": {"namn": "Per", "kommuner": ["1960"], "part": "polisen"},
                "anna@kungsor.se": {"namn": "Anna", "kommuner": ["1960"], "part": "Kommunen"},
                "rita@kungsor.se": {"namn": "Rita", "kommuner": ["1960"], "part": "Länsstyrelsen"},
            }
        }
    )
    parties = {k: access.editor_for(k, table, method="oidc").party for k in table}
    assert parties == {"per@polisen.se": "Polisen", "anna@kungsor.se": "Kommunen", "rita@kungsor.se": None}
