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


def test_follow_up_export_leaves_uncounted_cells_empty(seeded) -> None:
    from datetime import date

    from lofte_data import tables

    promise = seeded.promise("1960", 2023)
    frame = tables.follow_up_export(promise, seeded.activities(promise.id), year=2023, on=date(2023, 12, 31))
    lines = excel_csv(frame).decode("utf-8-sig").splitlines()
    speed = next(line for line in lines if line.startswith("Trafiksäkerhet") and "fartkontroller" in line)
    # Status, Totalt (empty, not 0), T1–T3 (nothing in them), Ej fördelat (empty), share of the target (unknown)
    assert ";genomfört, antal saknas;;0;0;0;;;genomfört, antalet anges inte (löpande)" in speed


def test_focus_area_card_counts_work_without_a_count(seeded) -> None:
    from datetime import date

    from lofte_data import followup, tables

    promise = seeded.promise("1960", 2023)
    traffic = promise.focus_areas[1]
    table = followup.follow_up_table(
        traffic.commitments, seeded.activities(promise.id), year=2023, on=date(2023, 12, 31)
    )
    assert tables.focus_area_card(traffic, table) == ("3 åtaganden", "3 med rapporterade aktiviteter")
    empty = seeded.promise("1960", 2024).focus_areas[0]
    assert tables.focus_area_card(empty, table.iloc[0:0]) == ("–", "inga egna åtaganden registrerade")
