"""The database (core): a small class of verb methods over SQLAlchemy, SQLite or PostgreSQL by URL."""

from __future__ import annotations

import itertools
import math
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from lofte_data import config
from lofte_data.errors import StorageError
from lofte_data.migrations import MIGRATIONS, Migration, current_metadata
from lofte_data.models import Activity, Commitment, FocusArea, Kommun, Promise, SourceDocument

SCHEMA_TABLE = sa.Table(
    "schema_migrations",
    sa.MetaData(),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(80), nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)
T = current_metadata().tables


def now() -> datetime:
    return datetime.now(UTC)


BUSY_TIMEOUT_MS = 15_000  # SQLite: how long a statement waits for another process's lock before failing
BEGIN_ATTEMPTS = 4  # SQLite: a write transaction that still finds the database locked tries this many times
WRITE = "lofte_write"  # execution option: this connection's transaction will write (BEGIN IMMEDIATE on SQLite)


def create_engine(url: str) -> sa.Engine:
    """An engine whose database errors are StorageErrors with a Swedish message; on SQLite also foreign keys,
    WAL (readers never wait for a writer), a busy timeout and write transactions that take the lock up front."""
    try:
        engine = sa.create_engine(url, pool_pre_ping=True)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise StorageError(f"Databasadressen kunde inte användas: {exc}") from exc
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
    sa.event.listen(engine, "handle_error", _swedish_error)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:  # a DBAPI callback
    dbapi_connection.isolation_level = None  # transactions are begun by _sqlite_begin, not by the driver
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")  # an in-memory database answers "memory" and stays as it is
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: a power cut loses at most the last commit
    cursor.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    """BEGIN IMMEDIATE for writes: the write lock is taken (waiting up to the busy timeout) before anything is
    read, so a write never fails half-way with "database is locked"; a few more tries if it is still locked."""
    mode = "IMMEDIATE" if conn.get_execution_options().get(WRITE) else "DEFERRED"
    raw = conn.connection.dbapi_connection
    locked_error = conn.dialect.loaded_dbapi.OperationalError
    for attempt in range(1, BEGIN_ATTEMPTS + 1):
        try:
            raw.execute(f"BEGIN {mode}")  # type: ignore[union-attr]
            return
        except locked_error as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or attempt == BEGIN_ATTEMPTS:
                raise StorageError(_UNAVAILABLE) from exc
            time.sleep(0.05 * attempt)


_UNAVAILABLE = "Databasen är upptagen eller inte tillgänglig just nu. Försök igen om en stund; inget har gått förlorat."


def _swedish_error(context: sa.engine.ExceptionContext) -> None:
    """Every database error leaves Store as a StorageError with a Swedish message (the cause is kept)."""
    if context.is_pre_ping:
        return  # the pool handles a dead connection itself
    error = context.sqlalchemy_exception
    if isinstance(error, sa.exc.IntegrityError):
        raise StorageError(
            "Uppgifterna sparades inte: de strider mot databasens regler (okänd kommun, dubblett)."
        ) from error
    if isinstance(error, sa.exc.DBAPIError):
        reading = (context.statement or "").lstrip().upper().startswith(("SELECT", "PRAGMA", "WITH"))
        what = "Uppgifterna kunde inte läsas från databasen" if reading else "Inget sparades: databasen tog inte emot"
        raise StorageError(f"{what} just nu ({type(error.orig).__name__}). Försök igen om en stund.") from error


@dataclass
class UpsertCounts:
    """What writing imported figures did, per outcome."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_final: int = 0  # a preliminary figure never replaces a final one


@dataclass(frozen=True)
class IncidentSummary:
    """A kommun's incidents in brief: how many, the first and the last, and every category (sorted)."""

    count: int
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    categories: tuple[str, ...]


@dataclass(frozen=True)
class IncidentCounts:
    """Incidents archived now, and those skipped because they were archived before."""

    new: int
    already_archived: int


