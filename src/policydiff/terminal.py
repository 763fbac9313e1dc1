"""The diff for a person at a terminal (Rich). Reads without colour too: [-gone-] {+new+}."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.text import Text

from policydiff.diffing.align import Change, ChangeKind, ClauseRef, Comparison, SectionKind
from policydiff.diffing.inline import Op

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
