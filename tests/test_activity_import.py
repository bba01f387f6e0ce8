"""Activity import files: templates, the accepted formats, every validation rule and the all-or-nothing contract."""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lofte_data.activity_import import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    TEMPLATE_COLUMNS,
    ActivityImport,
    column_key,
    parse_activities,
    template_csv,
    template_xlsx,
)
from lofte_data.checks import MAX_COUNT, clean_text
from lofte_data.errors import ImportFileError
from lofte_data.models import Activity

FIXTURES = Path(__file__).parent / "fixtures" / "aktiviteter"
YEAR = 2023
IDS = frozenset({11, 12, 13})
HEADER = "datum;åtagande_id;antal;plats;anteckning;rapporterad_av"
COMMITMENTS = [
    (11, "Trygghetsvandringar i centrum"),
    (12, "Närvaro vid skolavslutningar; kväll"),
    (13, '=HYPERLINK("http://example.invalid","klicka")'),
]
INTEGER_HINT = "Ange ett heltal som är 0 eller större."


def row(commitment_id: int = 11, day: date = date(2023, 5, 14), count: int = 1, **text: str) -> dict:
    return {
        "commitment_id": commitment_id,
        "date": day,
        "count": count,
        "place": text.get("place", ""),
        "note": text.get("note", ""),
        "reported_by": text.get("reported_by", ""),
    }


def csv_data(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join((header, *lines)) + "\n").encode("utf-8")