class Tx:
    """Verb methods inside one transaction (``Store.atomic``): everything is written, or nothing."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def insert(self, table_name: str, values: Mapping[str, Any]) -> int:
        """Insert one row; returns its new id."""
        return _new_id(self.conn.execute(sa.insert(T[table_name]).values(**values)))

    def update(self, table_name: str, row_id: int, values: Mapping[str, Any]) -> None:
        table = T[table_name]
        self.conn.execute(sa.update(table).where(table.c.id == row_id).values(**values))

    def delete_where(self, table_name: str, **equal: Any) -> int:
        """Remove the rows whose columns equal the keyword values (imported figures being undone)."""
        table = T[table_name]
        return self.conn.execute(sa.delete(table).where(*[table.c[k] == v for k, v in equal.items()])).rowcount

    def insert_rows(self, table_name: str, rows: list[dict[str, Any]]) -> None:
        """Insert many rows at once (no ids returned)."""
        if rows:
            self.conn.execute(sa.insert(T[table_name]), rows)

    def mark_dataset(self, name: str, *, source: str, note: str) -> None:
        Store._mark_dataset(self.conn, name, source=source, note=note)

    def rows(self, table_name: str, **equal: Any) -> list[dict[str, Any]]:
        """Every row whose columns equal the keyword values (None matches NULL)."""
        table = T[table_name]
        where = [table.c[k].is_(None) if v is None else table.c[k] == v for k, v in equal.items()]
        return [dict(r) for r in self.conn.execute(sa.select(table).where(*where)).mappings()]

    def row(self, table_name: str, row_id: int, columns: Iterable[str] | None = None) -> dict[str, Any] | None:
        """The row with ``id`` = ``row_id`` (only ``columns`` if given), or None."""
        return self.find(table_name, columns, id=row_id)

    def find(self, table_name: str, columns: Iterable[str] | None = None, **equal: Any) -> dict[str, Any] | None:
        """The first row whose columns equal the keyword values, or None."""
        table = T[table_name]
        chosen = [table.c[name] for name in columns] if columns is not None else [table]
        query = sa.select(*chosen).where(*[table.c[name] == value for name, value in equal.items()])
        row = self.conn.execute(query).mappings().first()
        return dict(row) if row is not None else None


class Store:
    """All reads and writes of the dashboard's database."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """Connect to ``url`` (default from the environment) and bring the schema up to date."""
        store = cls(create_engine(url or config.database_url()))
        store.migrate()
        return store

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        """A write transaction (on SQLite it holds the write lock from its first statement)."""
        with self.engine.connect() as conn:
            conn.execution_options(**{WRITE: True})
            with conn.begin():
                yield conn

    @contextmanager
    def transaction(self) -> Iterator[sa.Connection]:
        """One transaction; any database error rolls it back and becomes a StorageError."""
        try:
            with self._write() as conn:
                yield conn
        except sa.exc.IntegrityError as exc:
            raise StorageError(
                "Uppgifterna sparades inte: de strider mot databasens regler (okänd kommun, dubblett)."
            ) from exc
        except sa.exc.OperationalError as exc:
            raise StorageError("Databasen är inte tillgänglig just nu (låst eller nere). Inget sparades.") from exc

    @contextmanager
    def atomic(self) -> Iterator[Tx]:
        """``transaction`` with verb methods instead of a raw connection."""
        with self.transaction() as conn:
            yield Tx(conn)

    # -- schema ---------------------------------------------------------------
    def migrate(self, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[int]:
        """Apply the migrations not yet recorded; returns the numbers applied now."""
        try:
            with self._write() as conn:
                SCHEMA_TABLE.create(conn, checkfirst=True)
                done = set(conn.scalars(sa.select(SCHEMA_TABLE.c.number)))
                return [self._apply(conn, m, migrations) for m in migrations if m.number not in done]
        except sa.exc.SQLAlchemyError as exc:
            raise StorageError(f"Databasen kunde inte öppnas eller uppgraderas: {exc.__class__.__name__}") from exc

    def _apply(self, conn: sa.Connection, migration: Migration, migrations: tuple[Migration, ...]) -> int:
        metadata = current_metadata(tuple(m for m in migrations if m.number < migration.number))
        for operation in migration.operations:
            operation(metadata, conn)
        conn.execute(sa.insert(SCHEMA_TABLE).values(number=migration.number, name=migration.name, applied_at=now()))
        return migration.number

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return conn.scalar(sa.select(sa.func.max(SCHEMA_TABLE.c.number))) or 0

    # -- kommuner and sources -------------------------------------------------
    def add_kommuner(self, kommuner: Iterable[Kommun]) -> int:
        """Insert kommuner not already present; returns how many were new."""
        return self._insert_missing("kommun", "code", [vars(k) for k in kommuner])

    def _insert_missing(self, table_name: str, key: str, rows: list[dict]) -> int:
        """Insert the rows whose ``key`` is not stored yet, in one transaction; returns how many."""
        table = T[table_name]
        with self.transaction() as conn:
            known = set(conn.scalars(sa.select(table.c[key])))
            new = [row for row in rows if row[key] not in known]
            if new:
                conn.execute(sa.insert(table), new)
        return len(new)

    def kommuner(self, kinds: tuple[str, ...] = ("K",)) -> list[Kommun]:
        """Areas of the given kinds (K kommun, L län, R riket), by name."""
        table = T["kommun"]
        query = sa.select(table).where(table.c.kind.in_(kinds)).order_by(table.c.name)
        with self.engine.connect() as conn:
            return [Kommun(**row) for row in conn.execute(query).mappings()]

    def kommun(self, code: str) -> Kommun | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(T["kommun"]).where(T["kommun"].c.code == code)).mappings().first()
        return Kommun(**row) if row else None

    def add_source_documents(self, documents: Iterable[SourceDocument]) -> int:
        return self._insert_missing("source_document", "key", [vars(d) for d in documents])

    def source_documents(self) -> dict[str, SourceDocument]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(T["source_document"])).mappings()
            return {row["key"]: SourceDocument(**row) for row in rows}

    # -- promises -------------------------------------------------------------
    def add_promise(self, promise: Promise, activities: Iterable[tuple[int, int, Activity]] = ()) -> int | None:
        """Insert a promise with its tree unless (kommun, year) exists; returns the new id or None if present.

        ``activities`` are ``(focus_position, commitment_position, activity)`` with the
        activity's ``commitment_id`` ignored: the ids are assigned here.
        """
        with self.transaction() as conn:
            if self._promise_id(conn, promise.kommun_code, promise.year) is not None:
                return None
            promise_id = _new_id(conn.execute(sa.insert(T["promise"]).values(**_promise_row(promise))))
            self._insert_tree(conn, promise_id, promise, activities)
        return promise_id

    def replace_promise(
        self, promise_id: int, promise: Promise, activities: Iterable[tuple[int, int, Activity]] = ()
    ) -> None:
        """Overwrite a stored promise, its focus areas, commitments and activities with ``promise``, in one
        transaction. The old tree is removed for good: only for data no editor has touched (the caller checks
        the audit log), such as a corrected embedded promise."""
        with self.transaction() as conn:
            self._delete_tree(conn, promise_id)
            conn.execute(sa.update(T["promise"]).where(T["promise"].c.id == promise_id).values(**_promise_row(promise)))
            self._insert_tree(conn, promise_id, promise, activities)

    def _insert_tree(
        self, conn: sa.Connection, promise_id: int, promise: Promise, activities: Iterable[tuple[int, int, Activity]]
    ) -> None:
        commitment_ids = self._insert_focus_areas(conn, promise_id, promise.focus_areas)
        rows = [_activity_row(a, commitment_ids[(focus, position)]) for focus, position, a in activities]
        if rows:
            conn.execute(sa.insert(T["activity"]), rows)

    @staticmethod
    def _delete_tree(conn: sa.Connection, promise_id: int) -> None:
        fa, cm = T["focus_area"], T["commitment"]
        areas = sa.select(fa.c.id).where(fa.c.promise_id == promise_id)
        commitments = sa.select(cm.c.id).where(cm.c.focus_area_id.in_(areas))
        for table in (T["activity"], T["commitment_comment"]):
            conn.execute(sa.delete(table).where(table.c.commitment_id.in_(commitments)))
        conn.execute(sa.delete(cm).where(cm.c.focus_area_id.in_(areas)))
        conn.execute(sa.delete(fa).where(fa.c.promise_id == promise_id))

    def promise_tree_ids(self, promise_id: int) -> dict[str, list[int]]:
        """Ids of every row under a promise, deleted ones included: focus areas, commitments, activities
        and comments (for the audit check before an embedded promise is replaced)."""
        fa, cm, ac, co = T["focus_area"], T["commitment"], T["activity"], T["commitment_comment"]
        areas = sa.select(fa.c.id).where(fa.c.promise_id == promise_id)
        commitments = sa.select(cm.c.id).where(cm.c.focus_area_id.in_(areas))
        with self.engine.connect() as conn:
            return {
                "focus_area": list(conn.scalars(areas)),
                "commitment": list(conn.scalars(commitments)),
                "activity": list(conn.scalars(sa.select(ac.c.id).where(ac.c.commitment_id.in_(commitments)))),
                "commitment_comment": list(conn.scalars(sa.select(co.c.id).where(co.c.commitment_id.in_(commitments)))),
            }

    def promise_id(self, kommun_code: str, year: int) -> int | None:
        """The id of the kommun's promise for the year, deleted or not, or None."""
        with self.engine.connect() as conn:
            return self._promise_id(conn, kommun_code, year)

    def _insert_focus_areas(self, conn: sa.Connection, promise_id: int, areas: Iterable[FocusArea]) -> dict:
        ids: dict[tuple[int, int], int] = {}
        for focus_pos, area in enumerate(areas, start=1):
            row = {
                "promise_id": promise_id,
                "position": focus_pos,
                "name": area.name,
                "description": area.description,
                "cause_analysis": area.cause_analysis,
                "crime_types": ",".join(area.crime_types),
            }
            area_id = _new_id(conn.execute(sa.insert(T["focus_area"]).values(**row)))
            for commitment_pos, commitment in enumerate(area.commitments, start=1):
                values = _commitment_row(commitment) | {"focus_area_id": area_id, "position": commitment_pos}
                ids[(focus_pos, commitment_pos)] = _new_id(conn.execute(sa.insert(T["commitment"]).values(**values)))
        return ids

    @staticmethod
    def _promise_id(conn: sa.Connection, kommun_code: str, year: int) -> int | None:
        table = T["promise"]
        query = sa.select(table.c.id).where(table.c.kommun_code == kommun_code, table.c.year == year)
        return conn.scalar(query)

    def promise_years(self, kommun_code: str) -> list[int]:
        table = T["promise"]
        query = (
            sa.select(table.c.year)
            .where(table.c.kommun_code == kommun_code, table.c.deleted_at.is_(None))
            .order_by(table.c.year)
        )
        with self.engine.connect() as conn:
            return list(conn.scalars(query))

    def promise(self, kommun_code: str, year: int) -> Promise | None:
        """The promise of a kommun and year with its focus areas and commitments, or None if there is none."""
        with self.engine.connect() as conn:
            row = (
                conn.execute(
                    sa.select(T["promise"]).where(
                        T["promise"].c.kommun_code == kommun_code,
                        T["promise"].c.year == year,
                        T["promise"].c.deleted_at.is_(None),  # a deleted (or undone) promise is gone everywhere
                    )
                )
                .mappings()
                .first()
            )
            if row is None:
                return None
            areas = tuple(self._focus_areas(conn, row["id"]))
        return _promise_from_row(row, areas)

    def _focus_areas(self, conn: sa.Connection, promise_id: int) -> Iterable[FocusArea]:
        fa, cm = T["focus_area"], T["commitment"]
        alive = sa.select(fa).where(fa.c.promise_id == promise_id, fa.c.deleted_at.is_(None))
        areas = conn.execute(alive.order_by(fa.c.position)).mappings()
        for area in list(areas):
            rows = conn.execute(
                sa.select(cm).where(cm.c.focus_area_id == area["id"], cm.c.deleted_at.is_(None)).order_by(cm.c.position)
            ).mappings()
            commitments = tuple(_commitment_from_row(r) for r in rows)
            yield FocusArea(
                id=area["id"],
                name=area["name"],
                description=area["description"],
                cause_analysis=area["cause_analysis"],
                crime_types=tuple(t for t in area["crime_types"].split(",") if t),
                commitments=commitments,
            )

    def commitment_context(self, commitment_id: int) -> tuple[str, int] | None:
        """(kommun_code, year) of the promise a live commitment belongs to, or None."""
        pr, fa, cm = T["promise"], T["focus_area"], T["commitment"]
        query = (
            sa.select(pr.c.kommun_code, pr.c.year)
            .join(fa, fa.c.promise_id == pr.c.id)
            .join(cm, cm.c.focus_area_id == fa.c.id)
            .where(
                cm.c.id == commitment_id,
                cm.c.deleted_at.is_(None),
                fa.c.deleted_at.is_(None),
                pr.c.deleted_at.is_(None),
            )
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return (row[0], int(row[1])) if row else None

    def next_position(self, table_name: str, parent_column: str, parent_id: int) -> int:
        """The next free position under a parent, counting deleted rows too (positions are unique)."""
        table = T[table_name]
        query = sa.select(sa.func.max(table.c.position)).where(table.c[parent_column] == parent_id)
        with self.engine.connect() as conn:
            return (conn.scalar(query) or 0) + 1

    def promise_by_id(self, promise_id: int) -> Promise | None:
        table = T["promise"]
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(table.c.kommun_code, table.c.year).where(
                    table.c.id == promise_id, table.c.deleted_at.is_(None)
                )
            ).first()
        return self.promise(row[0], int(row[1])) if row else None

    def activities(self, promise_id: int) -> pd.DataFrame:
        """Non-deleted activities of a promise, one row each, with their commitment id."""
        ac, cm, fa = T["activity"], T["commitment"], T["focus_area"]
        query = (
            sa.select(ac)
            .join(cm, cm.c.id == ac.c.commitment_id)
            .join(fa, fa.c.id == cm.c.focus_area_id)
            .where(fa.c.promise_id == promise_id, ac.c.deleted_at.is_(None), cm.c.deleted_at.is_(None))
            .order_by(ac.c.date, ac.c.id)
        )
        with self.engine.connect() as conn:
            frame = pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in ac.columns])
        for column in ("date", "period_start"):
            frame[column] = pd.to_datetime(frame[column])
        return frame

    # -- crime statistics -------------------------------------------------------
    def add_crime_stats(self, frame: pd.DataFrame, *, replace: bool = False) -> int:
        """Insert crime figures (columns kommun_code, crime_type, year, period, count, per_100k,
        preliminary, source, note). Existing keys are kept, or overwritten with ``replace``.
        All rows or none are written. Returns the number of rows inserted or replaced."""
        table = T["crime_stat"]
        key = ["kommun_code", "crime_type", "year", "period"]
        rows = _records(frame, loaded_at=now())
        with self.transaction() as conn:
            stored = _stored_figures(conn, frame)
            existing = set(zip(*(stored[k] for k in key), strict=True))
            changed = [r for r in rows if replace or tuple(r[k] for k in key) not in existing]
            for row in changed:
                if tuple(row[k] for k in key) in existing:
                    conn.execute(sa.delete(table).where(*[table.c[k] == row[k] for k in key]))
            if changed:
                conn.execute(sa.insert(table), changed)
        return len(changed)

    def upsert_crime_stats(
        self, frame: pd.DataFrame, *, on_write: Callable[[Tx, list[dict], pd.DataFrame], None] | None = None
    ) -> UpsertCounts:
        """Write imported figures in one transaction: new keys are inserted; a changed figure replaces
        the stored one, except that a preliminary figure never replaces a final one. Returns the counts
        per outcome. Compared column-wise and written in bulk (a national 20-year export is 765 000 rows):
        the replaced rows are deleted by id, the written ones inserted in key order as plain tuples.
        ``on_write(tx, replaced, written)`` runs in the same transaction with the stored rows that were replaced
        (whole rows) and the rows written (a frame, for the audit log and its undo)."""
        with self.transaction() as conn:
            stored = _stored_figures(conn, frame)
            outcome, stored_ids = _upsert_outcomes(stored, frame)
            counts = UpsertCounts(**{name: int((outcome == name).sum()) for name in vars(UpsertCounts())})
            ids = [int(i) for i in stored_ids[(outcome == "updated").to_numpy()]]
            replaced = _whole_rows(conn, "crime_stat", ids) if on_write is not None else []
            _delete_ids(conn, "crime_stat", ids)
            written = frame[outcome.isin(["new", "updated"]).to_numpy()].sort_values(list(KEY), kind="stable")
            with _bulk_load(conn):
                _insert_frame(conn, "crime_stat", written, loaded_at=now())
            if on_write is not None:
                on_write(Tx(conn), replaced, written.reset_index(drop=True))
        return counts

    def correct_crime_notes(self, frame: pd.DataFrame) -> int:
        """Set the note of stored figures that have the same key, count and source as a row of ``frame``
        but another note (a corrected wording of an embedded figure); returns how many changed."""
        table = T["crime_stat"]
        changed = 0
        with self.transaction() as conn:
            for row in _records(frame):
                where = [*(table.c[k] == row[k] for k in KEY), table.c.source == row["source"]]
                where += [table.c["count"] == row["count"], table.c.note != row["note"]]
                changed += conn.execute(sa.update(table).where(*where).values(note=row["note"])).rowcount
        return changed

    def crime_stats(
        self, kommun_codes: Iterable[str], *, crime_types: Iterable[str] | None = None, first_year: int | None = None
    ) -> pd.DataFrame:
        """crime_stat rows of the kommuner; only ``crime_types`` and years from ``first_year`` when given."""
        table = T["crime_stat"]
        where: list[sa.ColumnElement[bool]] = [table.c.kommun_code.in_(list(kommun_codes))]
        if crime_types is not None:
            where.append(table.c.crime_type.in_(list(crime_types)))
        if first_year is not None:
            where.append(table.c.year >= first_year)
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(table).where(*where)).all()
        return _frame(rows, [c.name for c in table.columns])

    def full_years(self, kommun_codes: Iterable[str], first_year: int, last_year: int) -> pd.DataFrame:
        """Brå's full years per kommun and crime type, aggregated in SQL: a reported yearly figure, else the sum
        of twelve months when all twelve have a count (the rule of ``analysis.yearly_totals``).

        Columns kommun_code, crime_type, year, count, preliminary; one row per key, years inclusive."""
        c = T["crime_stat"].c
        columns = ["kommun_code", "crime_type", "year", "count", "preliminary"]
        codes = sorted(set(kommun_codes))
        rows: list[Any] = []
        with self.engine.connect() as conn:
            for chunk in _chunks(codes, DELETE_CHUNK):
                within = [c.kommun_code.in_(chunk), c.year.between(first_year, last_year), c["count"].is_not(None)]
                reported = sa.select(c.kommun_code, c.crime_type, c.year, c["count"], c.preliminary).where(
                    *within, c.period == "year"
                )
                prelim = sa.func.max(sa.case((c.preliminary, 1), else_=0))
                summed = (
                    sa.select(c.kommun_code, c.crime_type, c.year, sa.func.sum(c["count"]), prelim)
                    .where(*within, c.period.in_(MONTH_PERIODS))
                    .group_by(c.kommun_code, c.crime_type, c.year)
                    .having(sa.func.count(c.period) == 12)
                )
                rows += [(*r, "year") for r in conn.execute(reported)] + [(*r, "months") for r in conn.execute(summed)]
        frame = _frame(rows, [*columns, "kind"])
        # A reported yearly figure wins over the sum of the months (sorted first, then duplicates dropped).
        frame = frame.sort_values("kind", ascending=False, kind="stable").drop_duplicates(columns[:3])
        frame = frame.drop(columns="kind").astype({"year": "int64", "count": "int64", "preliminary": bool})
        return frame.sort_values(columns[:3], ignore_index=True)

    # -- Kolada key figures ------------------------------------------------------
    def upsert_kpi_values(self, frame: pd.DataFrame, *, source: str, dataset: str | None = None, note: str = "") -> int:
        """Replace key figures (columns area_code, kpi, year, value) for the keys given, in ONE transaction.

        Stored rows with the same (area_code, kpi, year) are deleted in bulk (one statement per kpi and
        year, area codes in chunks), then all rows are inserted at once. A value that comes back unchanged keeps
        its ``fetched_at``: that column says since when the value has stood as it is, so a nightly refresh that
        changes nothing is no news at the next meeting (``cycle.kolada_lines``); the dataset's own date says when
        it was last fetched. With ``dataset`` that date is marked in the same transaction, so the date never
        moves without the values. Returns rows.
        """
        table = T["kpi_value"]
        unique = frame.drop_duplicates(["area_code", "kpi", "year"], keep="last")
        rows = _kpi_rows(unique, source=source, fetched_at=now())
        with self.transaction() as conn:
            stood: dict[tuple[str, str, int], tuple[float | None, datetime]] = {}
            for (kpi, year), codes in _codes_by_kpi_year(rows).items():
                for chunk in _chunks(sorted(codes), DELETE_CHUNK):
                    where = (table.c.kpi == kpi, table.c.year == year, table.c.area_code.in_(chunk))
                    query = sa.select(table.c.area_code, table.c.value, table.c.fetched_at).where(*where)
                    stood |= {(a, kpi, year): (v, f) for a, v, f in conn.execute(query)}
                    conn.execute(sa.delete(table).where(*where))
            for row in rows:
                before = stood.get((row["area_code"], row["kpi"], row["year"]))
                if before is not None and _same_value(before[0], row["value"]):
                    row["fetched_at"] = before[1]
            if rows:
                conn.execute(sa.insert(table), rows)
            if dataset is not None:
                self._mark_dataset(conn, dataset, source=source, note=note)
        return len(rows)

    def kpi_values(self, area_codes: Iterable[str], kpis: Iterable[str]) -> pd.DataFrame:
        table = T["kpi_value"]
        query = sa.select(table).where(table.c.area_code.in_(list(area_codes)), table.c.kpi.in_(list(kpis)))
        with self.engine.connect() as conn:
            return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in table.columns])

    # -- incidents ----------------------------------------------------------------
    def add_incidents(self, frame: pd.DataFrame) -> IncidentCounts:
        """Archive incidents (columns of the ``incident`` table but id/created_at), skipping those whose
        (origin, external_id) is already stored. One transaction."""
        table = T["incident"]
        records = _records(frame, created_at=now())
        with self.transaction() as conn:
            known = _archived(conn, records)
            rows = [r for r in records if (r["origin"], r["external_id"]) not in known]
            for chunk in _chunks(rows, INSERT_CHUNK):
                conn.execute(sa.insert(table), chunk)
        return IncidentCounts(new=len(rows), already_archived=len(frame) - len(rows))

    def incidents(self, kommun_code: str, start: date | None = None, end: date | None = None) -> pd.DataFrame:
        """The kommun's live incidents, oldest first; with ``start``/``end`` only those on those days (inclusive),
        read through the index on (kommun_code, occurred_at)."""
        table = T["incident"]
        where = [table.c.kommun_code == kommun_code, table.c.deleted_at.is_(None)]
        if start is not None:
            where.append(table.c.occurred_at >= datetime.combine(start, clock_time.min))
        if end is not None:
            where.append(table.c.occurred_at < datetime.combine(end + timedelta(days=1), clock_time.min))
        query = sa.select(table).where(*where).order_by(table.c.occurred_at)
        with self.engine.connect() as conn:
            frame = _frame(conn.execute(query).all(), [c.name for c in table.columns])
        # An empty result has object columns; the lägesbild code relies on datetimes (the .dt accessor).
        frame["occurred_at"] = pd.to_datetime(frame["occurred_at"])
        for column in ("lat", "lon"):
            frame[column] = pd.to_numeric(frame[column]).astype(float)
        return frame

    def incident_summary(self, kommun_code: str) -> IncidentSummary:
        """How many live incidents the kommun has, the first and the last, and their categories (aggregated in SQL)."""
        c = T["incident"].c
        live = [c.kommun_code == kommun_code, c.deleted_at.is_(None)]
        counts = sa.select(sa.func.count(), sa.func.min(c.occurred_at), sa.func.max(c.occurred_at)).where(*live)
        categories = sa.select(c.category).where(*live).distinct().order_by(c.category)
        with self.engine.connect() as conn:
            total, first, last = conn.execute(counts).one()
            names = tuple(conn.scalars(categories))
        return IncidentSummary(int(total), _timestamp(first), _timestamp(last), names)

    def places(self, kommun_code: str) -> pd.DataFrame:
        """The kommun's named places (id, name, lat, lon) for incident reports."""
        table = T["place"]
        query = (
            sa.select(table.c.id, table.c.name, table.c.lat, table.c.lon)
            .where(table.c.kommun_code == kommun_code, table.c.deleted_at.is_(None))
            .order_by(table.c.name)
        )
        with self.engine.connect() as conn:
            return pd.DataFrame(conn.execute(query).mappings().all(), columns=["id", "name", "lat", "lon"])

    def decisions(self, kommun_code: str) -> pd.DataFrame:
        """Decisions and actions recorded in meetings, newest meeting first."""
        table = T["decision"]
        query = (
            sa.select(table)
            .where(table.c.kommun_code == kommun_code, table.c.deleted_at.is_(None))
            .order_by(table.c.meeting_date.desc(), table.c.id)
        )
        with self.engine.connect() as conn:
            return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in table.columns])

    def data_reach(self, kommun_code: str) -> dict[str, Any]:
        """The newest figure of each source for a kommun: Brå's (year, month) (month None when the newest
        figure is a yearly one), Kolada's latest year with a crime value, and the latest police event's time."""
        cs, kv, inc = T["crime_stat"], T["kpi_value"], T["incident"]
        mine, monthly = cs.c.kommun_code == kommun_code, cs.c.period.like("M%")
        with self.engine.connect() as conn:
            month_year = conn.scalar(sa.select(sa.func.max(cs.c.year)).where(mine, monthly))
            month = conn.scalar(sa.select(sa.func.max(cs.c.period)).where(mine, monthly, cs.c.year == month_year))
            any_year = conn.scalar(sa.select(sa.func.max(cs.c.year)).where(mine, cs.c.period == "year"))
            kolada = conn.scalar(
                sa.select(sa.func.max(kv.c.year)).where(
                    kv.c.area_code == kommun_code, kv.c.value.is_not(None), kv.c.kpi != "N01951"
                )
            )
            polisen = conn.scalar(
                sa.select(sa.func.max(inc.c.occurred_at)).where(
                    inc.c.kommun_code == kommun_code, inc.c.origin == "polisen"
                )
            )
        newer_yearly = any_year is not None and (month_year is None or any_year > month_year)
        bra = (any_year, None) if newer_yearly else (month_year, int(month[1:]) if month else None)
        return {"bra": bra, "kolada": kolada, "polisen": polisen}

    # -- datasets -------------------------------------------------------------------
    def mark_dataset(self, name: str, *, source: str, note: str = "") -> None:
        """Record that a dataset was loaded now (the date shown beside the figures)."""
        with self.transaction() as conn:
            self._mark_dataset(conn, name, source=source, note=note)

    @staticmethod
    def _mark_dataset(conn: sa.Connection, name: str, *, source: str, note: str) -> None:
        table = T["dataset"]
        conn.execute(sa.delete(table).where(table.c.name == name))
        conn.execute(sa.insert(table).values(name=name, loaded_at=now(), source=source, note=note))
        _set_state(conn, DATA_VERSION, uuid.uuid4().hex)  # the new figures reach every app process

    def dataset(self, name: str) -> dict | None:
        table = T["dataset"]
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(table).where(table.c.name == name)).mappings().first()
        return dict(row) if row else None

    # -- audit log and comments -----------------------------------------------------
    def audit_rows(self, kommun_codes: Iterable[str], *, limit: int = 300) -> pd.DataFrame:
        """The latest audit rows for the kommuner, newest first."""
        log = T["audit_log"]
        query = sa.select(log).where(log.c.kommun_code.in_(list(kommun_codes))).order_by(log.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in log.columns])

    def has_audit_rows(self, entity_ids: dict[str, list[int]]) -> bool:
        """Whether the audit log holds any row for the given ids per entity (undone rows count too)."""
        log = T["audit_log"]
        wanted = [sa.and_(log.c.entity == e, log.c.entity_id.in_(i)) for e, i in entity_ids.items() if i]
        if not wanted:
            return False
        with self.engine.connect() as conn:
            return bool(conn.scalar(sa.select(sa.func.count()).select_from(log).where(sa.or_(*wanted))))

    def comments(self, commitment_ids: Iterable[int]) -> pd.DataFrame:
        """The tertial comments of the commitments."""
        table = T["commitment_comment"]
        query = sa.select(table).where(table.c.commitment_id.in_(list(commitment_ids)))
        with self.engine.connect() as conn:
            return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in table.columns])

    def kommun_of(self, table_name: str, row_id: int) -> str | None:
        """The kommun a record belongs to (deleted or not), or None if there is no such record."""
        with self.engine.connect() as conn:
            return conn.scalar(_kommun_query(table_name, row_id))

    # -- API calls (the rate limiter's log, shared by every process) -----------------
    def recent_calls(self, source: str, since: float) -> list[float]:
        """Times (epoch seconds) of the calls to ``source`` at or after ``since``, oldest first."""
        c = T["api_call_log"].c
        query = sa.select(c.called_at).where(c.source == source, c.called_at >= since).order_by(c.called_at)
        try:
            with self.engine.connect() as conn:
                return [float(t) for t in conn.scalars(query)]
        except sa.exc.SQLAlchemyError as exc:
            raise StorageError(f"Loggen över API-anrop kunde inte läsas: {exc.__class__.__name__}") from exc

    def record_call(self, source: str, at: float, *, forget_before: float | None = None) -> None:
        """Remember one call to ``source``; calls older than ``forget_before`` are dropped."""
        table = T["api_call_log"]
        try:
            with self._write() as conn:
                if forget_before is not None:
                    conn.execute(sa.delete(table).where(table.c.source == source, table.c.called_at < forget_before))
                conn.execute(sa.insert(table).values(source=source, called_at=at))
        except sa.exc.SQLAlchemyError as exc:
            raise StorageError(f"Loggen över API-anrop kunde inte skrivas: {exc.__class__.__name__}") from exc

    # -- facts about the database itself ------------------------------------------------------
    def state(self, key: str) -> str | None:
        """A stored fact (``app_state``), e.g. the version of the embedded data loaded; None if never set."""
        table = T["app_state"]
        with self.engine.connect() as conn:
            return conn.scalar(sa.select(table.c.value).where(table.c.key == key))

    def set_state(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            _set_state(conn, key, value)

    def data_version(self) -> str | None:
        """A token that changes with every write that pages show (imports, refreshes, edits): every app
        process compares it to drop its cached reads, so one replica sees another's writes."""
        return self.state(DATA_VERSION)

    def data_changed(self) -> str:
        """Give the data a new version (after a write that went around ``mark_dataset``); returns it."""
        version = uuid.uuid4().hex
        self.set_state(DATA_VERSION, version)
        return version

    def count(self, table_name: str) -> int:
        with self.engine.connect() as conn:
            return conn.scalar(sa.select(sa.func.count()).select_from(T[table_name])) or 0

    # -- the tertial cycle: chart notes and frozen tertials (migration 11) -----------------
    def annotations(self, kommun_code: str) -> pd.DataFrame:
        """The kommun's live chart notes, oldest day first."""
        table = T["annotation"]
        query = (
            sa.select(table)
            .where(table.c.kommun_code == kommun_code, table.c.deleted_at.is_(None))
            .order_by(table.c.day, table.c.id)
        )
        with self.engine.connect() as conn:
            return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in table.columns])

    def frozen_tertials(self, promise_id: int) -> dict[int, dict[str, Any]]:
        """The frozen (not unfrozen) tertials of a promise, by tertial number."""
        table = T["frozen_tertial"]
        query = sa.select(table).where(table.c.promise_id == promise_id, table.c.unfrozen_at.is_(None))
        with self.engine.connect() as conn:
            return {int(row["tertial"]): dict(row) for row in conn.execute(query).mappings()}

    def frozen_kommun_tertials(self, kommun_code: str, year: int) -> set[int]:
        """The frozen tertials of the kommun's promise for the year (empty when there is no promise)."""
        promise_id = self.promise_id(kommun_code, year)
        return set(self.frozen_tertials(promise_id)) if promise_id is not None else set()

    def last_freeze(self, kommun_code: str) -> datetime | None:
        """When the kommun last froze a tertial that is still frozen, or None."""
        table = T["frozen_tertial"]
        query = sa.select(sa.func.max(table.c.frozen_at)).where(
            table.c.kommun_code == kommun_code, table.c.unfrozen_at.is_(None)
        )
        with self.engine.connect() as conn:
            return conn.scalar(query)

    def audit_rows_since(self, kommun_code: str, since: datetime) -> pd.DataFrame:
        """The kommun's audit rows written after ``since``, oldest first."""
        log = T["audit_log"]
        query = sa.select(log).where(log.c.kommun_code == kommun_code, log.c.at > since).order_by(log.c.id)
        with self.engine.connect() as conn:
            return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in log.columns])


