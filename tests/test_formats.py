"""Swedish number and date formats."""

from datetime import date

from lofte_data import formats

NB = "\u00a0"
MINUS = "\u2212"


def test_numbers_use_space_thousands_and_decimal_comma() -> None:
    assert formats.number(1234.5, 1) == f"1{NB}234,5"
    assert formats.number(15000000) == f"15{NB}000{NB}000"
    assert formats.number(-70) == f"{MINUS}70"
    assert formats.number(-0.04, 1) == "0,0"  # rounds to zero: no sign
    assert formats.number(None) == "–"


def test_signed_and_percent() -> None:
    assert formats.signed(-70) == f"{MINUS}70"
    assert formats.signed(12) == "+12"
    assert formats.signed(0) == "0"
    assert formats.percent(-70 / 387) == f"{MINUS}18{NB}%"
    assert "-" not in formats.signed(-1234) + formats.percent(-0.5)
    assert formats.percent(None) == "–"


def test_dates_are_swedish() -> None:
    assert formats.day(date(2026, 11, 22)) == "22 nov 2026"
    assert formats.day(date(2022, 5, 1)) == "1 maj 2022"


def test_csv_export_keeps_an_ascii_minus_for_excel() -> None:
    import pandas as pd

    from lofte_data import exports

    text = exports.excel_csv(pd.DataFrame({"Förändring": [-70], "Förändring %": [-18.0]})).decode("utf-8-sig")
    assert text.splitlines()[1] == "-70;-18,0"
