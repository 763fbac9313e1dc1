"""Settle a part's pending tracked changes: Word's Accept All, on the XML.

The reader reads every part as if its tracked changes were accepted; the Word redline marks its
own changes inside a copy of the new document, so it first accepts the changes the document
already carries (ECMA-376 Part 1, 17.13.5: revisions), on the same trees the reader then reads.
"""

from __future__ import annotations

from lxml import etree

from policydiff.readers.wordml import w

_P = w("p")
_PPR = w("pPr")
_RPR = w("rPr")
_TR = w("tr")
_TRPR = w("trPr")
# Content removed by accepting: deleted and moved-away runs, paragraphs, rows' content.
_GONE = {w("del"), w("moveFrom")}
# Content kept by accepting, its wrapper dropped.
_KEPT = {w("ins"), w("moveTo")}
# Markers with nothing to keep: move ranges, custom XML revision ranges, the properties a
# formatting change replaced (17.13.5.x *Change elements).
_DROPPED = {
    w(name)
    for name in (
        "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
        "customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart",
        "customXmlDelRangeEnd", "customXmlMoveFromRangeStart", "customXmlMoveFromRangeEnd",
        "customXmlMoveToRangeStart", "customXmlMoveToRangeEnd", "rPrChange", "pPrChange",
        "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange", "tblGridChange",
        "tblPrExChange", "numberingChange", "cellIns", "cellMerge",
    )
}  # fmt: skip
_CELL_DELETED = w("cellDel")
_TAGS = _GONE | _KEPT | _DROPPED | {_CELL_DELETED}


def accept_revisions(root: etree._Element) -> int:
    """Accept every tracked change in the part whose root is `root`, in place; return how
    many revision marks there were (0: the tree is untouched).

    Inserted content stays and deleted content goes; a deleted paragraph mark joins its
    paragraph to the next one (which keeps its own properties), as Word does, but never across
    a table (the reader's rule too); a deleted row goes; a changed format keeps the new one.
    """
    found = list(root.iter(*_TAGS))
    if not found:
        return 0
    joined: list[etree._Element] = []
    for element in found:
        parent = element.getparent()
        if parent is None:
            continue
        tag = element.tag
        if tag in _GONE:
            if parent.tag == _RPR and (grand := parent.getparent()) is not None:
                if grand.tag == _PPR:  # a paragraph mark deleted
                    paragraph = grand.getparent()
                    if paragraph is not None and paragraph.tag == _P:
                        joined.append(paragraph)
                parent.remove(element)
            elif parent.tag == _TRPR:  # a row deleted
                row = parent.getparent()
                if row is not None and row.tag == _TR:
                    _drop(row)
            else:
                _drop(element)
        elif tag in _KEPT:
            if parent.tag in (_RPR, _TRPR):
                parent.remove(element)  # an inserted paragraph mark or row: now plain
            else:
                _unwrap(element)
        elif tag == _CELL_DELETED:
            cell = parent.getparent()  # w:tcPr's w:tc
            if cell is not None:
                _drop(cell)
        else:
            parent.remove(element)
    for paragraph in joined:
        _join_to_next(paragraph)
    return len(found)


def _drop(element: etree._Element) -> None:
    """Remove `element`, keeping the text that follows it (lxml keeps it on the tail)."""
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _unwrap(element: etree._Element) -> None:
    """Replace `element` by its children."""
    parent = element.getparent()
    if parent is None:
        return
    at = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(at + offset, child)
    parent.remove(element)


def _join_to_next(paragraph: etree._Element) -> None:
    """A paragraph whose mark was deleted: its content moves to the front of the next
    paragraph, if the next block is a paragraph; otherwise it stays as it is."""
    parent = paragraph.getparent()
    if parent is None:
        return
    following = paragraph.getnext()
    if following is None or following.tag != _P:
        return
    content = [child for child in paragraph if child.tag != _PPR]
    properties = following.find(_PPR)
    at = 1 if properties is not None and following.index(properties) == 0 else 0
    for offset, child in enumerate(content):
        following.insert(at + offset, child)
    parent.remove(paragraph)
