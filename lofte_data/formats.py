"""Swedish number and date formats (core), fixed whatever the viewer's browser language is."""

from __future__ import annotations

from datetime import date, datetime

NBSP = "\u00a0"
# The typographic minus (U+2212): a hyphen reads as a dash on a projector. Only for text people read: CSV
# exports keep numbers as numbers, so Excel gets a plain ASCII "-".
MINUS = "\u2212"
MONTHS_SHORT = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MONTHS_LONG = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def number(value: float | int | None, decimals: int = 0) -> str:
    """``1234.5`` -> ``1 234,5`` (non-breaking space between thousands), ``-70`` -> ``−70``; None -> "–"."""
    if value is None:
        return "–"
    text = f"{abs(value):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return (MINUS if round(value, decimals) < 0 else "") + text


def signed(value: int | float, decimals: int = 0) -> str:
    """A change with its sign: ``+12``, ``−70`` (a real minus sign), ``0``."""
    text = number(value, decimals)
    return f"+{text}" if round(value, decimals) > 0 else text


def percent(fraction: float | None, *, sign: bool = True) -> str:
    """``-0.1809`` -> ``−18 %`` (whole percent, a real minus sign); None -> "–" (no % when the base is 0)."""
    if fraction is None:
        return "–"
    value = round(fraction * 100)
    text = signed(value) if sign else number(value)
    return f"{text}{NBSP}%"


def day(value: date | datetime | None) -> str:
    """``22 nov 2026``."""
    if value is None:
        return "–"
    return f"{value.day} {MONTHS_SHORT[value.month - 1]} {value.year}"


def count(n: int, singular: str, plural: str) -> str:
    """``1 händelse``, ``2 händelser``, ``1 234 händelser``."""
    return f"{number(n)} {singular if n == 1 else plural}"
