"""The diff for a person at a terminal (Rich). Reads without colour too: [-gone-] {+new+}."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from policydiff.diffing.changes import KINDS, Change, ChangeKind, ClauseRef, Comparison, SectionKind
from policydiff.diffing.inline import Op, Span
from policydiff.model import (
    PAGE_TITLES,
    Clause,
    ClauseKind,
    Document,
    group_tables,
    left_out_sentence,
)
from policydiff.reporting import (
    change_section,
    left_out_sentences,
    section_names,
    sections_became,
    title_changed,
)
from policydiff.reporting import view as report_view
from policydiff.typography import counted

if TYPE_CHECKING:
    from policydiff.rules.checks import CheckResult
    from policydiff.rules.load import Profile
    from policydiff.services import Blame
    from policydiff.status import PolicyStatus
    from policydiff.store import Record, Revision

_PAGE_TITLES = tuple(PAGE_TITLES.values())


# A document's text can hold control characters (an escape, a bell): printed as they are, they
# would drive the reader's terminal. They are shown as Unicode's pictures of them (U+2400-).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def printable(text: str) -> str:
    """`text` with each control character but the tab and new line shown as its picture
    ("\x1b" as "␛")."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(
        lambda m: "\u2421" if m.group() == "\x7f" else chr(0x2400 + ord(m.group())), text
    )


class _Screen:
    """A Rich console that prints a document's text with its control characters shown."""

    def __init__(self, **options: Any) -> None:
        self.console = Console(highlight=False, emoji=False, **options)
        if not self.console.is_terminal and "width" not in options:  # (a table in a file)
            self.console = Console(highlight=False, emoji=False, width=160, **options)
        # Not a terminal (a file, a pipe, an email): lines of text are written as they are,
        # unwrapped and unstyled ([-gone-] {+new+} carry the marks), which is also far quicker
        # than Rich for a diff of thousands of changes; tables still go through Rich.
        self.plain = None if self.console.is_terminal else self.console.file

    def print(self, *objects: Any, **options: Any) -> None:
        if self.plain is not None and all(isinstance(o, str | Text) for o in objects):
            self.plain.write(
                " ".join(printable(o if isinstance(o, str) else o.plain) for o in objects) + "\n"
            )
            return
        self.console.print(*(_shown(o) for o in objects), **options)


def _shown(thing: Any) -> Any:
    if isinstance(thing, str):
        return printable(thing)
    if isinstance(thing, Text):
        return Text(
            printable(thing.plain), style=thing.style, spans=list(thing.spans), end=thing.end
        )
    return thing


def summary_line(comparison: Comparison) -> str:
    counts = comparison.counts()
    order = (ChangeKind.MODIFIED, ChangeKind.ADDED, ChangeKind.REMOVED, ChangeKind.MOVED,
             ChangeKind.SPLIT, ChangeKind.MERGED)  # fmt: skip
    parts = [f"{counts[kind.value]} {KINDS[kind].short}" for kind in order]
    line = ", ".join(parts) + f"; {counted(comparison.unchanged, 'clause')} unchanged"
    if comparison.renumbered == comparison.unchanged == 1:
        line += ", with a new number"
    elif comparison.renumbered:
        line += f", {comparison.renumbered} of them with new numbers"
    return line + "."


def section_lines(comparison: Comparison) -> list[str]:
    lines = []
    for s in comparison.sections:
        if s.kind is SectionKind.RENAMED:
            lines.append(f'Section renamed: "{s.old or "(untitled opening)"}" is now "{s.new}"')
        elif s.kind is SectionKind.ADDED:
            lines.append(
                f'Section added: "{s.new}"' if s.new not in _PAGE_TITLES else f"{s.new} added"
            )
        elif s.kind is SectionKind.REMOVED:
            lines.append(
                f'Section removed: "{s.old}"' if s.old not in _PAGE_TITLES else f"{s.old} removed"
            )
        elif s.kind is SectionKind.MOVED:
            lines.append(f'Section moved: "{s.new}"')
    return lines


def _where(ref: ClauseRef) -> str:
    return ref.section or "the opening"


def _label(refs: tuple[ClauseRef, ...]) -> str:
    labels = [r.label for r in refs if r.label]
    return f" {', '.join(labels)}" if labels else ""


def _marked(text: Text, spans: tuple[Span, ...]) -> None:
    for span in spans:
        if span.op is Op.EQUAL:
            text.append(span.text)
        elif span.op is Op.INSERT:
            text.append("{+" + span.text + "+}", style="green underline")
        else:
            text.append("[-" + span.text + "-]", style="red strike")