KEY = ("kommun_code", "crime_type", "year", "period")
MONTH_PERIODS = tuple(f"M{m:02d}" for m in range(1, 13))
DATA_VERSION = "data_version"
DELETE_CHUNK = 500  # area codes per DELETE: far below SQLite's and PostgreSQL's bound-parameter limits
INSERT_CHUNK = 50_000  # rows per executemany: bounds the memory of the parameter lists
BULK_CACHE_KB = 256_000  # SQLite page cache while a bulk import writes (the index of 765 000 rows fits)


def _kpi_rows(frame: pd.DataFrame, **extra: object) -> list[dict]:
    """kpi_value rows as plain Python values (NA value -> None), fast enough for a national refresh."""
    values = frame["value"].astype("Float64")
    return [
        {"area_code": str(a), "kpi": str(k), "year": int(y), "value": None if pd.isna(v) else float(v)} | extra
        for a, k, y, v in zip(frame["area_code"], frame["kpi"], frame["year"], values, strict=True)
    ]


def _same_value(stored: float | None, new: float | None) -> bool:
    if stored is None or new is None:
        return stored is None and new is None
    return math.isclose(float(stored), new, rel_tol=1e-12, abs_tol=1e-9)


def _codes_by_kpi_year(rows: list[dict]) -> dict[tuple[str, int], set[str]]:
    keys: dict[tuple[str, int], set[str]] = {}
    for row in rows:
        keys.setdefault((row["kpi"], row["year"]), set()).add(row["area_code"])
    return keys


