"""The database (core): a small class of verb methods over SQLAlchemy, SQLite or PostgreSQL by URL."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

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


def create_engine(url: str) -> sa.Engine:
    """An engine with foreign keys and a busy timeout on SQLite."""
    try:
        engine = sa.create_engine(url, pool_pre_ping=True)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise StorageError(f"Databasadressen kunde inte användas: {exc}") from exc
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DBAPI callback
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


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
    def transaction(self) -> Iterator[sa.Connection]:
        """One transaction; any database error rolls it back and becomes a StorageError."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except sa.exc.IntegrityError as exc:
            raise StorageError(
                "Uppgifterna sparades inte: de strider mot databasens regler (okänd kommun, dubblett)."
            ) from exc
        except sa.exc.OperationalError as exc:
            raise StorageError("Databasen är inte tillgänglig just nu (låst eller nere). Inget sparades.") from exc

    # -- schema ---------------------------------------------------------------
    def migrate(self, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[int]:
        """Apply the migrations not yet recorded; returns the numbers applied now."""
        try:
            with self.engine.begin() as conn:
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
            promise_id = conn.execute(sa.insert(T["promise"]).values(**_promise_row(promise))).inserted_primary_key[0]
            commitment_ids = self._insert_focus_areas(conn, promise_id, promise.focus_areas)
            for focus_pos, commitment_pos, activity in activities:
                commitment_id = commitment_ids[(focus_pos, commitment_pos)]
                conn.execute(sa.insert(T["activity"]).values(**_activity_row(activity, commitment_id)))
        return promise_id

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
            area_id = conn.execute(sa.insert(T["focus_area"]).values(**row)).inserted_primary_key[0]
            for commitment_pos, commitment in enumerate(area.commitments, start=1):
                values = _commitment_row(commitment) | {"focus_area_id": area_id, "position": commitment_pos}
                ids[(focus_pos, commitment_pos)] = conn.execute(
                    sa.insert(T["commitment"]).values(**values)
                ).inserted_primary_key[0]
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
                        T["promise"].c.kommun_code == kommun_code, T["promise"].c.year == year
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
            .where(cm.c.id == commitment_id, cm.c.deleted_at.is_(None), fa.c.deleted_at.is_(None))
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
            existing = {tuple(r) for r in conn.execute(sa.select(*[table.c[k] for k in key]))}
            changed = [r for r in rows if replace or tuple(r[k] for k in key) not in existing]
            for row in changed:
                if tuple(row[k] for k in key) in existing:
                    conn.execute(sa.delete(table).where(*[table.c[k] == row[k] for k in key]))
            if changed:
                conn.execute(sa.insert(table), changed)
        return len(changed)

    def upsert_crime_stats(self, frame: pd.DataFrame) -> dict[str, int]:
        """Write imported figures in one transaction: new keys are inserted; a changed figure replaces
        the stored one, except that a preliminary figure never replaces a final one. Returns counts
        per outcome ("nya", "uppdaterade", "oförändrade", "slutliga behållna")."""
        table = T["crime_stat"]
        outcomes = {"nya": 0, "uppdaterade": 0, "oförändrade": 0, "slutliga behållna": 0}
        with self.transaction() as conn:
            stored = _stored_figures(conn, frame)
            for row in _records(frame, loaded_at=now()):
                key = (row["kommun_code"], row["crime_type"], row["year"], row["period"])
                outcome = _upsert_outcome(stored.get(key), row)
                outcomes[outcome] += 1
                if outcome == "uppdaterade":
                    conn.execute(sa.delete(table).where(*[table.c[k] == v for k, v in zip(KEY, key, strict=True)]))
                if outcome in ("nya", "uppdaterade"):
                    conn.execute(sa.insert(table).values(**row))
        return outcomes

    def crime_stats(self, kommun_codes: Iterable[str]) -> pd.DataFrame:
        table = T["crime_stat"]
        query = sa.select(table).where(table.c.kommun_code.in_(list(kommun_codes)))
        with self.engine.connect() as conn:
            return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in table.columns])

    # -- Kolada key figures ------------------------------------------------------
    def upsert_kpi_values(self, frame: pd.DataFrame, *, source: str) -> int:
        """Replace key figures (columns area_code, kpi, year, value) for the keys given; one transaction."""
        table = T["kpi_value"]
        rows = _records(frame[["area_code", "kpi", "year", "value"]], source=source, fetched_at=now())
        with self.transaction() as conn:
            for row in rows:
                conn.execute(
                    sa.delete(table).where(
                        table.c.area_code == row["area_code"], table.c.kpi == row["kpi"], table.c.year == row["year"]
                    )
                )
            if rows:
                conn.execute(sa.insert(table), rows)
        return len(rows)

    def kpi_values(self, area_codes: Iterable[str], kpis: Iterable[str]) -> pd.DataFrame:
        table = T["kpi_value"]
        query = sa.select(table).where(table.c.area_code.in_(list(area_codes)), table.c.kpi.in_(list(kpis)))
        with self.engine.connect() as conn:
            return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in table.columns])

    # -- incidents ----------------------------------------------------------------
    def add_incidents(self, frame: pd.DataFrame) -> dict[str, int]:
        """Archive incidents (columns of the ``incident`` table but id/created_at), skipping those whose
        (origin, external_id) is already stored. One transaction. Returns {"nya": n, "redan arkiverade": m}."""
        table = T["incident"]
        with self.transaction() as conn:
            known = {(o, e) for o, e in conn.execute(sa.select(table.c.origin, table.c.external_id)) if e is not None}
            rows = [r for r in _records(frame, created_at=now()) if (r["origin"], r["external_id"]) not in known]
            if rows:
                conn.execute(sa.insert(table), rows)
        return {"nya": len(rows), "redan arkiverade": len(frame) - len(rows)}

    def incidents(self, kommun_code: str) -> pd.DataFrame:
        table = T["incident"]
        query = (
            sa.select(table)
            .where(table.c.kommun_code == kommun_code, table.c.deleted_at.is_(None))
            .order_by(table.c.occurred_at)
        )
        with self.engine.connect() as conn:
            frame = pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in table.columns])
        # An empty result has object columns; the lägesbild code relies on datetimes (the .dt accessor).
        frame["occurred_at"] = pd.to_datetime(frame["occurred_at"])
        return frame

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

    # -- datasets -------------------------------------------------------------------
    def mark_dataset(self, name: str, *, source: str, note: str = "") -> None:
        """Record that a dataset was loaded now (the date shown beside the figures)."""
        table = T["dataset"]
        with self.transaction() as conn:
            conn.execute(sa.delete(table).where(table.c.name == name))
            conn.execute(sa.insert(table).values(name=name, loaded_at=now(), source=source, note=note))

    def dataset(self, name: str) -> dict | None:
        table = T["dataset"]
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(table).where(table.c.name == name)).mappings().first()
        return dict(row) if row else None

    def count(self, table_name: str) -> int:
        with self.engine.connect() as conn:
            return conn.scalar(sa.select(sa.func.count()).select_from(T[table_name])) or 0