def _change_text(change: Change) -> Text:
    """One change as a person reads it: a table row with its cells between bars, a list item
    with its bullet and level, a picture by its description; then its notes."""
    view = report_view(change)
    text = Text()
    heading = KINDS[change.kind].heading
    if change.moved and change.kind is not ChangeKind.MOVED:
        heading += " and moved"
    text.append(f"  {heading}{_label(change.new or change.old)}: ", style="bold")
    if change.moved and change.old:
        text.append(f"(from {_where(change.old[0])}) ", style="italic")
    if view.note:
        text.append(view.note, style="italic")
        if view.shape == "image":  # the note says it all: no empty or repeated description
            return text
        text.append(" ")
    if view.shape == "list item" and change.kind is not ChangeKind.MODIFIED:
        text.append("  " * view.level + ("• " if view.bullet else ""))
    if view.cells:
        text.append("| ")
        for k, cell in enumerate(view.cells):
            if k:
                text.append(" | ")
            _marked(text, cell)
        text.append(" |")
    elif change.kind is ChangeKind.ADDED:
        text.append("{+" + change.new[0].text + "+}", style="green")
    elif change.kind is ChangeKind.REMOVED:
        text.append("[-" + change.old[0].text + "-]", style="red strike")
    elif change.kind is ChangeKind.MOVED:
        text.append(change.new[0].text)
    else:
        _marked(text, change.inline)
        if change.kind in (ChangeKind.SPLIT, ChangeKind.MERGED):
            text.append(
                f"\n    ({counted(len(change.old), 'clause')} became "
                f"{counted(len(change.new), 'clause')})",
                style="italic",
            )
    for note in view.notes:
        text.append(f"\n    {note.heading}: ", style="italic")
        _marked(text, note.spans)
    return text


def print_comparison(comparison: Comparison, file: TextIO | None) -> None:
    console = _Screen(file=file, soft_wrap=file is not None)
    old, new = comparison.old, comparison.new
    title = new.title or old.title or "Policy"
    console.print(Text(f"{title}: what changed", style="bold"))
    console.print(
        f"From {old.source}"
        + (f" (version {old.metadata.version})" if old.metadata.version else ""),
        markup=False,
    )
    console.print(
        f"To   {new.source}"
        + (f" (version {new.metadata.version})" if new.metadata.version else ""),
        markup=False,
    )
    console.print()
    console.print(summary_line(comparison), markup=False)
    title_change = title_changed(comparison)
    if title_change is not None:
        console.print('Title changed: "{}" is now "{}"'.format(*title_change), markup=False)
    for line in section_lines(comparison):
        console.print(line, markup=False)
    names = {"new": section_names(new), "old": section_names(old)}
    became = sections_became(comparison)
    current: tuple[str, str] | None = None
    for change in comparison.changes:
        key = change_section(became, change)
        if key != current:  # (by id: two sections of one title stay two)
            console.print()
            console.print(Text(names[key[0]].get(key[1], "The opening"), style="bold underline"))
            current = key
        console.print(_change_text(change))
    if not comparison.changes:
        console.print()
        console.print("No clause changed.", markup=False)
    for sentence in left_out_sentences(comparison):
        console.print()
        console.print(sentence, markup=False)


# -- the store ------------------------------------------------------------------------------


def _approval(revision: Revision) -> str:
    if revision.withdrawn is not None:
        return f"withdrawn: {revision.withdrawn}"
    if revision.approval is None:
        return "not approved"
    text = revision.approval.describe()
    if revision.approval.despite:
        text += " despite its check"
    if revision.approval.corrected:
        text += f" (corrected: {revision.approval.corrected})"
    return text


def print_log(revisions: list[Revision], records: dict[str, list[Record]] | None = None) -> None:
    """A table per policy, newest first; under it, with `records`, every approval, correction
    and withdrawal as recorded (nothing is erased)."""
    console = _Screen()
    if not revisions:
        console.print("The store holds no revisions yet: add some with 'policydiff add'.")
        return
    for slug in dict.fromkeys(r.slug for r in revisions):
        mine = [r for r in revisions if r.slug == slug]
        table = Table(title=printable(f"{mine[0].title or slug} ({slug})"), title_justify="left")
        for column in ("Version", "Effective", "Source", "Approval", "Why it changed", "Added"):
            table.add_column(column)
        for r in mine:
            table.add_row(
                *map(
                    printable,
                    (
                        r.version,
                        r.effective,
                        r.source_name,
                        _approval(r),
                        r.note or "",
                        r.ingested[:16].replace("T", " "),
                    ),
                )
            )
        console.print(table)
        if records and records.get(slug):
            console.print("Its record, oldest first (nothing is erased):")
            labels = Counter(r.version for r in mine)
            by_commit = {r.commit: r for r in mine}
            for record in records[slug]:
                revision = by_commit.get(record.commit)
                which = ""
                if revision is not None and labels[record.version] > 1:
                    added = revision.ingested[:19].replace("T", " ")
                    gone = ", since withdrawn" if revision.withdrawn else ""
                    which = f" (the one added {added}{gone})"
                console.print(f"  {printable(record.describe(which))}", markup=False)


