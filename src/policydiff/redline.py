"""A Word redline: the new revision with every change as a real tracked change.

Word's Review pane lists each change (author "policydiff"); Accept All gives the new revision's
text and Reject All the old one's. The first page holds the governors' summary. Written with
python-docx, going to the XML for w:ins and w:del where python-docx has no API.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from policydiff.diffing.align import ChangeKind, ClauseRef, Comparison, SectionKind, flatten
from policydiff.diffing.inline import Op, Span
from policydiff.report import Report

AUTHOR = "policydiff"
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class _Item:
    """One paragraph of the redline body."""

    kind: str  # same | edit | ins | del
    label: str | None
    text: str
    spans: tuple[Span, ...] = ()
    section: str | None = None  # the section it stands in (new, or old for deletions)
    old_section: bool = False  # a deletion from a section the new revision no longer has


def redline_items(comparison: Comparison) -> list[_Item]:
    """The body in reading order: the new revision, with what left it where it used to be."""
    new = flatten(comparison.new)
    old = flatten(comparison.old)
    at_new: dict[int, _Item] = {}
    old_only: list[tuple[int, _Item]] = []
    in_place: dict[int, int] = {}  # old index -> new index, for clauses that did not move
    removed_sections = {s.old for s in comparison.sections if s.kind is SectionKind.REMOVED}

    def deleted(ref: ClauseRef) -> tuple[int, _Item]:
        return ref.position, _Item("del", ref.label, ref.text, section=ref.section,
                                old_section=ref.section in removed_sections)  # fmt: skip

    for a, b in comparison.unchanged_pairs:
        at_new[b.position] = _Item("same", b.label, b.text, section=b.section)
        in_place[a.position] = b.position
    for change in comparison.changes:
        if change.kind is ChangeKind.MODIFIED and not change.moved:
            ref = change.new[0]
            at_new[ref.position] = _Item("edit", ref.label, ref.text, change.inline, ref.section)
            in_place[change.old[0].position] = ref.position
            continue
        for ref in change.new:
            at_new[ref.position] = _Item("ins", ref.label, ref.text, section=ref.section)
        old_only.extend(deleted(ref) for ref in change.old)
    # Each deletion goes after the new position of the nearest clause before it that stayed.
    stayed = sorted(in_place)
    running: list[int] = []
    for k in stayed:
        running.append(max(in_place[k], running[-1] if running else -1))
    anchors: dict[int, list[_Item]] = {}
    for i, item in sorted(old_only, key=lambda pair: pair[0]):
        at = bisect.bisect_left(stayed, i)
        anchors.setdefault(running[at - 1] if at else -1, []).append(item)
    items = list(anchors.get(-1, []))
    for j in range(len(new)):
        items.append(at_new[j])
        items.extend(anchors.get(j, []))
    assert len([x for x in items if x.kind != "del"]) == len(new)
    assert len([x for x in items if x.kind == "del"]) == len(old) - len(in_place)
    return items


def _safe(text: str) -> str:
    """Text XML can hold: control characters (never in a real Word file) are dropped."""
    return _XML_UNSAFE.sub("", text)


class _Writer:
    def __init__(self) -> None:
        self.document = docx.Document()
        self._id = 0
        self._sect_pr: Any = None
        self._stamp = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")

    def _mark(self, tag: str) -> Any:
        self._id += 1
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(self._id))
        element.set(qn("w:author"), AUTHOR)
        element.set(qn("w:date"), self._stamp)
        return element

    def _run(self, text: str, deleted: bool = False) -> Any:
        run = OxmlElement("w:r")
        piece = OxmlElement("w:delText" if deleted else "w:t")
        piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        piece.text = _safe(text)
        run.append(piece)
        return run

    def _tracked(self, tag: str, text: str) -> Any:
        wrapper = self._mark(tag)
        wrapper.append(self._run(text, deleted=tag == "w:del"))
        return wrapper

    def _new_paragraph(self, style: str | None = None) -> Any:
        """A paragraph at the end of the body. python-docx's add_paragraph searches for the
        section properties on every call (quadratic over a long policy); we keep them."""
        if self._sect_pr is None:
            self._sect_pr = self.document.element.body.find(qn("w:sectPr"))
        p: Any = OxmlElement("w:p")
        if style is not None:
            p.get_or_add_pPr().get_or_add_pStyle().val = style
        self._sect_pr.addprevious(p)
        return p

    def _paragraph_mark(self, p: Any, tag: str) -> None:
        ppr = p.get_or_add_pPr()
        rpr = OxmlElement("w:rPr")
        rpr.append(self._mark(tag))
        ppr.append(rpr)

    def clause(self, item: _Item) -> None:
        p = self._new_paragraph()
        prefix = f"{item.label} " if item.label else ""
        if item.kind == "same":
            p.append(self._run(prefix + item.text))
        elif item.kind == "edit":
            if prefix:
                p.append(self._run(prefix))
            for span in item.spans:
                if span.op is Op.EQUAL:
                    p.append(self._run(span.text))
                elif span.op is Op.INSERT:
                    p.append(self._tracked("w:ins", span.text))
                else:
                    p.append(self._tracked("w:del", span.text))
        else:
            tag = "w:ins" if item.kind == "ins" else "w:del"
            p.append(self._tracked(tag, prefix + item.text))
            self._paragraph_mark(p, tag)

    def heading(self, title: str, old_title: str | None = None, deleted: bool = False) -> None:
        p = self._new_paragraph("Heading2")
        if deleted:
            p.append(self._tracked("w:del", title))
            self._paragraph_mark(p, "w:del")
        elif old_title is not None and old_title != title:
            p.append(self._tracked("w:del", old_title))
            p.append(self._tracked("w:ins", title))
        else:
            p.append(self._run(title))


def write_redline(comparison: Comparison, report: Report, path: Path) -> Path:
    writer = _Writer()
    document = writer.document
    title = _safe(report.title)
    document.core_properties.title = f"{title}: what changed"
    document.core_properties.author = AUTHOR
    document.add_heading(f"{title}: what changed", level=0)
    document.add_paragraph(
        _safe(
            f"From {report.old.name}"
            + (f" ({report.old.effective})" if report.old.effective else "")
            + f" to {report.new.name}"
            + (f" ({report.new.effective})" if report.new.effective else "")
            + "."
        )
    )
    document.add_heading("Summary", level=1)
    for sentence in report.summary:
        document.add_paragraph(_safe(sentence), style="List Bullet")
    document.add_paragraph(
        "The pages that follow show the new revision with every change as a tracked change: "
        "use Review > Accept All to see the new text, or Reject All to see the old."
    )
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading(_safe(comparison.new.title or report.title), level=1)

    renamed = {s.new: s.old for s in comparison.sections if s.kind is SectionKind.RENAMED}
    current: object = object()
    deleted_headings: set[str | None] = set()
    for item in redline_items(comparison):
        if item.kind == "del" and item.old_section:
            if item.section not in deleted_headings and item.section:
                writer.heading(item.section, deleted=True)
                deleted_headings.add(item.section)
                current = object()
        elif item.section != current:
            if item.section:
                writer.heading(item.section, renamed.get(item.section))
            current = item.section
        writer.clause(item)
    try:
        document.save(str(path))
    except OSError as error:
        from policydiff.errors import PolicydiffError

        raise PolicydiffError(f"cannot write {path}: {error.strerror}") from None
    return path