def _set_state(conn: sa.Connection, key: str, value: str) -> None:
    table = T["app_state"]
    conn.execute(sa.delete(table).where(table.c.key == key))
    conn.execute(sa.insert(table).values(key=key, value=value, updated_at=now()))


def _archived(conn: sa.Connection, records: list[dict]) -> set[tuple[str, str]]:
    """The (origin, external_id) pairs of ``records`` already stored: looked up by key, not by reading them all."""
    c = T["incident"].c
    wanted: dict[str, set[str]] = {}
    for row in records:
        if row["external_id"] is not None:
            wanted.setdefault(row["origin"], set()).add(row["external_id"])
    known: set[tuple[str, str]] = set()
    for origin, ids in wanted.items():
        for chunk in _chunks(sorted(ids), DELETE_CHUNK):
            query = sa.select(c.origin, c.external_id).where(c.origin == origin, c.external_id.in_(chunk))
            known |= {(o, e) for o, e in conn.execute(query)}
    return known


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _new_id(result: sa.CursorResult[Any]) -> int:
    """The primary key of the row an INSERT just wrote."""
    key = result.inserted_primary_key
    if key is None:
        raise StorageError("Databasen gav inget id för den nya raden.")
    return int(key[0])


def column_types(table_name: str) -> dict[str, type]:
    """The Python type of each column of a table (e.g. to read back values stored as JSON text)."""
    return {column.name: column.type.python_type for column in T[table_name].columns}


