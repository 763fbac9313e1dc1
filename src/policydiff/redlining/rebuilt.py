"""The rebuilt Word redline: for a stored revision whose Word file is not kept.

A new document built from the compared text, with every change as a real tracked change:
Accept All gives the new revision's text and Reject All the old one's. The first page holds
the governors' summary. Written with python-docx, going to the XML for w:ins and w:del where
python-docx has no API. The school's own formatting is not there: where both Word files are,
`policydiff.redlining.marked` marks the changes inside the new document itself.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from policydiff.diffing.align import flatten
from policydiff.diffing.changes import ChangeKind, ClauseRef, Comparison, SectionKind
from policydiff.diffing.inline import Op, Span
from policydiff.redlining.marks import stamp
from policydiff.reporting import Report

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
    """The body of the redline, written as WordprocessingML text and parsed once at the end:
    building 100,000 elements one by one through python-docx took longer than the whole diff
    of a long handbook."""

    def __init__(self, author: str, when: datetime) -> None:
        self.document = docx.Document()
        self._id = 0
        self._author = author
        self._stamp = stamp(when)
        self._body: list[str] = []

    def _mark(self, tag: str, content: str = "") -> str:
        self._id += 1
        author = escape(self._author, {'"': "&quot;"})
        attributes = f'w:id="{self._id}" w:author="{author}" w:date="{self._stamp}"'
        return f"<{tag} {attributes}>{content}</{tag}>" if content else f"<{tag} {attributes}/>"

    @staticmethod
    def _run(text: str, deleted: bool = False) -> str:
        tag = "w:delText" if deleted else "w:t"
        return f'<w:r><{tag} xml:space="preserve">{escape(_safe(text))}</{tag}></w:r>'

    def _tracked(self, tag: str, text: str) -> str:
        return self._mark(tag, self._run(text, deleted=tag == "w:del"))

    def _paragraph(self, content: str, style: str | None = None, mark: str | None = None) -> None:
        """A paragraph: its style, a tracked insertion or deletion of its mark, its runs."""
        properties = f'<w:pStyle w:val="{style}"/>' if style else ""
        if mark is not None:
            properties += f"<w:rPr>{self._mark(mark)}</w:rPr>"
        self._body.append(
            f"<w:p>{f'<w:pPr>{properties}</w:pPr>' if properties else ''}{content}</w:p>"
        )

    def clause(self, item: _Item) -> None:
        prefix = f"{item.label} " if item.label else ""
        if item.kind == "same":
            self._paragraph(self._run(prefix + item.text))
        elif item.kind == "edit":
            runs = [self._run(prefix)] if prefix else []
            for span in item.spans:
                if span.op is Op.EQUAL:
                    runs.append(self._run(span.text))
                elif span.op is Op.INSERT:
                    runs.append(self._tracked("w:ins", span.text))
                else:
                    runs.append(self._tracked("w:del", span.text))
            self._paragraph("".join(runs))
        else:
            tag = "w:ins" if item.kind == "ins" else "w:del"
            self._paragraph(self._tracked(tag, prefix + item.text), mark=tag)

    def heading(self, title: str, old_title: str | None = None, deleted: bool = False) -> None:
        if deleted:
            self._paragraph(self._tracked("w:del", title), "Heading2", mark="w:del")
        elif old_title is not None and old_title != title:
            self._paragraph(
                self._tracked("w:del", old_title) + self._tracked("w:ins", title), "Heading2"
            )
        else:
            self._paragraph(self._run(title), "Heading2")

    def finish(self) -> None:
        """Put the body written so far at the end of the document, before its section
        properties."""
        body = self.document.element.body
        fragment = parse_xml(f"<w:body {nsdecls('w')}>{''.join(self._body)}</w:body>")
        end = body.find(qn("w:sectPr"))
        for paragraph in list(fragment):
            if end is not None:
                end.addprevious(paragraph)
            else:
                body.append(paragraph)
        self._body = []


def write_rebuilt(
    comparison: Comparison, report: Report, path: Path, author: str, when: datetime
) -> Path:
    """Write the rebuilt redline of `comparison` to `path`, its revisions by `author` at
    `when`. Raises PolicydiffError when `path` cannot be written."""
    writer = _Writer(author, when)
    document = writer.document
    title = _safe(report.title)
    document.core_properties.title = f"{title}: what changed"
    document.core_properties.author = author
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
    writer.finish()
    try:
        document.save(str(path))
    except OSError as error:
        from policydiff.errors import PolicydiffError

        raise PolicydiffError(f"cannot write {path}: {error.strerror}") from None
    return path
