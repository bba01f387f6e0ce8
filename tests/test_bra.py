"""Tests for the Brå file parsers (core): own fixtures for every quirk, real reference files for acceptance."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lofte_data.errors import ImportFileError
from lofte_data.sources import bra

FIXTURES = Path(__file__).parent / "fixtures" / "bra"
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "bra"
HEADER = "Region;Brott;År;Period;Antal;/100 000 inv"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def reference(name: str) -> bytes:
    path = REFERENCE / name
    if not path.exists():
        pytest.skip(f"referensfilen {name} saknas")
    return path.read_bytes()


def databasfil(*rows: str, encoding: str = "utf-8") -> bytes:
    return "\n".join([HEADER, *rows, ""]).encode(encoding)


def refused(data: bytes, parse=bra.parse_databasfil, **kwargs: object) -> ImportFileError:
    with pytest.raises(ImportFileError) as info:
        parse(data, **kwargs)
    return info.value


def one(frame: pd.DataFrame, **where: object) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    assert mask.sum() == 1, where
    return frame.loc[mask].iloc[0]


# --- decode -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("Kungsör".encode(), "Kungsör"),
        (b"\xef\xbb\xbf" + "Kungsör".encode(), "Kungsör"),
        ("Kungsör".encode("iso-8859-1"), "Kungsör"),
        (b"Arboga", "Arboga"),
    ],
)
def test_decode(data: bytes, text: str) -> None:
    assert bra.decode(data) == text


# --- Databasfil: fixtures -----------------------------------------------------


def test_monthly_latin1_fixture_is_really_latin1() -> None:
    data = fixture("databasfil_manad_latin1.txt")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert b"\r" not in data and data.endswith(b";\n\n\n")


def test_monthly_latin1_fixture() -> None:
    frame = bra.parse_databasfil(fixture("databasfil_manad_latin1.txt"))
    assert tuple(frame.columns) == bra.DATABASFIL_COLUMNS
    assert len(frame) == 12  # 14 data rows minus one identical repeat and one all-zero copy
    first = one(frame, region="Kungsör kommun", brott="Totalt antal brott", period=1)
    assert (first["region_code"], first["crime_type"], first["year"], first["period_kind"]) == (
        "1960",
        "totalt",
        2015,
        "month",
    )
    assert (first["count"], first["per_100k"], first["preliminary"], first["line"]) == (52, 612.0, False, 2)
    assert one(frame, region="Ödeshög kommun")["period"] == 10


def test_monthly_trailing_space_in_label_is_stripped() -> None:
    frame = bra.parse_databasfil(fixture("databasfil_manad_latin1.txt"))
    assert one(frame, brott="Våldsbrott")["crime_type"] == "vald"


def test_double_dot_is_missing_not_zero() -> None:
    row = one(bra.parse_databasfil(fixture("databasfil_manad_latin1.txt")), brott="Vissa trafikbrott")
    assert pd.isna(row["count"]) and pd.isna(row["per_100k"])


def test_thousands_separators_space_and_nbsp() -> None:
    frame = bra.parse_databasfil(fixture("databasfil_manad_latin1.txt"))
    assert one(frame, region="Hela landet", brott="Totalt antal brott")["count"] == 118204
    assert one(frame, region="Hela landet", brott="Totalt antal brott")["per_100k"] == 1215
    assert one(frame, region="Hela landet", brott="Stöldbrott")["count"] == 40512


def test_region_codes_for_riket_and_non_kommun_regions() -> None:
    codes = bra.parse_databasfil(fixture("databasfil_manad_latin1.txt")).set_index("line")["region_code"]
    assert codes[6] == "0000"  # Hela landet
    assert codes[8] is None and codes[9] is None  # Region Nord, Västmanlands län
    assert codes[13] == "0483"


def test_unknown_category_has_no_crime_type() -> None:
    frame = bra.parse_databasfil(fixture("databasfil_manad_latin1.txt"))
    assert one(frame, brott="Bostadsinbrott")["crime_type"] is None


def test_preliminary_year() -> None:
    row = one(bra.parse_databasfil(fixture("databasfil_manad_latin1.txt")), period=12)
    assert (row["year"], row["preliminary"], row["crime_type"]) == (2016, True, "skadegorelse")


def test_identical_repeat_dropped_and_all_zero_copy_ignored() -> None:
    frame = bra.parse_databasfil(fixture("databasfil_manad_latin1.txt"))
    kungsor = frame[(frame["region"] == "Kungsör kommun") & (frame["brott"] == "Totalt antal brott")]
    assert list(kungsor["line"]) == [2, 5]  # line 12 repeats line 2 exactly
    heby = one(frame, region="Heby kommun")
    assert (heby["count"], heby["line"]) == (88, 10)  # line 11 is the all-zero copy


def test_all_zero_copy_first_is_replaced() -> None:
    data = databasfil("Heby kommun;Bilbrott;2015;Jan;0;0;", "Heby kommun;Bilbrott;2015;Jan;4;30;")
    frame = bra.parse_databasfil(data)
    assert (frame["count"].tolist(), frame["line"].tolist()) == ([4], [3])


def test_quarters_utf8_bom_crlf_narrow_nbsp() -> None:
    data = fixture("databasfil_kvartal_utf8bom_crlf.txt")
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    frame = bra.parse_databasfil(data)
    assert len(frame) == 4 and set(frame["period_kind"]) == {"quarter"}
    riket = one(frame, region="Hela landet")
    assert (riket["count"], riket["per_100k"], riket["period"]) == (371006, 3760.0, 1)
    arboga = one(frame, region="Arboga kommun", period=4)
    assert (arboga["region_code"], arboga["preliminary"], arboga["crime_type"]) == ("1984", True, "stold")
    assert one(frame, region="Falun kommun")["region_code"] == "2080"


def test_annual_menu() -> None:
    frame = bra.parse_databasfil(fixture("databasfil_ar_utf8.txt"))
    assert len(frame) == 4 and set(frame["period_kind"]) == {"year"} and set(frame["period"]) == {0}
    assert one(frame, region="Hela landet")["count"] == 1389112
    assert one(frame, region="Hela landet")["per_100k"] == 13183
    prel = one(frame, region="Kungsör kommun", year=2025)
    assert (prel["count"], prel["preliminary"]) == (655, True)
    assert one(frame, region="Kungsör kommun", year=2024)["preliminary"] == False  # noqa: E712


def test_dtypes() -> None:
    dtypes = bra.parse_databasfil(fixture("databasfil_manad_latin1.txt")).dtypes
    assert (dtypes["count"], dtypes["per_100k"]) == ("Int64", "Float64")
    assert (dtypes["year"], dtypes["period"], dtypes["line"], dtypes["preliminary"]) == ("int64",) * 3 + ("bool",)


def test_cr_only_and_case_of_month_and_header_extra_column() -> None:
    text = HEADER + ";kalla\r" + "Kungsör kommun;Bilbrott;2015;MAJ;3;35;x.txt\r"
    row = bra.parse_databasfil(text.encode()).iloc[0]
    assert (row["period"], row["line"]) == (5, 2)


# --- Databasfil: refused files ------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\n\n", b"\xef\xbb\xbf", b"  \r\n"])
def test_empty_file(data: bytes) -> None:
    error = refused(data)
    assert error.line == 1 and "Filen är tom" in str(error)


def test_header_only() -> None:
    error = refused((HEADER + "\n").encode())
    assert error.line == 2 and "inga rader med siffror" in str(error)


@pytest.mark.parametrize(
    "header", ["Region;Brott;År;Period;Antal", "Kommun;Brott;År;Period;Antal;/100 000 inv", "Ale kommun;Bilbrott"]
)
def test_wrong_header(header: str) -> None:
    error = refused(f"{header}\nAle kommun;Bilbrott;2013;Jan;24;86;\n".encode())
    assert error.line == 1
    assert "Rubrikraden saknas eller är fel" in str(error)
    assert "Väntade Region;Brott;År;Period;Antal;/100 000 inv" in str(error)


def test_header_extra_column_must_be_named() -> None:
    assert refused(f"{HEADER};;x\n".encode()).line == 1


@pytest.mark.parametrize(
    "row",
    ["Ale kommun;Bilbrott;2013;Jan;24", "Ale kommun;Bilbrott;2013;Jan;24;86;;", "Ale kommun;Bilbrott;2013;Jan;24;86;5"],
)
def test_wrong_number_of_fields(row: str) -> None:
    error = refused(databasfil("Ale kommun;Vapenbrott;2013;Jan;1;4;", row))
    assert error.line == 3
    assert "fält men 6 väntades" in str(error)


def test_unknown_month() -> None:
    error = refused(databasfil("Ale kommun;Bilbrott;2013;Mai;24;86;"))
    assert error.line == 2
    assert str(error) == (
        "Rad 2: Okänd period 'Mai'. Väntade en månad (Jan, Feb, Mar, Apr, Maj, Jun, Jul, Aug, Sep, Okt, Nov, Dec) "
        "eller Kvartal 1-4."
    )


def test_unknown_quarter() -> None:
    assert "Okänd period 'Kvartal 5'" in str(refused(databasfil("Ale kommun;Bilbrott;2013;Kvartal 5;24;86;")))


@pytest.mark.parametrize("year", ["13", "2013 final", "tjugotretton", ""])
def test_unparseable_year(year: str) -> None:
    error = refused(databasfil("Ale kommun;Bilbrott;2013;Jan;1;4;", f"Ale kommun;Bilbrott;{year};Feb;24;86;"))
    assert error.line == 3
    assert f"Ogiltigt år '{year}'. Väntade ett årtal som 2016 eller 2016 prel." in str(error)


def test_unparseable_year_in_annual_menu() -> None:
    error = refused(databasfil("Ale kommun;Bilbrott;År;Jan;24;86;"))
    assert error.line == 2 and "Ogiltigt år 'Jan'" in str(error)


@pytest.mark.parametrize("count", ["24a", "2,5", "1 23", "-"])
def test_non_numeric_count(count: str) -> None:
    error = refused(databasfil(f"Ale kommun;Bilbrott;2013;Jan;{count};86;"))
    assert str(error) == f"Rad 2: Antal '{count}' är inte ett heltal. Väntade t.ex. 1 234, eller .. när uppgift saknas."


def test_negative_count() -> None:
    error = refused(databasfil("Ale kommun;Bilbrott;2013;Jan;1;4;", "Ale kommun;Vapenbrott;2013;Jan;-3;86;"))
    assert error.line == 3
    assert "Antal '-3' är negativt" in str(error)


def test_non_numeric_rate() -> None:
    error = refused(databasfil("Ale kommun;Bilbrott;2013;Jan;24;många;"))
    assert error.line == 2 and "Värdet per 100 000 invånare 'många' är inte ett tal" in str(error)


def test_missing_region() -> None:
    error = refused(databasfil(";Bilbrott;2013;Jan;24;86;"))
    assert error.line == 2 and "Region eller brott saknas" in str(error)


def test_conflicting_repeat_names_both_lines() -> None:
    error = refused(
        databasfil(
            "Ale kommun;Bilbrott;2013;Jan;24;86;",
            "Ale kommun;Vapenbrott;2013;Jan;1;4;",
            "Ale kommun;Bilbrott;2013;Jan;25;89;",
        )
    )
    assert error.line == 4
    assert str(error) == (
        "Rad 4: Ale kommun, Bilbrott, 2013 Jan finns två gånger med olika värden: rad 2 och rad 4. "
        "Varje region, brott och period får bara förekomma en gång."
    )


def test_refused_latin1_file_reports_line() -> None:
    rows = ("Kungsör kommun;Våldsbrott ;2013;Jan;6;71;", "Kungsör kommun;Våldsbrott ;2013;Jun;x;71;")
    data = databasfil(*rows, encoding="iso-8859-1")
    assert refused(data).line == 3


# --- Annual kommun file -------------------------------------------------------


def test_annual_file_with_header() -> None:
    data = fixture("anmalda_brott_i_kommunerna_2022.csv")
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    frame = bra.parse_annual_kommun_file(data, year=2022)
    assert tuple(frame.columns) == bra.ANNUAL_COLUMNS
    assert list(frame["region_code"]) == ["1960", "0483", "2080", "1490", "0180", "1440"]
    assert set(frame["crime_type"]) == {"totalt"} and set(frame["period_kind"]) == {"year"}
    assert set(frame["year"]) == {2022} and set(frame["period"]) == {0} and not frame["preliminary"].any()
    kungsor = one(frame, region_code="1960")
    assert (kungsor["region"], kungsor["count"], kungsor["per_100k"], kungsor["line"]) == (
        "Kungsörs kommun",
        638,
        7312.4,
        2,
    )
    assert one(frame, region_code="0483")["count"] == 3104  # NBSP thousands separator
    assert one(frame, region_code="0483")["per_100k"] == pytest.approx(9206.8)


def test_annual_file_preliminary_header() -> None:
    frame = bra.parse_annual_kommun_file(fixture("anmalda_brott_i_kommunerna_2023_prel.csv"), year=2023)
    assert frame["preliminary"].all()
    assert list(frame["region_code"]) == ["1960", "2104", "2282"]
    assert one(frame, region_code="2282")["count"] == 1288


def test_annual_file_without_header() -> None:
    frame = bra.parse_annual_kommun_file(fixture("anmalda_brott_i_kommunerna_2021_utan_rubrik.csv"), year=2021)
    assert list(frame["region_code"]) == ["1440", "1960", "0980", "1407"]
    assert list(frame["line"]) == [1, 2, 3, 4]
    assert one(frame, region_code="1960")["count"] == 743
    assert one(frame, region_code="1407")["per_100k"] == pytest.approx(3897.3)


def test_annual_unknown_kommun() -> None:
    data = b"Kommun;Antal;Per 100 000 inv.\r\nAle kommun;2 020;6 807\r\nAtlantis kommun;12;3\r\n"
    error = refused(data, bra.parse_annual_kommun_file, year=2022)
    assert error.line == 3
    assert "Okänd kommun 'Atlantis kommun'. Väntade ett av Sveriges 290 kommunnamn" in str(error)


def test_annual_wrong_header() -> None:
    error = refused(b"Kommun;Antal;Andel\nAle kommun;1;2\n", bra.parse_annual_kommun_file, year=2022)
    assert error.line == 1 and "Rubrikraden är fel" in str(error) and "Kommun;Antal;Per 100 000 inv." in str(error)


def test_annual_errors_in_rows() -> None:
    parse = bra.parse_annual_kommun_file
    assert refused(b"Ale kommun;1;2;3\n", parse, year=2022).line == 1
    assert "är negativt" in str(refused(b"Ale kommun;1;2\nKil;-1;2\n", parse, year=2022))
    error = refused(b"Ale;1;2\nAle kommun;3;4\n", parse, year=2021)
    assert error.line == 2
    assert "Ale, totalt, 2021 helår finns två gånger med olika värden: rad 1 och rad 2" in str(error)
    assert len(parse(b"Ale;1;2\nAle kommun;1;2\n", year=2021)) == 1


@pytest.mark.parametrize("year", [21, 3000, True])
def test_annual_invalid_year_argument(year: int) -> None:
    assert "Ogiltigt år" in str(refused(b"Ale kommun;1;2\n", bra.parse_annual_kommun_file, year=year))


def test_annual_empty() -> None:
    assert refused(b"\xef\xbb\xbf\r\n", bra.parse_annual_kommun_file, year=2022).line == 1


# --- file_kind, parse_any -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("databasfil_manad_latin1.txt", "databasfil"),
        ("databasfil_kvartal_utf8bom_crlf.txt", "databasfil"),
        ("anmalda_brott_i_kommunerna_2022.csv", "annual"),
        ("anmalda_brott_i_kommunerna_2021_utan_rubrik.csv", "annual"),
    ],
)
def test_file_kind(name: str, kind: str) -> None:
    assert bra.file_kind(fixture(name)) == kind


def test_file_kind_unknown() -> None:
    error = refused(b"Datum;Temperatur\n2024-01-01;3\n", bra.file_kind)
    assert error.line == 1 and "Okänt filformat" in str(error)


def test_parse_any() -> None:
    assert len(bra.parse_any(fixture("databasfil_ar_utf8.txt"))) == 4
    frame = bra.parse_any(fixture("anmalda_brott_i_kommunerna_2022.csv"), year=2022)
    assert set(frame["year"]) == {2022}
    error = refused(fixture("anmalda_brott_i_kommunerna_2022.csv"), bra.parse_any)
    assert error.line is None and "Ange vilket år filen gäller" in str(error)


@pytest.mark.parametrize(
    ("name", "year"),
    [("Anmälda brott i kommunerna 2021.csv", 2021), ("DatabasfilJan2013.txt", 2013), ("data.csv", None)],
)
def test_year_from_filename(name: str, year: int | None) -> None:
    assert bra.year_from_filename(name) == year


# --- Acceptance: real Brå files -----------------------------------------------


def test_reference_databasfil_jan_2013() -> None:
    frame = bra.parse_databasfil(reference("DatabasfilJan2013.txt"))
    assert frame["region_code"].nunique() == 290 and frame["region_code"].notna().all()
    assert frame["brott"].nunique() == 10 and frame["crime_type"].notna().all()
    assert len(frame) == 2900  # 2 910 data rows; Heby's ten all-zero copies (lines 682-691) are dropped
    assert set(frame["year"]) == {2013} and set(frame["period"]) == {1} and not frame["preliminary"].any()
    totals = frame[frame["crime_type"] == "totalt"].set_index("region_code")
    # Obtained with: iconv -f latin1 -t utf8 DatabasfilJan2013.txt \
    #   | awk -F';' '$2=="Totalt antal brott" {s+=$5} END {print s}'
    assert totals["count"].sum() == 92598
    # Obtained with: ... | awk -F';' '$1=="Kungsör kommun" && $2=="Totalt antal brott"' (and Katrineholm kommun)
    assert (totals.loc["1960", "count"], totals.loc["1960", "per_100k"]) == (36, 444)
    assert (totals.loc["0483", "count"], totals.loc["0483", "per_100k"]) == (446, 1362)
    assert totals.loc["0331", "count"] == 92  # Heby, the non-zero copy (line 672)
    # Obtained with: ... | awk -F';' 'NR>1 {s+=$5} END {print s}'  and  $2=="Våldsbrott " for våld
    assert frame["count"].sum() == 181918
    assert frame.loc[frame["crime_type"] == "vald", "count"].sum() == 8149


def test_reference_five_kommuner_2013_2016() -> None:
    frame = bra.parse_databasfil(reference("databasfil_2013-2016_5kommuner_utf8.csv"))  # extra column source_file
    assert len(frame) == 2400 and set(frame["region_code"]) == {"1960", "0483", "1984", "1983", "1961"}
    totals = frame[(frame["crime_type"] == "totalt") & (frame["period"] <= 8)]
    kungsor = totals[totals["region_code"] == "1960"].groupby("year")["count"].sum()
    assert (kungsor[2016], kungsor[2015]) == (409, 440)  # README: Kungsör Jan-Aug 2016 = 409 vs 2015 = 440
    assert frame.loc[frame["year"] == 2016, "preliminary"].all()
    # Obtained with:
    #   awk -F';' '$1=="Katrineholm kommun" && $2=="Totalt antal brott" && $3=="2014" {s+=$5} END {print s}'
    katrineholm = frame[(frame["region_code"] == "0483") & (frame["crime_type"] == "totalt") & (frame["year"] == 2014)]
    assert katrineholm["count"].sum() == 4744


def test_reference_2026_annual_menu() -> None:
    frame = bra.parse_databasfil(reference("sol_dbfil_ar_fixture.txt"))
    assert set(frame["period_kind"]) == {"year"} and set(frame["year"]) == {2024, 2025}
    assert len(frame) == 17  # 19 rows, two exact repeats (penningtvättsbrott) dropped
    assert set(frame["region_code"]) == {"0000", None}
    # Obtained with: awk -F';' 'NR>1 {s+=$5} END {print s}' gives 138949, minus the repeated 19017 and 19571
    assert frame["count"].sum() == 100361
    assert frame["count"].isna().sum() == 11


def test_reference_2026_monthly_menu() -> None:
    frame = bra.parse_databasfil(reference("sol_dbfil_manad_fixture.txt"))
    assert list(frame["period"]) == [1, 8, 8] and list(frame["preliminary"]) == [False, True, True]
    assert list(frame["count"]) == [133, 498, 20] and list(frame["region_code"]) == ["0000", "0000", None]


def test_a_plain_monthly_export_is_read_column_wise_with_the_same_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    data = databasfil(
        "Ale kommun;Våldsbrott ;2016 prel.;Jan;12;38,5;",
        "Ale kommun;Våldsbrott ;2016 prel.;Feb;..;..;",
        "Kungsörs kommun;Totalt antal brott;2015;Dec;52;612",
        "Okänd kommun;Totalt antal brott;2015;Dec;1;2;",
        "Ale kommun;Påhittad kategori;2015;Dec;3;;",
        "Kungsörs kommun;Totalt antal brott;2015;Dec;0;0;",  # Brå's all-zero copy of a kommun listed twice
        encoding="iso-8859-1",
    )
    read = bra._plain_monthly
    results: list[pd.DataFrame | None] = []
    monkeypatch.setattr(bra, "_plain_monthly", lambda *args: results.append(read(*args)) or results[-1])
    column_wise = bra.parse_databasfil(data)
    assert results[0] is not None  # the column-wise reader took the file
    monkeypatch.setattr(bra, "_plain_monthly", lambda *args: None)
    pd.testing.assert_frame_equal(column_wise, bra.parse_databasfil(data))
    assert len(column_wise) == 5 and column_wise["preliminary"].tolist()[:2] == [True, True]