def _kommun_query(table_name: str, row_id: int) -> sa.Select[Any]:
    """kommun_code of one row, joined up to its promise for the records that belong to one."""
    pr, fa, cm, ac = (T[n] for n in ("promise", "focus_area", "commitment", "activity"))
    if table_name == "commitment_comment":
        co = T[table_name]
        query = sa.select(pr.c.kommun_code).join(fa, fa.c.promise_id == pr.c.id)
        return (
            query.join(cm, cm.c.focus_area_id == fa.c.id)
            .join(co, co.c.commitment_id == cm.c.id)
            .where(co.c.id == row_id)
        )
    if table_name not in ("focus_area", "commitment", "activity"):
        table = T[table_name]
        return sa.select(table.c.kommun_code).where(table.c.id == row_id)
    query = sa.select(pr.c.kommun_code).join(fa, fa.c.promise_id == pr.c.id)
    if table_name == "focus_area":
        return query.where(fa.c.id == row_id)
    query = query.join(cm, cm.c.focus_area_id == fa.c.id)
    if table_name == "commitment":
        return query.where(cm.c.id == row_id)
    return query.join(ac, ac.c.commitment_id == cm.c.id).where(ac.c.id == row_id)


def _stored_figures(conn: sa.Connection, frame: pd.DataFrame) -> pd.DataFrame:
    """The stored figures of the kommuner in ``frame``: id, KEY, count, per_100k, preliminary (a column each)."""
    table = T["crime_stat"]
    columns = ["id", *KEY, "count", "per_100k", "preliminary"]
    codes = sorted(frame["kommun_code"].unique())
    rows: list[Any] = []
    for chunk in _chunks(codes, DELETE_CHUNK):
        query = sa.select(*[table.c[k] for k in columns]).where(table.c.kommun_code.in_(chunk))
        rows += conn.execute(query).all()
    return _frame(rows, columns)


