"""What the commands do, as functions returning Results. No printing, no exit codes."""

from __future__ import annotations

from pathlib import Path

from policydiff.diffing.align import Comparison, compare
from policydiff.readers.docx import read_docx
from policydiff.results import Result


def diff(old_path: Path, new_path: Path) -> Result[Comparison]:
    """Read two revisions and compare them clause by clause."""
    old = read_docx(old_path)
    new = read_docx(new_path)
    return Result(compare(old.value, new.value), old.messages + new.messages)
