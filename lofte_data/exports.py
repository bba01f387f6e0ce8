"""File exports (core): CSV that opens correctly in Swedish Excel."""

from __future__ import annotations

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(value: object) -> object:
    """The one formula guard for every CSV or Excel cell written: text that a spreadsheet would run as a
    formula (starting with = + - @, a tab or a carriage return) gets an apostrophe and is shown as text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def excel_csv(frame: pd.DataFrame) -> bytes:
    """``;``-separated, decimal comma, UTF-8 with BOM; formula-like text cells defused."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(defuse_formula)
    return safe.to_csv(sep=";", decimal=",", index=False).encode("utf-8-sig")