def xlsx_data(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for values in rows:
        book.active.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parse(data: bytes, filename: str = "aktiviteter.csv") -> ActivityImport:
    return parse_activities(data, filename=filename, year=YEAR, commitment_ids=IDS)


def refused(data: bytes, filename: str = "aktiviteter.csv") -> ImportFileError:
    with pytest.raises(ImportFileError) as info:
        parse(data, filename)
    return info.value


def one_value(column: str, value: str) -> bytes:
    """A one-row CSV where ``column`` has ``value`` and every other column a valid value."""
    values = {
        "datum": "2023-05-14",
        "åtagande_id": "11",
        "antal": "1",
        "plats": "",
        "anteckning": "",
        "rapporterad_av": "",
    }
    values[column] = value
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([list(values), list(values.values())])
    return buffer.getvalue().encode("utf-8")


# --- fixture files ---------------------------------------------------------------------------------------------


def test_semicolon_csv_with_bom_parses_with_skips_multiline_note_and_formula_text() -> None:
    result = parse((FIXTURES / "giltig_semikolon_utf8bom.csv").read_bytes())

    assert result.rows == [
        row(
            11, date(2023, 3, 4), 2, place="Stora torget", note="Vandring med föreningar", reported_by="Kommunpolis Åsa"
        ),
        row(
            12,
            date(2023, 5, 14),
            1,
            place="Ekbackeskolan",
            note="Två poliser,\nen fältassistent",
            reported_by="Fältgruppen",
        ),
        row(13, date(2023, 12, 31), 0, note="=SUMMA(A1:A3)"),
    ]
    assert result.skipped_empty == 1  # the untouched template row; the blank line is not counted


def test_comma_csv_in_windows_1252_parses() -> None:
    data = (FIXTURES / "giltig_komma_cp1252.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    result = parse(data, "Aktiviteter.CSV")

    assert result.rows == [
        row(
            11,
            date(2023, 1, 20),
            3,
            place="Café Étoile",
            note="Möte – kväll, med ungdomar",
            reported_by="Säkerhetssamordnare",
        ),
        row(12, date(2023, 6, 6), 1000, place="Ängen", note="Flygblad utdelade", reported_by="Örjan"),
    ]
    assert result.skipped_empty == 0


def test_xlsx_with_date_number_and_text_cells_parses(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Datum", "Åtagande ID", "Åtagande", "Antal", "Plats", "Anteckning", "Rapporterad av"])
    sheet.append([date(2023, 2, 1), 11, "Vandringar", 3, "Torget", None, "Åsa"])
    sheet.append([datetime(2023, 2, 2, 14, 30), 12.0, None, 2.0, 17, None, None])
    sheet.append([None] * 7)  # a blank row is ignored
    sheet.append(["2023-02-03", "13", None, "5", " Parken ", None, None])
    sheet.append([None, 13, "Dialog", None, None, None, None])  # untouched template row
    note = sheet.cell(row=2, column=6, value="=KOMMANDO()")
    note.data_type = "s"  # typed as text in Excel; stays text
    path = tmp_path / "aktiviteter.xlsx"
    book.save(path)

    result = parse(path.read_bytes(), path.name)

    assert result.rows == [
        row(11, date(2023, 2, 1), 3, place="Torget", note="=KOMMANDO()", reported_by="Åsa"),
        row(12, date(2023, 2, 2), 2, place="17"),
        row(13, date(2023, 2, 3), 5, place="Parken"),
    ]
    assert result.skipped_empty == 1


def test_one_bad_row_among_good_ones_is_named_and_nothing_is_returned() -> None:
    err = refused((FIXTURES / "ett_fel_rad_4.csv").read_bytes())

    assert err.line == 4
    assert "Rad 4, kolumn antal: '2,5' är inte ett heltal. Ange ett heltal som är 0 eller större." in str(err)
    assert str(err).startswith("Rad 4: Filen har 1 fel.") and "Inget importerades" in str(err)
    assert all(f"Rad {n}," not in str(err) for n in (2, 3, 5, 6))


# --- whole-file checks -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"  \r\n\r\n"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    assert "Filen är tom" in str(refused(data))


def test_a_file_over_5_mb_is_refused() -> None:
    data = csv_data("2023-05-14;11;1;;;") + b" " * MAX_FILE_BYTES
    assert "större än 5 MB" in str(refused(data))


def test_garbage_with_an_xlsx_name_is_refused_in_swedish() -> None:
    err = refused(b"\x00\xffinte en excelfil" * 50, "aktiviteter.xlsx")
    assert "kunde inte läsas som en Excel-fil (.xlsx)" in str(err)


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hej.txt", "hej")
    assert "kunde inte läsas som en Excel-fil" in str(refused(buffer.getvalue(), "aktiviteter.xlsx"))


def test_an_excel_file_named_csv_is_refused() -> None:
    data = xlsx_data([["datum", "åtagande_id", "antal"], ["2023-05-14", 11, 1]])
    assert "är en Excel-fil" in str(refused(data, "aktiviteter.csv"))


@pytest.mark.parametrize(("filename", "expected"), [("a.xls", ".xls stöds inte"), ("a.txt", "'.txt' stöds inte")])
def test_other_file_types_are_refused(filename: str, expected: str) -> None:
    assert expected in str(refused(csv_data("2023-05-14;11;1;;;"), filename))


def test_more_than_5000_rows_is_refused_and_5000_is_accepted() -> None:
    lines = ["2023-05-14;11;1;;;"] * MAX_ROWS
    assert len(parse(csv_data(*lines)).rows) == MAX_ROWS

    err = refused(csv_data(*lines, "2023-05-14;11;1;;;"))
    assert "fler än 5\u00a0000 rader" in str(err) and err.line == MAX_ROWS + 2


def test_missing_required_columns_are_named() -> None:
    err = refused(csv_data("2023-05-14;1", header="datum;plats"))
    assert err.line == 1
    assert "saknar kolumnerna åtagande_id, antal" in str(err) and "Hittade: datum, plats" in str(err)

    assert "saknar kolumnen antal." in str(refused(csv_data("2023-05-14;11", header="datum;åtagande_id")))


def test_a_repeated_column_is_refused() -> None:
    err = refused(csv_data("2023-05-14;11;1;2", header="datum;åtagande_id;antal;Antal"))
    assert "Kolumnen antal finns flera gånger" in str(err) and err.line == 1


def test_the_header_must_be_on_row_1_of_a_sheet() -> None:
    err = refused(xlsx_data([[None], ["datum", "åtagande_id", "antal"], [date(2023, 5, 14), 11, 1]]), "a.xlsx")
    assert "saknar kolumnerna datum, åtagande_id, antal" in str(err)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Åtagande id", "åtagande_id"),
        ("ÅTAGANDE_ID", "åtagande_id"),
        ("atagande-id", "åtagande_id"),
        ("A\u030atagande id", "åtagande_id"),  # decomposed å, as macOS writes it
        (" Rapporterad av ", "rapporterad_av"),
        ("DATUM", "datum"),
        ("Åtagande", "åtagande"),
        ("kommentar", None),
    ],
)
def test_header_names_ignore_case_spaces_and_underscores(header: str, expected: str | None) -> None:
    assert column_key(header) == expected


def test_header_only_means_nothing_to_import() -> None:
    assert "inga aktiviteter, bara en rubrikrad" in str(refused(csv_data()))


def test_only_untouched_template_rows_means_nothing_to_import() -> None:
    err = refused(template_csv(COMMITMENTS, YEAR))
    assert "3 rader utan datum och antal hoppades över" in str(err)


def test_a_row_with_a_note_but_no_date_or_count_is_an_error_not_a_skip() -> None:
    err = refused(csv_data("2023-05-14;11;1;;;", ";12;;Torget;;"))
    assert "Rad 3, kolumn datum: värde saknas." in str(err)
    assert "Rad 3, kolumn antal: värde saknas." in str(err)


def test_all_errors_are_collected_in_file_order_with_the_first_bad_row_as_line() -> None:
    err = refused(csv_data("2023-05-14;11;1;;;", "2023-05-14;99;1;;;", "", "2022-05-14;11;tre;;;"))
    assert err.line == 3
    text = str(err)
    assert text.startswith("Rad 3: Första felet av 3. Inget importerades")
    assert (
        text.index("Rad 3, kolumn åtagande_id") < text.index("Rad 5, kolumn datum") < text.index("Rad 5, kolumn antal")
    )


def test_at_most_20_errors_are_listed_and_the_rest_counted() -> None:
    err = refused(csv_data(*[f"2023-05-14;11;x{n};;;" for n in range(30)]))
    assert str(err).count("kolumn antal") == 20
    assert "… och 10 fel till." in str(err) and "Första felet av 30" in str(err)


def test_row_numbers_count_records_as_excel_does_when_a_note_spans_lines() -> None:
    err = refused(csv_data('2023-05-14;11;1;;"rad ett\nrad två";', "2023-05-14;11;-3;;;"))
    assert err.line == 3 and "Rad 3, kolumn antal: '-3' är mindre än 0." in str(err)


def test_sheet_row_numbers_include_blank_rows() -> None:
    data = xlsx_data(
        [["datum", "åtagande_id", "antal"], [date(2023, 5, 14), 11, 1], [None], [None], [date(2023, 5, 14), 11, 2.5]]
    )
    err = refused(data, "a.xlsx")
    assert err.line == 5 and f"Rad 5, kolumn antal: '2,5' är inte ett heltal. {INTEGER_HINT}" in str(err)


def test_an_over_long_csv_field_is_refused_with_its_row() -> None:
    err = refused(csv_data("2023-05-14;11;1;;;", "2023-05-14;11;1;;" + "x" * 200_000 + ";"))
    assert err.line == 3 and "gick inte att läsa som CSV" in str(err)


# --- datum -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["2023-05-14", "2023-05-14 09:05", "2023-05-14 23:59:59", "2023-05-14T09:05", " 2023-05-14 "]
)
def test_accepted_date_texts(text: str) -> None:
    assert parse(one_value("datum", text)).rows[0]["date"] == date(2023, 5, 14)


