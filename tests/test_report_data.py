"""The report's data without drawing: scope, promise facts, follow-up rows with the one status function,
timelines of crime and effort per focus area, the latest year per crime type (Brå, else estimated from Kolada),
events and the sources with their dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from lofte_data import followup, formats, refresh, report_data, yearly
from lofte_data.access import OPERATOR
from lofte_data.crime_types import POPULATION_KPI
from lofte_data.models import FocusArea, Promise
from lofte_data.seed import seed_defaults
from lofte_data.sources.kolada import KoladaClient
from lofte_data.storage import Store
from tests.conftest import copy_database
from tests.support.fake_kolada import LATEST_FAKE_YEAR, invented_value, serve_fake_kolada

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def plain_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report-data") / "db.sqlite3"
    seed_defaults(Store.open(f"sqlite:///{path}"))
    return path


@pytest.fixture(scope="module")
def plain(plain_file: Path) -> Store:
    return Store.open(f"sqlite:///{plain_file}")


@pytest.fixture(scope="module")
def refreshed(plain_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("report-data-kolada") / "db.sqlite3"
    copy_database(plain_file, path)
    store = Store.open(f"sqlite:///{path}")
    with serve_fake_kolada() as fake:
        refresh.refresh_kolada(
            store, client=KoladaClient(base_url=fake.kolada_url), kommun_codes=["1960", "0483"], editor=OPERATOR
        )
    return store


def data_for(store: Store, code: str = "1960", year: int = 2023, tertial: int = 3) -> report_data.ReportData:
    return report_data.report_data(store, kommun_code=code, year=year, tertial=tertial, today=TODAY)


def area(data: report_data.ReportData, name: str) -> report_data.AreaData:
    return next(a for a in data.areas if a.area.name.startswith(name))


def estimated(kpi: str, year: int, code: str = "1960") -> int:
    return round(invented_value(kpi, code, year) * invented_value(POPULATION_KPI, code, year) / 100_000)


# -- scope, promise, follow-up -----------------------------------------------------------------------------------


def test_scope_and_promise_facts(plain: Store) -> None:
    data = data_for(plain, tertial=2)
    assert (data.scope.start, data.scope.end) == (date(2023, 1, 1), date(2023, 8, 31))
    facts = dict(data.promise.facts)
    assert "Undertecknat" not in facts  # the 2023 follow-up gives no signing date
    assert facts["Källdokument"].startswith("Uppföljning av Medborgarlöfte 2023")
    assert facts["Fokusområden"] == "Ungdomsproblematik, Trafiksäkerhet samt trafikrelaterad brottslighet"


def test_follow_up_rows_come_from_the_one_status_function(plain: Store) -> None:
    data = data_for(plain, tertial=2)
    on = followup.assessment_date(2023, TODAY, tertial=2)
    activities = plain.activities(data.scope.promise.id)
    for part in data.areas:
        expected = followup.follow_up_table(part.area.commitments, activities, year=2023, on=on)
        pd.testing.assert_frame_equal(part.follow_up, expected)
    assert sum(len(part.statuses) for part in data.areas) == 11
    assert data.statuses.keys() == {part.area.name for part in data.areas}


# -- timelines -----------------------------------------------------------------------------------------------------


def test_a_timeline_holds_the_linked_types_and_the_effort_aimed_at_them(plain: Store) -> None:
    timeline = area(data_for(plain), "Ungdomsproblematik").timeline
    assert timeline.crime_types == ("skadegorelse", "vald")
    assert timeline.promise_years == (2020, 2021, 2023)  # the earlier promises target the same crime types
    assert timeline.current_year == 2023 and 2023 in timeline.years
    assert len(timeline.years) <= report_data.TIMELINE_YEARS
    assert timeline.activity(2023) == (82, True)  # 82 with a stated count, and some work without one
    assert timeline.activity(2021) == (0, True)  # 2021: meetings and dialogue, done without a count
    assert timeline.point("vald", 2016)["source"] == "Brå, statistikdatabasen (månadsvis)"
    assert timeline.point("vald", 2023) is None  # no Kolada: nothing newer than Brå's 2016
    assert "Brå, statistikdatabasen (månadsvis), inläst" in timeline.source


def test_with_kolada_the_timeline_runs_to_the_latest_year_with_estimates(refreshed: Store) -> None:
    timeline = area(data_for(refreshed), "Trafiksäkerhet").timeline
    assert timeline.years[-1] == LATEST_FAKE_YEAR
    point = timeline.point("trafik", LATEST_FAKE_YEAR)
    assert point["estimated"] and point["source"] == yearly.ESTIMATED_SOURCE
    assert point["count"] == estimated("N07548", LATEST_FAKE_YEAR)
    assert timeline.point("trafik", 2017)["source_change"]  # Brå's 2016, then Kolada
    day = formats.day(refreshed.dataset("kolada")["loaded_at"])
    assert f"Kolada (N07548; antal beräknat ur Kolada), hämtad {day}" in timeline.source


def test_a_focus_area_without_commitments_still_has_a_timeline(refreshed: Store) -> None:
    fraud = area(data_for(refreshed, year=2024), "Brottsförebyggande arbete mot bedrägeribrott")
    assert fraud.follow_up.empty and fraud.statuses == []
    assert fraud.timeline.point("bedrageri", LATEST_FAKE_YEAR)["kpi"] == "N07538"
    assert 2024 in fraud.timeline.years and fraud.timeline.activities.empty


def test_activities_by_year_keeps_work_done_without_a_count() -> None:
    rows = pd.DataFrame(
        {
            "date": pd.to_datetime(["2022-03-01", "2023-02-01", "2023-05-01", "2024-01-10"]),
            "count": [3, 5, 0, 0],
            "count_stated": [True, True, False, False],
        }
    )
    per_year = report_data.activities_by_year(rows)
    assert per_year.to_dict("records") == [
        {"year": 2022, "count": 3, "uncounted": False},
        {"year": 2023, "count": 5, "uncounted": True},
        {"year": 2024, "count": 0, "uncounted": True},
    ]
    assert report_data.activities_by_year(pd.DataFrame()).empty


def test_timeline_years_keep_the_report_year_and_stop_at_today() -> None:
    series = pd.DataFrame({"year": list(range(2010, 2026))})
    none = pd.DataFrame({"year": pd.Series(dtype="int64")})
    assert report_data.timeline_years(series, none, (2019,), 2019, up_to=2026) == tuple(range(2016, 2026))
    assert report_data.timeline_years(series, none, (2023,), 2023, up_to=2024) == tuple(range(2015, 2025))
    assert report_data.timeline_years(none, none, (), 2024, up_to=2026) == (2024,)


# -- reported crime ------------------------------------------------------------------------------------------------


def test_without_kolada_the_latest_year_is_bras_and_the_notes_say_so(plain: Store) -> None:
    crime = data_for(plain).crime
    assert not crime.kolada
    total = crime.latest.set_index("crime_type").loc["totalt"]
    assert (total["year"], total["current"], total["previous"], total["absolute"]) == (2022, 638, 743, -105)
    assert not total["approximate"]
    assert crime.latest.set_index("crime_type").loc["vald", "year"] == 2016  # nothing newer exists for it
    notes = " ".join(crime.notes)
    assert "Koladas nyckeltal för Kungsör finns inte i databasen" in notes
    assert "Databasen har inga siffror för 2023" in notes and "Våldsbrott (2016)" in notes
    assert not crime.totals["estimated"].any()


def test_with_kolada_the_latest_year_is_estimated_and_approximate(refreshed: Store) -> None:
    crime = data_for(refreshed).crime
    assert crime.kolada and crime.latest_year == LATEST_FAKE_YEAR
    vald = crime.latest.set_index("crime_type").loc["vald"]
    assert (vald["year"], vald["previous_year"]) == (LATEST_FAKE_YEAR, LATEST_FAKE_YEAR - 1)
    assert vald["current"] == estimated("N07403", LATEST_FAKE_YEAR)
    assert vald["previous"] == estimated("N07403", LATEST_FAKE_YEAR - 1)
    assert vald["approximate"] and vald["source"] == "beräknat ur Kolada (N07403)"
    assert report_data.ESTIMATE_NOTE in crime.notes
    assert not any("finns inte i databasen" in note for note in crime.notes)
    assert crime.totals["year"].max() == LATEST_FAKE_YEAR and len(crime.totals) <= report_data.CHART_YEARS
    assert "beräknat ur Kolada (N07540)" in crime.sources


def test_the_report_years_own_months_only_when_bra_has_them(plain: Store, plain_file: Path, tmp_path: Path) -> None:
    assert data_for(plain).crime.period.empty  # no monthly figures for 2023
    assert data_for(plain, year=2021).crime.reported_ytd.change.current == 317  # the kommun's reported figure
    copy_database(plain_file, tmp_path / "db.sqlite3")
    store = Store.open(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    store.add_promise(Promise("1960", 2016, "Löfte 2016", focus_areas=(FocusArea("Trygghet"),)))
    period = data_for(store, year=2016, tertial=2).crime.period
    assert set(period["period_label"]) == {"jan–aug"}


# -- sources -------------------------------------------------------------------------------------------------------


def test_every_source_has_its_loaded_date(refreshed: Store) -> None:
    lines = {line.name: line for line in data_for(refreshed).sources}
    assert list(lines) == ["Brå", "Kolada", "Polisen", "Källdokument", "Aktiviteter"]
    for name, dataset in (
        ("Brå", "bra"),
        ("Kolada", "kolada"),
        ("Polisen", "polisen"),
        ("Källdokument", "standarddata"),
    ):
        loaded = refreshed.dataset(dataset)["loaded_at"]
        assert lines[name].loaded == loaded
        assert formats.day(loaded) in lines[name].text
    assert "Antal beräknat ur Kolada i rapporten: N07403" in lines["Kolada"].text
    assert "beräknat ur Kolada" not in lines["Brå"].text


def test_without_kolada_its_source_line_says_it_was_never_fetched(plain: Store) -> None:
    kolada = next(line for line in data_for(plain).sources if line.name == "Kolada")
    assert kolada.loaded is None and "Inte hämtade" in kolada.text


def test_events_in_the_period(plain: Store) -> None:
    events = data_for(plain).events
    assert events.total == 9 and events.origins == (("polisens händelser", 9),)
    assert events.categories[0] == ("Trafikolycka", 2)
    note = data_for(plain, code="0483", year=2019, tertial=2).events.empty_note
    assert note.startswith("Inga händelser är registrerade för Katrineholm under perioden.")
    stored = plain.incidents("0483")["occurred_at"]  # what is known instead: the first and the last
    assert note.endswith(
        f"Registrerade händelser för Katrineholm: {formats.day(stored.min())} – {formats.day(stored.max())}."
    )
