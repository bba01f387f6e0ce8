"""The meeting (core): the order of topics in a lokalt BRÅ meeting, and the open actions to start with."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lofte_data.models import Promise


@dataclass(frozen=True)
class Slide:
    kind: str  # "atgarder", "lagesbild", "brott", "fokus", "beslut"
    title: str
    focus_area_id: int | None = None


def open_actions(decisions: pd.DataFrame) -> pd.DataFrame:
    """Actions not yet done, the oldest due date first."""
    if decisions.empty:
        return decisions
    actions = decisions[(decisions["kind"] == "åtgärd") & decisions["done_at"].isna()]
    return actions.sort_values(["due", "meeting_date"], na_position="last")


def slides(promise: Promise | None, *, open_action_count: int) -> list[Slide]:
    """Open actions (when there are any) -> Lägesbild -> Brottsstatistik -> each focus area -> notes and decisions."""
    deck = [Slide("atgarder", "Öppna åtgärder från tidigare möten")] if open_action_count else []
    deck += [Slide("lagesbild", "Lägesbild"), Slide("brott", "Anmälda brott")]
    if promise is not None:
        deck += [Slide("fokus", f"Fokusområde: {a.name}", a.id) for a in promise.focus_areas]
    return [*deck, Slide("beslut", "Anteckningar och beslut")]


def slide_index(raw: str | None, count: int) -> int:
    """The 1-based slide number from the URL ("sista" = the last), clamped to the deck; anything unreadable is 1."""
    if raw == "sista":
        return count
    text = (raw or "1").strip()
    # ASCII digits only: int() also reads "٣" and "３", and str.isdigit() is true for "²", which int() refuses.
    if not (text.isascii() and text.isdigit() and len(text) <= 6):
        return 1
    return min(max(int(text), 1), count)