def _upsert_outcomes(stored: pd.DataFrame, new: pd.DataFrame) -> tuple[pd.Series, np.ndarray]:
    """What importing each row of ``new`` does to the stored figure with the same key: an ``UpsertCounts``
    field name per row ("new", "kept_final" for a preliminary figure over a final one, "unchanged", "updated"),
    and the id of that stored figure (0 where there is none). Only the rows of kommuner with stored figures
    are matched (a first national import matches almost nothing)."""
    outcome = pd.Series("new", index=new.index, dtype=object)
    ids = np.zeros(len(new), dtype="int64")
    candidates = new["kommun_code"].isin(stored["kommun_code"].unique()).to_numpy()
    if not candidates.any():
        return outcome, ids
    part = new[candidates]
    keys = part[list(KEY)].astype({"year": "int64"}).reset_index(drop=True)
    old = stored.astype({"year": "int64", "preliminary": bool})
    joined = keys.merge(old, on=list(KEY), how="left", indicator=True, validate="many_to_one")
    prelim = part["preliminary"].astype(bool).to_numpy()
    same = (
        _same(joined["count"], part["count"])
        & _same(joined["per_100k"], part["per_100k"])
        & (joined["preliminary"].astype("boolean").fillna(False).to_numpy() == prelim)
    )
    absent = (joined["_merge"] == "left_only").to_numpy()
    kept = ~absent & ~joined["preliminary"].astype("boolean").fillna(True).to_numpy() & prelim
    matched = np.full(len(part), "updated", dtype=object)
    matched[same] = "unchanged"
    matched[kept] = "kept_final"
    matched[absent] = "new"
    outcome[candidates] = matched
    ids[candidates] = joined["id"].fillna(0).astype("int64").to_numpy()
    return outcome, ids


