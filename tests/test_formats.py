"""Swedish number and date formats."""

from datetime import date

from lofte_data import formats

NB = "\u00a0"


def test_numbers_use_space_thousands_and_decimal_comma() -> None:
    assert formats.number(1234.5, 1) == f"1{NB}234,5"
    assert formats.number(15000000) == f"15{NB}000{NB}000"
    assert formats.number(-70) == "-70"
    assert formats.number(None) == "–"


def test_signed_and_percent() -> None:
    assert formats.signed(-70) == "-70"
    assert formats.signed(12) == "+12"
    assert formats.signed(0) == "0"
    assert formats.percent(-70 / 387) == f"-18{NB}%"
    assert formats.percent(None) == "–"


def test_dates_are_swedish() -> None:
    assert formats.day(date(2026, 11, 22)) == "22 nov 2026"
    assert formats.day(date(2022, 5, 1)) == "1 maj 2022"