def print_status(policies: list[PolicyStatus], today: str) -> None:
    """One screen for the clerk: a row per policy; an overdue review in red, one due this term
    in amber (yellow), a failing check in red."""
    from policydiff.status import describe_due

    console = _Screen()
    if not policies:
        console.print("The store holds no policies yet: add some with 'policydiff add'.")
        return
    table = Table(title=f"Policies on {today}", title_justify="left")
    for column in ("Policy", "In force", "Waiting for approval", "Next review", "Check"):
        table.add_column(column)
    for p in policies:
        in_force = (
            f"version {p.in_force.version}, approved {p.in_force.approval.date}"
            if p.in_force is not None and p.in_force.approval is not None
            else "none approved"
        )
        draft = f"version {p.draft.version} ({p.draft.effective})" if p.draft else ""
        review = Text(
            printable(describe_due(p, date.fromisoformat(today))),
            style={"overdue": "bold red", "due this term": "yellow"}.get(p.review, ""),
        )
        checked = (
            Text(f"fails ({counted(len(p.check_errors), 'error')})", style="red")
            if p.check_errors
            else Text("passes")
        )
        table.add_row(
            printable(f"{p.title} ({p.slug})"), in_force, printable(draft), review, checked
        )
    console.print(table)
    for p in policies:
        if p.model_newer is not None and p.model_newer.approval is not None:
            console.print(
                printable(
                    f"{p.title} ({p.slug}) follows {p.model} version {p.model_version}; the "
                    f"model's version {p.model_newer.version} was approved on "
                    f"{p.model_newer.approval.date}: carry it in with 'policydiff update "
                    f"{p.slug} -o FILE.docx'"
                )
            )
    overdue = sum(p.review == "overdue" for p in policies)
    failing = sum(bool(p.check_errors) for p in policies)
    console.print(
        f"{counted(len(policies), 'policy', 'policies')}: {overdue} overdue for review, "
        f"{failing} failing their check."
    )


def _facts(revision: Revision) -> str:
    return f"version {revision.version}, effective {revision.effective}, {_approval(revision)}"


def _labelled(label: str | None, text: str) -> str:
    return f"{label} {text}" if label else text


def _heading_line(document: Document, revision: Revision | None) -> list[str]:
    if revision is None:
        return [f"{document.title or Path(document.source).stem}: as policydiff reads it",
                f"From {document.source}"]  # fmt: skip
    return [
        f"{document.title or revision.slug}: {_facts(revision)}",
        f"From {revision.source_name}, added {revision.ingested[:10]} (its original: "
        f"'policydiff show {revision.slug}@{revision.version} --original -o FILE')",
    ]


def clause_lines(clause: Clause) -> list[str]:
    """A clause as plain text lines: a list item indented by its level with its number or a
    bullet, an image by its description, a text box marked, then the notes it cites."""
    if clause.kind is ClauseKind.LIST_ITEM:
        mark = clause.label or ("•" if clause.bullet else "-")
        line = "  " * (clause.level or 0) + f"{mark} {clause.text}"
    elif clause.kind is ClauseKind.IMAGE:
        line = f"[image: {clause.text}]" if clause.text else "[image with no description]"
    elif clause.kind is ClauseKind.TEXT_BOX:
        line = f"[text box] {_labelled(clause.label, clause.text)}"
    else:
        line = _labelled(clause.label, clause.text)
    if clause.part is not None:
        line += f" ({clause.part})"
    lines = [line] if clause.text or clause.kind is ClauseKind.IMAGE else []
    return lines + [_note_line(note) for note in clause.notes]


def _note_line(note: Clause) -> str:
    return f"    [{note.kind.value} {note.label or '*'}] {note.text}"


def _table_cells(rows: list[Clause]) -> list[list[str]]:
    """Each row's cells, the short rows padded with empty cells to the widest row's count."""
    width = max(len(r.cells) for r in rows)
    return [[*r.cells, *[""] * (width - len(r.cells))] for r in rows]


def _table_lines(rows: list[Clause]) -> list[str]:
    """Rows of a table with their cells in columns ("| a | b |"), as wide as their longest."""
    cells = _table_cells(rows)
    widths = [min(40, max(len(row[k]) for row in cells)) for k in range(len(cells[0]))]
    out = []
    for row, clause in zip(cells, rows, strict=True):
        out.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
        out += [_note_line(n) for n in clause.notes]
    return out


