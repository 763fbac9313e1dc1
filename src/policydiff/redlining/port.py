"""Bring a paragraph or table row of the old document into the new one (a removed clause, the
old place of a moved one, the old side of a rewritten one), as Word's Compare does: its style
and list numbering mapped onto the new document's definitions (dropped where the new one has
no such style or list), its pictures and links carried over with their relationships, and what
cannot stand twice in a document (bookmarks, comments, note references, section breaks, the
ids Word gives paragraphs) left behind."""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from lxml import etree

from policydiff.readers.package import Package
from policydiff.readers.wordml import R_NS, w
from policydiff.redlining.marks import clone
from policydiff.redlining.parts import OutputPackage

_W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
_STYLE_REFERENCES = {w("pStyle"): "paragraph", w("rStyle"): "character", w("tblStyle"): "table"}
_LEFT_BEHIND = {
    w(name)
    for name in (
        "bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
        "commentReference", "permStart", "permEnd",
        "proofErr", "sectPr", "annotationRef",
    )
}  # fmt: skip
_REL_ATTRIBUTES = tuple(f"{{{R_NS}}}{name}" for name in ("id", "embed", "link", "pict"))
_HYPERLINK = w("hyperlink")
_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_NOTE_REFERENCES = {w("footnoteReference"): "footnote", w("endnoteReference"): "endnote"}
_NUMPR = w("numPr")
_NUMID = w("numId")
_VAL = w("val")
_R = w("r")


def _styles(root: etree._Element | None) -> dict[tuple[str, str], str]:
    """(type, id) -> name, for every style in a styles part."""
    out: dict[tuple[str, str], str] = {}
    if root is None:
        return out
    for style in root.iter(w("style")):
        name = style.find(w("name"))
        out[style.get(w("type"), "paragraph"), style.get(w("styleId"), "")] = (
            name.get(_VAL, "") if name is not None else ""
        )
    return out


class Porter:
    """Ports elements of one old part into one part of the new package."""

    def __init__(
        self,
        old: Package,
        old_styles: etree._Element | None,
        new_styles: etree._Element | None,
        new_numbering: etree._Element | None,
        output: OutputPackage,
    ) -> None:
        self.old = old
        self.output = output
        old_by_id = _styles(old_styles)
        new_by_id = _styles(new_styles)
        # Word's own style names are matched whatever their case ("heading 1", "Heading 1").
        new_by_name = {(kind, name.lower()): sid for (kind, sid), name in new_by_id.items()}
        self.styles: dict[tuple[str, str], str | None] = {}
        for (kind, sid), name in old_by_id.items():
            if (kind, sid) in new_by_id:
                self.styles[kind, sid] = sid
            else:
                self.styles[kind, sid] = new_by_name.get((kind, name.lower()))
        self.lists: set[str] = set()
        if new_numbering is not None:
            self.lists = {n.get(w("numId"), "") for n in new_numbering.iter(w("num"))}
        # The new id of an old footnote or endnote ("footnote", old id) -> new id, or None
        # when it cannot come along (set by the redline, which knows the notes).
        self.note_id: Callable[[str, str], str | None] = lambda kind, old_id: None
        # The next id for a drawing brought back (wp:docPr ids are unique in a document).
        self.next_drawing = 1
        self.dropped_lists = 0
        self.dropped_pictures = 0
        self._media: dict[str, str] = {}  # old part -> new part

    def port(self, element: etree._Element, old_part: str, new_part: str) -> etree._Element:
        """A copy of `element` (from `old_part` of the old package) fit to stand in
        `new_part` of the new one."""
        copy = clone(element)
        for node in list(copy.iter()):
            tag = node.tag
            if tag in _NOTE_REFERENCES:
                new_id = self.note_id(_NOTE_REFERENCES[tag], node.get(w("id"), ""))
                if new_id is not None:
                    node.set(w("id"), new_id)
                    continue
            if tag in _LEFT_BEHIND or tag in _NOTE_REFERENCES:
                parent = node.getparent()
                if parent is not None:
                    parent.remove(node)
                continue
            if tag in _STYLE_REFERENCES:
                mapped = self.styles.get((_STYLE_REFERENCES[tag], node.get(_VAL, "")))
                if mapped is None:
                    parent = node.getparent()
                    if parent is not None:
                        parent.remove(node)
                else:
                    node.set(_VAL, mapped)
            elif tag == _NUMPR:
                number = node.find(_NUMID)
                value = number.get(_VAL, "") if number is not None else ""
                if value not in self.lists and value != "0":
                    self.dropped_lists += 1
                    parent = node.getparent()
                    if parent is not None:
                        parent.remove(node)
            if tag == _DOCPR:
                node.set("id", str(self.next_drawing))
                self.next_drawing += 1
            for attribute in (f"{{{_W14_NS}}}paraId", f"{{{_W14_NS}}}textId"):
                if attribute in node.attrib:
                    del node.attrib[attribute]
            for attribute in _REL_ATTRIBUTES:
                rel_id = node.get(attribute)
                if rel_id is not None:
                    self._relationship(node, attribute, rel_id, old_part, new_part)
        return copy

    def _relationship(
        self, node: etree._Element, attribute: str, rel_id: str, old_part: str, new_part: str
    ) -> None:
        """Carry a relationship the element uses into the new part: a link keeps its
        address, a picture its bytes; anything else is left behind with what uses it."""
        found = next((r for r in self.old.relationships(old_part) if r.id == rel_id), None)
        new_id: str | None = None
        if found is not None:
            if found.type == "hyperlink" and found.external:
                new_id = self.output.relate(new_part, "hyperlink", found.target, external=True)
            elif found.type == "image" and not found.external and self.old.has(found.target):
                media = self._media.get(found.target)
                if media is None:
                    extension = posixpath.splitext(found.target)[1].lstrip(".")
                    media = self.output.add_media(self.old.read(found.target), extension)
                    if media is not None:
                        self._media[found.target] = media
                if media is not None:
                    new_id = self.output.relate(new_part, "image", media)
        if new_id is not None:
            node.set(attribute, new_id)
            return
        if node.tag == _HYPERLINK:
            del node.attrib[attribute]  # the words stay; the link goes
            return
        # A picture, chart or object whose part cannot come along: the run holding it goes.
        self.dropped_pictures += 1
        run = next((a for a in node.iterancestors(_R)), None)
        holder = run if run is not None else node
        parent = holder.getparent()
        if parent is not None:
            parent.remove(holder)
