"""Word's "Accept All" and "Reject All" on a .docx, written from ECMA-376 alone.

An oracle for tests: it takes nothing from policydiff (only zipfile and lxml), so that a
redline's tracked changes can be checked by a second, independent reading of the standard.
References are to ECMA-376 Part 1 (Fundamentals and Markup Language Reference), 5th edition:

- 17.13.5 Revisions: run content inserted or deleted (w:ins 17.13.5.18, w:del 17.13.5.14,
  whose text is w:delText 17.3.3.7 and field code w:delInstrText 17.16.13), moved (w:moveFrom
  17.13.5.22, w:moveTo 17.13.5.25, between w:moveFromRangeStart/End 17.13.5.24/23 and
  w:moveToRangeStart/End 17.13.5.28/27 that share a w:name);
- a paragraph mark inserted, deleted or moved: the same elements, empty, in the paragraph mark's
  run properties w:pPr/w:rPr (17.3.1.29; w:ins 17.13.5.20, w:del 17.13.5.15, w:moveFrom
  17.13.5.21, w:moveTo 17.13.5.26);
- a table row inserted or deleted: w:trPr/w:ins and w:trPr/w:del (17.13.5.17, 17.13.5.12);
  a table cell inserted or deleted: w:tcPr/w:cellIns and w:tcPr/w:cellDel (17.13.5.2, 17.13.5.1);
- numbering properties inserted: w:numPr/w:ins (17.13.5.19);
- property changes, each holding the properties as they were before: w:pPrChange (17.13.5.29),
  w:rPrChange (17.13.5.30 on a paragraph mark, 17.13.5.31 on a run), w:sectPrChange
  (17.13.5.32), w:tblGridChange (17.13.5.33), w:tblPrChange (17.13.5.34), w:tblPrExChange
  (17.13.5.35), w:tcPrChange (17.13.5.36), w:trPrChange (17.13.5.37).

Accepting keeps what was inserted and drops what was deleted (and the old properties);
rejecting does the opposite. A paragraph whose mark goes away in the view (a deleted mark
accepted, an inserted one rejected) is joined with the following paragraph, as 17.13.5.15 says
("the contents of this paragraph are ... combined with the following paragraph"): its runs go
in front of the next paragraph's content and the next paragraph keeps its own properties. The
next paragraph may be inside a block-level content control (17.5.2) or after one; a paragraph
with no following paragraph in its container (the last of a cell, a note, a text box or the
body, or one just before a table) keeps its mark, which cannot go. A table left without rows
is removed.

The views are applied to the main document part and to every header, footer, footnotes and
endnotes part, found by content type (the [Content_Types].xml stream of ECMA-376 Part 2) or,
failing that, by name under word/. Every other part is copied unchanged. Strict OOXML parts
(Annex A namespaces) are handled as well as transitional ones.

Not handled (left as they are, or simply dropped):
- w:cellMerge (17.13.5.3, a vertical merge changed): dropped in both views, the merge as it
  now stands is kept;
- w:numberingChange (ECMA-376 Part 4, a transitional record of a list number as it was, found
  in a LISTNUM field's w:fldChar): dropped in both views, the old number is not rebuilt;
- the custom XML range revisions (w:customXmlInsRangeStart ...): the markers are dropped, the
  custom XML element itself is kept in both views;
- revisions inside math (m:oMath), in comments, in styles.xml or numbering.xml (17.13.5 allows
  property changes there): not touched.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from lxml import etree

__all__ = [
    "REVISION_NAMES",
    "accept_all",
    "leftovers",
    "reject_all",
    "revision_parts",
    "story_roots",
]

W_TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"

# The content types (ECMA-376 Part 1, 11.3) of the parts whose revisions are settled.
_STORY_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
}
_STORY_NAME = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)

# Range markup that may stand between two paragraphs without being a block of its own
# (17.13.4 comments, 17.13.6 bookmarks, 17.13.5 move ranges, 17.13.7 permissions).
_MARKERS = [
    "bookmarkStart",
    "bookmarkEnd",
    "commentRangeStart",
    "commentRangeEnd",
    "moveFromRangeStart",
    "moveFromRangeEnd",
    "moveToRangeStart",
    "moveToRangeEnd",
    "permStart",
    "permEnd",
    "proofErr",
    "customXmlInsRangeStart",
    "customXmlInsRangeEnd",
    "customXmlDelRangeStart",
    "customXmlDelRangeEnd",
    "customXmlMoveFromRangeStart",
    "customXmlMoveFromRangeEnd",
    "customXmlMoveToRangeStart",
    "customXmlMoveToRangeEnd",
]
# Markers a view always removes: they only delimit a revision (17.13.5.23, 17.13.5.24,
# 17.13.5.27, 17.13.5.28; the custom XML ones 17.13.5.4-17.13.5.11).
_RANGE_MARKERS = [name for name in _MARKERS if name.startswith(("move", "customXml"))]
# Property change -> (the properties it sits in, the parent's children it does not hold,
# whether those children come before the old properties in the schema's order).
_PROPERTY_CHANGES: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "rPrChange": ("rPr", ("ins", "del", "moveFrom", "moveTo"), True),  # 17.3.1.29 CT_ParaRPr
    "pPrChange": ("pPr", ("rPr", "sectPr"), False),  # 17.3.1.26: CT_PPrBase has neither
    "sectPrChange": ("sectPr", ("headerReference", "footerReference"), True),  # CT_SectPrBase
    "tblPrChange": ("tblPr", (), False),
    "trPrChange": ("trPr", ("ins", "del"), False),  # CT_TrPrBase has no row marks
    "tcPrChange": ("tcPr", ("cellIns", "cellDel", "cellMerge"), False),
    "tblGridChange": ("tblGrid", (), False),
    "tblPrExChange": ("tblPrEx", (), False),
}
_MARKS = ("ins", "del", "moveFrom", "moveTo")
# Every element that records a revision or delimits one (17.13.5): a view leaves none.
REVISION_NAMES = frozenset(
    [*_MARKS, *_PROPERTY_CHANGES, "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart",
     "moveToRangeEnd", "delText", "delInstrText", "cellIns", "cellDel", "cellMerge",
     "numberingChange"]
)  # fmt: skip


def accept_all(src: Path, dst: Path) -> Path:
    """Write to `dst` the package at `src` with every tracked change accepted (Word's Review >
    Accept All Changes, ECMA-376 Part 1, 17.13.5), and return `dst`."""
    return _write_view(Path(src), Path(dst), accept=True)


def reject_all(src: Path, dst: Path) -> Path:
    """Write to `dst` the package at `src` with every tracked change rejected (Word's Review >
    Reject All Changes, ECMA-376 Part 1, 17.13.5), and return `dst`."""
    return _write_view(Path(src), Path(dst), accept=False)


def revision_parts(package: zipfile.ZipFile) -> list[str]:
    """The names of the parts that carry a story's revisions: the main document, headers,
    footers, footnotes and endnotes (by [Content_Types].xml overrides, ECMA-376 Part 2, 10.1.2.3,
    else by their usual names under word/)."""
    names = set(package.namelist())
    found: list[str] = []
    if "[Content_Types].xml" in names:
        types = etree.fromstring(package.read("[Content_Types].xml"), _PARSER)
        for override in types.iter(f"{{{TYPES}}}Override"):
            name = (override.get("PartName") or "").lstrip("/")
            if override.get("ContentType") in _STORY_TYPES and name in names:
                found.append(name)
    for name in sorted(names):
        if _STORY_NAME.fullmatch(name) and name not in found:
            found.append(name)
    return found


def _write_view(src: Path, dst: Path, *, accept: bool) -> Path:
    with zipfile.ZipFile(src) as source:
        stories = set(revision_parts(source))
        entries = [(info, source.read(info.filename)) for info in source.infolist()]
    dst.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename in stories:
                data = _view_of_part(data, accept=accept)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return dst


def _view_of_part(data: bytes, *, accept: bool) -> bytes:
    root = etree.fromstring(data, _PARSER)
    namespace = etree.QName(root).namespace
    ns = W_STRICT if namespace == W_STRICT else W_TRANSITIONAL
    _View(root, ns, accept=accept).apply()
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


class _View:
    """One part's tree, settled in place one way: `accept` True for Accept All, else Reject
    All. The steps run in an order where each leaves the next a simpler tree: properties,
    then rows and cells, then run content, then paragraph marks, then emptied tables."""

    def __init__(self, root: etree._Element, ns: str, *, accept: bool) -> None:
        self.root = root
        self.ns = ns
        self.accept = accept

    def q(self, name: str) -> str:
        return f"{{{self.ns}}}{name}"

    def named(self, element: etree._Element) -> str:
        """The local name of a w: element ("" for other namespaces, comments, PIs)."""
        if not isinstance(element.tag, str):
            return ""
        qname = etree.QName(element)
        return qname.localname if qname.namespace == self.ns else ""

    def find_all(self, *names: str) -> list[etree._Element]:
        return list(self.root.iter(*(self.q(n) for n in names)))

    def attached(self, element: etree._Element) -> bool:
        """Whether `element` is still in the tree (an earlier step may have dropped an
        ancestor of it)."""
        node: etree._Element | None = element
        while node is not None:
            if node is self.root:
                return True
            node = node.getparent()
        return False

    def apply(self) -> None:
        self.property_changes()
        self.numbering_marks()
        self.rows_and_cells()
        self.run_content()
        self.paragraph_marks()
        self.empty_tables()

    # 17.13.5.29-17.13.5.37: w:*PrChange holds the properties as they were.
    def property_changes(self) -> None:
        for change in self.find_all(*_PROPERTY_CHANGES):
            parent = change.getparent()
            if parent is None or not self.attached(change):
                continue
            if self.accept:
                parent.remove(change)
                continue
            base, kept_names, kept_first = _PROPERTY_CHANGES[self.named(change)]
            old = change.find(self.q(base))
            old_children = (
                [] if old is None else [c for c in old if self.named(c) not in kept_names]
            )
            kept = [c for c in parent if self.named(c) in kept_names]
            for child in list(parent):
                parent.remove(child)
            for child in [*kept, *old_children] if kept_first else [*old_children, *kept]:
                parent.append(child)

    # 17.13.5.19: numbering properties inserted; w:numberingChange (obsolete) is dropped.
    def numbering_marks(self) -> None:
        for numbering in self.find_all("numPr"):
            inserted = numbering.find(self.q("ins"))
            if inserted is None:
                continue
            parent = numbering.getparent()
            if not self.accept and parent is not None:
                parent.remove(numbering)
            else:
                numbering.remove(inserted)
        for change in self.find_all("numberingChange"):
            parent = change.getparent()
            if parent is not None:
                parent.remove(change)

    # 17.13.5.12, 17.13.5.17: rows; 17.13.5.1-17.13.5.3: cells.
    def rows_and_cells(self) -> None:
        goes = "del" if self.accept else "ins"
        for row_properties in self.find_all("trPr"):
            row = row_properties.getparent()
            if row is None or not self.attached(row_properties):
                continue
            marks = [c for c in row_properties if self.named(c) in ("ins", "del")]
            if any(self.named(m) == goes for m in marks):
                _remove(row)
            else:
                for mark in marks:
                    row_properties.remove(mark)
        cell_goes = "cellDel" if self.accept else "cellIns"
        for cell_properties in self.find_all("tcPr"):
            cell = cell_properties.getparent()
            if cell is None or not self.attached(cell_properties):
                continue
            marks = [
                c for c in cell_properties if self.named(c) in ("cellIns", "cellDel", "cellMerge")
            ]
            if any(self.named(m) == cell_goes for m in marks):
                row = cell.getparent()
                _remove(cell)
                if row is not None and not any(True for _ in row.iter(self.q("tc"))):
                    _remove(row)
            else:
                for mark in marks:
                    cell_properties.remove(mark)

    # 17.13.5.14, 17.13.5.18, 17.13.5.22, 17.13.5.25: run content.
    def run_content(self) -> None:
        kept = ("ins", "moveTo") if self.accept else ("del", "moveFrom")
        for marker in self.find_all(*_RANGE_MARKERS):
            _remove(marker)
        for wrapper in self.find_all(*_MARKS):
            parent = wrapper.getparent()
            if parent is None or not self.attached(wrapper):
                continue
            if self.named(parent) in ("rPr", "trPr", "numPr"):
                continue  # a mark on a paragraph, row or list: the other steps' business
            if self.named(wrapper) in kept:
                if not self.accept:
                    self.restore_deleted_text(wrapper)
                _unwrap(wrapper)
            else:
                _remove(wrapper)

    def restore_deleted_text(self, wrapper: etree._Element) -> None:
        """Deleted content shows its text as w:delText and its field codes as w:delInstrText
        (17.3.3.7, 17.16.13); back in the document they are w:t and w:instrText again."""
        for text in wrapper.iter(self.q("delText")):
            text.tag = self.q("t")
        for code in wrapper.iter(self.q("delInstrText")):
            code.tag = self.q("instrText")

    # 17.13.5.15, 17.13.5.20, 17.13.5.21, 17.13.5.26: paragraph marks.
    def paragraph_marks(self) -> None:
        gone = ("del", "moveFrom") if self.accept else ("ins", "moveTo")
        joining: list[etree._Element] = []
        for paragraph in self.find_all("p"):
            properties = paragraph.find(self.q("pPr"))
            mark = None if properties is None else properties.find(self.q("rPr"))
            if mark is None:
                continue
            marks = [c for c in mark if self.named(c) in _MARKS]
            if any(self.named(m) in gone for m in marks):
                joining.append(paragraph)
            for m in marks:
                mark.remove(m)
        for paragraph in joining:
            if self.attached(paragraph):
                self.join_to_next(paragraph)

    def join_to_next(self, paragraph: etree._Element) -> None:
        """Put the content of `paragraph`, whose mark is gone, in front of the following
        paragraph's content; that paragraph keeps its properties. Without a following paragraph
        in the same story and container (the last in a cell, note or the body, or one before a
        table) the paragraph stays, as its mark cannot go."""
        following = self.next_paragraph(paragraph)
        if following is None:
            return
        content = [c for c in paragraph if self.named(c) != "pPr"]
        properties = following.find(self.q("pPr"))
        at = 0 if properties is None else following.index(properties) + 1
        for offset, child in enumerate(content):
            following.insert(at + offset, child)
        _remove(paragraph)

    def next_paragraph(self, paragraph: etree._Element) -> etree._Element | None:
        node: etree._Element | None = paragraph
        while node is not None:
            sibling = node.getnext()
            while sibling is not None and (
                not isinstance(sibling.tag, str) or self.named(sibling) in _MARKERS
            ):
                sibling = sibling.getnext()
            if sibling is not None:
                return self.first_paragraph(sibling)
            parent = node.getparent()
            # Out of a block-level content control or custom XML element, not out of a cell.
            if parent is not None and self.named(parent) == "sdtContent":
                node = parent.getparent()
            elif parent is not None and self.named(parent) == "customXml":
                node = parent
            else:
                return None
        return None

    def first_paragraph(self, block: etree._Element) -> etree._Element | None:
        """The paragraph a block begins with, into a content control or custom XML element
        (17.5.2), not into a table."""
        name = self.named(block)
        if name == "p":
            return block
        if name == "sdt":
            content = block.find(self.q("sdtContent"))
            first = _first_element(content)
            return None if first is None else self.first_paragraph(first)
        if name == "customXml":
            first = _first_element(block)
            return None if first is None else self.first_paragraph(first)
        return None

    def empty_tables(self) -> None:
        """A table needs a row (17.4.38 w:tbl, CT_Tbl), a cell needs a paragraph to end with
        (17.4.66): a table whose rows all went is removed, and a cell it leaves without a
        paragraph gets an empty one."""
        for table in reversed(self.find_all("tbl")):
            if not self.attached(table) or self.has_rows(table):
                continue
            container = table.getparent()
            _remove(table)
            if (
                container is not None
                and self.named(container) == "tc"
                and container.find(self.q("p")) is None
            ):
                container.append(etree.Element(self.q("p")))

    def has_rows(self, table: etree._Element) -> bool:
        return next(self._rows(table), None) is not None

    def _rows(self, element: etree._Element) -> Iterator[etree._Element]:
        for child in element:
            name = self.named(child)
            if name == "tr":
                yield child
            elif name in ("sdt", "sdtContent", "customXml"):
                yield from self._rows(child)


def _first_element(parent: etree._Element | None) -> etree._Element | None:
    if parent is None:
        return None
    for child in parent:
        if isinstance(child.tag, str):
            return child
    return None


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _unwrap(element: etree._Element) -> None:
    """Replace `element` by its children (WordprocessingML has no mixed content to keep)."""
    parent = element.getparent()
    if parent is None:
        return
    at = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(at + offset, child)
    parent.remove(element)


def leftovers(path: Path) -> dict[str, list[str]]:
    """The revision elements (`REVISION_NAMES`) still in each story part of `path`, by part
    name; empty for a settled view."""
    found: dict[str, list[str]] = {}
    for name, root in story_roots(path):
        names = sorted(
            {
                etree.QName(e).localname
                for e in root.iter()
                if isinstance(e.tag, str)
                and etree.QName(e).namespace in (W_TRANSITIONAL, W_STRICT)
                and etree.QName(e).localname in REVISION_NAMES
            }
        )
        if names:
            found[name] = names
    return found


def story_roots(path: Path) -> Iterable[tuple[str, etree._Element]]:
    """Each revision-carrying part of the package at `path` (see `revision_parts`), parsed."""
    with zipfile.ZipFile(path) as package:
        for name in revision_parts(package):
            yield name, etree.fromstring(package.read(name), _PARSER)
