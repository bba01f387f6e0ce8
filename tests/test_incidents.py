"""Lägesbild analysis, police archive import into the database, and own incident reports."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from lofte_data import editing, figures, incidents
from lofte_data.access import OPERATOR, Editor
from lofte_data.errors import ImportFileError, InputError
from lofte_data.refresh import import_polisen_archive
from lofte_data.storage import IncidentCounts, Store
from tests.conftest import REFERENCE

ANNA = Editor("anna@kungsor.se", "Anna", frozenset({"1960"}), "lösenord")


def _frame(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"occurred_at": pd.Timestamp(t), "category": c, "origin": o, "place": p, "lat": None, "lon": None}
            for t, c, o, p in rows
        ]
    )


SAMPLE = _frame(
    [
        ("2025-11-07 22:10", "Skadegörelse", "egen", "Torget"),
        ("2025-11-14 23:40", "Skadegörelse", "egen", "Torget"),
        ("2025-11-15 01:15", "Klotter", "egen", "Skolgården"),
        ("2025-11-20 14:00", "Trafikolycka", "polisen", ""),
        ("2024-11-10 21:00", "Skadegörelse", "egen", "Torget"),
    ]
)


def test_periods_end_today_in_the_current_year_and_on_new_years_eve_otherwise() -> None:
    today = date(2026, 11, 22)
    assert incidents.period("14d", year=2026, today=today) == incidents.Period(date(2026, 11, 9), date(2026, 11, 22))
    assert incidents.period("30d", year=2025, today=today).end == date(2025, 12, 31)
    assert incidents.period("tertial", year=2026, today=today) == incidents.Period(date(2026, 9, 1), date(2026, 12, 31))
    assert incidents.period("ar", year=2024, today=today) == incidents.Period(date(2024, 1, 1), date(2024, 12, 31))
    custom = (date(2025, 3, 1), date(2025, 2, 1))
    assert incidents.period("egen", year=2025, today=today, custom=custom).start == date(2025, 2, 1)


def test_select_filters_period_type_and_origin() -> None:
    span = incidents.Period(date(2025, 11, 1), date(2025, 11, 30))
    assert len(incidents.select(SAMPLE, span)) == 4
    assert len(incidents.select(SAMPLE, span, categories=["Skadegörelse"])) == 2
    assert len(incidents.select(SAMPLE, span, origins=["polisen"])) == 1


def test_hot_spots_rank_places() -> None:
    spots = incidents.hot_spots(SAMPLE)
    assert spots.iloc[0].tolist() == ["Torget", 3, "Skadegörelse"]
    assert incidents.UNKNOWN_PLACE in spots["Plats"].tolist()


def test_weekday_hour_matrix() -> None:
    matrix = incidents.weekday_hour(SAMPLE)
    assert matrix.shape == (7, 24)
    assert matrix.loc["fredag", 22] == 1 and matrix.loc["lördag", 1] == 1
    assert int(matrix.values.sum()) == len(SAMPLE)


def test_monthly_compares_with_the_year_before() -> None:
    trend = incidents.monthly(SAMPLE, incidents.Period(date(2025, 11, 1), date(2025, 11, 30)))
    assert trend.to_dict("records") == [{"Månad": "nov 2025", "I perioden": 4, "Året före": 1}]


def test_monthly_takes_the_first_incident_on_record_when_only_a_window_is_loaded() -> None:
    span = incidents.Period(date(2025, 10, 1), date(2025, 11, 30))
    by_frame = incidents.monthly(SAMPLE, span)  # the first loaded incident is from November 2024
    assert by_frame["Året före"].isna().tolist() == [True, False]
    on_record = incidents.monthly(SAMPLE, span, first=pd.Timestamp("2024-03-02 10:00"))  # the archive reaches back
    assert on_record.to_dict("list") == {"Månad": ["okt 2025", "nov 2025"], "I perioden": [0, 4], "Året före": [0, 1]}


def test_a_ties_most_common_type_is_the_first_alphabetically() -> None:
    tie = _frame([("2025-11-01 10:00", "Stöld", "egen", "Torget"), ("2025-11-02 10:00", "Klotter", "egen", "Torget")])
    assert incidents.hot_spots(tie).iloc[0].tolist() == ["Torget", 2, "Klotter"]


def test_a_crowded_map_merges_incidents_per_square_and_type() -> None:
    many = pd.DataFrame(
        {
            "occurred_at": pd.Timestamp("2025-11-01 10:00"),
            "category": ["Stöld", "Brand"] * 1500,
            "origin": "polisen",
            "lat": [59.3301, 59.3302, 59.4] * 1000,
            "lon": 18.06,
        }
    )
    fig = figures.incident_map(many, title="Händelser på kartan", centre=(59.33, 18.06))
    assert sum(len(trace.lat) for trace in fig.data) == 4  # two squares x two types, not 3 000 points
    counts = [text.split(": ")[1].split(" ")[0].replace("\xa0", "") for trace in fig.data for text in trace.text]
    assert sum(map(int, counts)) == 3000
    few = figures.incident_map(many.head(10), title="Händelser på kartan", centre=(59.33, 18.06))
    assert sum(len(trace.lat) for trace in few.data) == 10
    assert few.data[0].text[0] == "Stöld, 2025-11-01 10:00"


def test_patrol_slots_name_day_and_time() -> None:
    lines = incidents.patrol_slots(SAMPLE[SAMPLE["category"].isin(["Skadegörelse", "Klotter"])])
    assert lines[0] == "Fredag kl. 21–24: 2 händelser"
    assert incidents.patrol_slots(SAMPLE.iloc[0:0]) == []


def test_patrol_slots_name_evening_and_night_hours_only() -> None:
    at = pd.to_datetime(
        ["2025-11-07 12:10", "2025-11-07 13:40", "2025-11-14 14:05", "2025-11-07 22:30", "2025-11-08 01:15"]
    )
    lines = incidents.patrol_slots(pd.DataFrame({"occurred_at": at, "category": "Skadegörelse"}))
    assert lines == ["Fredag kl. 21–24: 1 händelse", "Lördag kl. 00–03: 1 händelse"]
    for line in lines:
        start = int(line.split("kl. ")[1][:2])
        assert start >= 18 or start < 6
    lunch = pd.DataFrame({"occurred_at": at[:3], "category": "Skadegörelse"})
    assert incidents.patrol_slots(lunch) == []


@pytest.mark.parametrize("hour", range(24))
def test_every_suggested_slot_lies_between_18_and_06(hour: int) -> None:
    frame = pd.DataFrame({"occurred_at": [pd.Timestamp(2025, 11, 7, hour, 30)], "category": ["Klotter"]})
    lines = incidents.patrol_slots(frame)
    assert bool(lines) == (hour >= 18 or hour < 6)


def test_archive_import_is_deduplicated(store: Store) -> None:
    from lofte_data.seed import load_areas

    store.add_kommuner(load_areas())
    path = REFERENCE / "polisen" / "events_5kommuner_2022-12_to_2026-08.json"
    if not path.exists():
        pytest.skip("referensdata saknas")
    assert import_polisen_archive(store, path.read_bytes(), editor=OPERATOR) == IncidentCounts(
        new=577, already_archived=0
    )
    assert import_polisen_archive(store, path.read_bytes(), editor=OPERATOR) == IncidentCounts(
        new=0, already_archived=577
    )
    counts = {code: len(store.incidents(code)) for code in ("1983", "0483", "1961", "1984", "1960")}
    # Counted separately from the raw file's name field (last comma part).
    assert counts == {"1983": 182, "0483": 170, "1961": 98, "1984": 81, "1960": 46}


def test_bad_archive_changes_nothing(seeded: Store) -> None:
    before = seeded.count("incident")
    with pytest.raises(ImportFileError):
        import_polisen_archive(seeded, b"{not json", editor=OPERATOR)
    assert seeded.count("incident") == before


def test_own_incident_report_with_a_named_place(seeded: Store) -> None:
    editing.add_place(seeded, ANNA, kommun_code="1960", name="Torget", lat=59.4226, lon=16.0970)
    when = datetime(2025, 11, 7, 22, 10)
    fields = {"place": "Torget", "lat": 59.4226, "lon": 16.0970, "description": "<b>tag</b>"}
    editing.add_incident(seeded, ANNA, kommun_code="1960", occurred_at=when, category="Klotter", **fields)
    own = seeded.incidents("1960").query("origin == 'egen'")
    assert own[["category", "place", "description"]].iloc[0].tolist() == ["Klotter", "Torget", "<b>tag</b>"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"category": "Mord"}, "Välj en kategori"),
        ({"lat": 40.0, "lon": 16.0}, "inte i Sverige"),
        ({"lat": "norr", "lon": "16"}, "måste vara tal"),
        ({"occurred_at": datetime(2099, 1, 1)}, "framtiden"),
        ({"kommun_code": "0483"}, "får inte ändra"),
    ],
)
def test_incident_validation(seeded: Store, fields: dict, message: str) -> None:
    values = {"kommun_code": "1960", "occurred_at": datetime(2025, 11, 7, 22, 10), "category": "Klotter"} | fields
    with pytest.raises((InputError, Exception), match=message):
        editing.add_incident(seeded, ANNA, **values)
    assert seeded.incidents("1960").query("origin == 'egen'").empty
