"""Command line (core): ``python -m lofte_data <command>``; safe to run from cron."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from lofte_data import access, backup, formats, importing, lagesbild_document, refresh, report, snapshot
from lofte_data.cli_text import SwedishArgumentParser, looks_binary, os_error_text, safe_text
from lofte_data.errors import LofteError
from lofte_data.seed import seed_defaults
from lofte_data.storage import Store


def build_parser() -> argparse.ArgumentParser:
    parser = SwedishArgumentParser(
        prog="python -m lofte_data",
        description="Medborgarlöften och lägesbild: data",
        epilog="Slutkoder: 0 klart, 1 någon källa misslyckades (refresh all), 2 fel (meddelandet säger vad).",
    )
    commands = parser.add_subparsers(dest="command", required=True, title="kommandon", metavar="KOMMANDO")
    commands.add_parser("init-db", help="skapa eller uppgradera databasen och läs in standarddata")
    bra = commands.add_parser("import-bra", help="läs in en export från Brås statistikdatabas")
    bra.add_argument("file", type=Path, metavar="FIL", help="Databasfil.txt eller CSV från Brå")
    bra.add_argument("--year", type=int, metavar="ÅR", help="året för en årsfil utan år i filnamnet")
    pol = commands.add_parser("import-polisen", help="läs in ett sparat svar eller arkiv från Polisens händelse-API")
    pol.add_argument("file", type=Path, metavar="FIL", help="JSON i formatet från Polisens API")
    ref = commands.add_parser(
        "refresh",
        help="hämta öppna data (kolada, polisen, eller all = alla i tur och ordning)",
        description="Hämta öppna data. 'all' kör Kolada och sedan Polisen, fortsätter om en källa misslyckas "
        "och skriver en rad per källa; säkert att köra från cron eller en systemd-timer.",
        epilog="Slutkoder: 0 alla källor klara, 1 någon källa misslyckades (de tidigare värdena finns kvar), "
        "2 fel innan hämtningen (t.ex. databasen).",
    )
    ref.add_argument("source", choices=["kolada", "polisen", "all"], metavar="KÄLLA", help="kolada, polisen eller all")
    ref.add_argument(
        "--kommun",
        action="append",
        metavar="KOD",
        help="bara Kolada: kommunkod (kan upprepas); standard: alla kommuner, län och riket",
    )
    rep = commands.add_parser("report", help="skriv tertialrapporten som PDF")
    rep.add_argument("--kommun", required=True, metavar="KOD", help="kommunkod, t.ex. 1960")
    rep.add_argument("--ar", type=int, required=True, metavar="ÅR", help="löftets år, t.ex. 2023")
    rep.add_argument("--tertial", type=int, required=True, choices=[1, 2, 3], help="1, 2 eller 3")
    rep.add_argument("-o", "--output", type=Path, required=True, metavar="FIL", help="PDF-filen som skrivs")
    doc = commands.add_parser("lagesbild", help="skriv lägesbild och åtgärdsplan (Lag 2023:196) som PDF eller Word")
    doc.add_argument("--kommun", required=True, metavar="KOD", help="kommunkod, t.ex. 1960")
    doc.add_argument("--ar", required=True, metavar="ÅR", help="åtgärdsplanens år, t.ex. 2025")
    doc.add_argument("-o", "--output", type=Path, required=True, metavar="FIL", help="filnamn på .pdf eller .docx")
    back = commands.add_parser("backup", help="skriv en säkerhetskopia av hela databasen (JSON)")
    back.add_argument("-o", "--output", type=Path, required=True, metavar="FIL", help="filen som skrivs")
    res = commands.add_parser("restore", help="ersätt hela databasens innehåll med en säkerhetskopia")
    res.add_argument("file", type=Path, metavar="FIL", help="en säkerhetskopia från backup")
    commands.add_parser("hash-password", help="skapa en lösenordshash för secrets.toml (frågar efter lösenordet)")
    snap = commands.add_parser("snapshot", help="skriv om den inbyggda standarddatan från källfiler")
    snap.add_argument("--bra", type=Path, required=True, metavar="FIL", help="Brå-export med alla kommuner")
    snap.add_argument("--polisen", type=Path, required=True, metavar="FIL", help="arkiv från Polisens API")
    return parser


# What the database holds, in the order init-db reports it: (table, singular, plural).
CONTENTS = (
    ("promise", "löfte", "löften"),
    ("crime_stat", "brottssiffra", "brottssiffror"),
    ("incident", "händelse", "händelser"),
    ("source_document", "källdokument", "källdokument"),
)
# seed_defaults' keys, as words.
ADDED_WORDS = {
    "områden": ("område", "områden (kommuner, län, riket)"),
    "källor": ("källdokument", "källdokument"),
    "brottssiffror": ("brottssiffra", "brottssiffror"),
    "händelser": ("händelse", "händelser"),
    "löften": ("löfte", "löften"),
}


def init_db_report(store: Store, added: dict[str, int]) -> str:
    """What the database holds now and what this start added, in plain Swedish lines."""
    held = [formats.count(len(store.kommuner()), "kommun", "kommuner")]
    held += [formats.count(store.count(table), one, many) for table, one, many in CONTENTS]
    new = [formats.count(n, *ADDED_WORDS.get(what, (what, what))) for what, n in added.items() if n]
    return "\n".join(
        [
            f"Databasen är klar (schemaversion {store.schema_version()}).",
            f"Databasen innehåller {', '.join(held)}.",
            f"Inläst nu: {', '.join(new)}." if new else "Inläst nu: inget nytt, standarddatan fanns redan.",
        ]
    )


def run(args: argparse.Namespace, store: Store, *, added: dict[str, int]) -> str:
    if args.command == "init-db":
        return init_db_report(store, added)
    if args.command == "import-bra":
        result = importing.import_bra(
            store, _read(args.file), filename=args.file.name, year=args.year, editor=access.OPERATOR
        )
        return f"Brå-filen är inläst: {result.summary()}"
    if args.command == "import-polisen":
        counts = refresh.import_polisen_archive(
            store, _read(args.file), editor=access.OPERATOR, filename=args.file.name
        )
        return f"Polisens händelser är inlästa: {importing.incidents_summary(counts)}."
    if args.command == "refresh" and args.source == "kolada":
        return f"Kolada: {refresh.refresh_kolada(store, kommun_codes=args.kommun, editor=access.OPERATOR).summary()}."
    if args.command == "refresh":
        return f"Polisen: {refresh.polisen_summary(refresh.refresh_polisen(store, editor=access.OPERATOR))}"
    if args.command == "backup":
        data = backup.backup(store)
        _write(args.output, data)
        return (
            f"Säkerhetskopian är skriven till {args.output} ({len(data) // 1024} kB, schema {store.schema_version()})."
        )
    if args.command == "restore":
        restored = backup.restore(store, _read(args.file))
        return f"Databasen är återställd från {args.file}: {sum(restored.values())} rader i {len(restored)} tabeller."
    if args.command == "report":
        pdf = report.build_report(store, kommun_code=args.kommun, year=args.ar, tertial=args.tertial)
        _write(args.output, pdf)
        return f"Rapporten är skriven till {args.output} ({len(pdf) // 1024} kB)."
    if args.command == "lagesbild":
        return _write_lagesbild(store, args.kommun, args.ar, args.output)
    return snapshot.write_default_data(args.bra, args.polisen)


def _write_lagesbild(store: Store, kommun: str, year: str, output: Path) -> str:
    """The document in the format the file name asks for (.pdf or .docx)."""
    suffix = lagesbild_document.check_suffix(output.suffix)
    document = lagesbild_document.build_document(store, kommun_code=kommun, year=year)
    _write(output, lagesbild_document.render(document, suffix))
    return f"Lägesbild och åtgärdsplan {document.year} för {document.kommun.name} är skriven till {output}."


def _hash_password() -> int:
    password = getpass.getpass("Lösenord (minst 12 tecken): ")
    try:
        print(access.hash_password(password))
    except LofteError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    return 0


def _read(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LofteError(f"Filen {path} kunde inte läsas: {os_error_text(exc)}.") from exc
    if looks_binary(data):
        raise LofteError(f"Filen {path} är inte en textfil (den innehåller binära data). Välj exportfilen i text.")
    return data


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise LofteError(f"Filen {path} kunde inte skrivas: {os_error_text(exc)}.") from exc


def _refresh_all(store: Store) -> int:
    """One line per source (failures on stderr); 0 when every source succeeded, else 1."""
    outcomes = refresh.refresh_all(store)
    for outcome in outcomes:
        print(safe_text(outcome.line()), file=sys.stdout if outcome.ok else sys.stderr, flush=True)
    return 0 if all(o.ok for o in outcomes) else 1


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "hash-password":
        return _hash_password()
    try:
        store = Store.open()
        added = seed_defaults(store) if args.command not in ("backup", "restore") else {}
        if args.command == "refresh" and args.source == "all":
            return _refresh_all(store)
        print(run(args, store, added=added))
    except LofteError as exc:
        print(f"Fel: {safe_text(str(exc))}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file the command reads or writes itself (snapshot): say which, in Swedish
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"Fel: {safe_text(where)}{os_error_text(exc)}.", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
