"""Backup and restore: every table round-trips exactly (a dump compared before and after), on SQLite, on
PostgreSQL when LOFTE_TEST_POSTGRES_URL is set, and across the two; a newer schema and a broken file are
refused and leave the database as it was."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from lofte_data import backup, editing, signoff
from lofte_data.__main__ import main
from lofte_data.access import Editor
from lofte_data.errors import InputError, StorageError
from lofte_data.importing import import_bra
from lofte_data.seed import seed_defaults
from lofte_data.storage import Store
from tests.conftest import POSTGRES_URL, _empty_postgres

ANNA = Editor("anna@kungsor.se", "Anna Andersson", frozenset({"1960"}), "lösenord", party="Kommunen")
PER = Editor("per@polisen.se", "Per Persson", frozenset({"1960"}), "lösenord", party="Polisen")


def _busy(store: Store) -> Store:
    """A database with something in every kind of table: seed data, edits, audit, an import, an incident."""
    seed_defaults(store)
    cid = next(c.id for a in store.promise("1960", 2023).focus_areas for c in a.commitments)
    editing.log_activity(store, ANNA, commitment_id=cid, on=date(2023, 4, 1), count=3, note="Ö & <b>x</b> =1+1")
    editing.set_comment(store, ANNA, commitment_id=cid, tertial=1, text="Kommentar\nmed två rader")
    editing.add_decision(
        store, ANNA, kommun_code="1960", meeting_date=date(2023, 5, 2), kind="åtgärd", text="Gör", owner="Bo"
    )
    editing.add_place(store, ANNA, kommun_code="1960", name="Torget", lat=59.42, lon=16.09)
    editing.add_incident(store, ANNA, kommun_code="1960", occurred_at=datetime(2023, 6, 1, 22, 15), category="Klotter")
    data = "Region;Brott;År;Period;Antal;/100 000 inv\nKungsör kommun;Totalt antal brott;2016;Jan;999;12,5;\n"
    import_bra(store, data.encode(), filename="k.txt", editor=ANNA)
    store.upsert_kpi_values(
        pd.DataFrame([{"area_code": "1960", "kpi": "N07540", "year": 2022, "value": 0.1 + 0.2}]), source="t"
    )
    store.record_call("polisen", 1234.5)
    _cycle(store)
    return store


def _cycle(store: Store) -> None:
    """The tertial cycle's tables: notes on the charts and a frozen tertial signed by one party."""
    area = store.promise("1960", 2023).focus_areas[0]
    editing.add_annotation(store, ANNA, kommun_code="1960", day=date(2023, 3, 14), text="Hundsök <b>x</b>")
    editing.add_annotation(
        store, ANNA, kommun_code="1960", day=date(2023, 6, 1), text="Månad", month_only=True, focus_area_id=area.id
    )
    frozen_id = signoff.freeze(store, ANNA, kommun_code="1960", year=2023, tertial=2, today=date(2023, 9, 1))
    signoff.sign(store, PER, frozen_id=frozen_id)


def _fresh(url: str) -> Store:
    return Store.open(_empty_postgres(url) if url.startswith("postgresql") else url)


def test_backup_and_restore_round_trip_every_table(store: Store, tmp_path: Path) -> None:
    before = backup.dump(_busy(store))
    kinds = ("promise", "audit_log", "decision", "incident", "kpi_value", "place", "annotation", "frozen_tertial")
    assert all(before[name]["rows"] for name in kinds)
    file = backup.backup(store)
    target = Store.open(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    backup.restore(target, file)
    assert backup.dump(target) == before
    backup.restore(store, file)  # onto itself, replacing everything
    assert backup.dump(store) == before
    assert editing.log_activity(  # ids continue after the restored ones (PostgreSQL sequences reset)
        store,
        ANNA,
        commitment_id=next(c.id for a in store.promise("1960", 2023).focus_areas for c in a.commitments),
        on=date(2023, 4, 2),
        count=1,
    ) > max(row[0] for row in before["activity"]["rows"])


def test_the_tertial_cycle_round_trips_notes_and_a_signed_frozen_tertial(store: Store, tmp_path: Path) -> None:
    before = backup.dump(_busy(store))
    frozen = before["frozen_tertial"]
    signed = frozen["rows"][0][frozen["columns"].index("signed_polisen_by")]
    assert (len(before["annotation"]["rows"]), len(frozen["rows"]), signed) == (2, 1, "Per Persson")
    target = Store.open(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    backup.restore(target, backup.backup(store))
    after = backup.dump(target)
    assert (after["annotation"], after["frozen_tertial"]) == (before["annotation"], before["frozen_tertial"])
    assert [s.label for s in signoff.states(target, "1960", 2023)] == ["öppen", "undertecknad av Polisen", "öppen"]


def test_every_table_a_migration_creates_is_in_the_backup(store: Store) -> None:
    migrated = set(sa.inspect(store.engine).get_table_names()) - {"schema_migrations"}
    assert migrated == set(backup.dump(store))
    assert {"annotation", "frozen_tertial"} <= migrated


@pytest.mark.skipif(not POSTGRES_URL, reason="LOFTE_TEST_POSTGRES_URL är inte satt")
def test_a_backup_moves_between_sqlite_and_postgresql(db_url: str) -> None:
    sqlite = _busy(Store.open(db_url))
    before = backup.dump(sqlite)
    postgres = _fresh(POSTGRES_URL)
    backup.restore(postgres, backup.backup(sqlite))
    assert backup.dump(postgres) == before
    back = Store.open(db_url.replace("lofte.sqlite3", "back.sqlite3"))
    backup.restore(back, backup.backup(postgres))
    assert backup.dump(back) == before


def test_restore_refuses_a_newer_schema_and_changes_nothing(store: Store) -> None:
    seed_defaults(store)
    before = backup.dump(store)
    document = json.loads(backup.backup(store))
    document["schema"] += 1
    with pytest.raises(InputError, match="nyare version av appen"):
        backup.restore(store, json.dumps(document).encode())
    assert backup.dump(store) == before


def test_restore_is_all_or_nothing(store: Store) -> None:
    seed_defaults(store)
    before = backup.dump(store)
    document = json.loads(backup.backup(store))
    promise = document["tables"]["promise"]
    promise["rows"][-1][promise["columns"].index("kommun_code")] = "9999"  # no such kommun: fails at the end
    with pytest.raises(StorageError, match="sparades inte"):
        backup.restore(store, json.dumps(document).encode())
    assert backup.dump(store) == before
    with pytest.raises(InputError, match="ingen säkerhetskopia"):
        backup.restore(store, b"[" * 100_000)


def test_backup_and_restore_from_the_command_line(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    store = _busy(Store.open(db_url))
    before = backup.dump(store)
    file = tmp_path / "kopia.json"
    assert main(["backup", "-o", str(file)]) == 0
    editing.add_decision(store, ANNA, kommun_code="1960", meeting_date=date(2023, 6, 1), kind="beslut", text="Efteråt")
    assert main(["restore", str(file)]) == 0
    assert backup.dump(Store.open(db_url)) == before
    assert "Databasen är återställd" in capsys.readouterr().out
    file.write_text("inte json")
    assert main(["restore", str(file)]) == 2
    assert "Fel: Filen är ingen säkerhetskopia" in capsys.readouterr().err
