"""Sedan förra mötet: each kind of change with its link, a first meeting, a year boundary; notes on the charts."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest

from lofte_data import audit, cycle, editing, figures, storage
from lofte_data.access import AccessError, Editor
from lofte_data.audit import Entity
from lofte_data.errors import InputError
from lofte_data.models import Commitment, FocusArea, Promise
from lofte_data.storage import Store

ANNA = Editor("anna@kungsor.se", "Anna Andersson", frozenset({"1960"}), "lösenord", party="Kommunen")
SINCE, TODAY = date(2023, 5, 10), date(2023, 6, 1)
CHECKS = Commitment("Trafikkontroller", "Polisen", "minst", 10, "st", id=5)
WALKS = Commitment("Trygghetsvandringar", "Gemensamt", "lopande", id=6)
PROMISE = Promise(
    "1960",
    2023,
    "Löfte 2023",
    focus_areas=(FocusArea("Trafik", crime_types=("trafikbrott",), commitments=(CHECKS, WALKS), id=12),),
    id=1,
)
EMPTY = pd.DataFrame()


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _activities(*rows: tuple[int, date, int, date]) -> pd.DataFrame:
    """(commitment_id, date, count, created)"""
    return pd.DataFrame(
        [
            {
                "commitment_id": c,
                "date": pd.Timestamp(d),
                "period_start": pd.NaT,
                "count": n,
                "count_stated": True,
                "place": "Kungsgatan",
                "note": "",
                "created_at": _at(created),
                "deleted_at": None,
            }
            for c, d, n, created in rows
        ]
    )


def _changes(**frames: pd.DataFrame) -> list[cycle.Line]:
    parts = {"activities": EMPTY, "comments": EMPTY, "stats": EMPTY, "incidents": EMPTY, "decisions": EMPTY}
    parts |= {"kpi_values": EMPTY}
    return cycle.changes(
        kommun_code="1960", year=2023, since=SINCE, today=TODAY, promises={2023: PROMISE}, **(parts | frames)
    )


def test_an_activity_added_since_the_meeting_is_listed_with_its_focus_area_link() -> None:
    frame = _activities((5, date(2023, 4, 2), 3, date(2023, 4, 3)), (5, date(2023, 5, 20), 6, date(2023, 5, 21)))
    lines = [line for line in _changes(activities=frame) if line.kind == "Aktivitet"]
    assert [(line.text, line.link) for line in lines] == [
        ("20 maj 2023: 6 st · Trafikkontroller (Trafik) · Kungsgatan", "/medborgarloften?kommun=1960&ar=2023&fokus=12")
    ]


def test_a_status_that_moved_is_listed_from_and_to() -> None:
    frame = _activities((5, date(2023, 5, 20), 6, date(2023, 5, 21)), (6, date(2023, 3, 1), 1, date(2023, 3, 1)))
    lines = [line.text for line in _changes(activities=frame) if line.kind == "Status"]
    assert lines == ["Trafikkontroller (Trafik, 2023): ej påbörjad → på väg"]


def test_a_comment_written_since_the_meeting_is_listed() -> None:
    comments = pd.DataFrame(
        [
            {
                "commitment_id": 6,
                "tertial": 2,
                "text": "Två vandringar i maj",
                "author": "Anna",
                "updated_at": _at(date(2023, 5, 12)),
            },
            {"commitment_id": 5, "tertial": 1, "text": "Gammal", "author": "Per", "updated_at": _at(date(2023, 5, 1))},
        ]
    )
    lines = [line for line in _changes(comments=comments) if line.kind == "Kommentar"]
    assert [line.text for line in lines] == ["T2 2023 · Trygghetsvandringar: ”Två vandringar i maj” (Anna)"]
    assert lines[0].link == "/medborgarloften?kommun=1960&ar=2023&fokus=12"


def test_new_crime_figures_say_how_far_they_reach_and_what_they_changed() -> None:
    def row(year: int, month: int, count: int, loaded: date) -> dict:
        return {
            "kommun_code": "1960",
            "crime_type": "totalt",
            "year": year,
            "period": f"M{month:02d}",
            "count": count,
            "per_100k": None,
            "preliminary": False,
            "source": "Brå",
            "note": "",
            "loaded_at": _at(loaded),
        }

    old = [row(2022, m, 100, date(2023, 1, 5)) for m in (1, 2, 3)]
    new = [row(2023, m, 90, date(2023, 5, 15)) for m in (1, 2, 3)]
    lines = [line for line in _changes(stats=pd.DataFrame(old + new)) if line.kind == "Brottssiffror"]
    assert lines[0].text == "3 nya siffror inlästa (Brå), t.o.m. mar 2023"
    expected = "Anmälda brott totalt jan–mar 2023: 270 mot 300 året före (\u221230, \u221210\u00a0%;"
    assert lines[1].text.startswith(expected)
    assert {line.link for line in lines} == {"/brottsstatistik?kommun=1960&ar=2023"}


def _kpi(kpi: str, year: int, value: float | None, fetched: date, area: str = "1960") -> dict:
    return {"area_code": area, "kpi": kpi, "year": year, "value": value, "source": "Kolada", "fetched_at": _at(fetched)}


def test_kolada_figures_fetched_since_the_meeting_compare_the_latest_year_with_the_year_before() -> None:
    rows = [
        _kpi("N07540", 2021, 8500.0, date(2023, 1, 5)),
        _kpi("N07540", 2022, 7480.0, date(2023, 5, 15)),
        _kpi("N07403", 2022, 900.0, date(2023, 5, 15)),
        _kpi("N07540", 2023, None, date(2023, 5, 15)),  # Kolada's empty cell: not a figure
        _kpi("N07540", 2022, 1.0, date(2023, 5, 15), area="0180"),  # another kommun
        _kpi("N01951", 2023, 9000.0, date(2023, 5, 15)),  # population, not crime
    ]
    lines = [line for line in _changes(kpi_values=pd.DataFrame(rows)) if line.kind == "Brottssiffror"]
    assert [(line.text, line.link) for line in lines] == [
        (
            "Kolada hämtat 15 maj 2023, anmälda brott totalt 2022: 7\u00a0480 per 100 000 inv. mot 8\u00a0500 2021 "
            "(\u22121\u00a0020, \u221212\u00a0%)",
            "/brottsstatistik?kommun=1960&ar=2022",
        )
    ]


def test_kolada_without_the_total_or_the_year_before_names_the_type_and_says_so() -> None:
    rows = [_kpi("N07403", 2022, 900.0, date(2023, 5, 15)), _kpi("N07540", 2021, 8000.0, date(2023, 5, 15))]
    lines = [line.text for line in _changes(kpi_values=pd.DataFrame(rows)) if line.kind == "Brottssiffror"]
    assert lines == ["Kolada hämtat 15 maj 2023, våldsbrott 2022: 900 per 100 000 inv. (inget värde för 2021)"]


def test_kolada_figures_fetched_before_the_meeting_are_not_news() -> None:
    rows = [_kpi("N07540", 2022, 7480.0, date(2023, 5, 9)), _kpi("N07540", 2021, 8000.0, date(2023, 5, 9))]
    assert not [line for line in _changes(kpi_values=pd.DataFrame(rows)) if line.kind == "Brottssiffror"]


def test_police_events_since_the_meeting_are_counted_by_kind() -> None:
    events = pd.DataFrame(
        {
            "occurred_at": [_at(date(2023, 5, 11)), _at(date(2023, 5, 20)), _at(date(2023, 4, 1))],
            "origin": ["polisen", "polisen", "polisen"],
            "category": ["Trafikolycka", "Trafikolycka", "Stöld"],
        }
    )
    lines = [line for line in _changes(incidents=events) if line.kind == "Händelser"]
    assert [(line.text, line.link) for line in lines] == [
        ("2 händelser från Polisen (vanligast: Trafikolycka 2)", "/lagesbild?kommun=1960&ar=2023")
    ]


def test_actions_overdue_due_and_done_are_listed_first() -> None:
    decisions = pd.DataFrame(
        {
            "kind": ["åtgärd", "åtgärd", "åtgärd", "åtgärd", "beslut"],
            "text": ["Boka möte med skolan", "Ta fram karta", "Skicka rapport", "Långt fram", "Beslut"],
            "owner": ["Per", "Anna", "Per", "Anna", ""],
            "due": [date(2023, 5, 20), date(2023, 6, 15), date(2023, 5, 30), date(2023, 12, 1), None],
            "done_at": [None, None, date(2023, 5, 25), None, None],
            "meeting_date": [date(2023, 5, 10)] * 5,
        }
    )
    frame = _activities((5, date(2023, 5, 20), 6, date(2023, 5, 21)))
    lines = _changes(decisions=decisions, activities=frame)
    assert [line.text for line in lines if line.kind == "Åtgärd"] == [
        "Försenad, klart senast 20 maj 2023: Boka möte med skolan (Per)",
        "Klart senast 15 jun 2023: Ta fram karta (Anna)",
        "Klar 25 maj 2023: Skicka rapport (Per)",
    ]
    assert lines[0].kind == "Åtgärd" and lines[0].link == "/mote?kommun=1960&ar=2023"


def test_the_previous_meeting_is_the_last_decision_or_freeze_before_today_unless_chosen() -> None:
    decisions = pd.DataFrame({"meeting_date": [date(2023, 3, 1), date(2023, 5, 10), date(2023, 6, 1)]})
    assert cycle.previous_meeting(decisions, None, TODAY) == (date(2023, 5, 10), "senaste mötet med antecknade beslut")
    frozen = datetime(2023, 5, 20, 9, tzinfo=UTC)
    assert cycle.previous_meeting(decisions, frozen, TODAY)[0] == date(2023, 5, 20)
    assert cycle.previous_meeting(decisions, frozen, TODAY, date(2023, 4, 1)) == (
        date(2023, 4, 1),
        "datum valt av redaktören",
    )
    assert cycle.previous_meeting(pd.DataFrame(), None, TODAY) == (None, "")


def test_a_year_boundary_shows_the_old_year_closing_and_the_new_year_starting() -> None:
    new_promise = Promise(
        "1960",
        2024,
        "Löfte 2024",
        focus_areas=(
            FocusArea("Trygghet", commitments=(Commitment("Nattvandring", "Kommunen", "lopande", id=9),), id=20),
        ),
        id=2,
    )
    frame = _activities((6, date(2023, 11, 1), 2, date(2023, 11, 2)), (9, date(2024, 1, 12), 4, date(2024, 1, 13)))
    lines = cycle.changes(
        kommun_code="1960",
        year=2024,
        since=date(2023, 12, 5),
        today=date(2024, 1, 20),
        promises={2023: PROMISE, 2024: new_promise},
        activities=frame,
        comments=EMPTY,
        stats=EMPTY,
        kpi_values=EMPTY,
        incidents=EMPTY,
        decisions=EMPTY,
    )
    moved = {(line.text, line.link) for line in lines if line.kind == "Status"}
    assert (
        "Trygghetsvandringar (Trafik, 2023): på väg → uppnått",
        "/medborgarloften?kommun=1960&ar=2023&fokus=12",
    ) in moved
    assert (
        "Trafikkontroller (Trafik, 2023): ej påbörjad → ingen uppgift",
        "/medborgarloften?kommun=1960&ar=2023&fokus=12",
    ) in moved
    assert (
        "Nattvandring (Trygghet, 2024): ej påbörjad → på väg",
        "/medborgarloften?kommun=1960&ar=2024&fokus=20",
    ) in moved
    added = [line for line in lines if line.kind == "Aktivitet"]
    assert [line.link for line in added] == ["/medborgarloften?kommun=1960&ar=2024&fokus=20"]


def test_a_first_meeting_says_so_and_covers_the_year_so_far(seeded: Store) -> None:
    result = cycle.since_last_meeting(seeded, kommun_code="1960", year=2023, today=date(2023, 6, 1))
    assert result.first and result.since == date(2023, 1, 1)
    assert result.heading == "Första mötet: året hittills (sedan 1 jan 2023)"


def test_after_a_meeting_an_added_activity_is_listed(seeded: Store) -> None:
    today = date.today()
    meeting = date(today.year, 1, 1) if today > date(today.year, 1, 1) else date(today.year - 1, 12, 31)
    year = 2023
    editing.add_decision(seeded, ANNA, kommun_code="1960", meeting_date=meeting, kind="beslut", text="Fortsätt")
    cid = next(c.id for a in seeded.promise("1960", year).focus_areas for c in a.commitments)
    editing.log_activity(seeded, ANNA, commitment_id=cid, on=date(year, 9, 12), count=7, place="Skolgatan")
    result = cycle.since_last_meeting(seeded, kommun_code="1960", year=year, today=today)
    assert not result.first and result.since == meeting and result.basis == "senaste mötet med antecknade beslut"
    assert any("12 sep 2023: 7 st" in line.text and "Skolgatan" in line.text for line in result.lines)


def test_incidents_count_from_the_swedish_meeting_day_and_older_ones_are_not_read(seeded: Store) -> None:
    """The list reads only the incidents from the meeting on; 00:30 Swedish summer time on the meeting day is
    22:30 UTC the day before and counts, 23:30 the evening before does not, nor does one from 2021."""
    sara = Editor("sara@stockholm.se", "Sara Berg", frozenset({"0180"}), "lösenord", party="Kommunen")
    editing.add_decision(seeded, sara, kommun_code="0180", meeting_date=date(2023, 5, 10), kind="beslut", text="Ja")
    times = {"natten": "2023-05-09 22:30", "kvallen-fore": "2023-05-09 21:30", "gammal": "2021-03-01 12:00"}
    rows = [
        {"kommun_code": "0180", "occurred_at": pd.Timestamp(t), "category": "Rån", "origin": "polisen",
         "external_id": key, "place": "", "lat": None, "lon": None, "description": "", "reported_by": "Polisen",
         "url": None}
        for key, t in times.items()
    ]  # fmt: skip
    seeded.add_incidents(pd.DataFrame(rows))
    result = cycle.since_last_meeting(seeded, kommun_code="0180", year=2023, today=date(2023, 6, 1))
    assert result.since == date(2023, 5, 10)
    assert [line.text for line in result.lines if line.kind == "Händelser"] == [
        "1 händelse från Polisen (vanligast: Rån 1)"
    ]


def test_a_kolada_refresh_after_the_meeting_is_listed(seeded: Store) -> None:
    today = date.today()
    meeting = today - timedelta(days=1)
    editing.add_decision(seeded, ANNA, kommun_code="1960", meeting_date=meeting, kind="beslut", text="Fortsätt")
    values = [("N07540", 2022, 7000.0), ("N07540", 2023, 7700.0), ("N01951", 2023, 9000.0)]
    frame = pd.DataFrame([{"area_code": "1960", "kpi": k, "year": y, "value": v} for k, y, v in values])
    seeded.upsert_kpi_values(frame, source="Kolada")
    result = cycle.since_last_meeting(seeded, kommun_code="1960", year=2023, today=today)
    texts = [line.text for line in result.lines if line.kind == "Brottssiffror"]
    assert any(t.startswith("Kolada hämtat") and "totalt 2023: 7\u00a0700" in t and "+10\u00a0%" in t for t in texts)


def test_a_nightly_refresh_that_changes_nothing_is_no_news(seeded: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    today = date.today()
    meeting = today - timedelta(days=1)
    editing.add_decision(seeded, ANNA, kommun_code="1960", meeting_date=meeting, kind="beslut", text="Fortsätt")
    values = [("N07540", 2022, 7000.0), ("N07540", 2023, 7700.0), ("N01951", 2023, 9000.0)]
    frame = pd.DataFrame([{"area_code": "1960", "kpi": k, "year": y, "value": v} for k, y, v in values])
    before_the_meeting = datetime.combine(meeting - timedelta(days=3), datetime.min.time(), tzinfo=UTC)
    with monkeypatch.context() as patch:
        patch.setattr(storage, "now", lambda: before_the_meeting)
        seeded.upsert_kpi_values(frame, source="Kolada")
    seeded.upsert_kpi_values(frame, source="Kolada")  # fetched again since the meeting, the same values

    def kolada_lines() -> list[str]:
        result = cycle.since_last_meeting(seeded, kommun_code="1960", year=2023, today=today)
        return [line.text for line in result.lines if line.text.startswith("Kolada")]

    assert kolada_lines() == []
    seeded.upsert_kpi_values(frame.assign(value=[7000.0, 7800.0, 9000.0]), source="Kolada")  # 2023 revised
    (line,) = kolada_lines()
    assert "totalt 2023: 7\u00a0800" in line


# -- notes on the charts ------------------------------------------------------------------------------------------


def test_an_annotation_is_audited_validated_and_soft_deleted_with_undo(seeded: Store) -> None:
    note_id = editing.add_annotation(
        seeded,
        ANNA,
        kommun_code="1960",
        day=date(2023, 3, 12),
        text="Hundsök på Kung Karls skola",
        crime_type="narkotika",
    )
    assert seeded.annotations("1960")["text"].tolist() == ["Hundsök på Kung Karls skola"]
    with pytest.raises(InputError, match="högst 200 tecken"):
        editing.add_annotation(seeded, ANNA, kommun_code="1960", day=date(2023, 3, 12), text="x" * 201)
    with pytest.raises(InputError, match="Okänd brottstyp"):
        editing.add_annotation(seeded, ANNA, kommun_code="1960", day=date(2023, 3, 12), text="x", crime_type="nej")
    with pytest.raises(AccessError):
        editing.add_annotation(seeded, ANNA, kommun_code="0483", day=date(2023, 3, 12), text="x")
    editing.delete_annotation(seeded, ANNA, note_id)
    assert seeded.annotations("1960").empty
    entry = audit.history(seeded, ["1960"]).iloc[0]
    assert (entry["action"], entry["entity"]) == ("ta bort", Entity.ANNOTATION)
    editing.undo(seeded, ANNA, int(entry["id"]))
    assert len(seeded.annotations("1960")) == 1


def test_a_month_note_is_stored_on_the_first_of_the_month(seeded: Store) -> None:
    editing.add_annotation(seeded, ANNA, kommun_code="1960", day=date(2023, 3, 12), text="Ny rutin", month_only=True)
    (note,) = cycle.notes_from(seeded.annotations("1960"))
    assert (note.day, note.when, note.month_only) == (date(2023, 3, 1), "mar 2023", True)


def test_notes_for_a_chart_are_the_kommuns_general_notes_and_those_on_its_crime_types_or_focus_area() -> None:
    notes = [
        cycle.Note(date(2023, 1, 1), "alla"),
        cycle.Note(date(2023, 1, 2), "narkotika", crime_type="narkotika"),
        cycle.Note(date(2023, 1, 3), "fokus 12", focus_area_id=12),
    ]
    assert [n.text for n in cycle.notes_for(notes, crime_types=["totalt"])] == ["alla"]
    assert [n.text for n in cycle.notes_for(notes, crime_types=["narkotika"])] == ["alla", "narkotika"]
    assert [n.text for n in cycle.notes_for(notes, focus_area_id=12)] == ["alla", "fokus 12"]


def _note_trace(fig) -> dict:  # noqa: ANN001
    spec = json.loads(fig.to_json())
    return next(t for t in spec["data"] if t.get("name") == figures.NOTE_TRACE)


def test_annotate_a_yearly_chart_numbers_markers_and_footnotes_and_escapes_html() -> None:
    frame = pd.DataFrame(
        {"year": [2021, 2022, 2023], "count": [100, 120, 90], "preliminary": False, "complete": True, "last_month": 12}
    )
    fig = figures.yearly_bars(frame, title="T", source="S")
    notes = [
        cycle.Note(date(2022, 3, 12), "Hundsök <b>på</b> Kung Karls skola & gym"),
        cycle.Note(date(2019, 1, 1), "utanför diagrammet"),
        cycle.Note(date(2023, 5, 1), "Ny rutin", month_only=True),
    ]
    annotated, footnotes = figures.annotate(fig, notes)
    assert footnotes == ["1. 12 mar 2022: Hundsök <b>på</b> Kung Karls skola & gym", "2. maj 2023: Ny rutin"]
    trace = _note_trace(annotated)
    assert trace["x"] == [2022, 2023] and trace["text"] == ["1", "2"]
    assert trace["hovertext"][0] == "1. 12 mar 2022: Hundsök &lt;b&gt;på&lt;/b&gt; Kung Karls skola &amp; gym"
    # The number beside the marker and room above it: the promise years' labels along the top stay clear.
    assert trace["textposition"] == "middle right" and annotated.layout.yaxis.autorange == "min"
    assert annotated.layout.yaxis.range[1] > max(trace["y"]) * 1.1
    assert len(fig.data) == 1  # the original figure is left as it was


def test_annotate_monthly_lines_puts_the_marker_on_the_line_of_the_notes_year() -> None:
    frame = pd.DataFrame(
        {"year": [2022] * 3 + [2023] * 3, "month": [1, 2, 3] * 2, "count": [10, 11, 12, 20, 21, 22], "per_100k": 0.0}
    )
    fig = figures.monthly_lines(frame, measure="count", title="T", source="S")
    annotated, footnotes = figures.annotate(
        fig, [cycle.Note(date(2023, 2, 14), "Kampanj"), cycle.Note(date(2021, 2, 1), "x")]
    )
    trace = _note_trace(annotated)
    assert (trace["x"], trace["y"], footnotes) == ([2], [21.0], ["1. 14 feb 2023: Kampanj"])


def test_annotate_a_date_axis_and_leave_category_charts_alone() -> None:
    import plotly.graph_objects as go

    fig = go.Figure(go.Scatter(x=["2023-01-01", "2023-06-30"], y=[1, 2]))
    annotated, footnotes = figures.annotate(fig, [cycle.Note(date(2023, 3, 12), "Hundsök")])
    assert footnotes == ["1. 12 mar 2023: Hundsök"] and _note_trace(annotated)["x"] == ["2023-03-12"]
    bars = go.Figure(go.Bar(x=["jan", "feb"], y=[1, 2]))
    assert figures.annotate(bars, [cycle.Note(date(2023, 3, 12), "Hundsök")])[1] == []


def test_notes_in_the_same_year_share_one_marker() -> None:
    frame = pd.DataFrame(
        {"year": [2022, 2023], "count": [1, 2], "preliminary": False, "complete": True, "last_month": 12}
    )
    notes = [cycle.Note(date(2023, 3, 12), "a"), cycle.Note(date(2023, 9, 1), "b")]
    annotated, footnotes = figures.annotate(figures.yearly_bars(frame, title="T", source="S"), notes)
    trace = _note_trace(annotated)
    assert (trace["x"], trace["text"], footnotes) == ([2023], ["1, 2"], ["1. 12 mar 2023: a", "2. 1 sep 2023: b"])
    assert trace["hovertext"] == ["1. 12 mar 2023: a<br>2. 1 sep 2023: b"]
