"""Swedish for the command line (core): argparse's own texts, OS errors, and file content made safe to print."""

from __future__ import annotations

import argparse
import errno
import re
import sys
import unicodedata
from collections.abc import Iterable
from typing import Any, NoReturn

USAGE_PREFIX = "användning: "

# argparse builds its error messages in English from these templates (Python 3.11-3.13); each gets a Swedish twin.
_ARGPARSE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), swedish)
    for pattern, swedish in (
        (r"^the following arguments are required: (.*)$", r"dessa argument saknas: \1"),
        (r"^invalid choice: (.*) \(choose from (.*)\)$", r"ogiltigt val \1 (välj bland \2)"),
        (r"^unrecognized arguments: (.*)$", r"okända argument: \1"),
        (r"^expected one argument$", "ett värde behövs"),
        (r"^expected at least one argument$", "minst ett värde behövs"),
        (r"^expected at most one argument$", "högst ett värde får anges"),
        (r"^ambiguous option: (\S+) could match (.*)$", r"flaggan \1 är tvetydig: den kan betyda \2"),
        (r"^not allowed with argument (.*)$", r"får inte användas tillsammans med \1"),
        (r"^one of the arguments (.*) is required$", r"ett av argumenten \1 behövs"),
        (r"^ignored explicit argument (.*)$", r"värdet \1 används inte"),
    )
)
_INVALID_VALUE = re.compile(r"^invalid (\w+) value: (.*)$")
_TYPE_NAMES = {"int": "ett heltal", "float": "ett tal", "Path": "en sökväg"}
_ARGUMENT_PREFIX = re.compile(r"^argument ([^:]+): (.*)$", re.DOTALL)


def translate_argparse(message: str) -> str:
    """An argparse error message in Swedish; an unknown one is passed on unchanged."""
    prefixed = _ARGUMENT_PREFIX.match(message)
    if prefixed:
        return f"argumentet {prefixed.group(1)}: {translate_argparse(prefixed.group(2))}"
    invalid = _INVALID_VALUE.match(message)
    if invalid:
        kind = _TYPE_NAMES.get(invalid.group(1), invalid.group(1))
        return f"ogiltigt värde {invalid.group(2)} (ska vara {kind})"
    for pattern, swedish in _ARGPARSE_ERRORS:
        if pattern.match(message):
            return pattern.sub(swedish, message)
    return message


class SwedishHelpFormatter(argparse.HelpFormatter):
    """ "användning:" instead of "usage:"."""

    def add_usage(  # argparse's signature
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)


class SwedishArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help, headings and errors are Swedish; sub-parsers inherit it."""

    def __init__(self, *args: Any, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", SwedishHelpFormatter)
        kwargs["add_help"] = False  # our own -h with a Swedish text below
        super().__init__(*args, **kwargs)
        self._positionals.title = "argument"
        self._optionals.title = "flaggor"
        if add_help:
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS, help="visa den här hjälpen och avsluta"
            )

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fel: {safe_text(translate_argparse(message))}\n")


_OS_ERRORS = {
    errno.ENOENT: "filen finns inte",
    errno.EISDIR: "det är en mapp, inte en fil",
    errno.ENOTDIR: "en del av sökvägen är inte en mapp",
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "åtgärden är inte tillåten",
    errno.ENOSPC: "disken är full",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.ENAMETOOLONG: "namnet är för långt",
    errno.EEXIST: "filen finns redan",
    errno.EIO: "läs- eller skrivfel på disken",
}


def os_error_text(exc: OSError) -> str:
    """What went wrong with a file, in Swedish (the OS's own wording is English)."""
    if exc.errno is None:
        return "okänt systemfel"
    return _OS_ERRORS.get(exc.errno, f"systemfel nummer {exc.errno}")


_QUOTED = re.compile(r"'([^']*)'")
EXCERPT_LIMIT = 60


def _printable(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] != "C" and category not in ("Zl", "Zp")


def safe_text(message: str) -> str:
    """A message safe for a terminal: a quoted excerpt of a file that holds control or binary characters is
    left out, a long one is shortened, and any other control character becomes a space."""

    def excerpt(match: re.Match[str]) -> str:
        text = match.group(1)
        if not all(_printable(c) for c in text):
            return "(innehållet är inte läsbar text och visas inte)"
        return f"'{text[: EXCERPT_LIMIT - 1]}…'" if len(text) > EXCERPT_LIMIT else match.group(0)

    cleaned = _QUOTED.sub(excerpt, message)
    return "".join(c if _printable(c) or c == "\n" else " " for c in cleaned)


def looks_binary(data: bytes) -> bool:
    """A NUL byte near the start: a program, an image or an archive, not a text export."""
    return b"\x00" in data[:4096]
