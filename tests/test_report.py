"""Tertial follow-up report as PDF: content and order, the period, errors, the shipped Unicode font, hostile and
long text, and tables that repeat their header and keep rows whole. The PDF text is read back with poppler's
pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from lofte_data import editing, formats, refresh, report, report_data
from lofte_data.access import OPERATOR, Editor
from lofte_data.crime_types import POPULATION_KPI
from lofte_data.errors import InputError
from lofte_data.models import Commitment, FocusArea, Promise
from lofte_data.seed import seed_defaults
from lofte_data.sources.kolada import KoladaClient
from lofte_data.storage import Store
from tests.conftest import copy_database
from tests.support.fake_kolada import LATEST_FAKE_YEAR, invented_value, serve_fake_kolada

TODAY = date(2026, 11, 22)
EDITOR = Editor(identity="anna@kungsor.se", name="Anna Åberg", kommuner=frozenset({"1960"}), method="lösenord")
HOSTILE = "<script>alert(1)</script> =SUM(A1) **fet** [länk](http://x)"
STATUS_WORDS = ("uppnått", "på väg", "efter plan", "ej påbörjad")
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="pdftotext (poppler-utils) is not installed, so the text of the PDF cannot be read back",
)


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default data seeded once; each test opens its own copy."""
    path = tmp_path_factory.mktemp("report") / "db.sqlite3"
    store = Store.open(f"sqlite:///{path}")
    seed_defaults(store)
    store.engine.dispose()  # closing the last connection folds the WAL into the file, so a copy holds everything
    return path


@pytest.fixture
def db(seeded_file: Path, tmp_path: Path) -> Store:
    path = tmp_path / "db.sqlite3"
    copy_database(seeded_file, path)
    return Store.open(f"sqlite:///{path}")


def pdf_text(pdf: bytes, *, layout: bool = True) -> str:
    """The PDF's text as pdftotext reads it (pages separated by form feeds), non-breaking spaces as spaces."""
    args = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    done = subprocess.run(args, input=pdf, capture_output=True, check=True, timeout=30)
    return done.stdout.decode("utf-8").replace("\u00a0", " ")


def line_with(text: str, needle: str) -> str:
    return next(line for line in text.splitlines() if needle in line)


def commitment_id(store: Store, code: str, year: int, starts: str) -> int:
    promise = store.promise(code, year)
    return next(c.id for a in promise.focus_areas for c in a.commitments if c.text.startswith(starts))


@pytest.fixture(scope="module")
def kungsor_2023(seeded_file: Path) -> tuple[bytes, str]:
    store = Store.open(f"sqlite:///{seeded_file}")
    pdf = report.build_report(store, kommun_code="1960", year=2023, tertial=3, today=TODAY)
    return pdf, pdf_text(pdf) if shutil.which("pdftotext") else ""


# -- content -----------------------------------------------------------------------------------------------------


def test_the_report_is_a_pdf(kungsor_2023: tuple[bytes, str]) -> None:
    pdf, _ = kungsor_2023
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")


@needs_pdftotext
def test_kungsor_2023_tertial_3_has_every_section_in_order(kungsor_2023: tuple[bytes, str]) -> None:
    _, text = kungsor_2023
    for expected in (
        r"Uppföljning av medborgarlöfte 2023, tertial 3",
        r"Kungsör \(kommunkod 1960\), Västmanlands län",
        r"Lokalpolisområde\s+Västra Mälardalen \(polisregion Mitt\)",
        r"Period\s+1 jan – 31 dec 2023",
        r"Status bedömd\s+31 dec 2023",
        r"Framtagen\s+22 nov 2026",
        r"Källdokument: Uppföljning av Medborgarlöfte 2023",
    ):
        assert re.search(expected, text), expected
    assert "Undertecknat" not in text  # the source gives no signing date for 2023
    assert "python -m" not in text and "schemalagda hämtningen" in text  # the reader's words, not a command
    headings = [
        "Medborgarlöftet",
        "1. Ungdomsproblematik",
        "Brott och insatser år för år",
        "2. Trafiksäkerhet samt trafikrelaterad brottslighet",
        "Sammanfattning av status",
        "Anmälda brott",
        "Senaste året per brottstyp",
        "Diagram: anmälda brott per år",
        "Händelser 1 jan – 31 dec 2023",
        "Källor och datum",
    ]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)


