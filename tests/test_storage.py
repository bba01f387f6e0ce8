"""Storage: create, migrate, seed twice without duplicates, survive a restart, keep data on upgrade."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa

from lofte_data.errors import StorageError
from lofte_data.migrations import INITIAL, MIGRATIONS, Migration, add_column
from lofte_data.models import Activity, Commitment, FocusArea, Promise
from lofte_data.seed import seed_defaults
from lofte_data.storage import Store, create_engine

TABLES = ("kommun", "source_document", "promise", "focus_area", "commitment", "activity", "crime_stat")


def test_open_creates_every_table_and_records_the_migrations(store: Store) -> None:
    names = set(sa.inspect(store.engine).get_table_names())
    assert set(TABLES) | {"schema_migrations", "incident", "dataset"} <= names
    assert store.schema_version() == MIGRATIONS[-1].number


def test_migrate_twice_applies_nothing_the_second_time(store: Store) -> None:
    assert store.migrate() == []


def test_seed_twice_gives_no_duplicates(store: Store) -> None:
    first = seed_defaults(store)
    counts = {t: store.count(t) for t in TABLES}
    second = seed_defaults(store)
    assert first["löften"] == 6 and first["områden"] == 290 + 21 + 1
    assert set(second.values()) == {0}
    assert {t: store.count(t) for t in TABLES} == counts


def test_data_survives_a_restart(store_url: str) -> None:
    first = Store.open(store_url)
    seed_defaults(first)
    first.engine.dispose()
    again = Store.open(store_url)
    promise = again.promise("1960", 2023)
    assert promise is not None and len(promise.focus_areas) == 2
    assert int(again.activities(promise.id)["count"].sum()) == 2 + 1 + 4 + 11 + 14 + 50 + 63 + 1


def test_upgrade_keeps_existing_data_and_adds_the_column(store_url: str) -> None:
    old = Store(Store.open(store_url).engine)
    seed_defaults(old)
    before = old.count("activity")
    upgraded = (INITIAL, Migration(99, "test_add_column", [add_column("activity", sa.Column("extra", sa.String(20)))]))
    assert old.migrate(upgraded) == [99]
    assert old.count("activity") == before
    columns = {c["name"] for c in sa.inspect(old.engine).get_columns("activity")}
    assert "extra" in columns


def test_add_promise_refuses_a_second_promise_for_the_same_year(store: Store) -> None:
    seed_defaults(store)
    again = Promise(kommun_code="1960", year=2023, title="Dubblett")
    assert store.add_promise(again) is None
    assert store.promise("1960", 2023).title == "Medborgarlöfte 2023"


def test_promise_tree_round_trips(store: Store) -> None:
    seed_defaults(store)
    area = FocusArea(
        name="Test",
        crime_types=("trafik",),
        commitments=(Commitment("Kontroller", "Polisen", "minst", 5, "st"),),
    )
    activity = Activity(commitment_id=0, date=date(2025, 3, 1), count=2, place="Torget")
    promise_id = store.add_promise(Promise("0483", 2025, "Löfte", focus_areas=(area,)), [(1, 1, activity)])
    loaded = store.promise("0483", 2025)
    assert loaded.id == promise_id
    assert loaded.focus_areas[0].crime_types == ("trafik",)
    assert loaded.focus_areas[0].commitments[0].target_text() == "minst 5 st"
    assert store.activities(promise_id)["place"].tolist() == ["Torget"]


def test_crime_stats_keep_existing_unless_replaced(store: Store) -> None:
    seed_defaults(store)
    row = pd.DataFrame(
        [
            {
                "kommun_code": "1960",
                "crime_type": "totalt",
                "year": 2019,
                "period": "year",
                "count": 1,
                "per_100k": None,
                "preliminary": False,
                "source": "x",
                "note": "",
            }
        ]
    )
    assert store.add_crime_stats(row) == 0
    assert store.add_crime_stats(row, replace=True) == 1
    stats = store.crime_stats(["1960"])
    assert stats.loc[(stats["year"] == 2019) & (stats["period"] == "year"), "count"].tolist() == [1]


def test_crime_stats_are_all_or_nothing(store: Store) -> None:
    seed_defaults(store)
    bad = pd.DataFrame(
        [
            {
                "kommun_code": "1960",
                "crime_type": "vald",
                "year": 2030,
                "period": "year",
                "count": 5,
                "per_100k": None,
                "preliminary": False,
                "source": "x",
                "note": "",
            },
            {
                "kommun_code": "9999",
                "crime_type": "vald",
                "year": 2030,
                "period": "year",
                "count": 5,
                "per_100k": None,
                "preliminary": False,
                "source": "x",
                "note": "",
            },
        ]
    )
    with pytest.raises(StorageError, match="sparades inte"):
        store.add_crime_stats(bad)
    assert store.crime_stats(["1960"])["year"].max() == 2022


def test_a_bad_url_gives_a_storage_error() -> None:
    with pytest.raises(StorageError, match="Databasadressen"):
        Store.open("nosuchdialect://x")


def test_migration_6_keeps_activities_and_reads_them_as_counted(store_url: str) -> None:
    old = Store(create_engine(store_url))  # an empty database brought up to schema 5 only
    assert old.migrate(MIGRATIONS[:5]) == [1, 2, 3, 4, 5]
    statements = [
        "INSERT INTO kommun (code, name, lan_code, lan_name, police_area, police_region) "
        "VALUES ('1960', 'Kungsör', '19', 'Västmanlands län', '', '')",
        "INSERT INTO promise (id, kommun_code, year, title) VALUES (1, '1960', 2023, 'Löfte')",
        "INSERT INTO focus_area (id, promise_id, position, name) VALUES (1, 1, 1, 'Trafik')",
        "INSERT INTO commitment (id, focus_area_id, position, text, owner, target_type) "
        "VALUES (1, 1, 1, 'Kontroller', 'Polisen', 'lopande')",
        "INSERT INTO activity (commitment_id, date, count, created_at) VALUES (1, '2023-03-01', 7, '2023-03-01')",
    ]
    with old.engine.begin() as conn:
        for statement in statements:
            conn.execute(sa.text(statement))
    assert old.migrate() == [m.number for m in MIGRATIONS if m.number >= 6]
    frame = old.activities(1)
    assert frame[["count", "count_stated"]].values.tolist() == [[7, True]]
    old.engine.dispose()


def test_an_api_call_log_created_by_the_old_rate_limiter_is_kept(store_url: str) -> None:
    """Before migration 7 the rate limiter created api_call_log itself, outside the migrations."""
    old = Store(create_engine(store_url))
    old.migrate(tuple(m for m in MIGRATIONS if m.number < 7))
    legacy = sa.Table(
        "api_call_log",
        sa.MetaData(),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("called_at", sa.Float, nullable=False),
        sa.Index("ix_api_call_log_source_called_at", "source", "called_at"),
    )
    legacy.create(old.engine)
    with old.engine.begin() as conn:
        conn.execute(sa.insert(legacy).values(source="polisen", called_at=1000.0))

    upgraded = Store(create_engine(store_url))
    assert upgraded.migrate() == [m.number for m in MIGRATIONS if m.number >= 7]
    assert upgraded.recent_calls("polisen", 0) == [1000.0]
    upgraded.record_call("polisen", 1010.0, forget_before=0)
    assert upgraded.recent_calls("polisen", 0) == [1000.0, 1010.0]


def test_migration_11_adds_the_tertial_cycle_tables_and_keeps_data(store_url: str) -> None:
    old = Store(create_engine(store_url))
    old.migrate(tuple(m for m in MIGRATIONS if m.number < 11))
    with old.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO kommun (code, name, lan_code, lan_name, police_area, police_region) "
                "VALUES ('1960', 'Kungsör', '19', 'Västmanlands län', '', '')"
            )
        )
    assert old.migrate() == [11]
    assert old.kommun("1960").name == "Kungsör"
    assert old.annotations("1960").empty and old.frozen_kommun_tertials("1960", 2023) == set()
    old.engine.dispose()


def _figures(**changes: object) -> pd.DataFrame:
    """Months 1..12 of 2030 for Kungsör (count 10, no rate), with ``changes`` applied to every row."""
    rows = [
        {
            "kommun_code": "1960",
            "crime_type": "vald",
            "year": 2030,
            "period": f"M{m:02d}",
            "count": 10,
            "per_100k": None,
            "preliminary": False,
            "source": "Brå",
            "note": "",
        }
        for m in range(1, 13)
    ]
    return pd.DataFrame([row | changes for row in rows])


def test_upsert_counts_each_outcome_in_bulk(store: Store) -> None:
    seed_defaults(store)
    assert store.upsert_crime_stats(_figures()).new == 12
    assert store.upsert_crime_stats(_figures()).unchanged == 12  # a missing rate equals a missing rate
    assert store.upsert_crime_stats(_figures(count=11, preliminary=True)).kept_final == 12
    changed = _figures(count=12).assign(per_100k=[1.5] * 11 + [None])
    assert vars(store.upsert_crime_stats(changed)) == {"new": 0, "updated": 12, "unchanged": 0, "kept_final": 0}
    stored = store.crime_stats(["1960"]).query("year == 2030")
    assert stored["count"].tolist() == [12] * 12 and stored["per_100k"].isna().sum() == 1


def test_full_years_are_summed_in_sql_and_a_reported_year_wins(store: Store) -> None:
    seed_defaults(store)
    store.upsert_crime_stats(_figures())
    store.upsert_crime_stats(_figures(year=2031).iloc[:11])  # eleven months: not a full year
    reported = _figures(year=2031, period="year", count=99, preliminary=True).iloc[:1]
    store.upsert_crime_stats(pd.concat([reported, _figures(year=2029, period="year", count=7).iloc[:1]]))
    years = store.full_years(["1960"], 2029, 2031).query("crime_type == 'vald'")
    assert years[["year", "count", "preliminary"]].values.tolist() == [
        [2029, 7, False],
        [2030, 120, False],
        [2031, 99, True],
    ]


def test_incidents_of_a_period_and_their_summary(store: Store) -> None:
    seed_defaults(store)
    every = store.incidents("0483")
    inside = store.incidents("0483", date(2025, 1, 1), date(2025, 12, 31))
    assert len(inside) == every["occurred_at"].dt.year.eq(2025).sum() > 0
    assert inside["occurred_at"].is_monotonic_increasing
    summary = store.incident_summary("0483")
    assert (summary.count, summary.first, summary.last) == (
        len(every),
        every["occurred_at"].min(),
        every["occurred_at"].max(),
    )
    assert summary.categories == tuple(sorted(every["category"].unique()))
    assert store.incident_summary("0114").count == 0 and store.incidents("0114", date(2025, 1, 1)).empty
