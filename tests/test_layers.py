"""The layers hold: bot > library > retrieval, Telegram only in bot, and each layer uses
the one below only through its ``__all__``. (CI also runs import-linter's
contracts from pyproject.toml; these tests say the same thing in pytest.)"""

from __future__ import annotations

import ast
from pathlib import Path

import library
import retrieval
from tests.cli import REPO


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_retrieval_never_imports_telegram_or_the_bot():
    for path in (REPO / "retrieval").rglob("*.py"):
        found = _imports(path) & {"telegram", "bot"}
        assert not found, f"{path.name} imports {found}"
        assert "library" not in _imports(path), path.name


def _retrieval_imports(path: Path) -> list[str]:
    """Names imported from retrieval's submodules (``from retrieval.x import y``)."""
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("retrieval."):
            found.append(node.module or "")
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("retrieval.")]
    return found


def test_bot_and_library_use_retrieval_only_through_its_public_names():
    for layer in ("bot", "library"):
        for path in (REPO / layer).rglob("*.py"):
            # library's CLI wraps retrieval's CLI, an entry point rather than an API.
            deep = [m for m in _retrieval_imports(path) if m != "retrieval.cli"]
            assert not deep, (
                f"{layer}/{path.name} imports {deep}; add the name to retrieval.__all__"
            )
    for path in [*(REPO / "bot").rglob("*.py"), *(REPO / "library").rglob("*.py")]:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "retrieval":
                unknown = {a.name for a in node.names} - set(retrieval.__all__)
                assert not unknown, f"{path.name} imports {unknown}"


def test_library_layer_never_imports_telegram_or_the_bot():
    for path in (REPO / "library").rglob("*.py"):
        assert not _imports(path) & {"telegram", "bot"}, path.name


def test_the_bot_uses_the_library_only_through_its_public_names():
    for path in (REPO / "bot").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("library."):
                raise AssertionError(
                    f"bot/{path.name} imports {node.module}; add the name to library.__all__"
                )
            if isinstance(node, ast.Import):
                deep = [a.name for a in node.names if a.name.startswith("library.")]
                assert not deep, f"bot/{path.name} imports {deep}"
            if isinstance(node, ast.ImportFrom) and node.module == "library":
                unknown = {a.name for a in node.names} - set(library.__all__)
                assert not unknown, f"bot/{path.name} imports {unknown}"
