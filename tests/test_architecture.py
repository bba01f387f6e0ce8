"""Layering the import contracts cannot see: pages are scripts outside the package, and nothing may open
the database at import time. (Which modules may import streamlit, requests and sqlalchemy is checked
by import-linter: `lint-imports`, configured in pyproject.toml.)"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "pages").glob("*.py"))
SCREENS = [*PAGES, ROOT / "dashboard.py"]
# What a screen may import: the standard library, Streamlit (it is a screen) and lofte_data, nothing else.
SCREEN_IMPORTS = {"streamlit", "lofte_data"}


def imported_modules(source: str) -> set[str]:
    """Top-level names of every module the source imports."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def foreign_imports(source: str) -> set[str]:
    """Imports a screen must not make: anything but the standard library, streamlit and lofte_data."""
    return {name for name in imported_modules(source) if name not in sys.stdlib_module_names | SCREEN_IMPORTS}


def test_screens_import_only_lofte_data_streamlit_and_the_standard_library() -> None:
    offenders = {p.name: foreign_imports(p.read_text(encoding="utf-8")) for p in SCREENS}
    assert PAGES and {name: found for name, found in offenders.items() if found} == {}


@pytest.mark.parametrize("line", ["import requests", "from sqlalchemy import text", "import psycopg", "import pandas"])
def test_the_screen_check_catches_a_foreign_import(line: str) -> None:
    assert foreign_imports(f"from datetime import date\nimport streamlit as st\n{line}\n")


def test_pages_are_short() -> None:
    assert all(len(p.read_text(encoding="utf-8").splitlines()) <= 120 for p in PAGES)


def test_every_page_is_registered_in_the_router() -> None:
    router = (ROOT / "dashboard.py").read_text(encoding="utf-8")
    registered = set(re.findall(r'PAGES / "(\w+\.py)"', router))
    assert registered == {p.name for p in PAGES}


def core_modules() -> list[str]:
    package = ROOT / "lofte_data"
    paths = [p for p in package.rglob("*.py") if p.name != "__main__.py" and "data" not in p.relative_to(package).parts]
    return sorted(".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__") for p in paths)


def test_importing_every_module_opens_no_database(tmp_path: Path) -> None:
    database = tmp_path / "probe.sqlite3"
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    env = os.environ | {"LOFTE_DATABASE_URL": f"sqlite:///{database}"}
    done = subprocess.run([sys.executable, "-c", code, *core_modules()], cwd=ROOT, env=env, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    assert not database.exists()
