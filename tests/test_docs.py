"""README.md stays true: every CLI command, LOFTE_* setting, page address and module is written down."""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

import pytest

from lofte_data.__main__ import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PACKAGE = ROOT / "lofte_data"


def section(title: str) -> str:
    """The README text under ``## title`` up to the next ``## `` heading."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, flags=re.MULTILINE | re.DOTALL)
    assert match, f"README.md has no section '## {title}'"
    return match.group(1)


def cli_commands() -> list[str]:
    (subparsers,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(subparsers.choices)


def settings() -> list[str]:
    found = {name for path in PACKAGE.rglob("*.py") for name in re.findall(r"LOFTE_[A-Z0-9_]+", path.read_text())}
    return sorted(found)


def page_addresses() -> list[str]:
    """The address of each page registered in dashboard.py: ``/`` for the default page, else ``/url_path``."""
    addresses = []
    for node in ast.walk(ast.parse((ROOT / "dashboard.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "Page":
            options = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg in ("url_path", "default")}
            addresses.append("/" if options.get("default") else f"/{options['url_path']}")
    return addresses


def module_files() -> list[Path]:
    return sorted(
        p.relative_to(PACKAGE)
        for p in PACKAGE.rglob("*.py")
        if p.name != "__init__.py" and "data" not in p.relative_to(PACKAGE).parts
    )


def test_the_lists_are_read_from_the_code() -> None:
    assert {"init-db", "report"} <= set(cli_commands())
    assert "LOFTE_DATABASE_URL" in settings()
    assert {"/", "/brottsstatistik", "/historik"} <= set(page_addresses())
    assert Path("storage.py") in module_files() and Path("sources/http.py") in module_files()


@pytest.mark.parametrize("command", cli_commands())
def test_every_cli_command_is_documented(command: str) -> None:
    assert f"python -m lofte_data {command}" in README


@pytest.mark.parametrize("name", settings())
def test_every_setting_is_in_the_settings_table(name: str) -> None:
    assert f"| `{name}` |" in section("Inställningar")


@pytest.mark.parametrize("address", page_addresses())
def test_every_page_address_is_documented(address: str) -> None:
    assert f"`{address}`" in section("Sidor")


@pytest.mark.parametrize("module", module_files(), ids=str)
def test_the_architecture_names_every_module(module: Path) -> None:
    """A top-level module by its file name; a subpackage's module on a line that names the folder."""
    block = section("Arkitektur")
    if len(module.parts) == 1:
        assert re.search(rf"(?<![\w/]){re.escape(module.name)}\b", block), module
    else:
        folder = f"{module.parent.as_posix()}/"
        lines = [line for line in block.splitlines() if folder in line]
        assert any(re.search(rf"\b{re.escape(module.name)}\b", line) for line in lines), module
