"""The Word redline: the new revision's own document with every change as a tracked change.

`write_redline` reads both files keeping their packages (`read_docx_sources`), compares them,
and marks the changes in a copy of the new document (`redlining.marked`), as Word's Compare
does: Accept All gives the new document, Reject All the old one's text. Where a side has no
Word file (a stored revision kept only as text), the redline is rebuilt from the text instead
(`redlining.rebuilt`), without the document's own formatting, and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from policydiff.diffing.changes import Comparison
from policydiff.model import Document
from policydiff.reporting import Report
from policydiff.results import Level, Message, Result

AUTHOR = "policydiff"


def write_redline(
    old: Path | Document,
    new: Path | Document,
    output: Path,
    build_report: Callable[[Comparison], Report],
    author: str = AUTHOR,
    when: datetime | None = None,
) -> Result[Report]:
    """Compare `old` with `new` and write the redline to `output`.

    `old` and `new` are Word files, or documents without one (a stored revision's model), for
    which the rebuilt redline is written. `build_report` makes the governors' report from the
    comparison (its summary goes in a comment). `author` names every revision; `when`
    (default now, UTC) dates them. Returns the report with the readers' notes and the
    redline's own. Raises ReadError for an unreadable file and PolicydiffError when `output`
    cannot be written.
    """
    from policydiff.diffing.align import compare
    from policydiff.readers.docx import read_docx_sources

    when = when or datetime.now(UTC)
    if isinstance(old, Document) or isinstance(new, Document):
        a = Result(old) if isinstance(old, Document) else _read(old)
        b = Result(new) if isinstance(new, Document) else _read(new)
        comparison = compare(a.value, b.value)
        report = build_report(comparison)
        return _rebuilt(comparison, report, output, author, when, a.messages + b.messages)
    a, old_sources = read_docx_sources(old)
    try:
        b, new_sources = read_docx_sources(new)
    except BaseException:
        old_sources.package.close()
        raise
    try:
        comparison = compare(a.value, b.value)
        report = build_report(comparison)
        from policydiff.redlining.marked import mark_changes

        package, notes = mark_changes(comparison, report, old_sources, new_sources, author, when)
        package.write(output)
    finally:
        old_sources.package.close()
        new_sources.package.close()
    extra = []
    if notes.lists_dropped:
        extra.append(
            f"{notes.lists_dropped} removed list "
            f"{'item is' if notes.lists_dropped == 1 else 'items are'} shown without "
            "their numbers: the new revision no longer has that list"
        )
    if notes.pictures_dropped:
        extra.append(
            f"{notes.pictures_dropped} removed "
            f"{'object is' if notes.pictures_dropped == 1 else 'objects are'} not shown"
        )
    if notes.not_placed:
        extra.append(
            f"{notes.not_placed} removed header or footer "
            f"{'line is' if notes.not_placed == 1 else 'lines are'} not shown"
        )
    messages = a.messages + b.messages
    return Result(
        report,
        messages + tuple(Message(Level.WARNING, "redline", text, output.name) for text in extra),
    )


def _read(path: Path) -> Result[Document]:
    from policydiff.readers.docx import read_docx

    return read_docx(path)


def _rebuilt(
    comparison: Comparison,
    report: Report,
    output: Path,
    author: str,
    when: datetime,
    messages: tuple[Message, ...],
) -> Result[Report]:
    from policydiff.redlining.rebuilt import write_rebuilt

    write_rebuilt(comparison, report, output, author, when)
    note = (
        "The redline was rebuilt from the text, because the original Word file of a stored "
        "revision is not kept: it shows every change, but not the school's own formatting"
    )
    return Result(
        report, messages + (Message(Level.WARNING, "redline-rebuilt", note, output.name),)
    )
