"""Upgrading from every earlier schema version keeps every record: tests/fixtures/schemas holds a small SQLite
database per version (built by make_fixtures.py with migrations 1..N and a few rows in every table), and each is
migrated to today's schema and compared row by row on the columns it had."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from lofte_data.migrations import MIGRATIONS
from lofte_data.storage import Store

FIXTURES = Path(__file__).parent / "fixtures" / "schemas"
VERSIONS = sorted(int(p.stem.split("_")[1]) for p in FIXTURES.glob("schema_*.sqlite3"))


def _rows(path: Path) -> dict[str, list[dict]]:
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: [dict(r) for r in conn.execute(f"SELECT * FROM {n} ORDER BY rowid")] for n in names}


def test_there_is_a_fixture_for_every_earlier_schema_version() -> None:
    assert VERSIONS == list(range(1, MIGRATIONS[-1].number + 1))


@pytest.mark.parametrize("version", VERSIONS)
def test_upgrading_keeps_every_record(version: int, tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / f"schema_{version}.sqlite3", path)
    before = _rows(path)
    store = Store.open(f"sqlite:///{path}")
    assert store.schema_version() == MIGRATIONS[-1].number
    store.engine.dispose()
    after = _rows(path)
    for table, rows in before.items():
        if table == "schema_migrations":
            continue
        assert len(after[table]) == len(rows), table
        kept = [{k: row[k] for k in rows[0]} for row in after[table]] if rows else []
        assert kept == rows, table
    assert sum(len(rows) for rows in before.values()) > len(before)  # the fixture holds data, not only tables
    promise = Store.open(f"sqlite:///{path}").promise("1960", 2023)
    assert promise is not None and promise.focus_areas[0].commitments[0].text == "Kontroller"
