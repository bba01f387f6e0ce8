"""The command line: import, refresh without network, and Swedish errors with exit code 2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lofte_data.__main__ import main
from lofte_data.cli_text import safe_text, translate_argparse
from lofte_data.storage import Store

ENGLISH = re.compile(r"usage|options|error|required|invalid|choose|arguments|expected|help message|positional", re.I)


def test_init_db_creates_and_seeds(db_url: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["init-db"]) == 0
    out = capsys.readouterr().out
    assert "Databasen är klar" in out
    assert "Databasen innehåller 290 kommuner, 6 löften, " in out
    assert re.search(r"Inläst nu: \d+ områden \(kommuner, län, riket\), 6 källdokument, [\d\xa0]+ brottssiffror", out)
    assert "{" not in out and "'" not in out  # words, not a dict
    assert Store.open(db_url).promise("1960", 2023) is not None


def test_init_db_again_says_nothing_was_new(db_url: str, capsys: pytest.CaptureFixture) -> None:
    main(["init-db"])
    capsys.readouterr()
    assert main(["init-db"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("Databasen innehåller 290 kommuner, 6 löften, ")
    assert lines[2] == "Inläst nu: inget nytt, standarddatan fanns redan."


def test_import_bra_reports_what_it_did(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    file = tmp_path / "Databasfil.txt"
    file.write_bytes(
        "Region;Brott;År;Period;Antal;/100 000 inv\nArboga kommun;Våldsbrott ;2017;Jan;5;37;\n".encode("latin-1")
    )
    assert main(["import-bra", str(file)]) == 0
    assert "1 nya" in capsys.readouterr().out
    assert main(["import-bra", str(file)]) == 0
    assert "1 oförändrade" in capsys.readouterr().out


def test_bad_file_gives_swedish_error_and_exit_2(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    file = tmp_path / "trasig.txt"
    file.write_text("hej;hopp\n", encoding="utf-8")
    assert main(["import-bra", str(file)]) == 2
    assert capsys.readouterr().err.startswith("Fel: ")


def test_missing_file(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["import-bra", str(tmp_path / "finns-inte.txt")]) == 2
    assert capsys.readouterr().err.strip().endswith("kunde inte läsas: filen finns inte.")


def test_a_directory_is_named_in_swedish(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["import-polisen", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "det är en mapp, inte en fil" in err and "Is a directory" not in err


def test_snapshot_of_a_missing_file_in_swedish(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    missing = str(tmp_path / "saknas.txt")
    assert main(["snapshot", "--bra", missing, "--polisen", missing]) == 2
    assert capsys.readouterr().err.strip() == f"Fel: {missing}: filen finns inte."


def test_report_to_an_unwritable_place(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["report", "--kommun", "1960", "--ar", "2023", "--tertial", "3", "-o", str(tmp_path)]) == 2
    assert "kunde inte skrivas: det är en mapp, inte en fil." in capsys.readouterr().err


def test_a_binary_file_is_refused_without_echoing_it(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    file = tmp_path / "program.bin"
    file.write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00\x1b[31m" + bytes(range(256)))
    assert main(["import-bra", str(file)]) == 2
    err = capsys.readouterr().err
    assert "inte en textfil" in err and "ELF" not in err
    assert err.isprintable() or err.rstrip("\n").isprintable()


def test_control_characters_in_a_text_file_are_not_echoed(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    file = tmp_path / "konstig.txt"
    file.write_bytes(b"Region;Brott\x1b[31m;\x7f\x07x\n")
    assert main(["import-bra", str(file)]) == 2
    err = capsys.readouterr().err.rstrip("\n")
    assert err.isprintable() and "\x1b" not in err
    assert "styrtecknet U+001B" in err and "inget sparades" in err  # named, never echoed


def test_safe_text_shortens_a_long_excerpt() -> None:
    text = safe_text("Okänt filformat: '" + "a" * 500 + "'.")
    assert len(text) < 100 and text.endswith("…'.")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], "fel: dessa argument saknas: KOMMANDO"),
        (["import-bra"], "fel: dessa argument saknas: FIL"),
        (["refresh", "x"], "fel: argumentet KÄLLA: ogiltigt val 'x' (välj bland 'kolada', 'polisen', 'all')"),
        (
            ["report", "--kommun", "1960", "--ar", "x", "--tertial", "1", "-o", "r.pdf"],
            "ogiltigt värde 'x' (ska vara ett heltal)",
        ),
        (["init-db", "--okand"], "fel: okända argument: --okand"),
        (["report", "--kommun"], "fel: argumentet --kommun: ett värde behövs"),
    ],
)
def test_argument_errors_in_swedish(argv: list[str], expected: str, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("användning: python -m lofte_data")
    assert expected in err
    assert not ENGLISH.search(err)


@pytest.mark.parametrize("argv", [["--help"], ["import-bra", "--help"], ["report", "-h"], ["refresh", "--help"]])
def test_help_in_swedish(argv: list[str], capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("användning: ") and "flaggor:" in out and "visa den här hjälpen och avsluta" in out
    assert not ENGLISH.search(out)


def test_unknown_argparse_message_passes_through() -> None:
    assert translate_argparse("something new") == "something new"


def test_report_command_writes_a_pdf(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "rapport.pdf"
    assert main(["report", "--kommun", "1960", "--ar", "2023", "--tertial", "3", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert main(["report", "--kommun", "1960", "--ar", "2022", "--tertial", "1", "-o", str(out)]) == 2
    assert "Det finns inget medborgarlöfte för Kungsör 2022" in capsys.readouterr().err
