"""The lägesbild and åtgärdsplan document (Lag 2023:196): the content model without drawing, the PDF read back
with pdftotext, the Word file read back with python-docx, the command line and the Möte download."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from lofte_data import editing, formats, lagesbild_document
from lofte_data.__main__ import main
from lofte_data.access import Editor
from lofte_data.errors import InputError
from lofte_data.lagesbild_document import SECTION_TITLES, Paragraph, Table
from lofte_data.storage import Store

ANNA = Editor("anna@kungsor.se", "Anna Andersson", frozenset({"1960"}), "lösenord")
TODAY = date(2026, 11, 30)
NB = "\u00a0"


@pytest.fixture
def kungsor_2024(seeded: Store) -> lagesbild_document.Document:
    return lagesbild_document.build_document(seeded, kommun_code="1960", year=2024, today=TODAY)


def _tables(document: lagesbild_document.Document) -> list[Table]:
    return [b for s in document.sections for b in s.blocks if isinstance(b, Table)]


def test_a_year_without_incidents_says_which_days_the_archive_holds(seeded: Store) -> None:
    document = lagesbild_document.build_document(seeded, kommun_code="0483", year=2019, today=TODAY)
    texts = [b.text for s in document.sections for b in s.blocks if isinstance(b, Paragraph)]
    stored = seeded.incidents("0483")["occurred_at"]
    first, last = formats.day(stored.min()), formats.day(stored.max())
    assert any(
        t.startswith("Inga händelser är registrerade för Katrineholm under")
        and t.endswith(f"Registrerade händelser för Katrineholm: {first} – {last}.")
        for t in texts
    )


def test_the_five_sections_in_the_law_guidance_order(kungsor_2024) -> None:
    assert [s.title for s in kungsor_2024.sections] == list(SECTION_TITLES)
    assert kungsor_2024.title == "Lägesbild och åtgärdsplan 2024"


def test_the_figures_of_kungsor_with_statistics_rules_and_sources(kungsor_2024) -> None:
    total = _tables(kungsor_2024)[0]
    assert total.columns == ("År", "Anmälda brott", "Förändring", "%", "Bedömning")
    assert total.rows[-2:] == (
        ("2021", "743", "\u221298", f"\u221212{NB}%", "tydlig minskning"),
        ("2022 (prel.)", "638", "\u2212105", f"\u221214{NB}%", "tydlig minskning"),
    )
    assert total.source.startswith("Källa: Brå") and "inläst" in total.source
    by_type = {row[0]: row for row in _tables(kungsor_2024)[1].rows}
    assert by_type["Vapenbrott"][-2:] == ("+4", "inom normal variation")  # base under 30: no %
    assert "Trafikbrott (spaningsbrott)" in by_type
    assert all(t.source.startswith("Källa:") for t in _tables(kungsor_2024))


def test_trygghet_says_there_are_no_ntu_values(kungsor_2024) -> None:
    assert "Trygghet: inga NTU-värden finns i databasen för Kungsör" in kungsor_2024.text()


def test_ntu_values_are_shown_with_their_source_when_fetched(seeded: Store) -> None:
    values = pd.DataFrame(
        {"area_code": ["1960", "0000"], "kpi": ["N07609", "N07609"], "year": [2023] * 2, "value": [21.5, 25.0]}
    )
    seeded.upsert_kpi_values(values, source="Kolada")
    document = lagesbild_document.build_document(seeded, kommun_code="1960", year=2024, today=TODAY)
    ntu = next(t for t in _tables(document) if t.columns[0].startswith("Mått"))
    assert (
        "Otrygghet vid utomhusvistelse sen kväll i det egna bostadsområdet",
        "Kungsör",
        "2023",
        f"21,5{NB}%",
    ) in ntu.rows
    assert "NTU" in ntu.source and "Hämtat" in ntu.source


def test_missing_prose_is_named_as_missing_never_invented(kungsor_2024) -> None:
    missing = [
        b.text for s in kungsor_2024.sections for b in s.blocks if isinstance(b, Paragraph) and b.style == "missing"
    ]
    assert "Sammanfattning saknas: fylls i av redaktören under Redigera löfte." in missing
    assert "Analys saknas: fylls i av redaktören under Redigera löfte." in missing
    assert "Källan anger ingen orsaksanalys." in kungsor_2024.text()


def test_written_prose_replaces_the_missing_notes(seeded: Store) -> None:
    promise = seeded.promise("1960", 2024)
    editing.update_plan_texts(
        seeded, ANNA, promise_id=promise.id, plan_summary="<b>Lugnt</b> i Kungsör.", plan_analysis="Bedrägerier ökar."
    )
    document = lagesbild_document.build_document(seeded, kommun_code="1960", year=2024, today=TODAY)
    assert document.sections[0].blocks[0] == Paragraph("<b>Lugnt</b> i Kungsör.")
    assert document.sections[2].blocks[0] == Paragraph("Bedrägerier ökar.")
    assert "saknas: fylls i" not in document.text()


def test_the_plan_and_the_follow_up_of_the_year_before(seeded: Store) -> None:
    document = lagesbild_document.build_document(seeded, kommun_code="1960", year=2023, today=TODAY)
    plan = next(t for t in _tables(document) if t.columns[0] == "Åtagande" and "Tid" in t.columns)
    assert plan.columns == ("Åtagande", "Ansvar", "Mål", "Tid", "Uppföljning")
    assert {row[1] for row in plan.rows} <= {"Polisen", "Kommunen", "Gemensamt"}
    assert "Källan anger ingen orsaksanalys." in document.text()  # the 2023 follow-up gives none
    follow = lagesbild_document.build_document(seeded, kommun_code="1960", year=2024, today=TODAY)
    rows = {r[0]: r for t in _tables(follow) if "Utfört" in t.columns for r in t.rows}
    assert rows["Ordinarie trafikkontroller med hastighetsmätning"][3:5] == ("63", "uppnått")
    assert "Läget för 11 åtaganden: uppnått 8, genomfört, antal saknas 3." in follow.text()


def test_a_year_without_a_promise_says_so(seeded: Store) -> None:
    document = lagesbild_document.build_document(seeded, kommun_code="1960", year=2025, today=TODAY)
    text = document.text()
    assert "Åtgärdsplan saknas: inget medborgarlöfte är registrerat för Kungsör 2025" in text
    assert "Sammanfattning saknas: fylls i av redaktören under Redigera löfte, när medborgarlöftet för 2025" in text
    assert "Medborgarlöftet 2024: vad som lovades" in text


@pytest.mark.parametrize(
    ("kommun", "year", "message"),
    [
        ("9999", "2024", "Okänd kommunkod"),
        ("0001", "2024", "Okänd kommunkod"),
        ("1960", "abc", "Året måste"),
        ("1960", "2012", "Året måste"),
        ("1960", "2028", "Året måste"),
    ],
)
def test_bad_requests_get_a_swedish_error(seeded: Store, kommun: str, year: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        lagesbild_document.build_document(seeded, kommun_code=kommun, year=year, today=TODAY)


def _pdf_text(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8").replace(NB, " ")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_reads_back_with_sections_sources_and_figures(kungsor_2024) -> None:
    pdf = lagesbild_document.render(kungsor_2024, ".pdf")
    assert pdf.startswith(b"%PDF-")
    text = _pdf_text(pdf)
    for title in SECTION_TITLES:
        assert title in text
    for expected in ("Källa: Brå", "638", "743", "tydlig minskning", "Sammanfattning saknas", "Lag (2023:196)"):
        assert expected in text
    assert "63" in text and "uppnått" in text


def test_the_word_file_reads_back_with_sections_sources_and_figures(kungsor_2024) -> None:
    from docx import Document

    word = Document(io.BytesIO(lagesbild_document.render(kungsor_2024, ".docx")))
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == [*SECTION_TITLES, "Källor och datum"]
    paragraphs = "\n".join(p.text for p in word.paragraphs)
    assert "Sammanfattning saknas: fylls i av redaktören under Redigera löfte." in paragraphs
    assert "Källa: Brå" in paragraphs
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "638" in cells and "tydlig minskning" in cells and "63" in cells


def test_an_unknown_suffix_is_refused(kungsor_2024) -> None:
    with pytest.raises(InputError, match=r"\.pdf eller \.docx"):
        lagesbild_document.render(kungsor_2024, ".txt")


def test_the_command_line_writes_both_formats(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    for name in ("lagesbild.pdf", "lagesbild.docx"):
        assert main(["lagesbild", "--kommun", "1960", "--ar", "2025", "-o", str(tmp_path / name)]) == 0
        assert "Lägesbild och åtgärdsplan 2025 för Kungsör är skriven" in capsys.readouterr().out
    assert (tmp_path / "lagesbild.pdf").read_bytes().startswith(b"%PDF-")
    assert (tmp_path / "lagesbild.docx").read_bytes().startswith(b"PK")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kommun", "9999", "--ar", "2025", "-o", "x.pdf"], "Okänd kommunkod '9999'"),
        (["--kommun", "1960", "--ar", "tjugo", "-o", "x.pdf"], "Året måste vara ett årtal"),
        (["--kommun", "1960", "--ar", "2025", "-o", "x.txt"], "Filen måste sluta på .pdf eller .docx"),
    ],
)
def test_the_command_line_gives_swedish_errors_and_exit_2(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture, args: list[str], message: str
) -> None:
    args = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    assert main(["lagesbild", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fel: ") and message in err
    assert not any(p.suffix in (".pdf", ".txt") for p in tmp_path.iterdir())  # nothing written


def test_the_mote_page_offers_both_downloads(app) -> None:
    at = app("1960", "2024", page="pages/mote.py")
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Ladda ned lägesbild och åtgärdsplan (PDF)" in labels
    assert "Ladda ned lägesbild och åtgärdsplan (Word)" in labels
