"""Migration 8: a promise is published for the public page, and the lägesbild prose is stored and audited."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lofte_data import audit, editing
from lofte_data.access import AccessError, Editor
from lofte_data.errors import InputError
from lofte_data.migrations import MIGRATIONS
from lofte_data.storage import Store, create_engine

KUNGSOR = Editor("anna@kungsor.se", "Anna Andersson", frozenset({"1960"}), "lösenord")
KATRINEHOLM = Editor("kim@katrineholm.se", "Kim", frozenset({"0483"}), "oidc")


def test_upgrade_publishes_the_promises_taken_from_a_source_document(store_url: str) -> None:
    old = Store(create_engine(store_url))
    old.migrate(tuple(m for m in MIGRATIONS if m.number < 8))  # a database as it was before migration 8
    with old.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO kommun (code, name, lan_code, lan_name, police_area, police_region, kind) "
                "VALUES ('1960', 'Kungsör', '19', 'Västmanlands län', '', '', 'K')"
            )
        )
        conn.execute(sa.text("INSERT INTO source_document (key, title, publisher) VALUES ('k', 'Löftet', 'Kungsör')"))
        conn.execute(
            sa.text(
                "INSERT INTO promise (kommun_code, year, title, summary, signatories, source_key) "
                "VALUES ('1960', 2024, 'Ur källan', '', '', 'k'), ('1960', 2025, 'I appen', '', '', NULL)"
            )
        )
    assert old.migrate()[0] == 8
    assert old.promise("1960", 2024).published is True
    assert old.promise("1960", 2025).published is False
    assert old.promise("1960", 2025).plan_summary == ""
    old.engine.dispose()


def test_the_seeded_promises_are_published(seeded: Store) -> None:
    assert all(seeded.promise(code, year).published for code, year in [("1960", 2023), ("0483", 2019)])
    assert 8 in [m.number for m in MIGRATIONS]


def test_a_promise_created_in_the_app_starts_unpublished(seeded: Store) -> None:
    editing.create_promise(seeded, KUNGSOR, kommun_code="1960", year=2026, title="Medborgarlöfte 2026")
    assert seeded.promise("1960", 2026).published is False


def test_publishing_is_audited_and_can_be_undone(seeded: Store) -> None:
    promise = seeded.promise("1960", 2023)
    editing.set_published(seeded, KUNGSOR, promise_id=promise.id, published=False)
    assert seeded.promise("1960", 2023).published is False
    entry = audit.history(seeded, ["1960"]).iloc[0]
    assert (entry["actor"], entry["entity"], entry["summary"]) == (
        "Anna Andersson",
        "löfte",
        "Tog ned löftet från allmänhetens sida",
    )
    editing.undo(seeded, KUNGSOR, int(entry["id"]))
    assert seeded.promise("1960", 2023).published is True


def test_publishing_checks_access_and_input(seeded: Store) -> None:
    promise = seeded.promise("1960", 2023)
    with pytest.raises(AccessError):
        editing.set_published(seeded, KATRINEHOLM, promise_id=promise.id, published=False)
    with pytest.raises(InputError, match="ja eller nej"):
        editing.set_published(seeded, KUNGSOR, promise_id=promise.id, published="ja")
    assert seeded.promise("1960", 2023).published is True


def test_plan_texts_are_stored_cleaned_and_audited(seeded: Store) -> None:
    promise = seeded.promise("1960", 2024)
    editing.update_plan_texts(
        seeded, KUNGSOR, promise_id=promise.id, plan_summary="  Sammanfattat.\x07 ", plan_analysis="<b>Analys</b>"
    )
    stored = seeded.promise("1960", 2024)
    assert (stored.plan_summary, stored.plan_analysis) == ("Sammanfattat.", "<b>Analys</b>")
    entry = audit.history(seeded, ["1960"]).iloc[0]
    assert entry["summary"] == "Ändrat sammanfattning och analys för lägesbilden"
    assert '"plan_summary": ""' in entry["old_value"]
    with pytest.raises(InputError, match="högst 10000 tecken"):
        editing.update_plan_texts(seeded, KUNGSOR, promise_id=promise.id, plan_summary="x" * 10_001, plan_analysis="")
    with pytest.raises(AccessError):
        editing.update_plan_texts(seeded, KATRINEHOLM, promise_id=promise.id, plan_summary="", plan_analysis="")