@pytest.mark.parametrize("text", ["14/5/2023", "5/14/2023", "14.5.2023", "2023-5-14", "20230514", "maj 2023", "idag"])
def test_ambiguous_or_unknown_date_formats_are_refused(text: str) -> None:
    err = refused(one_value("datum", text))
    assert f"Rad 2, kolumn datum: '{text}' är inget datum. Skriv datum som ÅÅÅÅ-MM-DD" in str(err)


@pytest.mark.parametrize("text", ["2023-02-29", "2023-02-30", "2023-04-31", "2023-13-01", "2023-00-10"])
def test_impossible_dates_are_refused(text: str) -> None:
    assert f"'{text}' är inget giltigt datum: dagen finns inte i kalendern." in str(refused(one_value("datum", text)))


def test_an_impossible_time_is_refused() -> None:
    assert "har ett ogiltigt klockslag" in str(refused(one_value("datum", "2023-05-14 25:00")))


@pytest.mark.parametrize(("text", "shown"), [("2022-12-31", "2022-12-31"), ("2024-01-01 00:00", "2024-01-01")])
def test_dates_outside_the_promise_year_are_refused(text: str, shown: str) -> None:
    assert f"Rad 2, kolumn datum: {shown} ligger utanför löftets år 2023." in str(refused(one_value("datum", text)))


