"""Checks shared by every way data enters (core): cleaned text, text-length limits, counts and years."""

from __future__ import annotations

import unicodedata
from numbers import Integral
from typing import TypeGuard

from lofte_data.errors import InputError

MAX_COUNT = 10_000  # the largest count one activity row may hold, in forms and import files alike
# Characters per field after cleaning; the keys are the fields' Swedish names, as forms and files show them.
TEXT_LIMITS = {
    "plats": 200,
    "anteckning": 2000,
    "text": 1000,
    "namn": 200,
    "beskrivning": 4000,
    "enhet": 60,
    "rapporterad_av": 120,
    "lägesbildstext": 10_000,
    "notering": 200,  # a note on the charts: short enough for a hover label and a footnote line
}
DEFAULT_TEXT_LIMIT = 1000
FIRST_YEAR = 1900
LAST_YEAR = 2100
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def clean_text(value: str | None) -> str:
    """Text as stored: NFC, line breaks as ``\\n``, tabs as spaces, other control and bidi-override characters
    removed, surrounding whitespace stripped; None is "". Leading ``=``, ``+``, ``-`` or ``@`` are kept: the text
    is data, never evaluated here; whatever writes it into a spreadsheet neutralises it (``exports``)."""
    text = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")
    return text.translate(_BIDI_CONTROLS).strip()


def checked_text(value: str | None, *, field: str, required: bool = False) -> str:
    """``clean_text`` within the field's length limit; an empty required field is refused."""
    text = clean_text(value)
    if required and not text:
        raise InputError(f"Fältet {field} får inte vara tomt.")
    limit = TEXT_LIMITS.get(field, DEFAULT_TEXT_LIMIT)
    if len(text) > limit:
        raise InputError(f"Fältet {field} får vara högst {limit} tecken (nu {len(text)}).")
    return text


def is_year(value: object, *, first: int = FIRST_YEAR, last: int = LAST_YEAR) -> TypeGuard[int]:
    """True for a whole number (not a bool) from ``first`` to ``last``: the one year range check."""
    return isinstance(value, Integral) and not isinstance(value, bool) and first <= int(value) <= last
