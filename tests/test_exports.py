"""CSV for Swedish Excel: semicolons, decimal comma, UTF-8 with BOM, formulas shown as text."""

import pandas as pd

from lofte_data.exports import excel_csv


def test_excel_csv_is_swedish() -> None:
    frame = pd.DataFrame({"Brottstyp": ["Våldsbrott"], "Antal": [1234], "z": [-3.71]})
    data = excel_csv(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == ["Brottstyp;Antal;z", "Våldsbrott;1234;-3,71"]


def test_formula_cells_are_defused() -> None:
    frame = pd.DataFrame({"Anteckning": ['=HYPERLINK("http://x")', "+1", "@SUM(A1)", "vanlig text"]})
    lines = excel_csv(frame).decode("utf-8-sig").splitlines()[1:]
    assert lines == ['"\'=HYPERLINK(""http://x"")"', "'+1", "'@SUM(A1)", "vanlig text"]
