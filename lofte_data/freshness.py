"""How far each source's figures reach, and when they were loaded (core): the "Data t.o.m." line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from lofte_data import formats


@dataclass(frozen=True)
class Reach:
    """The newest figure of one source and the day it was loaded (None when never)."""

    source: str
    until: str | None  # "dec 2016", "2025", "28 aug 2026"
    loaded: date | datetime | None


def bra_until(year: int | None, month: int | None) -> str | None:
    """ "dec 2016" from the newest monthly figure, or "2022" when only yearly figures exist."""
    if year is None:
        return None
    return f"{formats.MONTHS_SHORT[month - 1]} {year}" if month else str(year)


def line(reaches: list[Reach]) -> str:
    """ "Data t.o.m.: Brå dec 2016 (inläst 30 nov 2026) · Kolada 2025 (hämtat …) · Polisen …" — every source
    with a date; a source without figures says so, never an empty dot."""
    parts = [_part(r) for r in reaches]
    return "Data t.o.m.: " + " · ".join(parts)


def _part(reach: Reach) -> str:
    if reach.until is None:
        return f"{reach.source}: inga siffror inlästa"
    loaded = f" (inläst {formats.day(reach.loaded)})" if reach.loaded is not None else ""
    return f"{reach.source} {reach.until}{loaded}"
