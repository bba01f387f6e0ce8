"""SQLite under load: WAL, a busy timeout and write transactions that take the lock up front, so two processes
writing at once lose nothing, a reader never sees "database is locked", and a database error is a Swedish
StorageError. Bounded loops on local files only."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lofte_data import storage
from lofte_data.errors import StorageError
from lofte_data.seed import seed_defaults
from lofte_data.storage import Store

ROOT = Path(__file__).resolve().parents[1]
WORKER = ROOT / "tests" / "support" / "db_worker.py"
SAVES = 30


def _start(url: str, job: str, amount: str) -> subprocess.Popen[str]:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    return subprocess.Popen(
        [sys.executable, str(WORKER), url, job, amount], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )


@pytest.fixture
def seeded_file(db_url: str) -> str:
    store = Store.open(db_url)
    seed_defaults(store)
    store.engine.dispose()
    return db_url


def test_two_editors_and_a_long_import_lose_no_write_and_a_reader_sees_no_error(seeded_file: str) -> None:
    before = Store.open(seeded_file).count("activity")
    hold = _start(seeded_file, "hold", "3")
    time.sleep(0.5)  # the "import" holds the write lock for 3 s from here
    workers = [_start(seeded_file, "editor", str(SAVES)), _start(seeded_file, "editor", str(SAVES))]
    reader = _start(seeded_file, "read", "4")
    outputs = [(p.communicate(timeout=120)[0].strip(), p.returncode) for p in (hold, *workers, reader)]
    assert [code for _, code in outputs] == [0, 0, 0, 0], outputs
    assert outputs[1][0] == outputs[2][0] == f"ok {SAVES}"
    assert int(outputs[3][0].split()[1]) > 0  # the reader read all along, without an error
    after = Store.open(seeded_file)
    assert after.count("activity") == before + 2 * SAVES
    assert after.count("audit_log") == 2 * SAVES


def test_the_database_runs_in_wal_mode(seeded_file: str) -> None:
    with sqlite3.connect(seeded_file.removeprefix("sqlite:///")) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_database_locked_for_too_long_is_a_swedish_storage_error(
    seeded_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(storage, "BEGIN_ATTEMPTS", 2)
    store = Store.open(seeded_file)
    blocker = sqlite3.connect(seeded_file.removeprefix("sqlite:///"), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageError, match="upptagen") as raised:
            store.mark_dataset("x", source="test")
        assert "locked" in str(raised.value.__cause__)  # the cause is kept for the log
        assert store.dataset("bra") is not None  # WAL: reading goes on while another process writes
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_a_read_error_is_a_swedish_storage_error(seeded_file: str) -> None:
    store = Store.open(seeded_file)
    with sqlite3.connect(seeded_file.removeprefix("sqlite:///")) as conn:
        conn.execute("ALTER TABLE decision RENAME TO decision_gone")
    with pytest.raises(StorageError, match="kunde inte läsas från databasen"):
        store.decisions("1960")