@needs_pdftotext
def test_follow_up_table_statuses_and_comments(kungsor_2023: tuple[bytes, str]) -> None:
    _, text = kungsor_2023
    row = line_with(text, "Ordinarie trafikkontroller")
    assert re.search(r"\b63\b", row) and "uppnått" in row  # a finished year: judged on 31 Dec, as on the page
    speed_checks = line_with(text, "Återkommande fartkontroller")
    assert re.search(r"löpande\s+0\s+0\s+0\s+utan\s+utan\s+genomfört,", speed_checks)  # no invented 0
    header = line_with(text, "Åtagande")
    for column in ("Ansvar", "Mål", "T1", "T2", "T3", "Ej", "Totalt", "Status"):
        assert column in header
    assert all(word in text for word in ("uppnått", "genomfört, antal saknas"))
    assert "Orsaksanalys: Källan anger ingen orsaksanalys." in text
    summary = "uppnått 8, på väg 0, genomfört, antal saknas 3, efter plan 0, ej påbörjad 0, ingen uppgift 0 av 11"
    assert summary in " ".join(text.split())
    assert "Inga kommentarer är skrivna för T1–T3." in text


@needs_pdftotext
def test_without_kolada_the_crime_section_falls_back_to_bra_and_says_so(kungsor_2023: tuple[bytes, str]) -> None:
    _, text = kungsor_2023
    flat = " ".join(text.split())
    assert "Senaste året per brottstyp: 2022 jämfört med 2021" in text
    assert "Koladas nyckeltal för Kungsör finns inte i databasen (Kolada aldrig hämtad)" in flat
    assert "Databasen har inga siffror för 2023; det senaste året med siffror är 2022." in flat
    assert "Våldsbrott (2016)" in flat  # the 2016 fallback only where nothing newer exists, and said
    total = line_with(text, "Totalt antal brott    ")
    assert all(part in total for part in ("2022", "638", "743", "\u2212105", "\u221214 %", "tydlig minskning"))
    assert "Poisson-z" in text
    assert "≈" not in text.split("Anmälda brott\n")[1].split("Händelser")[0]  # no estimated counts without Kolada
    assert "saknas" in text  # 2017 and 2018 are gaps in the bar chart, not zeros
    assert "Inte hämtade: inga antal beräknade ur Kolada" in flat