def _whole_rows(conn: sa.Connection, table_name: str, ids: list[int]) -> list[dict]:
    """The rows with these ids, every column but id (what an undo puts back)."""
    table = T[table_name]
    rows: list[dict] = []
    for chunk in _chunks(ids, DELETE_CHUNK):
        found = conn.execute(sa.select(table).where(table.c.id.in_(chunk))).mappings()
        rows += [{k: v for k, v in row.items() if k != "id"} for row in found]
    return rows


def _delete_ids(conn: sa.Connection, table_name: str, ids: list[int]) -> None:
    table = T[table_name]
    for chunk in _chunks(ids, DELETE_CHUNK):
        conn.execute(sa.delete(table).where(table.c.id.in_(chunk)))


@contextmanager
def _bulk_load(conn: sa.Connection) -> Iterator[None]:
    """On SQLite, a page cache big enough for a national import's index (the default is 2 MB) while it is
    written; durability and the one transaction are untouched (no journal or synchronous changes)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    before = cursor.execute("PRAGMA cache_size").fetchone()[0]
    cursor.execute(f"PRAGMA cache_size=-{BULK_CACHE_KB}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size={int(before)}")
        cursor.close()


def _insert_frame(conn: sa.Connection, table_name: str, frame: pd.DataFrame, **constant: Any) -> None:
    """Insert the rows of ``frame`` (plus ``constant`` columns) as tuples built column by column, with the
    driver's own executemany (PostgreSQL: COPY): no per-row parameter dicts or processing in SQLAlchemy."""
    if frame.empty:
        return
    table, dialect = T[table_name], conn.dialect
    names = [*frame.columns, *constant]
    columns = [_bound(frame[name], table.c[name].type, dialect) for name in frame.columns]
    for name, value in constant.items():
        process = table.c[name].type._cached_bind_processor(dialect)
        columns.append([process(value) if process else value] * len(frame))
    quote = dialect.identifier_preparer.quote
    into = f"{quote(table_name)} ({', '.join(quote(name) for name in names)})"
    rows = zip(*columns, strict=True)
    if dialect.name == "postgresql":  # COPY: the rows stream to the server in the same transaction
        with conn.connection.dbapi_connection.cursor() as cursor, cursor.copy(f"COPY {into} FROM STDIN") as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(row)
        return
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {into} VALUES ({', '.join([marker] * len(names))})"
    while chunk := list(itertools.islice(rows, INSERT_CHUNK)):
        conn.exec_driver_sql(sql, chunk)


