"""Shared fixtures: a fresh database per test, Streamlit caches cleared, AppTest on the real entry point."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import responses
import sqlalchemy as sa

from lofte_data.backup import reset_sequences
from lofte_data.migrations import current_metadata
from lofte_data.seed import seed_defaults
from lofte_data.storage import Store
from recorded import unmatched

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference"


def _start_app_tests_once() -> None:
    """Every new AppTest session scans the metadata of every installed distribution for Streamlit components
    (about 0.3 s, half of a short AppTest), and every run compiles the app's scripts again. Nothing is
    installed and no script changes while the tests run: scan once a process, and share one script cache."""
    from streamlit.components.v2 import manifest_scanner
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)
    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared  # type: ignore[assignment]


_start_app_tests_once()


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'lofte.sqlite3'}"
    monkeypatch.setenv("LOFTE_DATABASE_URL", url)
    return url


POSTGRES_URL = os.environ.get("LOFTE_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


def _empty_postgres(url: str) -> str:
    """Drop everything in the test database's public schema, so each test starts from nothing."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, db_url: str) -> str:
    """The same storage tests on SQLite and, when LOFTE_TEST_POSTGRES_URL is set (scripts/test does), PostgreSQL."""
    return db_url if request.param == "sqlite" else _empty_postgres(POSTGRES_URL)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store.open(store_url)
    yield opened
    opened.engine.dispose()


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The embedded data loaded once a test process into a SQLite file: a test copies it (milliseconds) instead
    of loading it again (most of a second on a busy machine)."""
    path = tmp_path_factory.mktemp("seeded") / "seeded.sqlite3"
    store = Store.open(f"sqlite:///{path}")
    seed_defaults(store)
    store.engine.dispose()
    return path


SEEDED_SCHEMA = "lofte_seeded"  # beside public in the PostgreSQL test database; _empty_postgres leaves it


@pytest.fixture(scope="session")
def seeded_postgres() -> bool:
    """On PostgreSQL (when the tests have one), the embedded data loaded once a test process and every table's
    rows kept in SEEDED_SCHEMA. False without PostgreSQL."""
    if not POSTGRES_URL:
        return False
    store = Store.open(_empty_postgres(POSTGRES_URL))
    seed_defaults(store)
    with store.engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SEEDED_SCHEMA} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {SEEDED_SCHEMA}"))
        for table in current_metadata().sorted_tables:
            conn.execute(sa.text(f"CREATE TABLE {SEEDED_SCHEMA}.{table.name} AS SELECT * FROM public.{table.name}"))
    store.engine.dispose()
    return True


def _copy_seeded_rows(store: Store) -> None:
    """Replace the rows of the freshly migrated public schema (the migrations' own included) with those kept by
    ``seeded_postgres``, parents before children; serial ids go on after the highest copied one."""
    tables = current_metadata().sorted_tables
    with store.engine.begin() as conn:
        conn.execute(sa.text("TRUNCATE " + ", ".join(f"public.{table.name}" for table in tables)))
        for table in tables:
            conn.execute(sa.text(f"INSERT INTO public.{table.name} SELECT * FROM {SEEDED_SCHEMA}.{table.name}"))
        reset_sequences(conn, tables)


@pytest.fixture
def seeded(request: pytest.FixtureRequest, store: Store) -> Store:
    """``store`` with the embedded data, as ``seed_defaults`` loads it: copied from the data loaded once a test
    process (``seeded_sqlite``, ``seeded_postgres``) instead of loaded again for every test. Each copy is made
    only by a test on its backend: a SQLite test never touches the shared PostgreSQL database."""
    if store.engine.dialect.name == "sqlite":
        copy_database(request.getfixturevalue("seeded_sqlite"), Path(store.engine.url.database))
    elif request.getfixturevalue("seeded_postgres"):
        _copy_seeded_rows(store)
    seed_defaults(store)
    return store


@pytest.fixture
def web() -> Iterator[responses.RequestsMock]:
    """Recorded HTTP (``responses``): every request is answered from what the test registered, never the network.

    ``responses`` turns a request without a recording into a ConnectionError, which a client may retry and
    translate; so the fixture fails the test afterwards, whatever the client made of it."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
        assert unmatched(mock) == [], "requests without a recording"


@pytest.fixture
def app(db_url: str, seeded_sqlite: Path):
    """An AppTest factory on dashboard.py with kommun and year in the URL; caches start empty. A database no
    other fixture has made yet starts as the app's first start leaves it: with the embedded data."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    database = Path(db_url.removeprefix("sqlite:///"))
    if not database.exists():
        copy_database(seeded_sqlite, database)
    st.cache_data.clear()
    st.cache_resource.clear()

    def make(kommun: str | None = "1960", year: str | None = "2023", page: str | None = None, **params: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
        if kommun is not None:
            at.query_params["kommun"] = kommun
        if year is not None:
            at.query_params["ar"] = year
        for name, value in params.items():
            at.query_params[name] = value
        at.run()
        if page:
            at.switch_page(page).run()
        return at

    yield make
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With pytest-xdist (scripts/test runs two workers), every test that empties and fills the one PostgreSQL
    test database runs in the same worker, one after the other."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        on_postgres = params.get("store_url") == "postgresql" or "postgresql" in item.nodeid
        if on_postgres or item.module.__name__.endswith("test_backup"):
            item.add_marker(pytest.mark.xdist_group("postgres"))


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database file, also while it is open in WAL mode (a plain file copy would
    miss what still sits in the -wal file)."""
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
