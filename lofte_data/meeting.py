"""The meeting (core): the order of topics in a lokalt BRÅ meeting, one screen each, and the open actions."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lofte_data.models import FocusArea, Promise

# Follow-up rows on one slide: wrapped commitment texts take two or three lines each, and a slide must fit a
# 1280x720 projector without scrolling. The first slide of an area also carries its description.
ROWS_FIRST_SLIDE = 4
ROWS_PER_SLIDE = 6


@dataclass(frozen=True)
class Slide:
    """One screen of the meeting.

    ``kind``: "sedan" (what changed since the previous meeting), "atgarder" (open actions), "lagesbild",
    "brott" (totals), "brott_typer" (per crime type),
    "trygghet" (NTU for the kommun, its län and Riket), "fokus" (a focus area's description and follow-up
    table, ``rows`` of its commitments), "fokus_diagram"
    (the same area's effort per tertial beside the crime it targets), "beslut" (notes and decisions)."""

    kind: str
    title: str
    focus_area_id: int | None = None
    part: int = 1  # a focus area spread over several slides: which one (1-based) ...
    parts: int = 1  # ... of how many
    rows: tuple[int, int] | None = None  # the commitments on a "fokus" slide: [start, stop)

    def part_label(self) -> str:
        """ "del 2 av 3" when a topic is spread over several slides, else empty."""
        return f"del {self.part} av {self.parts}" if self.parts > 1 else ""


def open_actions(decisions: pd.DataFrame) -> pd.DataFrame:
    """Actions not yet done, the oldest due date first."""
    if decisions.empty:
        return decisions
    actions = decisions[(decisions["kind"] == "åtgärd") & decisions["done_at"].isna()]
    return actions.sort_values(["due", "meeting_date"], na_position="last")


def slides(
    promise: Promise | None,
    *,
    open_action_count: int,
    has_incidents: bool = True,
    has_crime_types: bool = True,
    has_trygghet: bool = False,
) -> list[Slide]:
    """What changed since the last meeting -> open actions (when there are any) -> Lägesbild (when the period
    has incidents) -> reported crime, totals
    then per crime type -> each focus area (its follow-up table, then its charts) -> notes and decisions.

    A lägesbild with no incidents would be a slide that says only "0 händelser": it is left out."""
    deck = [Slide("sedan", "Sedan förra mötet")]
    deck += [Slide("atgarder", "Öppna åtgärder från tidigare möten")] if open_action_count else []
    if has_incidents:
        deck.append(Slide("lagesbild", "Lägesbild"))
    deck.append(Slide("brott", "Anmälda brott"))
    if has_crime_types:
        deck.append(Slide("brott_typer", "Anmälda brott per brottstyp"))
    if has_trygghet:
        deck.append(Slide("trygghet", "Trygghet och utsatthet (NTU)"))
    if promise is not None:
        for area in promise.focus_areas:
            deck += focus_area_slides(area)
    return [*deck, Slide("beslut", "Anteckningar och beslut")]


def focus_area_slides(area: FocusArea) -> list[Slide]:
    """A focus area as slides that each fit one screen: the follow-up table in chunks of rows, then the charts.
    An area without commitments is its text, then the crime it targets over the years."""
    title = f"Fokusområde: {area.name}"
    count = len(area.commitments)
    if not count:
        return [Slide("fokus", title, area.id, 1, 2), Slide("fokus_diagram", title, area.id, 2, 2)]
    chunks = [(0, min(ROWS_FIRST_SLIDE, count))]
    while chunks[-1][1] < count:
        start = chunks[-1][1]
        chunks.append((start, min(start + ROWS_PER_SLIDE, count)))
    parts = len(chunks) + 1
    deck = [Slide("fokus", title, area.id, i + 1, parts, chunk) for i, chunk in enumerate(chunks)]
    return [*deck, Slide("fokus_diagram", title, area.id, parts, parts)]


def slide_index(raw: str | None, count: int) -> int:
    """The 1-based slide number from the URL ("sista" = the last), clamped to the deck; anything unreadable is 1."""
    if raw == "sista":
        return count
    text = (raw or "1").strip()
    # ASCII digits only: int() also reads "٣" and "３", and str.isdigit() is true for "²", which int() refuses.
    if not (text.isascii() and text.isdigit() and len(text) <= 6):
        return 1
    return min(max(int(text), 1), count)
