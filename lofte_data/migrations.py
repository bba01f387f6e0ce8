"""Numbered schema migrations (core): the single source of the database schema.

Each migration is a list of operations. Replaying every operation on an empty
``MetaData`` gives the current table definitions the storage layer queries with;
applying the operations not yet recorded in ``schema_migrations`` upgrades a
database in place, so existing data survives every upgrade.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

Operation = Callable[[sa.MetaData, sa.Connection | None], None]


@dataclass(frozen=True)
class Unique:
    """A unique constraint by column names (built fresh for every MetaData it is replayed into)."""

    name: str
    columns: tuple[str, ...]

    def build(self) -> sa.UniqueConstraint:
        return sa.UniqueConstraint(*self.columns, name=self.name)


@dataclass(frozen=True)
class IndexOn:
    """An index by column names (built fresh for every MetaData, like ``Unique``)."""

    name: str
    columns: tuple[str, ...]

    def build(self) -> sa.Index:
        return sa.Index(self.name, *self.columns)


def create_table(name: str, *items: sa.Column | Unique | IndexOn, if_missing: bool = False) -> Operation:
    """Operation: a new table; with ``if_missing`` a table of that name that is already there is kept as it is."""

    def apply(metadata: sa.MetaData, conn: sa.Connection | None) -> None:
        # Fresh copies: the same definitions are replayed into several MetaData objects.
        parts = [item._copy() if isinstance(item, sa.Column) else item.build() for item in items]
        table = sa.Table(name, metadata, *parts)
        if conn is not None:
            table.create(conn, checkfirst=if_missing)

    return apply


def add_column(table_name: str, column: sa.Column) -> Operation:
    """Operation: a new nullable (or defaulted) column on an existing table."""

    def apply(metadata: sa.MetaData, conn: sa.Connection | None) -> None:
        table = metadata.tables[table_name]
        fresh = column._copy()
        table.append_column(fresh)
        if conn is not None:
            ddl = sa.schema.CreateColumn(fresh).compile(dialect=conn.dialect)
            conn.execute(sa.text(f"ALTER TABLE {table_name} ADD COLUMN {ddl}"))

    return apply


def add_index(table_name: str, index: IndexOn) -> Operation:
    """Operation: a new index on an existing table."""

    def apply(metadata: sa.MetaData, conn: sa.Connection | None) -> None:
        table = metadata.tables[table_name]
        built = sa.Index(index.name, *[table.c[name] for name in index.columns])  # columns bind it to the table
        if conn is not None:
            built.create(conn)

    return apply


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    operations: list[Operation] = field(default_factory=list)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def _kommun_fk() -> sa.Column:
    return sa.Column("kommun_code", sa.String(4), sa.ForeignKey("kommun.code"), nullable=False)


INITIAL = Migration(
    1,
    "initial",
    [
        create_table(
            "kommun",
            sa.Column("code", sa.String(4), primary_key=True),
            sa.Column("name", sa.String(80), nullable=False),
            sa.Column("lan_code", sa.String(2), nullable=False),
            sa.Column("lan_name", sa.String(80), nullable=False),
            sa.Column("police_area", sa.String(80), nullable=False),
            sa.Column("police_region", sa.String(40), nullable=False),
        ),
        create_table(
            "source_document",
            sa.Column("key", sa.String(80), primary_key=True),
            sa.Column("title", sa.String(300), nullable=False),
            sa.Column("publisher", sa.String(120), nullable=False),
            sa.Column("url", sa.String(500)),
            sa.Column("published", sa.String(20)),
        ),
        create_table(
            "promise",
            _id(),
            _kommun_fk(),
            sa.Column("year", sa.Integer, nullable=False),
            sa.Column("title", sa.String(200), nullable=False),
            sa.Column("summary", sa.Text, nullable=False, server_default=""),
            sa.Column("signed_date", sa.Date),
            sa.Column("signatories", sa.Text, nullable=False, server_default=""),
            sa.Column("follow_ups_per_year", sa.Integer),
            sa.Column("source_key", sa.String(80), sa.ForeignKey("source_document.key")),
            Unique("uq_promise_kommun_year", ("kommun_code", "year")),
        ),
        create_table(
            "focus_area",
            _id(),
            sa.Column("promise_id", sa.Integer, sa.ForeignKey("promise.id"), nullable=False),
            sa.Column("position", sa.Integer, nullable=False),
            sa.Column("name", sa.String(200), nullable=False),
            sa.Column("description", sa.Text, nullable=False, server_default=""),
            sa.Column("cause_analysis", sa.Text, nullable=False, server_default=""),
            sa.Column("crime_types", sa.String(200), nullable=False, server_default=""),
            Unique("uq_focus_area_position", ("promise_id", "position")),
        ),
        create_table(
            "commitment",
            _id(),
            sa.Column("focus_area_id", sa.Integer, sa.ForeignKey("focus_area.id"), nullable=False),
            sa.Column("position", sa.Integer, nullable=False),
            sa.Column("text", sa.Text, nullable=False),
            sa.Column("owner", sa.String(20), nullable=False),
            sa.Column("target_type", sa.String(20), nullable=False),
            sa.Column("target_count", sa.Integer),
            sa.Column("unit", sa.String(60), nullable=False, server_default=""),
            sa.Column("note", sa.Text, nullable=False, server_default=""),
            Unique("uq_commitment_position", ("focus_area_id", "position")),
        ),
        create_table(
            "activity",
            _id(),
            sa.Column("commitment_id", sa.Integer, sa.ForeignKey("commitment.id"), nullable=False),
            sa.Column("date", sa.Date, nullable=False),
            sa.Column("period_start", sa.Date),
            sa.Column("count", sa.Integer, nullable=False),
            sa.Column("place", sa.String(200), nullable=False, server_default=""),
            sa.Column("note", sa.Text, nullable=False, server_default=""),
            sa.Column("reported_by", sa.String(120), nullable=False, server_default=""),
            sa.Column("source_key", sa.String(80), sa.ForeignKey("source_document.key")),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("deleted_at", sa.DateTime(timezone=True)),
        ),
        create_table(
            "crime_stat",
            _id(),
            _kommun_fk(),
            sa.Column("crime_type", sa.String(40), nullable=False),
            sa.Column("year", sa.Integer, nullable=False),
            sa.Column("period", sa.String(8), nullable=False),
            sa.Column("count", sa.Integer),
            sa.Column("per_100k", sa.Float),
            sa.Column("preliminary", sa.Boolean, nullable=False, server_default=sa.false()),
            sa.Column("source", sa.String(200), nullable=False),
            sa.Column("note", sa.Text, nullable=False, server_default=""),
            sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
            Unique("uq_crime_stat", ("kommun_code", "crime_type", "year", "period")),
        ),
        create_table(
            "incident",
            _id(),
            _kommun_fk(),
            sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("category", sa.String(80), nullable=False),
            sa.Column("origin", sa.String(20), nullable=False),
            sa.Column("external_id", sa.String(40)),
            sa.Column("place", sa.String(200), nullable=False, server_default=""),
            sa.Column("lat", sa.Float),
            sa.Column("lon", sa.Float),
            sa.Column("description", sa.Text, nullable=False, server_default=""),
            sa.Column("reported_by", sa.String(120), nullable=False, server_default=""),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            Unique("uq_incident_external", ("origin", "external_id")),
        ),
        create_table(
            "dataset",
            sa.Column("name", sa.String(80), primary_key=True),
            sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("source", sa.String(200), nullable=False),
            sa.Column("note", sa.Text, nullable=False, server_default=""),
        ),
    ],
)

AREAS_AND_KPIS = Migration(
    2,
    "areas_and_kpis",
    [
        # K = kommun, L = län (Kolada code 00 + länskod), R = riket (0000).
        add_column("kommun", sa.Column("kind", sa.String(1), nullable=False, server_default="K")),
        add_column("incident", sa.Column("url", sa.String(500))),
        create_table(
            "kpi_value",
            _id(),
            sa.Column("area_code", sa.String(4), sa.ForeignKey("kommun.code"), nullable=False),
            sa.Column("kpi", sa.String(10), nullable=False),
            sa.Column("year", sa.Integer, nullable=False),
            sa.Column("value", sa.Float),
            sa.Column("source", sa.String(200), nullable=False),
            sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
            Unique("uq_kpi_value", ("area_code", "kpi", "year")),
        ),
    ],
)


def _deleted_at() -> sa.Column:
    return sa.Column("deleted_at", sa.DateTime(timezone=True))


EDITING_AND_AUDIT = Migration(
    3,
    "editing_and_audit",
    [
        add_column("promise", _deleted_at()),
        add_column("focus_area", _deleted_at()),
        add_column("commitment", _deleted_at()),
        add_column("incident", _deleted_at()),
        create_table(
            "commitment_comment",
            _id(),
            sa.Column("commitment_id", sa.Integer, sa.ForeignKey("commitment.id"), nullable=False),
            sa.Column("tertial", sa.Integer, nullable=False),
            sa.Column("text", sa.Text, nullable=False),
            sa.Column("author", sa.String(120), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            Unique("uq_comment_tertial", ("commitment_id", "tertial")),
        ),
        create_table(
            "audit_log",
            _id(),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("actor", sa.String(120), nullable=False),
            sa.Column("kommun_code", sa.String(4), nullable=False),
            sa.Column("action", sa.String(20), nullable=False),
            sa.Column("entity", sa.String(40), nullable=False),
            sa.Column("entity_id", sa.Integer, nullable=False),
            sa.Column("summary", sa.Text, nullable=False, server_default=""),
            sa.Column("old_value", sa.Text),
            sa.Column("new_value", sa.Text),
            sa.Column("undone_at", sa.DateTime(timezone=True)),
        ),
    ],
)

PLACES = Migration(
    4,
    "places",
    [
        create_table(
            "place",
            _id(),
            _kommun_fk(),
            sa.Column("name", sa.String(200), nullable=False),
            sa.Column("lat", sa.Float, nullable=False),
            sa.Column("lon", sa.Float, nullable=False),
            sa.Column("deleted_at", sa.DateTime(timezone=True)),
            Unique("uq_place_name", ("kommun_code", "name")),
        ),
    ],
)

DECISIONS = Migration(
    5,
    "decisions",
    [
        create_table(
            "decision",
            _id(),
            _kommun_fk(),
            sa.Column("meeting_date", sa.Date, nullable=False),
            sa.Column("kind", sa.String(10), nullable=False),  # "beslut" or "åtgärd"
            sa.Column("text", sa.Text, nullable=False),
            sa.Column("owner", sa.String(120), nullable=False, server_default=""),
            sa.Column("due", sa.Date),
            sa.Column("done_at", sa.Date),
            sa.Column("created_by", sa.String(120), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("deleted_at", sa.DateTime(timezone=True)),
        ),
    ],
)

ACTIVITY_COUNT_STATED = Migration(
    6,
    "activity_count_stated",
    [
        # False: the source says the work was done but gives no number ("genomfört, antal saknas");
        # the row's count is then 0 and is never shown or summed as a number.
        add_column("activity", sa.Column("count_stated", sa.Boolean, nullable=False, server_default=sa.true())),
    ],
)

API_CALL_LOG = Migration(
    7,
    "api_call_log",
    [
        # Calls to rate-limited APIs, shared by every process. Before this migration the rate limiter
        # created the same table itself, so a database may already have it: keep it and its rows.
        create_table(
            "api_call_log",
            sa.Column("source", sa.Text, nullable=False),
            sa.Column("called_at", sa.Float, nullable=False),
            IndexOn("ix_api_call_log_source_called_at", ("source", "called_at")),
            if_missing=True,
        ),
    ],
)


def _publish_source_promises(metadata: sa.MetaData, conn: sa.Connection | None) -> None:
    """Promises taken from a published source document are public already: mark them published."""
    if conn is None:
        return
    table = metadata.tables["promise"]
    conn.execute(sa.update(table).where(table.c.source_key.is_not(None)).values(published=True))


PUBLISHING_AND_PLAN_TEXTS = Migration(
    8,
    "publishing_and_plan_texts",
    [
        add_column("promise", sa.Column("published", sa.Boolean, nullable=False, server_default=sa.false())),
        # The prose of the lägesbild and åtgärdsplan document that only the kommun can write.
        add_column("promise", sa.Column("plan_summary", sa.Text, nullable=False, server_default="")),
        add_column("promise", sa.Column("plan_analysis", sa.Text, nullable=False, server_default="")),
        _publish_source_promises,
    ],
)

# 9 was taken by work on another branch; the list stays ordered by number, gaps are fine.
TERTIAL_CYCLE = Migration(
    11,
    "tertial_cycle",
    [
        # A short note an editor pins to a day (or a whole month) of a kommun, optionally to one crime type or
        # one focus area; charts that cover the day show it as a numbered marker and footnote.
        create_table(
            "annotation",
            _id(),
            _kommun_fk(),
            sa.Column("day", sa.Date, nullable=False),
            sa.Column("month_only", sa.Boolean, nullable=False, server_default=sa.false()),
            sa.Column("crime_type", sa.String(40)),
            sa.Column("focus_area_id", sa.Integer, sa.ForeignKey("focus_area.id")),
            sa.Column("text", sa.Text, nullable=False),
            sa.Column("created_by", sa.String(120), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("deleted_at", sa.DateTime(timezone=True)),
        ),
        # A tertial follow-up frozen as a JSON record (what the tertial report showed), signed by one editor
        # of each party; unfreezing needs both parties too. A row with unfrozen_at set is history.
        create_table(
            "frozen_tertial",
            _id(),
            _kommun_fk(),
            sa.Column("promise_id", sa.Integer, sa.ForeignKey("promise.id"), nullable=False),
            sa.Column("tertial", sa.Integer, nullable=False),
            sa.Column("record", sa.Text, nullable=False),
            sa.Column("frozen_by", sa.String(120), nullable=False),
            sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("signed_polisen_by", sa.String(120)),
            sa.Column("signed_polisen_at", sa.DateTime(timezone=True)),
            sa.Column("signed_kommunen_by", sa.String(120)),
            sa.Column("signed_kommunen_at", sa.DateTime(timezone=True)),
            sa.Column("unfreeze_polisen_by", sa.String(120)),
            sa.Column("unfreeze_kommunen_by", sa.String(120)),
            sa.Column("unfreeze_reason", sa.Text, nullable=False, server_default=""),
            sa.Column("unfrozen_at", sa.DateTime(timezone=True)),
            IndexOn("ix_frozen_tertial_promise", ("promise_id", "tertial")),
        ),
    ],
)

INCIDENT_INDEX_AND_APP_STATE = Migration(
    10,
    "incident_index_and_app_state",
    [
        # The Lägesbild reads one kommun's incidents of one period: an index instead of a full table scan.
        add_index("incident", IndexOn("ix_incident_kommun_occurred", ("kommun_code", "occurred_at"))),
        # Small facts about the database itself, e.g. the version of the embedded data last loaded.
        create_table(
            "app_state",
            sa.Column("key", sa.String(80), primary_key=True),
            sa.Column("value", sa.Text, nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        ),
    ],
)

MIGRATIONS: tuple[Migration, ...] = (
    INITIAL,
    AREAS_AND_KPIS,
    EDITING_AND_AUDIT,
    PLACES,
    DECISIONS,
    ACTIVITY_COUNT_STATED,
    API_CALL_LOG,
    PUBLISHING_AND_PLAN_TEXTS,
    INCIDENT_INDEX_AND_APP_STATE,
    TERTIAL_CYCLE,
)


def current_metadata(migrations: tuple[Migration, ...] = MIGRATIONS) -> sa.MetaData:
    """The schema after every migration, built in memory (no database touched)."""
    metadata = sa.MetaData()
    for migration in migrations:
        for operation in migration.operations:
            operation(metadata, None)
    return metadata
