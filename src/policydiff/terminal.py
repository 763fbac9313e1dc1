"""The diff for a person at a terminal (Rich). Reads without colour too: [-gone-] {+new+}."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from policydiff.diffing.align import Change, ChangeKind, ClauseRef, Comparison, SectionKind
from policydiff.diffing.inline import Op
from policydiff.model import Document, Section

if TYPE_CHECKING:
    from policydiff.rules.checks import CheckResult
    from policydiff.rules.load import Profile
    from policydiff.services import Blame
    from policydiff.store import Revision

_HEADINGS = {
    ChangeKind.MODIFIED: "Changed",
    ChangeKind.ADDED: "Added",
    ChangeKind.REMOVED: "Removed",
    ChangeKind.MOVED: "Moved",
    ChangeKind.SPLIT: "Split",
    ChangeKind.MERGED: "Merged",
}


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def summary_line(comparison: Comparison) -> str:
    counts = comparison.counts()
    parts = [
        f"{counts['modified']} changed",
        f"{counts['added']} added",
        f"{counts['removed']} removed",
        f"{counts['moved']} moved",
        f"{counts['split']} split",
        f"{counts['merged']} merged",
    ]
    line = ", ".join(parts) + f"; {_plural(comparison.unchanged, 'clause')} unchanged"
    if comparison.renumbered:
        line += f" ({comparison.renumbered} of them only renumbered)"
    return line + "."


def section_lines(comparison: Comparison) -> list[str]:
    lines = []
    for s in comparison.sections:
        if s.kind is SectionKind.RENAMED:
            lines.append(f'Section renamed: "{s.old or "(untitled opening)"}" is now "{s.new}"')
        elif s.kind is SectionKind.ADDED:
            lines.append(f'Section added: "{s.new}"')
        elif s.kind is SectionKind.REMOVED:
            lines.append(f'Section removed: "{s.old}"')
        elif s.kind is SectionKind.MOVED:
            lines.append(f'Section moved: "{s.new}"')
    return lines


def _where(ref: ClauseRef) -> str:
    return ref.section or "the opening"


def _label(refs: tuple[ClauseRef, ...]) -> str:
    labels = [r.label for r in refs if r.label]
    return f" {', '.join(labels)}" if labels else ""


def _change_text(change: Change) -> Text:
    text = Text()
    heading = _HEADINGS[change.kind]
    if change.moved and change.kind is not ChangeKind.MOVED:
        heading += " and moved"
    text.append(f"  {heading}{_label(change.new or change.old)}: ", style="bold")
    if change.moved and change.old:
        text.append(f"(from {_where(change.old[0])}) ", style="italic")
    if change.kind is ChangeKind.ADDED:
        text.append("{+" + change.new[0].text + "+}", style="green")
    elif change.kind is ChangeKind.REMOVED:
        text.append("[-" + change.old[0].text + "-]", style="red strike")
    elif change.kind is ChangeKind.MOVED:
        text.append(change.new[0].text)
    else:
        for span in change.inline:
            if span.op is Op.EQUAL:
                text.append(span.text)
            elif span.op is Op.INSERT:
                text.append("{+" + span.text + "+}", style="green underline")
            else:
                text.append("[-" + span.text + "-]", style="red strike")
        if change.kind in (ChangeKind.SPLIT, ChangeKind.MERGED):
            text.append(
                f"\n    ({_plural(len(change.old), 'clause')} became "
                f"{_plural(len(change.new), 'clause')})",
                style="italic",
            )
    return text


def print_comparison(comparison: Comparison, file: TextIO | None) -> None:
    console = Console(file=file, highlight=False, soft_wrap=file is not None, emoji=False)
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
    for line in section_lines(comparison):
        console.print(line, markup=False)
    current: str | None | object = object()
    for change in comparison.changes:
        ref = (change.new or change.old)[0]
        section = _where(ref)
        if section != current:
            console.print()
            console.print(Text(section, style="bold underline"))
            current = section
        console.print(_change_text(change))
    if not comparison.changes:
        console.print()
        console.print("No clause changed.", markup=False)


# -- the store ------------------------------------------------------------------------------


def _approval(revision: Revision) -> str:
    return revision.approval.describe() if revision.approval is not None else "not approved"


def print_log(revisions: list[Revision]) -> None:
    console = Console(highlight=False, emoji=False)
    if not revisions:
        console.print("The store holds no revisions yet: add some with 'policydiff ingest'.")
        return
    for slug in dict.fromkeys(r.slug for r in revisions):
        mine = [r for r in revisions if r.slug == slug]
        table = Table(title=f"{mine[0].title or slug} ({slug})", title_justify="left")
        for column in ("Version", "Effective", "Source", "Approval", "Ingested"):
            table.add_column(column)
        for r in mine:
            table.add_row(
                r.version,
                r.effective,
                r.source_name,
                _approval(r),
                r.ingested[:16].replace("T", " "),
            )
        console.print(table)


def _facts(revision: Revision) -> str:
    return f"version {revision.version}, effective {revision.effective}, {_approval(revision)}"


def _labelled(label: str | None, text: str) -> str:
    return f"{label} {text}" if label else text


def document_text(revision: Revision, document: Document) -> str:
    lines = [
        f"{document.title or revision.slug}: {_facts(revision)}",
        f"From {revision.source_name} (SHA-256 {revision.sha256[:12]}...)",
    ]
    for section in document.walk():
        lines.append("")
        if section.title is not None:
            lines.append("  " * max(0, section.level - 1) + _labelled(section.label, section.title))
        for clause in section.clauses:
            lines.append(f"  {_labelled(clause.label or '-', clause.text)}")
    return "\n".join(lines) + "\n"


def document_markdown(revision: Revision, document: Document) -> str:
    lines = [f"# {document.title or revision.slug}", "", f"_{_facts(revision).capitalize()}_"]
    for section in document.walk():
        if section.title is not None:
            hashes = "#" * min(6, section.level + 1)
            lines += ["", f"{hashes} {_labelled(section.label, section.title)}"]
        lines.append("")
        for clause in section.clauses:
            if clause.kind.value == "list item":
                lines.append(f"- {_labelled(clause.label, clause.text)}")
            else:
                lines += [_labelled(clause.label, clause.text), ""]
    return "\n".join(lines).rstrip() + "\n"


def document_json(revision: Revision, document: Document) -> dict[str, Any]:
    def section(s: Section) -> dict[str, Any]:
        return {
            "id": s.id,
            "title": s.title,
            "level": s.level,
            "label": s.label,
            "clauses": [
                {"id": c.id, "label": c.label, "kind": c.kind.value, "text": c.text}
                for c in s.clauses
            ],
            "sections": [section(child) for child in s.children],
        }

    return {
        "schema": "policydiff.document/1",
        "revision": revision.as_json(),
        "title": document.title,
        "metadata": asdict(document.metadata),
        "sections": [section(s) for s in document.sections],
    }


def _when(revision: Revision) -> str:
    return f"version {revision.version} ({revision.source_name}, {revision.effective})"


def print_blame(revision: Revision, rows: list[Blame]) -> None:
    console = Console(highlight=False, emoji=False)
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


def check_text(results: list[CheckResult], profile: Profile) -> str:
    lines: list[str] = []
    for result in results:
        counts = {
            level: sum(1 for f in result.findings if f.severity.value == level)
            for level in ("error", "warning", "info")
        }
        extra = ", ".join(
            _plural(n, level) for level, n in counts.items() if n and level != "error"
        )
        if result.passed:
            verdict = "passed" + (f" ({extra})" if extra else "")
        else:
            verdict = f"FAILED: {_plural(counts['error'], 'error')}" + (
                f", {extra}" if extra else ""
            )
        title = f" ({result.title})" if result.title else ""
        lines.append(f"{result.target}{title}: {verdict}")
        for f in result.findings:
            where = " / ".join(x for x in (f.section, f.label) if x)
            lines.append(
                f"  {f.severity.value:<7} {f.message}" + (f" [in {where}]" if where else "")
            )
            lines.append(f"          rule {f.rule}")
    passed = sum(1 for r in results if r.passed)
    lines.append("")
    lines.append(f"{passed} of {len(results)} passed the '{profile.name}' rules.")
    return "\n".join(lines) + "\n"