KEY = ("kommun_code", "crime_type", "year", "period")


def _stored_figures(conn: sa.Connection, frame: pd.DataFrame) -> dict[tuple, dict]:
    table = T["crime_stat"]
    codes = sorted(set(frame["kommun_code"]))
    query = sa.select(*[table.c[k] for k in (*KEY, "count", "per_100k", "preliminary")]).where(
        table.c.kommun_code.in_(codes)
    )
    return {tuple(row[k] for k in KEY): dict(row) for row in conn.execute(query).mappings()}


def _upsert_outcome(stored: dict | None, new: dict) -> str:
    """What importing ``new`` does to the ``stored`` figure with the same key."""
    if stored is None:
        return "nya"
    if not stored["preliminary"] and new["preliminary"]:
        return "slutliga behållna"
    same = (stored["count"], stored["per_100k"], bool(stored["preliminary"])) == (
        new["count"],
        new["per_100k"],
        bool(new["preliminary"]),
    )
    return "oförändrade" if same else "uppdaterade"


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
        "count": activity.count,
        "place": activity.place,
        "note": activity.note,
        "reported_by": activity.reported_by,
        "source_key": activity.source_key,
        "created_at": now(),
    }


def _records(frame: pd.DataFrame, **extra: object) -> list[dict]:
    """DataFrame rows as plain Python dicts (NA -> None), with extra columns added."""
    clean = frame.astype(object).where(frame.notna(), None)
    return [row | extra for row in clean.to_dict("records")]