def test_leap_day_is_accepted_in_a_leap_year() -> None:
    data = one_value("datum", "2024-02-29")
    result = parse_activities(data, filename="a.csv", year=2024, commitment_ids=IDS)
    assert result.rows[0]["date"] == date(2024, 2, 29)


def test_excel_date_cells_outside_the_year_and_number_cells_are_refused() -> None:
    header = ["datum", "åtagande_id", "antal"]
    err = refused(xlsx_data([header, [datetime(2022, 12, 31, 23, 0), 11, 1], [45060, 11, 1], [True, 11, 1]]), "a.xlsx")
    assert "Rad 2, kolumn datum: 2022-12-31 ligger utanför löftets år 2023." in str(err)
    assert "Rad 3, kolumn datum: '45060' är ett tal, inget datum." in str(err)
    assert "Rad 4, kolumn datum: 'SANT' är inget datum." in str(err)


# --- antal -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"), [("0", 0), ("7", 7), (" 12 ", 12), ("+3", 3), ("1 000", 1000), ("10000", 10000)]
)
def test_accepted_counts(text: str, expected: int) -> None:
    assert parse(one_value("antal", text)).rows[0]["count"] == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2,5", f"'2,5' är inte ett heltal. {INTEGER_HINT}"),
        ("2.5", f"'2.5' är inte ett heltal. {INTEGER_HINT}"),
        ("tre", f"'tre' är inte ett heltal. {INTEGER_HINT}"),
        ("1e9", f"'1e9' är inte ett heltal. {INTEGER_HINT}"),
        ("٣", f"'٣' är inte ett heltal. {INTEGER_HINT}"),  # a non-ASCII digit is not accepted
        ("-1", f"'-1' är mindre än 0. {INTEGER_HINT}"),
        ("\u22121", f"'\u22121' är mindre än 0. {INTEGER_HINT}"),
        ("1000000000", "'1000000000' är för stort. Högst 10\u00a0000 per rad"),
        ("10001", "'10001' är för stort."),
        ("", "värde saknas."),
    ],
)
def test_refused_counts(text: str, message: str) -> None:
    assert f"Rad 2, kolumn antal: {message}" in str(refused(one_value("antal", text)))


def test_excel_number_cells_for_counts() -> None:
    header = ["datum", "åtagande_id", "antal"]
    day = date(2023, 5, 14)
    assert parse(xlsx_data([header, [day, 11, 4], [day, 11, 4.0]]), "a.xlsx").rows == [row(count=4), row(count=4)]
    err = refused(xlsx_data([header, [day, 11, 2.5], [day, 11, 1e9], [day, 11, -2], [day, 11, False]]), "a.xlsx")
    assert "Rad 2, kolumn antal: '2,5' är inte ett heltal." in str(err)
    assert "Rad 3, kolumn antal: '1000000000' är för stort." in str(err)
    assert "Rad 4, kolumn antal: '-2' är mindre än 0." in str(err)
    assert "Rad 5, kolumn antal: 'FALSKT' är inte ett heltal." in str(err)


# --- åtagande_id -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("99", "99 är ett okänt åtagande i det här löftet. Giltiga id: 11, 12, 13."),
        ("0", "0 är ett okänt åtagande"),
        ("abc", "'abc' är inget åtagande-id."),
        ("11.5", "'11.5' är inget åtagande-id."),
        ("", "värde saknas."),
    ],
)
def test_refused_commitment_ids(text: str, message: str) -> None:
    assert f"Rad 2, kolumn åtagande_id: {message}" in str(refused(one_value("åtagande_id", text)))


def test_commitment_text_column_is_informational_only() -> None:
    data = csv_data("2023-05-14;11;Något helt annat;1", header="datum;åtagande_id;åtagande;antal")
    assert parse(data).rows == [row()]


