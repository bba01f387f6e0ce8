"""A Brå import killed with SIGKILL while it writes leaves the database as it was: the real command in a child
process, a national-format file large enough to be written in more than one batch, killed once the first
batch sits in the write-ahead log."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from lofte_data import storage
from lofte_data.seed import seed_defaults
from lofte_data.storage import Store
from scripts import national_data
from tests.conftest import copy_database

ROOT = Path(__file__).resolve().parents[1]
SCALE = 0.1  # 31 kommuner x 20 years x 12 months: about 82 000 rows, two insert batches
# Past this size the write-ahead log holds the first batch of 50 000 rows (about 5 MB) and more; the commit
# comes only after the second batch and the audit log (about 22 MB).
KILL_AT_WAL_BYTES = 6 * 1024 * 1024
TABLES = ("crime_stat", "audit_log", "dataset")


def _dump(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as conn:
        return {name: sorted(conn.execute(f"SELECT * FROM {name}"), key=repr) for name in TABLES}


def _import(path: Path, export: Path) -> subprocess.Popen[bytes]:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "LOFTE_DATABASE_URL": f"sqlite:///{path}"}
    command = [sys.executable, "-m", "lofte_data", "import-bra", str(export)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _kill_while_writing(child: subprocess.Popen[bytes], wal: Path) -> int:
    """SIGKILL as soon as the log has grown past the first batch; returns the log's size at that moment."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:
        size = wal.stat().st_size if wal.exists() else 0
        if size > KILL_AT_WAL_BYTES:
            os.kill(child.pid, signal.SIGKILL)
            child.communicate(timeout=30)
            return size
        time.sleep(0.005)
    child.kill()
    raise AssertionError(f"the import ended before it was killed: {child.communicate(timeout=30)}")


def test_an_import_killed_mid_write_leaves_the_database_as_it_was(db_url: str, tmp_path: Path) -> None:
    seed_defaults(Store.open(db_url))  # the original stays open, in WAL mode
    original = Path(db_url.removeprefix("sqlite:///"))
    victim = tmp_path / "victim.sqlite3"
    copy_database(original, victim)
    export = tmp_path / "Databasfil.txt"
    export.write_bytes(national_data.databasfil(SCALE))
    assert export.read_bytes().count(b"\n") > storage.INSERT_CHUNK  # written in more than one batch
    before = _dump(victim)

    child = _import(victim, export)
    wal_size = _kill_while_writing(child, victim.with_name(victim.name + "-wal"))

    assert child.returncode == -signal.SIGKILL
    assert wal_size > KILL_AT_WAL_BYTES
    with sqlite3.connect(victim) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert _dump(victim) == before  # not a row of either batch, no audit entry, no new dataset date
    assert len(before["crime_stat"]) > 0