def document_text(revision: Revision | None, document: Document) -> str:
    """How a document reads, section by section: `policydiff show` (a stored revision, or a
    .docx read straight from disk when `revision` is None)."""
    lines = _heading_line(document, revision)
    for section in document.walk():
        lines.append("")
        if section.title is not None:
            lines.append("  " * max(0, section.level - 1) + _labelled(section.label, section.title))
        for item in group_tables(section.clauses):
            if isinstance(item, list):
                lines += ["  " + line for line in _table_lines(item)]
            else:
                lines += ["  " + line for line in clause_lines(item)]
    sentence = left_out_sentence(document.left_out)
    if sentence:
        lines += ["", sentence]
    return printable("\n".join(lines) + "\n")


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def document_markdown(revision: Revision | None, document: Document) -> str:
    """The document as Markdown: headings, paragraphs, lists as lists, tables as tables."""
    heading = _heading_line(document, revision)
    lines = [f"# {document.title or Path(document.source).stem}", "", f"_{heading[0]}_"]
    for section in document.walk():
        if section.title is not None:
            hashes = "#" * min(6, section.level + 1)
            lines += ["", f"{hashes} {_labelled(section.label, section.title)}"]
        lines.append("")
        for item in group_tables(section.clauses):
            if isinstance(item, list):
                for k, cells in enumerate(_table_cells(item)):
                    lines.append("| " + " | ".join(_md(c) for c in cells) + " |")
                    if k == 0:
                        lines.append("|" + " --- |" * len(cells))
                lines.append("")
                continue
            clause = item
            if clause.kind is ClauseKind.LIST_ITEM:
                indent = "  " * (clause.level or 0)
                lines.append(f"{indent}- {_labelled(clause.label, clause.text)}")
            elif clause.kind is ClauseKind.IMAGE:
                lines += [f"_[image: {clause.text or 'no description'}]_", ""]
            elif clause.text:
                lines += [_labelled(clause.label, clause.text), ""]
            for note in clause.notes:
                lines += [f"> {note.kind.value.capitalize()} {note.label or '*'}: {note.text}", ""]
    sentence = left_out_sentence(document.left_out)
    if sentence:
        lines += ["", f"_{sentence}_"]
    return printable("\n".join(lines).rstrip() + "\n")


def _when(revision: Revision) -> str:
    return f"version {revision.version} ({revision.source_name}, {revision.effective})"


def print_blame(revision: Revision, rows: list[Blame]) -> None:
    console = _Screen()
    console.print(f"{revision.ref}: where each clause came from", markup=False)
    current: object = object()
    for row in rows:
        if row.section.title != current:
            console.print()
            console.print(Text(row.section.title or "the opening", style="bold"))
            current = row.section.title
        since = f"since {_when(row.introduced)}"
        if row.changed.commit != row.introduced.commit:
            since += f", changed in {_when(row.changed)}"
        label = f"{row.clause.label} " if row.clause.label else ""
        console.print(f"  [{since}] {label}{row.clause.text}", markup=False)


# -- checks -------------------------------------------------------------------------------


def check_text(results: list[CheckResult], profiles: list[Profile]) -> str:
    """Each policy's verdict, the profile that checked it and why, its findings and the
    sections that satisfied its required-section rules."""
    lines: list[str] = []
    for result in results:
        counts = {
            level: sum(1 for f in result.findings if f.severity.value == level)
            for level in ("error", "warning", "info")
        }
        extra = ", ".join(
            counted(n, level) for level, n in counts.items() if n and level != "error"
        )
        if result.passed:
            verdict = "passed" + (f" ({extra})" if extra else "")
        else:
            verdict = f"FAILED: {counted(counts['error'], 'error')}" + (
                f", {extra}" if extra else ""
            )
        title = f" ({result.title})" if result.title else ""
        lines.append(f"{result.target}{title}: {verdict}")
        chosen = f": {result.chosen_by}" if result.chosen_by else ""
        lines.append(f"  checked by the '{result.profile}' profile{chosen}")
        for f in result.findings:
            where = " / ".join(x for x in (f.section, f.label) if x)
            lines.append(
                f"  {f.severity.value:<7} {f.message}" + (f" [in {where}]" if where else "")
            )
            lines.append(f"          rule {f.rule}")
        for p in result.passes:
            lines.append(f"  passed  {p.message}")
    passed = sum(1 for r in results if r.passed)
    lines.append("")
    rules = f"the '{profiles[0].name}' rules" if len(profiles) == 1 else "the rules of their kind"
    lines.append(f"{passed} of {len(results)} passed {rules}.")
    return printable("\n".join(lines) + "\n")