# --- text columns ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "key", "limit"),
    [("plats", "place", 200), ("anteckning", "note", 2000), ("rapporterad_av", "reported_by", 120)],
)
def test_text_length_limits(column: str, key: str, limit: int) -> None:
    assert parse(one_value(column, "å" * limit)).rows[0][key] == "å" * limit
    err = refused(one_value(column, "å" * (limit + 1)))
    assert f"Rad 2, kolumn {column}: texten är {limit + 1} tecken lång; högst {limit} tecken är tillåtet." in str(err)


@pytest.mark.parametrize(
    "text", ["=cmd|' /C calc'!A0", "+46 70 123", "-2 personer", "@SUMMA(A1)", "<script>alert(1)</script>"]
)
def test_hostile_looking_text_is_kept_as_text(text: str) -> None:
    assert parse(one_value("anteckning", text)).rows[0]["note"] == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  mitt i  ", "mitt i"),
        ("a\x00b\x07c\x1bd\x7fe\x85f", "abcdef"),
        ("rad 1\r\nrad 2\rrad 3", "rad 1\nrad 2\nrad 3"),
        ("kol\tumn", "kol umn"),
        ("evil\u202egnp.exe", "evilgnp.exe"),
        ("A\u030ase", "Åse"),
    ],
)
def test_text_is_cleaned(text: str, expected: str) -> None:
    assert clean_text(text) == expected
    assert parse(one_value("anteckning", text)).rows[0]["note"] == expected


def test_bytes_undefined_in_windows_1252_fall_back_to_latin_1() -> None:
    data = "datum;åtagande_id;antal;plats\n2023-05-14;11;1;Å\x81\n".encode("latin-1")
    assert parse(data).rows == [row(place="Å")]


# --- result ----------------------------------------------------------------------------------------------------


def test_activities_and_summary() -> None:
    result = ActivityImport(rows=[row(place="Torget")], skipped_empty=2)
    assert result.activities() == [Activity(commitment_id=11, date=date(2023, 5, 14), count=1, place="Torget")]
    assert result.summary() == "1 aktivitet att importera. 2 tomma mallrader (utan datum och antal) hoppades över."
    assert ActivityImport(rows=[row(), row()]).summary() == "2 aktiviteter att importera."


# --- templates -------------------------------------------------------------------------------------------------


def test_csv_template_is_excel_friendly() -> None:
    data = template_csv(COMMITMENTS, YEAR)
    assert data.startswith(b"\xef\xbb\xbf")
    records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert tuple(records[0]) == TEMPLATE_COLUMNS
    assert [(r[1], r[2]) for r in records[1:]] == [
        ("11", "Trygghetsvandringar i centrum"),
        ("12", "Närvaro vid skolavslutningar; kväll"),
        ("13", "'" + COMMITMENTS[2][1]),  # an apostrophe keeps a spreadsheet from running it
    ]
    assert all(r[0] == r[3] == "" for r in records[1:])
    assert b"\r\n" in data


def test_csv_template_round_trip_saved_by_excel_as_windows_1252() -> None:
    records = list(
        csv.reader(io.StringIO(template_csv(COMMITMENTS, YEAR).decode("utf-8-sig"), newline=""), delimiter=";")
    )
    records[1][0], records[1][3], records[1][4] = "2023-04-01", "2", "Stora torget"
    records[3][0], records[3][3], records[3][5] = "2023-09-30 19:00", "1", "Möte med bostadsbolaget"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(records)

    result = parse(buffer.getvalue().encode("cp1252"))

    assert result.rows == [
        row(11, date(2023, 4, 1), 2, place="Stora torget"),
        row(13, date(2023, 9, 30), 1, note="Möte med bostadsbolaget"),
    ]
    assert result.skipped_empty == 1


