"""Imports refuse the impossible with a Swedish message naming the line: absurd counts, years that cannot be,
NUL bytes (a row is never dropped silently), mixed encodings in an activity file; nothing is written."""

from __future__ import annotations

import pytest

from lofte_data import activity_import
from lofte_data.access import OPERATOR
from lofte_data.errors import ImportFileError
from lofte_data.importing import import_bra
from lofte_data.sources import bra
from lofte_data.storage import Store

HEADER = "Region;Brott;År;Period;Antal;/100 000 inv\n"


def _file(*rows: str, encoding: str = "utf-8") -> bytes:
    return (HEADER + "".join(f"{r};\n" for r in rows)).encode(encoding)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "Kungsör kommun;Totalt antal brott;2016;Jan;1000000000000;400",
            "Rad 3: Antal '1000000000000' är orimligt stort",
        ),
        ("Kungsör kommun;Totalt antal brott;9999;Jan;40;400", "Rad 3: Året 9999 kan inte finnas"),
        ("Kungsör kommun;Totalt antal brott;2016;Jan;40;1e400", "Rad 3: Värdet per 100 000"),
        ("Kungs\x00ör kommun;Totalt antal brott;2016;Jan;40;400", "Rad 3: Raden innehåller ett NUL-tecken"),
    ],
)
def test_an_impossible_bra_row_is_refused_by_line_and_nothing_is_written(seeded: Store, row: str, message: str) -> None:
    before = seeded.crime_stats(["1960"])
    data = _file("Kungsör kommun;Totalt antal brott;2016;Feb;40;400", row)
    with pytest.raises(ImportFileError) as refused:
        import_bra(seeded, data, filename="x.txt", editor=OPERATOR)
    assert str(refused.value).startswith(message), str(refused.value)
    assert seeded.crime_stats(["1960"]).equals(before)


def test_a_nul_byte_in_a_latin_1_file_names_its_line() -> None:
    with pytest.raises(ImportFileError, match="Rad 2: Raden innehåller ett NUL"):
        bra.parse_databasfil(_file("Kungsör kommun;Totalt antal brott;2016;Jan;4\x000;400", encoding="iso-8859-1"))


def test_the_annual_file_refuses_a_future_year() -> None:
    with pytest.raises(ImportFileError, match="Ogiltigt år 9999"):
        bra.parse_annual_kommun_file(b"Kungs\xf6r;638;7 000\n", year=9999)


def test_an_activity_file_with_mixed_encodings_is_refused_not_stored_as_mojibake() -> None:
    data = "datum;åtagande_id;antal;plats\n2023-05-14;11;1;Kungsör\n".encode() + "2023-05-15;11;1;Köping\n".encode(
        "cp1252"
    )
    with pytest.raises(ImportFileError, match="blandar teckenkodningar: rad 1 är UTF-8 men rad 3") as refused:
        activity_import.parse_activities(data, filename="a.csv", year=2023, commitment_ids={11})
    assert refused.value.line == 3


def test_a_whole_cp1252_activity_file_still_reads() -> None:
    data = "datum;åtagande_id;antal;plats\n2023-05-14;11;1;Köping\n".encode("cp1252")
    result = activity_import.parse_activities(data, filename="a.csv", year=2023, commitment_ids={11})
    assert result.rows[0]["place"] == "Köping"
