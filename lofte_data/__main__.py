"""Command line (core): ``python -m lofte_data <command>``; safe to run from cron."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from lofte_data import access, backup, importing, refresh, report, snapshot
from lofte_data.errors import LofteError
from lofte_data.seed import seed_defaults
from lofte_data.storage import Store


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m lofte_data",
        description="Medborgarlöften och lägesbild: data",
        epilog="Slutkoder: 0 klart, 1 någon källa misslyckades (refresh all), 2 fel (meddelandet säger vad).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("init-db", help="skapa eller uppgradera databasen och läs in standarddata")
    bra = commands.add_parser("import-bra", help="läs in en export från Brås statistikdatabas")
    bra.add_argument("file", type=Path)
    bra.add_argument("--year", type=int, help="året för en årsfil utan år i filnamnet")
    pol = commands.add_parser("import-polisen", help="läs in ett sparat svar eller arkiv från Polisens händelse-API")
    pol.add_argument("file", type=Path)
    ref = commands.add_parser(
        "refresh",
        help="hämta öppna data (kolada, polisen, eller all = alla i tur och ordning)",
        description="Hämta öppna data. 'all' kör Kolada och sedan Polisen, fortsätter om en källa misslyckas "
        "och skriver en rad per källa; säkert att köra från cron eller en systemd-timer.",
        epilog="Slutkoder: 0 alla källor klara, 1 någon källa misslyckades (de tidigare värdena finns kvar), "
        "2 fel innan hämtningen (t.ex. databasen).",
    )
    ref.add_argument("source", choices=["kolada", "polisen", "all"])
    ref.add_argument(
        "--kommun",
        action="append",
        help="bara Kolada: kommunkod (kan upprepas); standard: alla kommuner, län och riket",
    )
    rep = commands.add_parser("report", help="skriv tertialrapporten som PDF")
    rep.add_argument("--kommun", required=True, help="kommunkod, t.ex. 1960")
    rep.add_argument("--ar", type=int, required=True)
    rep.add_argument("--tertial", type=int, required=True, choices=[1, 2, 3])
    rep.add_argument("-o", "--output", type=Path, required=True)
    back = commands.add_parser("backup", help="skriv en säkerhetskopia av hela databasen (JSON)")
    back.add_argument("-o", "--output", type=Path, required=True)
    res = commands.add_parser("restore", help="ersätt hela databasens innehåll med en säkerhetskopia")
    res.add_argument("file", type=Path)
    commands.add_parser("hash-password", help="skapa en lösenordshash för secrets.toml (frågar efter lösenordet)")
    snap = commands.add_parser("snapshot", help="skriv om den inbyggda standarddatan från källfiler")
    snap.add_argument("--bra", type=Path, required=True)
    snap.add_argument("--polisen", type=Path, required=True)
    return parser


def run(args: argparse.Namespace, store: Store) -> str:
    if args.command == "init-db":
        return f"Databasen är klar (schema {store.schema_version()}). Standarddata: {seed_defaults(store)}"
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
        args.output.write_bytes(pdf)
        return f"Rapporten är skriven till {args.output} ({len(pdf) // 1024} kB)."
    return snapshot.write_default_data(args.bra, args.polisen)


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
        return path.read_bytes()
    except OSError as exc:
        raise LofteError(f"Filen {path} kunde inte läsas: {exc.strerror}.") from exc


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise LofteError(f"Filen {path} kunde inte skrivas: {exc.strerror}.") from exc


def _refresh_all(store: Store) -> int:
    """One line per source (failures on stderr); 0 when every source succeeded, else 1."""
    outcomes = refresh.refresh_all(store)
    for outcome in outcomes:
        print(outcome.line(), file=sys.stdout if outcome.ok else sys.stderr, flush=True)
    return 0 if all(o.ok for o in outcomes) else 1


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "hash-password":
        return _hash_password()
    try:
        store = Store.open()
        if args.command not in ("backup", "restore"):  # a backup is of what is there; a restore replaces it all
            seed_defaults(store)
        if args.command == "refresh" and args.source == "all":
            return _refresh_all(store)
        print(run(args, store))
    except LofteError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