def test_xlsx_template_has_two_readable_sheets_and_excel_validation() -> None:
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(COMMITMENTS, YEAR)))
    assert book.sheetnames == ["Aktiviteter", "Åtaganden"]
    sheet, listing = book["Aktiviteter"], book["Åtaganden"]
    assert tuple(c.value for c in sheet[1]) == TEMPLATE_COLUMNS
    assert all(c.font.bold for c in sheet[1]) and all(c.font.bold for c in listing[1])
    assert all(sheet.column_dimensions[c.column_letter].width >= 8 for c in sheet[1])
    assert sheet.column_dimensions["C"].width >= 40 and sheet.freeze_panes == "A2"
    assert [(r[1], r[2]) for r in sheet.iter_rows(min_row=2, values_only=True)] == COMMITMENTS
    assert [tuple(r) for r in listing.iter_rows(min_row=2, values_only=True)] == COMMITMENTS
    assert sheet["C4"].data_type == "s"  # text starting with '=' is stored as text, not a formula
    rules = {r.type: r for r in sheet.data_validations.dataValidation}
    assert rules["date"].formula1 == "DATE(2023,1,1)" and rules["date"].formula2 == "DATE(2023,12,31)"
    assert rules["whole"].formula2 == str(MAX_COUNT)
    assert rules["list"].formula1 == "'Åtaganden'!$A$2:$A$4"


def test_xlsx_template_round_trip() -> None:
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(COMMITMENTS, YEAR)))
    sheet = book["Aktiviteter"]
    sheet["A2"], sheet["D2"], sheet["G2"] = date(2023, 4, 1), 2, "Åsa"
    sheet["A3"], sheet["D3"], sheet["E3"] = datetime(2023, 6, 9), 1, "Ekbackeskolan"
    buffer = io.BytesIO()
    book.save(buffer)

    result = parse(buffer.getvalue(), "mall.xlsx")

    assert result.rows == [
        row(11, date(2023, 4, 1), 2, reported_by="Åsa"),
        row(12, date(2023, 6, 9), 1, place="Ekbackeskolan"),
    ]
    assert result.skipped_empty == 1


def test_untouched_xlsx_template_means_nothing_to_import() -> None:
    assert "3 rader utan datum och antal" in str(refused(template_xlsx(COMMITMENTS, YEAR), "mall.xlsx"))


def test_templates_without_commitments_are_just_a_header() -> None:
    assert template_csv([], YEAR).decode("utf-8-sig") == ";".join(TEMPLATE_COLUMNS) + "\r\n"
    sheet = openpyxl.load_workbook(io.BytesIO(template_xlsx([], YEAR)))["Aktiviteter"]
    assert sheet.max_row == 1


# --- properties ------------------------------------------------------------------------------------------------

_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CHARS = st.one_of(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=_BIDI), st.just("\n"))


def clean_texts(limit: int) -> st.SearchStrategy[str]:
    """Text a valid file can hold: NFC, no control characters but newline, no surrounding whitespace."""
    return (
        st.text(_CHARS, max_size=limit)
        .map(lambda s: unicodedata.normalize("NFC", s).strip())
        .filter(lambda s: len(s) <= limit and unicodedata.normalize("NFC", s) == s and s == s.strip())
    )


valid_rows = st.builds(
    row,
    commitment_id=st.sampled_from(sorted(IDS)),
    day=st.dates(min_value=date(YEAR, 1, 1), max_value=date(YEAR, 12, 31)),
    count=st.integers(0, MAX_COUNT),
    place=clean_texts(200),
    note=clean_texts(2000),
    reported_by=clean_texts(120),
)


def activities_csv(rows: list[dict]) -> bytes:
    """Rows in the template's CSV format, text as it is (the parser must read back exactly these rows)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)
    texts = dict(COMMITMENTS)
    for r in rows:
        cells = (r["commitment_id"], texts[r["commitment_id"]], r["count"], r["place"], r["note"], r["reported_by"])
        writer.writerow((r["date"].isoformat(), *cells))
    return buffer.getvalue().encode("utf-8-sig")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(valid_rows, min_size=1, max_size=25))
def test_any_valid_rows_written_as_csv_parse_back_to_the_same_rows(rows: list[dict]) -> None:
    result = parse(activities_csv(rows))
    assert result.rows == rows and result.skipped_empty == 0


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600), st.sampled_from(["a.csv", "a.xlsx"]))
def test_arbitrary_bytes_give_a_result_or_an_import_error_never_a_crash(data: bytes, filename: str) -> None:
    try:
        parse(data, filename)
    except ImportFileError as err:
        assert str(err)
