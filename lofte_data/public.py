"""The public page's content (core): a published promise in plain Swedish, for citizens.

Only what the kommun has published reaches this model: the promise, its focus areas and commitments, how
much has been done (totals as recorded) and the status in words (followup, the one status rule), and the
reported crime each focus area targets. Never comments, decisions, incidents, places, notes or the names of
the editors who reported: those fields are not read here at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import pandas as pd

from lofte_data import analysis, followup, formats, tables, trends
from lofte_data.crime_types import is_surveillance, label
from lofte_data.models import FocusArea, Kommun, Promise

DEFAULT_KOMMUN = "1960"
FIRST_YEAR = 2013
TREND_YEARS = 5
State = Literal["published", "unpublished", "missing"]

STATUS_HELP = (
    f"{followup.ACHIEVED_HELP} På väg: arbetet följer målet i takt med hur stor del av året som gått. "
    "Genomfört, antal saknas: det är gjort, men källan anger inte hur många gånger. "
    "Efter plan: mindre gjort än väntat så här långt. Ej påbörjad: inget är redovisat ännu. "
    "Ingen uppgift: året är slut och inget är redovisat."
)


@dataclass(frozen=True)
class Request:
    """The kommun and year a public link asks for, with Swedish notes about values that were replaced."""

    kommun: Kommun
    year: int
    notes: tuple[str, ...] = ()


def parse_request(kommun: str | None, year: str | None, kommuner: Sequence[Kommun], *, today: date) -> Request:
    """``?kommun=1960&ar=2024`` checked: an unknown kommun or a bad year falls back with a note (never an error).
    The year defaults to the current one."""
    known = {k.code: k for k in kommuner}
    default = known.get(DEFAULT_KOMMUN) or next(iter(known.values()))
    notes = []
    chosen = known.get((kommun or "").strip())
    if chosen is None:
        if kommun is not None:
            notes.append(f"Länken angav en kommun som inte finns ({kommun[:20]!r}). Sidan visar {default.name}.")
        chosen = default
    last = today.year + 1
    text = (year or "").strip()
    value = int(text) if text.isdigit() and len(text) == 4 else None
    if value is None or not FIRST_YEAR <= value <= last:
        if year is not None:
            notes.append(f"Länken angav ett år som inte går att visa ({year[:20]!r}). Sidan visar {today.year}.")
        value = today.year
    return Request(chosen, value, tuple(notes))


@dataclass(frozen=True)
class Trend:
    """The reported crime a focus area targets: one sentence per crime type and the yearly figures as a table."""

    sentences: tuple[str, ...]
    table: pd.DataFrame  # År, then one column per crime type (formatted counts)
    chart: pd.DataFrame  # year, label, count: for figures.crime_types_by_year
    source: str


@dataclass(frozen=True)
class Area:
    number: int
    name: str
    description: str
    commitments: pd.DataFrame  # Åtagande, Ansvarig, Mål, Utfört, Status
    status_line: str
    trend: Trend | None
    crime_labels: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    """What the public page shows for a kommun and year."""

    kommun: Kommun
    year: int
    state: State
    judged_on: date
    published_years: tuple[int, ...] = ()
    title: str = ""
    summary: str = ""
    signed: str = ""
    areas: tuple[Area, ...] = field(default_factory=tuple)
    source: str = ""


def yearly_counts(stats: pd.DataFrame, kommun_code: str) -> pd.DataFrame:
    """Yearly reported crime per type (YEARLY_COLUMNS). The one place that picks the yearly series: swap it for
    lofte_data.yearly when that module lands."""
    return trends.yearly_by_type(stats, kommun_codes=[kommun_code])


def crime_trend(yearly: pd.DataFrame, crime_types: Sequence[str], year: int) -> Trend | None:
    """The last five complete years up to ``year`` for each crime type, and the latest change judged by the
    statistics rules (absolute first, % muted under 30, the noise verdict, spaningsbrott named)."""
    rows = yearly[yearly["crime_type"].isin(crime_types) & yearly["complete"] & (yearly["year"] <= year)]
    if rows.empty:
        return None
    sentences, frames = [], []
    for code in crime_types:
        mine = rows[rows["crime_type"] == code].sort_values("year").tail(TREND_YEARS)
        if mine.empty:
            continue
        frames.append(mine.assign(label=label(code)))
        sentences.append(_trend_sentence(code, mine, year))
    chart = pd.concat(frames, ignore_index=True)
    shown = [
        formats.number(int(n)) + (" (prel.)" if prel else "")
        for n, prel in zip(chart["count"], chart["preliminary"], strict=True)
    ]
    table = chart.assign(value=shown).pivot(index="year", columns="label", values="value")
    table = table.fillna("–").reset_index().rename(columns={"year": "År"}).astype({"År": str})
    table.columns.name = None
    source = ", ".join(sorted(set(chart["source"].astype(str))))
    return Trend(tuple(sentences), table, chart[["year", "label", "count"]], source)


def _trend_sentence(code: str, rows: pd.DataFrame, year: int) -> str:
    last = rows.iloc[-1]
    latest, count = int(last["year"]), int(last["count"])
    prel = " (preliminär siffra)" if bool(last["preliminary"]) else ""
    text = f"{label(code)}: {formats.count(count, 'anmält brott', 'anmälda brott')} {latest}{prel}"
    before = rows[rows["year"] == latest - 1]
    if not before.empty:
        change = analysis.compare(count, int(before.iloc[0]["count"]), crime_type=code)
        pct = "" if change.small_base or change.percent is None else f", {formats.percent(change.percent)}"
        text += (
            f", mot {formats.number(change.previous)} året före ({formats.signed(change.absolute)}{pct}): "
            f"{change.verdict}"
        )
    text += "."
    if latest < year - 1:
        text += f" Det är de senaste siffrorna som finns här för {label(code).lower()}."
    if is_surveillance(code):
        text += " Det är ett spaningsbrott: fler anmälda brott kan betyda fler kontroller, inte fler brott."
    return text


def _commitment_table(area: FocusArea, activities: pd.DataFrame, *, year: int, on: date) -> pd.DataFrame:
    """Three columns, so the table fits a phone: who is responsible and the target go with the text."""
    table = followup.follow_up_table(area.commitments, activities, year=year, on=on)
    texts = [
        f"{text} (Ansvar: {owner}. Mål: {target}.)"
        for text, owner, target in zip(table["text"], table["owner"], table["target"], strict=True)
    ]
    return pd.DataFrame(
        {
            "Åtagande": texts,
            "Utfört": ["–" if pd.isna(n) else formats.number(int(n)) for n in tables.counted(table, "total")],
            "Status": table["status"].str.capitalize(),
        }
    )


def _area(number: int, area: FocusArea, activities: pd.DataFrame, yearly: pd.DataFrame, *, year: int, on: date) -> Area:
    commitments = _commitment_table(area, activities, year=year, on=on)
    if area.commitments:
        statuses = followup.follow_up_table(area.commitments, activities, year=year, on=on)["status"]
        counts = [f"{status} {n}" for status, n in followup.summary(statuses).items() if n]
        status_line = f"{formats.count(len(area.commitments), 'åtagande', 'åtaganden')}: " + ", ".join(counts) + "."
    else:
        status_line = "Kommunen och Polisen har inte redovisat några åtaganden för fokusområdet."
    return Area(
        number=number,
        name=area.name,
        description=area.description,
        commitments=commitments,
        status_line=status_line,
        trend=crime_trend(yearly, area.crime_types, year),
        crime_labels=tuple(label(t) for t in area.crime_types),
    )


def build_page(
    kommun: Kommun,
    year: int,
    *,
    promise: Promise | None,
    published_years: Sequence[int],
    activities: pd.DataFrame,
    stats: pd.DataFrame,
    source_title: str,
    today: date,
) -> Page:
    """The public page of a kommun and year: ``missing`` without a promise, ``unpublished`` until an editor
    publishes it, else the whole follow-up judged on ``today`` (31 December for a year that is over)."""
    judged = min(today, date(year, 12, 31))
    base = {"kommun": kommun, "year": year, "judged_on": judged, "published_years": tuple(published_years)}
    if promise is None:
        return Page(state="missing", **base)
    if not promise.published:
        return Page(state="unpublished", **base)
    yearly = yearly_counts(stats, kommun.code)
    areas = tuple(
        _area(n, a, activities, yearly, year=year, on=today) for n, a in enumerate(promise.focus_areas, start=1)
    )
    signed = ""
    if promise.signed_date:
        signed = f"Undertecknat {formats.day(promise.signed_date)}"
        signed += f" av {', '.join(promise.signatories)}." if promise.signatories else "."
    return Page(
        state="published",
        title=promise.title,
        summary=promise.summary,
        signed=signed,
        areas=areas,
        source=source_title,
        **base,
    )


def missing_text(page: Page) -> str:
    """What the page says when there is nothing published to show."""
    if page.state == "unpublished":
        head = f"{page.kommun.name} har inte publicerat uppföljningen av medborgarlöftet {page.year} ännu."
    else:
        head = f"Det finns inget medborgarlöfte för {page.kommun.name} {page.year} här."
    if page.published_years:
        return head + " Publicerade år: " + ", ".join(str(y) for y in page.published_years) + "."
    return head
