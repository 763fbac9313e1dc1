"""Each outside library is imported in the one place that wraps it (issue #17), so that a
change of library, or of how it is used, touches one module: read from every module's own
import statements (at any depth: lazy imports inside functions count too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "policydiff"
# library -> where it may be imported (a module, or a package folder ending in "/")
ALLOWED = {
    "docx": {"redlining/rebuilt.py"},  # python-docx: the redline rebuilt from stored text
    "lxml": {"readers/", "redlining/"},  # the Word format's edges: reading it, writing it
    "git": {"store.py"},  # GitPython
    "jinja2": {"render.py"},
    "typer": {"cli.py"},
    "click": {"cli.py"},
    "rich": {"terminal.py"},
    "rapidfuzz": {"similarity.py"},
    "diff_match_patch": {"diffing/inline.py"},
    "re2": {"rules/patterns.py"},  # google-re2: rule files' patterns
}


def imports(path: Path) -> set[str]:
    """The top-level names of every module `path` imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("library", sorted(ALLOWED))
def test_each_library_is_imported_only_where_it_is_wrapped(library: str) -> None:
    allowed = ALLOWED[library]
    wrong = [
        str(path.relative_to(PACKAGE))
        for path in MODULES
        if library in imports(path)
        and not any(
            str(path.relative_to(PACKAGE)).startswith(place)
            if place.endswith("/")
            else str(path.relative_to(PACKAGE)) == place
            for place in allowed
        )
    ]
    assert wrong == [], f"{library} is imported outside {sorted(allowed)}: {wrong}"


def test_the_guard_sees_every_module_and_every_library_it_names() -> None:
    assert len(MODULES) > 40
    used = set().union(*(imports(p) for p in MODULES))
    assert set(ALLOWED) - {"click"} <= used  # (a guard on a library nobody imports guards nothing)