@needs_pdftotext
def test_events_sources_and_page_furniture(kungsor_2023: tuple[bytes, str], seeded_file: Path) -> None:
    _, text = kungsor_2023
    loaded = formats.day(Store.open(f"sqlite:///{seeded_file}").dataset("bra")["loaded_at"])  # the day it was seeded
    assert "pressmeddelanden" in text and "inte statistik" in text
    assert "9 händelser under perioden" in text
    assert "Vanligaste kategorierna" in text and "Trafikolycka" in text
    assert re.search(r"(Måndag|Tisdag|Onsdag|Torsdag|Fredag|Lördag|Söndag) kl\. \d\d–\d\d: \d+ händelse", text)
    for source in ("Källa: Brå", "Källa: Polisen", "Källa: Uppföljning av Medborgarlöfte 2023"):
        assert source in text
    assert " ".join(text.split()).count(f"Inläst {loaded}") == 3  # Brå, Polisen and the promise's document
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) >= 3
    assert all(f"Sida {n} av {len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert "Kungsör (1960) · Medborgarlöfte 2023" not in pages[0]
    assert all("Kungsör (1960) · Medborgarlöfte 2023" in page for page in pages[1:])


@needs_pdftotext
def test_katrineholm_2019_tertial_2(db: Store) -> None:
    text = pdf_text(report.build_report(db, kommun_code="0483", year=2019, tertial=2, today=TODAY))
    assert "Uppföljning av medborgarlöfte 2019, tertial 2" in text
    assert "1 jan – 31 aug 2019" in text
    assert "minst 2 tillfällen" in text and "exakt 2 tillsyner" in text
    assert "Uppföljning: 3 gånger per år" in text
    assert "Kommentarer T1–T2" in text
    # T3 has not begun by 31 aug: its column shows a dash, not a zero.
    assert re.search(r"minst 2 tillfällen\s+0\s+0\s+–", line_with(text, "minst 2 tillfällen"))
    assert "Inga händelser är registrerade för Katrineholm under perioden" in text


@needs_pdftotext
def test_a_running_tertial_ends_today(db: Store) -> None:
    text = pdf_text(report.build_report(db, kommun_code="1960", year=2024, tertial=2, today=date(2024, 6, 10)))
    assert "1 jan – 10 jun 2024 (tertialet pågår" in text
    assert re.search(r"Status bedömd\s+10 jun 2024", text)
    assert "Framtagen 10 jun 2024" in text


@needs_pdftotext
def test_added_activity_and_comments_appear_up_to_the_tertial(db: Store) -> None:
    target = commitment_id(db, "1960", 2023, "Återkommande fartkontroller")
    editing.log_activity(db, EDITOR, commitment_id=target, on=date(2023, 3, 5), count=417, place="Kungsgatan")
    editing.log_activity(db, EDITOR, commitment_id=target, on=date(2023, 10, 2), count=29)
    editing.set_comment(db, EDITOR, commitment_id=target, tertial=1, text=f"{HOSTILE} Fartkontroll vid Kungsgatan")
    editing.set_comment(db, EDITOR, commitment_id=target, tertial=3, text="Kommentar om hösten")

    pdf = report.build_report(db, kommun_code="1960", year=2023, tertial=2, today=TODAY)
    text = pdf_text(pdf)
    row = line_with(text, "Återkommande fartkontroller")
    assert re.search(r"\b417\b", row) and not re.search(r"\b446\b", row)  # the October activity is after T2
    assert "Fartkontroll vid Kungsgatan" in text and "Anna Åberg" in text
    assert HOSTILE in pdf_text(pdf, layout=False).replace("\n", " ")  # printed as it was typed, not as markup
    assert "Kommentar om hösten" not in text  # a T3 comment is not part of a T2 report

    text = pdf_text(report.build_report(db, kommun_code="1960", year=2023, tertial=3, today=TODAY))
    assert re.search(r"\b446\b", line_with(text, "Återkommande fartkontroller"))
    assert "Kommentar om hösten" in text


@needs_pdftotext
def test_own_reports_are_counted_with_their_places(db: Store) -> None:
    for hour in (22, 23):
        editing.add_incident(
            db,
            EDITOR,
            kommun_code="1960",
            occurred_at=datetime(2023, 5, 6, hour, 15),
            category="Skadegörelse",
            place="Stora torget",
            description=HOSTILE,
        )
    text = pdf_text(report.build_report(db, kommun_code="1960", year=2023, tertial=2, today=TODAY))
    assert re.search(r"\d+ händelser under perioden \(\d+ polisens händelser, 2 egna rapporter\)", text)
    assert "Platser med flest händelser" in text
    assert re.search(r"Stora torget\s+2\s+Skadegörelse", text)
    assert "Lördag kl. 21–24: 2 händelser" in text


@needs_pdftotext
def test_monthly_figures_stop_at_the_end_of_the_period(db: Store) -> None:
    db.add_promise(Promise("1960", 2016, "Löfte 2016", focus_areas=(FocusArea("Trygghet i centrum"),)))
    text = pdf_text(report.build_report(db, kommun_code="1960", year=2016, tertial=2, today=TODAY))
    assert "Per brottstyp: jan–aug 2016 jämfört med samma period 2015" in text  # the report year's own months
    assert "Senaste året per brottstyp: 2022 jämfört med 2021" in text  # and the latest year there is
    assert "Inga åtaganden är registrerade för fokusområdet." in text


# -- errors --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kommun_code", "year", "tertial", "message"),
    [
        ("9999", 2023, 3, "Okänd kommunkod '9999'"),
        ("0019", 2023, 3, "Okänd kommunkod '0019'"),  # a län, not a kommun
        ("1960", 2023, 4, "Tertial måste vara 1, 2 eller 3, inte 4."),
        ("1960", 2023, 0, "Tertial måste vara 1, 2 eller 3, inte 0."),
        ("1960", 2022, 1, "Det finns inget medborgarlöfte för Kungsör 2022."),
        ("1960", "2023", 1, "Året måste vara ett årtal"),
    ],
)
def test_refused_choices_raise_swedish_input_errors(
    db: Store, kommun_code: str, year: int, tertial: int, message: str
) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        report.build_report(db, kommun_code=kommun_code, year=year, tertial=tertial, today=TODAY)


