"""The shared input checks (core): one clean_text, one set of text limits, one year range."""

from __future__ import annotations

import numpy as np
import pytest

from lofte_data.checks import LAST_YEAR, TEXT_LIMITS, checked_text, clean_text, is_year
from lofte_data.errors import InputError


def test_checked_text_cleans_then_limits() -> None:
    assert checked_text(" Torget\t1\r\n", field="plats") == "Torget 1"
    assert checked_text(None, field="plats") == ""
    assert checked_text("x" * TEXT_LIMITS["plats"], field="plats") == "x" * 200
    with pytest.raises(InputError, match="Fältet plats får vara högst 200 tecken"):
        checked_text("x" * 201, field="plats")
    with pytest.raises(InputError, match="Fältet namn får inte vara tomt"):
        checked_text(" \x00 ", field="namn", required=True)


def test_clean_text_drops_bidi_overrides() -> None:
    assert clean_text("evil\u202egnp.exe") == "evilgnp.exe"


@pytest.mark.parametrize("value", [2023, np.int64(2023), 1900, LAST_YEAR])
def test_is_year(value: object) -> None:
    assert is_year(value)


@pytest.mark.parametrize("value", [True, "2023", 2023.0, 1899, LAST_YEAR + 1, None])
def test_is_not_a_year(value: object) -> None:
    assert not is_year(value)


def test_a_year_range_of_its_own() -> None:
    assert not is_year(1999, first=2000) and is_year(2000, first=2000)
