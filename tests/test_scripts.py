"""scripts/postgres-for-tests stops the PostgreSQL cluster it started, and only that one (Debian tools stubbed)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "postgres-for-tests"
STUBS = {
    "ls": "echo 15",
    "pg_lsclusters": 'echo "15 main 5432 online postgres /var/lib/postgresql/15/main log"',
    # status exits 0 while the cluster runs (the file "running" exists), 3 when it is down, like Debian's tool.
    "pg_ctlcluster": (
        'echo "$*" >> "$STUB_DIR/calls"\n'
        'case "$3" in\n'
        '  status) [ -e "$STUB_DIR/running" ] || exit 3 ;;\n'
        '  start) touch "$STUB_DIR/running" ;;\n'
        '  stop) rm -f "$STUB_DIR/running" ;;\n'
        "esac"
    ),
    "pg_createcluster": 'echo "create $*" >> "$STUB_DIR/calls"',
    "su": "echo 1",  # the role and the database exist already
}


@pytest.fixture
def stubs(tmp_path: Path) -> Path:
    for name, body in STUBS.items():
        path = tmp_path / name
        path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        path.chmod(0o755)
    return tmp_path


def _run(stubs: Path, *args: str) -> str:
    env = os.environ | {"PATH": f"{stubs}:{os.environ['PATH']}", "STUB_DIR": str(stubs)}
    done = subprocess.run(["bash", str(SCRIPT), *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def _calls(stubs: Path) -> list[str]:
    log = stubs / "calls"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_a_cluster_it_started_is_stopped_again(stubs: Path) -> None:
    state = stubs / "state"
    assert (
        _run(stubs, str(state)).splitlines()[-1]
        == "postgresql+psycopg://lofte_test:lofte_test@127.0.0.1:5432/lofte_test"
    )
    assert (stubs / "running").exists()
    assert state.read_text(encoding="utf-8").split() == ["15", "main"]
    _run(stubs, "--stop", str(state))
    assert not (stubs / "running").exists()
    assert _calls(stubs)[-1] == "15 main stop"


def test_a_cluster_that_was_already_running_is_left_alone(stubs: Path) -> None:
    (stubs / "running").touch()
    state = stubs / "state"
    _run(stubs, str(state))
    _run(stubs, "--stop", str(state))
    assert (stubs / "running").exists()
    assert [c for c in _calls(stubs) if "status" not in c] == []


def test_scripts_test_stops_postgres_on_exit_even_when_the_tests_fail() -> None:
    text = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    assert "trap 'scripts/postgres-for-tests --stop" in text and "EXIT" in text
    assert "exec python -m pytest" not in text  # exec would skip the trap
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().endswith("exec ./scripts/test")