def test_a_year_that_has_not_begun_is_refused(db: Store) -> None:
    with pytest.raises(InputError, match="Året 2024 har inte börjat"):
        report.build_report(db, kommun_code="1960", year=2024, tertial=1, today=date(2023, 12, 20))


# -- fonts ---------------------------------------------------------------------------------------------------------


@needs_pdftotext
def test_unicode_text_comes_back_as_written(db: Store) -> None:
    target = commitment_id(db, "1960", 2023, "Ordinarie trafikkontroller")
    written = "Över ≥ 60 km/h – “bra” … −12 ≈ 3 łódź Åäö"
    editing.set_comment(db, EDITOR, commitment_id=target, tertial=2, text=f"{written} 中文 slut")
    pdf = report.build_report(db, kommun_code="1960", year=2023, tertial=3, today=TODAY)
    text = " ".join(pdf_text(pdf, layout=False).split())
    assert written in text
    assert f"{written} ?? slut" in text  # characters DejaVu Sans lacks (CJK) print as "?", never crash the report
    for char in ("−", "≈", "…", "ł", "Åäö"):
        assert char in text


def test_the_shipped_dejavu_fonts_are_embedded(kungsor_2023: tuple[bytes, str]) -> None:
    regular, bold = report.font_files()
    assert regular.parent == Path(report.__file__).parent / "fonts"
    assert regular.is_file() and bold.is_file()
    assert "Bitstream Vera" in (regular.parent / "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert b"DejaVuSans" in kungsor_2023[0] and b"Helvetica" not in kungsor_2023[0]


# -- long text and tables ------------------------------------------------------------------------------------------


@needs_pdftotext
def test_a_very_long_commitment_wraps_and_keeps_every_word(db: Store) -> None:
    words = [f"ord{n:03d}" for n in range(1, 400)]
    long_text = " ".join(words)[:1990].rsplit(" ", 1)[0] + " slutordet"
    words = long_text.split()
    assert len(long_text) >= 1980
    commitments = (
        Commitment(long_text, "Kommunen", "minst", 3, "möten"),
        Commitment("Kort åtagande", "Polisen", "exakt", 2, "tillsyner"),
    )
    area = FocusArea("Långa texter", commitments=commitments)
    db.add_promise(Promise("1960", 2022, "Löfte 2022", focus_areas=(area,)))
    pdf = report.build_report(db, kommun_code="1960", year=2022, tertial=1, today=TODAY)
    text = pdf_text(pdf)
    tokens = set(text.split())
    assert set(words) <= tokens and "slutordet" in tokens
    assert "(forts.)" in text  # taller than a page: continued, never cut off
    pages = text.split("\f")
    spanned = [page for page in pages if "ord" in page and "Åtagande" in page]
    assert len(spanned) >= 2 and all(line_with(page, "Åtagande").split()[0] == "Ansvar" for page in spanned)
    assert "exakt 2 tillsyner" in text


@needs_pdftotext
def test_tables_repeat_the_header_and_keep_rows_whole(db: Store) -> None:
    scope = report_data.report_scope(db, kommun_code="1960", year=2023, tertial=3, today=TODAY)
    pdf = report.ReportPDF(scope)
    pdf.add_page()
    columns = [report.Column("Kolumn A", 60), report.Column("Kolumn B", 120)]
    rows = [[f"rad{n:02d}", f"rad{n:02d}-ett\nrad{n:02d}-två\nrad{n:02d}-tre\nrad{n:02d}-fyra"] for n in range(60)]
    pdf.bordered_table(columns, rows)
    pages = [page for page in pdf_text(bytes(pdf.output())).split("\f") if page.strip()]
    assert len(pages) >= 3
    assert all("Kolumn A" in page and "Kolumn B" in page for page in pages)
    for n in range(60):
        holding = [i for i, page in enumerate(pages) if f"rad{n:02d}-" in page]
        assert len(holding) == 1, f"row {n} is split across pages {holding}"
        assert all(f"rad{n:02d}-{part}" in pages[holding[0]] for part in ("ett", "två", "tre", "fyra"))


# -- current figures from Kolada -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def refreshed_file(seeded_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default data after a refresh from the fake Kolada (invented values through LATEST_FAKE_YEAR)."""
    path = tmp_path_factory.mktemp("report-kolada") / "db.sqlite3"
    copy_database(seeded_file, path)
    store = Store.open(f"sqlite:///{path}")
    with serve_fake_kolada() as fake:
        refresh.refresh_kolada(
            store, client=KoladaClient(base_url=fake.kolada_url), kommun_codes=["1960", "0483"], editor=OPERATOR
        )
    return path


@pytest.fixture(scope="module")
def kungsor_2023_kolada(refreshed_file: Path) -> str:
    store = Store.open(f"sqlite:///{refreshed_file}")
    return pdf_text(report.build_report(store, kommun_code="1960", year=2023, tertial=3, today=TODAY))


def estimated_count(kpi: str, year: int) -> str:
    people = invented_value(POPULATION_KPI, "1960", year)
    return formats.number(round(invented_value(kpi, "1960", year) * people / 100_000))


@needs_pdftotext
def test_with_kolada_the_latest_fake_year_is_compared_with_the_year_before(kungsor_2023_kolada: str) -> None:
    text, latest = kungsor_2023_kolada, LATEST_FAKE_YEAR
    assert f"Senaste året per brottstyp: {latest} jämfört med {latest - 1}" in text
    crime = text[text.index("Senaste året per brottstyp") : text.index("Diagram: anmälda brott")]
    for label, kpi in (("Våldsbrott", "N07403"), ("Skadegörelsebrott", "U07452"), ("Trafikbrott", "N07548")):
        row = line_with(crime, f"{label}   ")  # the focus areas' linked crime types
        now, before = estimated_count(kpi, latest), estimated_count(kpi, latest - 1)
        assert re.search(rf"{label}\s+{latest}\s+≈ {now}\s+≈ {before}\s", row), row
        assert "beräknat ur Kolada" in row
    flat = " ".join(crime.split())
    assert "ungefärlig" in flat and "Koladas nyckeltal för Kungsör finns inte" not in flat
    assert "Databasen har inga siffror för 2023" not in flat


@needs_pdftotext
def test_each_focus_area_shows_crime_and_effort_year_by_year(kungsor_2023_kolada: str) -> None:
    text = kungsor_2023_kolada
    youth = text[text.index("1. Ungdomsproblematik") : text.index("2. Trafiksäkerhet")]
    years = line_with(youth, "   2016   ")
    assert all(str(y) in years for y in range(2016, LATEST_FAKE_YEAR + 1))
    assert "detta" in youth and "löfte" in youth  # 2023 and the 2020 and 2021 promises are marked
    vald = line_with(youth, "Våldsbrott   ")
    assert f"≈ {estimated_count('N07403', LATEST_FAKE_YEAR)}" in vald
    assert "ny källa" in youth  # Brå 2016, then Kolada from 2017: the switch is marked
    activities = line_with(youth, "Aktiviteter (antal)")
    assert re.search(r"\b82\s", activities)  # the 2023 activities with a stated count
    assert "Kolada (N07403, U07452; antal beräknat ur Kolada)" in " ".join(youth.split())


@needs_pdftotext
def test_a_focus_area_without_commitments_still_gets_its_timeline(refreshed_file: Path) -> None:
    store = Store.open(f"sqlite:///{refreshed_file}")
    text = pdf_text(report.build_report(store, kommun_code="1960", year=2024, tertial=3, today=TODAY))
    fraud = text[text.index("Brottsförebyggande arbete mot bedrägeribrott") :]
    fraud = fraud[fraud.index("Inga åtaganden är registrerade") : fraud.index("3. Narkotikabruk")]
    assert "Brott och insatser år för år" in fraud
    assert f"≈ {estimated_count('N07538', LATEST_FAKE_YEAR)}" in line_with(fraud, "Bedrägeri- och ekobrott   ")


@needs_pdftotext
def test_sources_name_a_date_for_each_source(refreshed_file: Path, kungsor_2023_kolada: str) -> None:
    store = Store.open(f"sqlite:///{refreshed_file}")
    sources = " ".join(kungsor_2023_kolada[kungsor_2023_kolada.index("Källor och datum") :].split())
    day = {name: formats.day(store.dataset(name)["loaded_at"]) for name in ("bra", "kolada", "polisen")}
    assert "Källa: Brå (Brottsförebyggande rådet), anmälda brott. Datamängd: Brå" in sources
    assert f"Inläst {day['bra']}" in sources
    assert f"Datamängd: Kolada, 5 områden, t.o.m. {LATEST_FAKE_YEAR}. Hämtad {day['kolada']}." in sources
    assert "Antal beräknat ur Kolada i rapporten: N0" in sources
    assert "Källa: Polisen, händelser (polisen.se). Datamängd: Polisen" in sources
    assert "Källa: Uppföljning av Medborgarlöfte 2023" in sources


@needs_pdftotext
def test_katrineholm_2019_with_kolada(refreshed_file: Path) -> None:
    store = Store.open(f"sqlite:///{refreshed_file}")
    text = pdf_text(report.build_report(store, kommun_code="0483", year=2019, tertial=2, today=TODAY))
    assert f"Senaste året per brottstyp: {LATEST_FAKE_YEAR} jämfört med {LATEST_FAKE_YEAR - 1}" in text
    area = text[text.index("Droger, vapen och unga") :]
    assert "Narkotikabrott" in area and "Brott och insatser år för år" in area


@needs_pdftotext
def test_an_editors_note_on_the_charts_is_a_numbered_footnote_in_the_report(db: Store) -> None:
    editing.add_annotation(db, EDITOR, kommun_code="1960", day=date(2023, 3, 14), text="Hundsök på Kung Karls skola")
    editing.add_annotation(db, EDITOR, kommun_code="1960", day=date(2020, 5, 1), text="För gammal för rapporten")
    editing.add_annotation(db, EDITOR, kommun_code="1960", day=date(2023, 6, 1), text="Fältgrupp <b>x</b> & <i>")
    text = " ".join(pdf_text(report.build_report(db, kommun_code="1960", year=2023, tertial=3, today=TODAY)).split())
    assert "Noteringar till diagrammen" in text
    assert "1. 14 mar 2023: Hundsök på Kung Karls skola" in text
    assert "2. 1 jun 2023: Fältgrupp <b>x</b> & <i>" in text  # text, never markup
    assert "För gammal" not in text  # only the report's years
