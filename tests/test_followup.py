"""Promise follow-up: tertials, tallies per tertial, the status rule, progress, the follow-up table."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lofte_data import followup, palette
from lofte_data.followup import (
    DONE_UNCOUNTED,
    STATUS_ORDER,
    TERTIALS,
    assessment_date,
    expected_by,
    follow_up_table,
    progress,
    status,
    status_note,
    summary,
    tertial_bounds,
    tertial_of,
    tertial_tallies,
)
from lofte_data.models import Activity, Commitment, FocusArea, Kommun, Promise
from lofte_data.storage import Store

Y = 2023  # not a leap year
JAN_1, MID, DEC_31 = date(Y, 1, 1), date(Y, 7, 2), date(Y, 12, 31)  # MID: day 183 of 365
BEFORE, AFTER = date(Y - 1, 12, 31), date(Y + 1, 1, 1)


def rank(value: str) -> int:
    """0 is best ("uppnått"), 3 is worst ("ej påbörjad")."""
    return STATUS_ORDER.index(value)


# -- tertials ----------------------------------------------------------------------------


def test_tertial_labels() -> None:
    assert TERTIALS == {1: "T1 jan–apr", 2: "T2 maj–aug", 3: "T3 sep–dec"}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 1, 1), 1),
        (date(2024, 4, 30), 1),
        (date(2024, 5, 1), 2),
        (date(2024, 8, 31), 2),
        (date(2024, 9, 1), 3),
        (date(2024, 12, 31), 3),
    ],
)
def test_tertial_of_boundaries(day: date, expected: int) -> None:
    assert tertial_of(day) == expected


def test_tertial_bounds() -> None:
    assert tertial_bounds(2024, 1) == (date(2024, 1, 1), date(2024, 4, 30))
    assert tertial_bounds(2024, 2) == (date(2024, 5, 1), date(2024, 8, 31))
    assert tertial_bounds(2024, 3) == (date(2024, 9, 1), date(2024, 12, 31))


@pytest.mark.parametrize("tertial", [0, 4, -1])
def test_tertial_bounds_rejects_unknown_tertials(tertial: int) -> None:
    with pytest.raises(ValueError):
        tertial_bounds(2024, tertial)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_every_day_lies_in_the_bounds_of_its_tertial(day: date) -> None:
    first, last = tertial_bounds(day.year, tertial_of(day))
    assert first <= day <= last


def test_the_three_tertials_cover_the_year_without_gaps() -> None:
    bounds = [tertial_bounds(2024, t) for t in (1, 2, 3)]
    assert bounds[0][0] == date(2024, 1, 1) and bounds[2][1] == date(2024, 12, 31)
    assert all(a[1] + timedelta(days=1) == b[0] for a, b in zip(bounds, bounds[1:], strict=False))


# -- tallies per tertial -----------------------------------------------------------------


def activities(rows: list[tuple]) -> pd.DataFrame:
    """A frame shaped like Store.activities(): rows of (commitment_id, date, period_start, count[, deleted_at])."""
    records = []
    for i, row in enumerate(rows, start=1):
        commitment_id, day, start, count, *deleted = row
        records.append(
            {
                "id": i,
                "commitment_id": commitment_id,
                "date": day,
                "period_start": start,
                "count": count,
                "place": "",
                "note": "",
                "reported_by": "",
                "source_key": None,
                "created_at": datetime(2024, 1, 1),
                "deleted_at": deleted[0] if deleted else None,
            }
        )
    frame = pd.DataFrame(
        records,
        columns=[
            "id",
            "commitment_id",
            "date",
            "period_start",
            "count",
            "place",
            "note",
            "reported_by",
            "source_key",
            "created_at",
            "deleted_at",
        ],
    )
    for column in ("date", "period_start"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def tallies_of(frame: pd.DataFrame, year: int = 2024) -> dict[int, dict[str, int]]:
    table = tertial_tallies(frame, year)
    return {r.pop("commitment_id"): r for r in table.to_dict("records")}


def test_single_activities_fall_in_their_tertial_at_the_boundaries() -> None:
    frame = activities(
        [
            (1, date(2024, 4, 30), None, 1),
            (1, date(2024, 5, 1), None, 2),
            (1, date(2024, 8, 31), None, 4),
            (1, date(2024, 9, 1), None, 8),
            (1, date(2024, 12, 31), None, 16),
        ]
    )
    assert tallies_of(frame) == {1: {"T1": 1, "T2": 6, "T3": 24, "ej_fordelat": 0, "total": 31}}


def test_whole_year_summary_is_not_split_and_a_february_summary_counts_in_t1() -> None:
    frame = activities(
        [
            (1, date(2024, 12, 31), date(2024, 1, 1), 63),  # "63 trafikkontroller under året"
            (1, date(2024, 2, 29), date(2024, 2, 1), 5),  # summary inside February
            (2, date(2024, 3, 10), None, 1),
        ]
    )
    assert tallies_of(frame) == {
        1: {"T1": 5, "T2": 0, "T3": 0, "ej_fordelat": 63, "total": 68},
        2: {"T1": 1, "T2": 0, "T3": 0, "ej_fordelat": 0, "total": 1},
    }


def test_summary_rows_across_a_tertial_or_year_boundary_are_unallocated() -> None:
    frame = activities(
        [
            (1, date(2024, 4, 30), date(2024, 1, 1), 3),  # exactly T1
            (1, date(2024, 5, 1), date(2024, 4, 30), 7),  # one day over the T1/T2 boundary
            (1, date(2024, 1, 31), date(2023, 12, 1), 11),  # starts in the previous year
            (1, date(2024, 12, 31), date(2024, 9, 1), 13),  # exactly T3
        ]
    )
    assert tallies_of(frame) == {1: {"T1": 3, "T2": 0, "T3": 13, "ej_fordelat": 18, "total": 34}}


def test_other_years_and_deleted_rows_are_ignored() -> None:
    frame = activities(
        [
            (1, date(2023, 12, 31), None, 100),
            (1, date(2025, 1, 1), None, 100),
            (1, date(2024, 6, 1), None, 100, datetime(2024, 6, 2)),
            (1, date(2024, 6, 1), None, 2),
            (3, date(2023, 6, 1), None, 9),  # only other years: no row at all
        ]
    )
    assert tallies_of(frame) == {1: {"T1": 0, "T2": 2, "T3": 0, "ej_fordelat": 0, "total": 2}}


def test_empty_activities_give_an_empty_table_with_the_columns() -> None:
    table = tertial_tallies(activities([]), 2024)
    assert table.empty
    assert list(table.columns) == ["commitment_id", "T1", "T2", "T3", "ej_fordelat", "total"]


def test_tallies_are_integers_sorted_by_commitment() -> None:
    frame = activities([(5, date(2024, 1, 2), None, 1), (2, date(2024, 1, 3), None, 1)])
    table = tertial_tallies(frame, 2024)
    assert table["commitment_id"].tolist() == [2, 5]
    assert all(str(t) == "int64" for t in table.dtypes)


def test_tallies_from_the_real_store(store: Store) -> None:
    store.add_kommuner([Kommun("0483", "Katrineholm", "04", "Södermanlands län", "Katrineholm", "Öst")])
    area = FocusArea(name="Trafik", commitments=(Commitment("Kontroller", "Polisen", "minst", 20, "st"),))
    rows = [
        (1, 1, Activity(commitment_id=0, date=date(2024, 2, 29), count=2)),
        (1, 1, Activity(commitment_id=0, date=date(2024, 12, 31), count=10, period_start=date(2024, 1, 1))),
    ]
    promise_id = store.add_promise(Promise("0483", 2024, "Löfte", focus_areas=(area,)), rows)
    table = tertial_tallies(store.activities(promise_id), 2024)
    assert table[["T1", "T2", "T3", "ej_fordelat", "total"]].values.tolist() == [[2, 0, 0, 10, 12]]


# -- the status rule: each target type on each kind of date ------------------------------

CASES = [
    # target type, count, tally, on, status
    ("minst", 12, 0, JAN_1, "ej påbörjad"),
    ("minst", 12, 1, JAN_1, "på väg"),  # expected 12/365
    ("minst", 12, 12, JAN_1, "uppnått"),
    ("minst", 12, 0, MID, "ej påbörjad"),
    ("minst", 12, 6, MID, "efter plan"),  # expected 12 x 183/365 = 6.02
    ("minst", 12, 7, MID, "på väg"),
    ("minst", 12, 13, MID, "uppnått"),
    ("minst", 12, 0, DEC_31, "ingen uppgift"),  # 31 December closes the year: all of it has elapsed
    ("minst", 12, 11, DEC_31, "efter plan"),
    ("minst", 12, 12, DEC_31, "uppnått"),
    ("minst", 12, 0, AFTER, "ingen uppgift"),  # nothing recorded: no claim either way
    ("minst", 12, 11, AFTER, "efter plan"),
    ("minst", 12, 12, AFTER, "uppnått"),
    ("minst", 12, 0, BEFORE, "ej påbörjad"),
    ("minst", 12, 1, BEFORE, "på väg"),
    ("minst", 12, 12, BEFORE, "uppnått"),
    ("exakt", 2, 0, JAN_1, "ej påbörjad"),
    ("exakt", 2, 1, JAN_1, "på väg"),
    ("exakt", 2, 1, MID, "efter plan"),  # expected 1.003
    ("exakt", 2, 2, MID, "uppnått"),
    ("exakt", 2, 4, MID, "uppnått"),  # over the target is still reached
    ("exakt", 2, 1, DEC_31, "efter plan"),
    ("exakt", 2, 0, AFTER, "ingen uppgift"),  # nothing recorded: no claim either way
    ("exakt", 2, 3, AFTER, "uppnått"),
    ("exakt", 2, 1, BEFORE, "på väg"),
    ("genomfora", None, 0, JAN_1, "ej påbörjad"),
    ("genomfora", None, 1, JAN_1, "uppnått"),
    ("genomfora", None, 0, MID, "ej påbörjad"),
    ("genomfora", None, 3, MID, "uppnått"),
    ("genomfora", None, 0, DEC_31, "ingen uppgift"),
    ("genomfora", None, 0, date(Y, 12, 30), "ej påbörjad"),
    ("genomfora", None, 0, AFTER, "ingen uppgift"),  # nothing recorded: no claim either way
    ("genomfora", None, 1, AFTER, "uppnått"),
    ("genomfora", None, 0, BEFORE, "ej påbörjad"),
    ("genomfora", None, 1, BEFORE, "uppnått"),
    ("genomfora", 5, 1, MID, "uppnått"),  # a count on a done/not-done target is ignored
    ("lopande", None, 0, JAN_1, "ej påbörjad"),
    ("lopande", None, 1, JAN_1, "på väg"),
    ("lopande", None, 0, MID, "ej påbörjad"),
    ("lopande", None, 63, MID, "på väg"),
    ("lopande", None, 0, DEC_31, "ingen uppgift"),
    ("lopande", None, 63, DEC_31, "uppnått"),
    ("lopande", None, 63, date(Y, 12, 30), "på väg"),
    ("lopande", None, 0, AFTER, "ingen uppgift"),  # nothing recorded: no claim either way
    ("lopande", None, 63, AFTER, "uppnått"),
    ("lopande", None, 0, BEFORE, "ej påbörjad"),
    ("lopande", None, 2, BEFORE, "på väg"),
    ("lopande", 10, 63, MID, "på väg"),  # a count on an ongoing target is ignored
    ("minst", None, 0, MID, "ej påbörjad"),  # numeric without count: judged as löpande
    ("minst", None, 5, MID, "på väg"),
    ("exakt", None, 5, AFTER, "uppnått"),
    ("exakt", None, 0, AFTER, "ingen uppgift"),  # nothing recorded: no claim either way
    ("minst", 0, 0, MID, "uppnått"),  # a zero target is reached by doing nothing
]


@pytest.mark.parametrize(("target_type", "count", "tally", "on", "expected"), CASES)
def test_status_rule(target_type: str, count: int | None, tally: int, on: date, expected: str) -> None:
    assert status(target_type, count, tally, year=Y, on=on) == expected


UNCOUNTED_CASES = [
    # Some work was recorded done without a count ("genomfört, antal saknas"); tally is the stated counts.
    ("lopande", None, 0, MID, DONE_UNCOUNTED),
    ("lopande", None, 0, AFTER, DONE_UNCOUNTED),  # done, so never "ingen uppgift"
    ("lopande", None, 3, MID, "på väg"),
    ("lopande", None, 3, AFTER, "uppnått"),
    ("genomfora", None, 0, MID, "uppnått"),  # done / not done needs no count
    ("genomfora", None, 0, AFTER, "uppnått"),
    ("minst", 12, 0, MID, DONE_UNCOUNTED),
    ("minst", 12, 6, MID, DONE_UNCOUNTED),  # behind on the counted part, but more was done: unknown
    ("minst", 12, 7, MID, "på väg"),  # on track on the counted part alone
    ("minst", 12, 11, AFTER, DONE_UNCOUNTED),
    ("minst", 12, 12, AFTER, "uppnått"),
    ("exakt", 2, 0, AFTER, DONE_UNCOUNTED),
    ("minst", None, 0, AFTER, DONE_UNCOUNTED),  # numeric without count: judged as löpande
]


@pytest.mark.parametrize(("target_type", "count", "tally", "on", "expected"), UNCOUNTED_CASES)
def test_status_rule_with_work_done_without_a_count(
    target_type: str, count: int | None, tally: int, on: date, expected: str
) -> None:
    assert status(target_type, count, tally, year=Y, on=on, uncounted=True) == expected


@pytest.mark.parametrize(
    ("target_type", "count", "tally", "on", "note"),
    [
        ("lopande", None, 0, AFTER, "genomfört, antalet anges inte (löpande)"),
        ("lopande", None, 5, MID, "5 genomförda, därtill genomfört utan angivet antal (löpande)"),
        ("genomfora", None, 0, AFTER, "genomfört, antalet anges inte"),
        ("minst", 12, 0, AFTER, "genomfört, antalet anges inte; målet är minst 12"),
        ("minst", 12, 6, MID, "6 av minst 12, därtill genomfört utan angivet antal; väntat hittills 7"),
        ("minst", 12, 6, AFTER, "6 av minst 12, därtill genomfört utan angivet antal; året är slut"),
    ],
)
def test_notes_never_invent_a_count(target_type: str, count: int | None, tally: int, on: date, note: str) -> None:
    assert status_note(target_type, count, tally, year=Y, on=on, uncounted=True) == note


def test_nothing_recorded_on_an_ongoing_commitment_is_not_zero_done() -> None:
    assert status_note("lopande", None, 0, year=Y, on=AFTER) == "inga aktiviteter registrerade (löpande)"


@pytest.mark.parametrize(
    ("year", "today", "tertial", "expected"),
    [
        (2023, date(2026, 11, 22), None, date(2023, 12, 31)),  # a finished year: its last day
        (2026, date(2026, 11, 22), None, date(2026, 11, 22)),  # the running year: today
        (2027, date(2026, 11, 22), None, date(2026, 11, 22)),  # not begun: today ("before")
        (2023, date(2026, 11, 22), 2, date(2023, 8, 31)),  # the tertial report: the end of the tertial
        (2023, date(2026, 11, 22), 3, date(2023, 12, 31)),  # T3 of a finished year: the same day as the page
        (2026, date(2026, 6, 10), 2, date(2026, 6, 10)),  # a running tertial: today
        (2026, datetime(2026, 6, 10, 13, 5), 3, date(2026, 6, 10)),
    ],
)
def test_assessment_date(year: int, today: date, tertial: int | None, expected: date) -> None:
    assert assessment_date(year, today, tertial=tertial) == expected


def test_the_last_day_of_the_year_and_any_later_day_give_the_same_status() -> None:
    for kind, count, tally in [("lopande", None, 0), ("lopande", None, 4), ("minst", 12, 5), ("genomfora", None, 0)]:
        on_last_day = status(kind, count, tally, year=Y, on=DEC_31)
        assert on_last_day == status(kind, count, tally, year=Y, on=date(Y + 3, 11, 22))


def test_pro_rata_on_30_june_differs_between_2023_and_2024() -> None:
    assert expected_by(12, year=2023, on=date(2023, 6, 30)) == pytest.approx(12 * 181 / 365)
    assert expected_by(12, year=2024, on=date(2024, 6, 30)) == pytest.approx(12 * 182 / 366)
    # 365 x 181/365 = 181 exactly; 365 x 182/366 = 181.5
    assert status("minst", 365, 181, year=2023, on=date(2023, 6, 30)) == "på väg"
    assert status("minst", 365, 180, year=2023, on=date(2023, 6, 30)) == "efter plan"
    assert status("minst", 365, 181, year=2024, on=date(2024, 6, 30)) == "efter plan"
    assert status("minst", 365, 182, year=2024, on=date(2024, 6, 30)) == "på väg"


def test_leap_day_counts_as_day_60_of_366() -> None:
    assert expected_by(366, year=2024, on=date(2024, 2, 29)) == 60
    assert status("minst", 366, 60, year=2024, on=date(2024, 2, 29)) == "på väg"
    assert status("minst", 366, 59, year=2024, on=date(2024, 2, 29)) == "efter plan"
    assert expected_by(366, year=2024, on=date(2024, 3, 1)) == 61
    assert expected_by(365, year=2023, on=date(2023, 3, 1)) == 60


def test_expected_by_is_clamped_to_the_year() -> None:
    assert expected_by(20, year=Y, on=BEFORE) == 0
    assert expected_by(20, year=Y, on=date(Y - 5, 6, 1)) == 0
    assert expected_by(20, year=Y, on=JAN_1) == pytest.approx(20 / 365)
    assert expected_by(20, year=Y, on=DEC_31) == 20
    assert expected_by(20, year=Y, on=date(Y + 3, 6, 1)) == 20


def test_a_datetime_is_judged_by_its_date() -> None:
    assert status("minst", 12, 6, year=Y, on=datetime(Y, 7, 2, 23, 59)) == "efter plan"
    assert expected_by(12, year=Y, on=pd.Timestamp(Y, 12, 31)) == 12


def test_unknown_type_negative_tally_and_negative_target_raise() -> None:
    for call in (status, status_note):
        with pytest.raises(ValueError):
            call("ungefär", 3, 1, year=Y, on=MID)
        with pytest.raises(ValueError):
            call("minst", 3, -1, year=Y, on=MID)
        with pytest.raises(ValueError):
            call("minst", -3, 1, year=Y, on=MID)
    with pytest.raises(ValueError):
        progress("ungefär", 3, 1)
    with pytest.raises(ValueError):
        progress("lopande", None, -1)


# -- notes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target_type", "count", "tally", "on", "note"),
    [
        ("minst", 20, 14, date(Y, 7, 20), "14 av minst 20; väntat hittills 12"),  # 20 x 201/365 = 11.01
        ("minst", 20, 14, date(Y, 7, 1), "14 av minst 20; väntat hittills 10"),  # 20 x 182/365 = 9.97
        ("minst", 20, 0, JAN_1, "0 av minst 20; väntat hittills 1"),
        ("minst", 20, 20, MID, "20 av minst 20"),
        ("minst", 20, 25, MID, "25 av minst 20"),
        ("minst", 20, 14, AFTER, "14 av minst 20; året är slut"),
        ("minst", 20, 3, BEFORE, "3 av minst 20; året har inte börjat"),
        ("exakt", 2, 4, MID, "4 av exakt 2: över målet"),
        ("exakt", 2, 2, MID, "2 av exakt 2"),
        ("minst", 2000, 1500, MID, "1\u00a0500 av minst 2\u00a0000; väntat hittills 1\u00a0003"),
        ("lopande", None, 63, MID, "63 genomförda (löpande)"),
        ("lopande", None, 1, MID, "1 genomförd (löpande)"),
        ("minst", None, 5, MID, "5 genomförda (inget antal angivet)"),
        ("genomfora", None, 1, MID, "genomfört"),
        ("genomfora", None, 0, MID, "inte genomfört ännu"),
        ("genomfora", None, 0, AFTER, "inga aktiviteter registrerade"),
    ],
)
def test_status_note(target_type: str, count: int | None, tally: int, on: date, note: str) -> None:
    assert status_note(target_type, count, tally, year=Y, on=on) == note


def test_note_for_july_20_rounds_the_expected_figure_up() -> None:
    # The brief's example "14 av minst 20; väntat hittills 11" needs 20 x d/365 in (10, 11].
    assert status_note("minst", 20, 14, year=Y, on=date(Y, 7, 19)) == "14 av minst 20; väntat hittills 11"
    assert expected_by(20, year=Y, on=date(Y, 7, 19)) == pytest.approx(10.96, abs=0.01)


# -- progress ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target_type", "count", "tally", "expected"),
    [
        ("minst", 20, 0, 0.0),
        ("minst", 20, 5, 0.25),
        ("minst", 20, 40, 1.0),
        ("exakt", 2, 4, 1.0),
        ("minst", 0, 0, 1.0),
        ("genomfora", None, 0, 0.0),
        ("genomfora", None, 3, 1.0),
        ("lopande", None, 63, None),
        ("minst", None, 5, None),
        ("exakt", None, 0, None),
    ],
)
def test_progress(target_type: str, count: int | None, tally: int, expected: float | None) -> None:
    assert progress(target_type, count, tally) == expected


# -- follow-up table and summary -----------------------------------------------------------


def test_follow_up_table_groups_by_owner_and_keeps_the_order_inside() -> None:
    commitments = [
        Commitment("Gemensam vandring", "Gemensamt", "minst", 2, "tillfällen", id=1),
        Commitment("Fritidsgårdar", "Kommunen", "lopande", id=2),
        Commitment("Trafikkontroller", "Polisen", "exakt", 63, "st", id=3),
        Commitment("Skolbesök", "Kommunen", "genomfora", id=4),
        Commitment("Narkotikainsats", "Polisen", "minst", 10, "st", id=5),
    ]
    frame = activities(
        [
            (3, date(Y, 6, 30), date(Y, 1, 1), 63),  # a half-year summary spans T1 and T2
            (5, date(Y, 3, 1), None, 2),
            (5, date(Y, 6, 1), None, 2),
            (2, date(Y, 5, 1), None, 4),
            (99, date(Y, 5, 1), None, 4),  # a commitment not in the list
        ]
    )
    table = follow_up_table(commitments, frame, year=Y, on=MID)
    assert list(table.columns) == [
        "commitment_id",
        "owner",
        "text",
        "target",
        "T1",
        "T2",
        "T3",
        "ej_fordelat",
        "total",
        "uncounted",
        "progress",
        "status",
        "note",
    ]
    assert table["commitment_id"].tolist() == [3, 5, 2, 4, 1]
    assert table["owner"].tolist() == ["Polisen", "Polisen", "Kommunen", "Kommunen", "Gemensamt"]
    first = table.iloc[0]
    assert first["target"] == "exakt 63 st"
    assert (first["ej_fordelat"], first["total"], first["status"]) == (63, 63, "uppnått")
    narkotika = table.iloc[1]
    assert (narkotika["T1"], narkotika["T2"], narkotika["total"]) == (2, 2, 4)
    assert narkotika["status"] == "efter plan"  # 10 x 183/365 = 5.01 expected
    assert narkotika["note"] == "4 av minst 10; väntat hittills 6"
    assert narkotika["progress"] == pytest.approx(0.4)
    assert table.iloc[2]["status"] == "på väg" and pd.isna(table.iloc[2]["progress"])
    assert table.iloc[3]["total"] == 0 and table.iloc[3]["status"] == "ej påbörjad"
    assert table.iloc[4]["status"] == "ej påbörjad"


def test_follow_up_table_leaves_out_what_is_dated_after_the_assessment_date() -> None:
    one = [Commitment("Kontroller", "Polisen", "minst", 4, "st", id=1)]
    frame = activities([(1, date(Y, 3, 1), None, 2), (1, date(Y, 9, 1), None, 2)])
    in_may = follow_up_table(one, frame, year=Y, on=date(Y, 5, 31)).iloc[0]
    assert (in_may["total"], in_may["status"]) == (2, "på väg")
    at_year_end = follow_up_table(one, frame, year=Y, on=DEC_31).iloc[0]
    assert (at_year_end["total"], at_year_end["status"]) == (4, "uppnått")


def test_work_done_without_a_count_is_tallied_apart() -> None:
    commitments = [
        Commitment("Fartkontroller", "Polisen", "lopande", id=1),
        Commitment("Möten", "Gemensamt", "minst", 10, id=2),
    ]
    frame = activities([(1, DEC_31, JAN_1, 0), (2, date(Y, 2, 1), None, 0), (2, date(Y, 6, 1), None, 3)]).assign(
        count_stated=[False, False, True]
    )
    assert tallies_of(frame, Y) == {
        1: {"T1": 0, "T2": 0, "T3": 0, "ej_fordelat": 0, "total": 0},
        2: {"T1": 0, "T2": 3, "T3": 0, "ej_fordelat": 0, "total": 3},
    }
    assert followup.uncounted_cells(frame, Y) == {1: ("ej_fordelat", "total"), 2: ("T1", "total")}
    table = follow_up_table(commitments, frame, year=Y, on=AFTER).set_index("commitment_id")
    assert table.loc[1, "status"] == table.loc[2, "status"] == DONE_UNCOUNTED
    assert table.loc[1, "note"] == "genomfört, antalet anges inte (löpande)"
    assert pd.isna(table.loc[2, "progress"])  # the share of the target is not known


def test_follow_up_table_with_no_activities_and_no_commitments() -> None:
    one = [Commitment("Vandring", "Polisen", "minst", 2, id=1)]
    table = follow_up_table(one, activities([]), year=Y, on=AFTER)
    assert table[["T1", "T2", "T3", "ej_fordelat", "total"]].values.tolist() == [[0, 0, 0, 0, 0]]
    assert table["status"].tolist() == ["ingen uppgift"]
    assert follow_up_table([], activities([]), year=Y, on=MID).empty


def test_summary_counts_every_status_in_order() -> None:
    counts = summary(["på väg", "uppnått", "på väg", "ej påbörjad"])
    assert list(counts) == list(STATUS_ORDER)
    assert list(STATUS_ORDER) == [
        "uppnått",
        "på väg",
        "genomfört, antal saknas",
        "efter plan",
        "ej påbörjad",
        "ingen uppgift",
    ]
    assert counts == {
        "uppnått": 1,
        "på väg": 2,
        "genomfört, antal saknas": 0,
        "efter plan": 0,
        "ej påbörjad": 1,
        "ingen uppgift": 0,
    }
    assert summary([]) == dict.fromkeys(STATUS_ORDER, 0)
    with pytest.raises(ValueError):
        summary(["klart"])


# -- properties ----------------------------------------------------------------------------

target_types = st.sampled_from(["minst", "exakt", "genomfora", "lopande"])
numeric_types = st.sampled_from(["minst", "exakt"])
target_counts = st.one_of(st.none(), st.integers(min_value=0, max_value=2000))
tallies = st.integers(min_value=0, max_value=3000)
years = st.integers(min_value=2000, max_value=2040)
# Day offsets from 1 January of the year judged: mostly inside it, some before and after.
offsets = st.integers(min_value=-40, max_value=410)


def day_of(year: int, offset: int) -> date:
    return date(year, 1, 1) + timedelta(days=offset)


@given(target_types, target_counts, tallies, years, offsets)
def test_status_is_always_one_of_the_four(kind: str, count: int | None, tally: int, year: int, offset: int) -> None:
    on = day_of(year, offset)
    assert status(kind, count, tally, year=year, on=on) in STATUS_ORDER
    assert status_note(kind, count, tally, year=year, on=on)


@given(target_types, target_counts, tallies, tallies, years, offsets, st.booleans())
def test_more_tally_never_makes_the_status_worse(
    kind: str, count: int | None, a: int, b: int, year: int, offset: int, uncounted: bool
) -> None:
    low, high = sorted((a, b))
    on = day_of(year, offset)
    # "ej påbörjad" ranks below "efter plan": 0 done mid-year is "ej påbörjad", 1 of 20 is "efter plan".
    higher = status(kind, count, high, year=year, on=on, uncounted=uncounted)
    assert rank(higher) <= rank(status(kind, count, low, year=year, on=on, uncounted=uncounted))


@given(target_types, target_counts, tallies, years, offsets)
def test_work_done_without_a_count_never_makes_the_status_worse(
    kind: str, count: int | None, tally: int, year: int, offset: int
) -> None:
    on = day_of(year, offset)
    without = status(kind, count, tally, year=year, on=on)
    assert rank(status(kind, count, tally, year=year, on=on, uncounted=True)) <= rank(without)
    assert status(kind, count, tally, year=year, on=on, uncounted=True) != "ingen uppgift"


@given(numeric_types, st.integers(min_value=0, max_value=2000), tallies, years, offsets, offsets)
def test_a_later_date_never_turns_behind_plan_into_on_track(
    kind: str, count: int, tally: int, year: int, a: int, b: int
) -> None:
    earlier, later = (day_of(year, o) for o in sorted((a, b)))
    before = status(kind, count, tally, year=year, on=earlier)
    after = status(kind, count, tally, year=year, on=later)
    # Expected grows with the date, so only "på väg" -> "efter plan" can happen, never the reverse.
    if before == "efter plan":
        assert after == "efter plan"
    if after == "på väg":
        assert before == "på väg"
    if before == "uppnått":
        assert after == "uppnått"


@given(numeric_types, st.integers(min_value=1, max_value=2000), tallies, years, offsets)
def test_on_track_means_at_least_the_pro_rata_figure(kind: str, count: int, tally: int, year: int, offset: int) -> None:
    on = day_of(year, offset)
    result = status(kind, count, tally, year=year, on=on)
    if 0 < tally < count:
        assert (result == "på väg") == (tally >= expected_by(count, year=year, on=on))


@given(target_types, target_counts, tallies)
def test_progress_is_within_zero_and_one(kind: str, count: int | None, tally: int) -> None:
    value = progress(kind, count, tally)
    assert value is None or 0.0 <= value <= 1.0
    assert (value is None) == (kind == "lopande" or (kind in ("minst", "exakt") and count is None))


@given(st.lists(st.sampled_from(STATUS_ORDER), max_size=30))
def test_summary_adds_up(statuses: list[str]) -> None:
    counts = summary(statuses)
    assert list(counts) == list(STATUS_ORDER)
    assert sum(counts.values()) == len(statuses)


def test_module_docstring_states_the_rule_in_both_languages() -> None:
    doc = followup.__doc__ or ""
    assert doc.startswith("Promise follow-up rules (core): ")
    assert "Statusregeln (svenska)" in doc and "The status rule (English)" in doc


def test_every_status_has_one_colour_and_a_lighter_fill() -> None:
    assert list(palette.STATUS_COLOURS) == list(STATUS_ORDER) == list(palette.STATUS_FILLS)
    assert len(set(palette.STATUS_COLOURS.values())) == len(STATUS_ORDER)
    for status_value, colour in palette.STATUS_COLOURS.items():
        assert sum(palette.rgb(palette.STATUS_FILLS[status_value])) > sum(palette.rgb(colour))
    assert palette.rgb("#1450A0") == (20, 80, 160)
    assert palette.tint("#000000", 0.5) == "#808080"


@given(target_types, target_counts, years, offsets)
def test_a_note_on_uncounted_work_shows_no_number_but_the_target(
    kind: str, count: int | None, year: int, offset: int
) -> None:
    note = status_note(kind, count, 0, year=year, on=day_of(year, offset), uncounted=True)
    digits = set(re.findall(r"\d", note))
    assert digits <= set(str(count)) if count is not None and kind in ("minst", "exakt") else not digits
