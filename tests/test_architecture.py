"""Layering: the core never imports streamlit; pages stay thin and import neither requests nor sqlalchemy."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = [p for p in (ROOT / "lofte_data").rglob("*.py") if "ui" not in p.relative_to(ROOT / "lofte_data").parts[:-1]]
PAGES = sorted((ROOT / "pages").glob("*.py"))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_does_not_import_streamlit() -> None:
    offenders = [p.name for p in CORE if "streamlit" in imported_modules(p)]
    assert CORE and offenders == []


def test_pages_import_neither_requests_nor_sqlalchemy() -> None:
    offenders = [p.name for p in PAGES if imported_modules(p) & {"requests", "sqlalchemy", "psycopg"}]
    assert PAGES and offenders == []


def test_pages_are_short() -> None:
    assert all(len(p.read_text(encoding="utf-8").splitlines()) <= 120 for p in PAGES)


def test_every_page_is_registered_in_the_router() -> None:
    router = (ROOT / "dashboard.py").read_text(encoding="utf-8")
    registered = set(re.findall(r'PAGES / "(\w+\.py)"', router))
    assert registered == {p.name for p in PAGES}


def test_nothing_opens_the_database_at_import_time() -> None:
    import importlib

    for module in ("lofte_data.storage", "lofte_data.seed", "lofte_data.ui.loaders", "lofte_data.ui.mote"):
        importlib.import_module(module)
    assert not (ROOT / "var" / "import-probe").exists()
