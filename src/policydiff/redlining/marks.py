"""Word's revision markup, written into a part's tree (ECMA-376 Part 1, 17.13.5).

Every mark carries one author and one date, and an id unique in the document: revisions,
bookmarks and comments share one id space (17.13.4), so ids start past the largest id the
document's parts already use.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import datetime

from lxml import etree

from policydiff.readers.wordml import W_NS, w

P = w("p")
R = w("r")
T = w("t")
TR = w("tr")
TC = w("tc")
TBL = w("tbl")
PPR = w("pPr")
RPR = w("rPr")
TRPR = w("trPr")
ID = w("id")
DELTEXT = w("delText")
INSTRTEXT = w("instrText")
DELINSTRTEXT = w("delInstrText")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# What may follow w:rPr in a paragraph's properties (CT_PPr: the mark's properties come after
# every other paragraph property but these).
_AFTER_MARK = {w("sectPr"), w("pPrChange")}
# What may follow the revision in a row's properties (CT_TrPr).
_AFTER_ROW_MARK = {w("trPrChange")}
# Where a row's properties go: after w:tblPrEx, if any (CT_Row).
_TBLPREX = w("tblPrEx")


def stamp(when: datetime) -> str:
    """A revision's w:date: ISO 8601 to the second, in UTC ("2026-12-01T09:30:00Z")."""
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _ids(roots: Iterable[etree._Element]) -> int:
    """The largest numeric w:id in the trees."""
    top = 0
    for root in roots:
        # (XPath gathers the attributes in C: a walk of every element of a 20,000-paragraph
        # body in Python took a tenth of the redline's time)
        values = root.xpath("//@w:id", namespaces={"w": W_NS})
        for value in values if isinstance(values, list) else ():
            text = str(value)
            if text.lstrip("-").isdigit():
                top = max(top, int(text))
    return top


class Marker:
    """Writes revision marks by one author at one time, each with a fresh id."""

    def __init__(self, author: str, when: datetime, parts: Iterable[etree._Element]) -> None:
        self.author = author
        self.date = stamp(when)
        self._next = _ids(parts) + 1
        self.moves = 0

    def new_id(self) -> str:
        value = self._next
        self._next += 1
        return str(value)

    def revision(self, tag: str) -> etree._Element:
        """An empty w:ins, w:del, w:moveFrom or w:moveTo (`tag` its local name)."""
        element = etree.Element(w(tag), nsmap={"w": W_NS})
        element.set(ID, self.new_id())
        element.set(w("author"), self.author)
        element.set(w("date"), self.date)
        return element

    def wrap(self, runs: list[etree._Element], tag: str) -> None:
        """Put `runs` inside revision marks `tag` ("ins", "del", "moveFrom", "moveTo"), one
        mark for each stretch of runs side by side under the same parent. Deleted and
        moved-away runs have their text turned into w:delText (w:delInstrText)."""
        if tag in ("del", "moveFrom"):
            for run in runs:
                as_deleted(run)
        group: etree._Element | None = None
        for run in runs:
            parent = run.getparent()
            if parent is None:
                continue
            previous = run.getprevious()
            if group is None or previous is not group or group.getparent() is not parent:
                group = self.revision(tag)
                run.addprevious(group)
            group.append(run)

    def mark_paragraph(self, paragraph: etree._Element, tag: str) -> None:
        """Mark the paragraph's mark inserted, deleted or moved (w:pPr/w:rPr/w:ins ...)."""
        properties = paragraph.find(PPR)
        if properties is None:
            properties = etree.Element(PPR)
            paragraph.insert(0, properties)
        mark = properties.find(RPR)
        if mark is None:
            mark = etree.Element(RPR)
            at = next(
                (k for k, child in enumerate(properties) if child.tag in _AFTER_MARK),
                len(properties),
            )
            properties.insert(at, mark)
        for old in mark.findall(w(tag)):
            mark.remove(old)
        mark.insert(0, self.revision(tag))  # (CT_ParaRPr: the revision marks come first)

    def mark_row(self, row: etree._Element, tag: str) -> None:
        """Mark a table row inserted or deleted (w:trPr/w:ins, w:trPr/w:del)."""
        properties = row.find(TRPR)
        if properties is None:
            properties = etree.Element(TRPR)
            at = 1 if len(row) and row[0].tag == _TBLPREX else 0
            row.insert(at, properties)
        at = next(
            (k for k, child in enumerate(properties) if child.tag in _AFTER_ROW_MARK),
            len(properties),
        )
        properties.insert(at, self.revision(tag))

    def range_marks(self, tag: str, name: str) -> tuple[etree._Element, etree._Element]:
        """A move's range start and end (w:moveFromRangeStart ... w:moveFromRangeEnd)."""
        start = self.revision(f"{tag}RangeStart")
        start.set(w("name"), name)
        end = etree.Element(w(f"{tag}RangeEnd"))
        end.set(ID, start.get(ID) or "")
        return start, end

    def bookmark(self, paragraph: etree._Element, name: str) -> None:
        """A hidden bookmark (its name starts with "_") around the paragraph's content."""
        start = etree.Element(w("bookmarkStart"))
        start.set(ID, self.new_id())
        start.set(w("name"), name)
        end = etree.Element(w("bookmarkEnd"))
        end.set(ID, start.get(ID) or "")
        properties = paragraph.find(PPR)
        paragraph.insert(0 if properties is None else paragraph.index(properties) + 1, start)
        paragraph.append(end)


def as_deleted(run: etree._Element) -> None:
    """Turn a run's text into deleted text (w:t -> w:delText, w:instrText -> w:delInstrText)."""
    for child in run:
        if child.tag == T:
            child.tag = DELTEXT
        elif child.tag == INSTRTEXT:
            child.tag = DELINSTRTEXT


def own_runs(paragraph: etree._Element) -> list[etree._Element]:
    """The runs of a paragraph as a reader meets them, through hyperlinks, content controls,
    smart tags, custom XML and simple fields, but not into text boxes or drawings (whose
    paragraphs are read on their own)."""
    runs: list[etree._Element] = []
    _collect(paragraph, runs)
    return runs


_CONTAINERS = {
    w(name)
    for name in ("hyperlink", "smartTag", "customXml", "fldSimple", "bdo", "dir", "sdtContent")
}
_SDT = w("sdt")


def _collect(element: etree._Element, runs: list[etree._Element]) -> None:
    for child in element:
        tag = child.tag
        if tag == R:
            runs.append(child)
        elif tag in _CONTAINERS:
            _collect(child, runs)
        elif tag == _SDT:
            content = child.find(w("sdtContent"))
            if content is not None:
                _collect(content, runs)


def clone(element: etree._Element) -> etree._Element:
    return copy.deepcopy(element)