def _bound(column: pd.Series, kind: sa.types.TypeEngine[Any], dialect: sa.Dialect) -> list[Any]:
    """One column as the values the driver is given: Python values, NA as None, through the type's bind
    processor (once per value, or twice for a boolean column)."""
    process = kind._cached_bind_processor(dialect)
    if process is not None and column.dtype == bool:
        return np.where(column.to_numpy(), process(True), process(False)).tolist()
    values = column.to_numpy(dtype=object, na_value=None).tolist()
    return [process(value) for value in values] if process is not None else values


def _same(stored: pd.Series, new: pd.Series) -> Any:
    """Element-wise equality where two missing values are equal (as None == None was row by row)."""
    a = pd.to_numeric(stored.reset_index(drop=True), errors="coerce").astype("Float64")
    b = pd.to_numeric(new.reset_index(drop=True), errors="coerce").astype("Float64")
    return ((a == b).fillna(False) | (a.isna() & b.isna())).to_numpy(dtype=bool)


def _promise_row(promise: Promise) -> dict:
    return {
        "kommun_code": promise.kommun_code,
        "year": promise.year,
        "title": promise.title,
        "summary": promise.summary,
        "signed_date": promise.signed_date,
        "signatories": "\n".join(promise.signatories),
        "follow_ups_per_year": promise.follow_ups_per_year,
        "source_key": promise.source_key,
        "published": promise.published,
        "plan_summary": promise.plan_summary,
        "plan_analysis": promise.plan_analysis,
    }


def _promise_from_row(row: sa.RowMapping, areas: tuple[FocusArea, ...]) -> Promise:
    return Promise(
        id=row["id"],
        kommun_code=row["kommun_code"],
        year=row["year"],
        title=row["title"],
        summary=row["summary"],
        signed_date=row["signed_date"],
        signatories=tuple(s for s in row["signatories"].split("\n") if s),
        follow_ups_per_year=row["follow_ups_per_year"],
        source_key=row["source_key"],
        focus_areas=areas,
        published=bool(row["published"]),
        plan_summary=row["plan_summary"],
        plan_analysis=row["plan_analysis"],
    )


def _commitment_row(commitment: Commitment) -> dict:
    return {
        "text": commitment.text,
        "owner": commitment.owner,
        "target_type": commitment.target_type,
        "target_count": commitment.target_count,
        "unit": commitment.unit,
        "note": commitment.note,
    }


def _commitment_from_row(row: sa.RowMapping) -> Commitment:
    return Commitment(id=row["id"], **{k: row[k] for k in _commitment_row(Commitment("", "", "")).keys()})


def _activity_row(activity: Activity, commitment_id: int) -> dict:
    return {
        "commitment_id": commitment_id,
        "date": activity.date,
        "period_start": activity.period_start,
        "count": activity.count or 0,
        "count_stated": activity.count is not None,
        "place": activity.place,
        "note": activity.note,
        "reported_by": activity.reported_by,
        "source_key": activity.source_key,
        "created_at": now(),
    }


def _records(frame: pd.DataFrame, **extra: object) -> list[dict]:
    """DataFrame rows as plain Python dicts (NA -> None), with extra columns added; built column by column."""
    names = [*frame.columns, *extra]
    columns = [_plain(frame[name]) for name in frame.columns] + [[value] * len(frame) for value in extra.values()]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _plain(column: pd.Series) -> list[Any]:
    """One column as Python values, NA as None."""
    values = column.astype(object)
    return values.where(column.notna(), None).tolist()


def _timestamp(value: Any) -> pd.Timestamp | None:
    return None if value is None else pd.Timestamp(value)


def _frame(rows: Sequence[Any], columns: list[str]) -> pd.DataFrame:
    """Result rows as a DataFrame built column-wise (not from a list of dicts)."""
    return pd.DataFrame.from_records(rows, columns=columns, coerce_float=False)
