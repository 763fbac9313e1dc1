"""Read a Word .docx into the document model, through lxml over the package's XML.

python-docx's `Paragraph.text` drops text inside tracked insertions, content controls, smart tags
and field results, and walking its object tree grows faster than linearly, so the reader works
on the XML directly: it accepts every tracked change (w:ins in, w:del out), reads hyperlinks,
content controls, smart tags and the shown result of fields, skips tables of contents, and notes
in its warnings what it left out (comments, text boxes, images, footnotes).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from lxml import etree

from policydiff.errors import ReadError
from policydiff.facts import find_facts
from policydiff.model import ClauseKind, Document, Metadata
from policydiff.outline import Block, build_sections, fold
from policydiff.readers.numbering import Numbering
from policydiff.readers.package import Package, main_document_part, open_package
from policydiff.readers.styles import ParagraphStyle, Styles
from policydiff.readers.wordml import (
    MC_NS,
    VAL,
    children,
    first_child,
    int_text,
    int_val,
    on,
    val,
    w,
)
from policydiff.results import Level, Message, Result

CELL_SEPARATOR = " | "
FACT_LINES = 60  # lines at each end of a document searched for its version and dates

# Elements whose children are read as if they stood in the parent.
_TRANSPARENT = {
    w(name)
    for name in ("ins", "moveTo", "hyperlink", "smartTag", "customXml", "fldSimple", "bdo", "dir")
}
# Tracked deletions: gone once the changes are accepted.
_DELETED = {w("del"), w("moveFrom")}
_SKIPPED_RUN_PARTS = {
    w("delText"), w("delInstrText"), w("rPr"), w("lastRenderedPageBreak"), w("softHyphen"),
    w("annotationRef"), w("separator"), w("continuationSeparator"),
}  # fmt: skip

_ANNOTATIONREF = w("annotationRef")
_B = w("b")
_BODY = w("body")
_BR = w("br")
_COMMENTRANGESTART = w("commentRangeStart")
_COMMENTREFERENCE = w("commentReference")
_CONTINUATIONSEPARATOR = w("continuationSeparator")
_CR = w("cr")
_CUSTOMXML = w("customXml")
_DEL = w("del")
_DELINSTRTEXT = w("delInstrText")
_DELTEXT = w("delText")
_DRAWING = w("drawing")
_ENDNOTEREFERENCE = w("endnoteReference")
_FLDCHAR = w("fldChar")
_FLDCHARTYPE = w("fldCharType")
_FOOTNOTEREFERENCE = w("footnoteReference")
_ILVL = w("ilvl")
_INS = w("ins")
_INSTRTEXT = w("instrText")
_LASTRENDEREDPAGEBREAK = w("lastRenderedPageBreak")
_MOVEFROM = w("moveFrom")
_MOVETO = w("moveTo")
_NOBREAKHYPHEN = w("noBreakHyphen")
_NUMID = w("numId")
_NUMPR = w("numPr")
_OBJECT = w("object")
_OUTLINELVL = w("outlineLvl")
_P = w("p")
_PPR = w("pPr")
_PSTYLE = w("pStyle")
_PICT = w("pict")
_PTAB = w("ptab")
_R = w("r")
_RPR = w("rPr")
_SDT = w("sdt")
_SDTCONTENT = w("sdtContent")
_SDTPR = w("sdtPr")
_SEPARATOR = w("separator")
_SOFTHYPHEN = w("softHyphen")
_SPECVANISH = w("specVanish")
_T = w("t")
_TAB = w("tab")
_TBL = w("tbl")
_TC = w("tc")
_TR = w("tr")
_TRPR = w("trPr")
_TXBXCONTENT = w("txbxContent")
_VANISH = w("vanish")

# Anything in a paragraph beyond plain runs of text sends it down the careful path.
_SLOW_INLINE = frozenset({
    _FLDCHAR, _INSTRTEXT, w("fldSimple"), _DEL, _MOVEFROM, _INS, _MOVETO, _DRAWING, _PICT,
    f"{{{MC_NS}}}AlternateContent", _OBJECT, _VANISH, _TAB, _PTAB, _BR, _CR, _NOBREAKHYPHEN,
    _FOOTNOTEREFERENCE, _ENDNOTEREFERENCE, _COMMENTREFERENCE, _COMMENTRANGESTART, _SDT,
    _DELTEXT, w("sym"), w("pPrChange"),
})  # fmt: skip
# What a plain paragraph's properties can say that the reader uses (first one found wins: the
# paragraph's own, ahead of anything deeper).
_PLAIN_PROPERTIES = frozenset({_PSTYLE, _NUMID, _ILVL, _OUTLINELVL})

_CORE_NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
}


@dataclass(slots=True)
class _Field:
    instruction: list[str] = field(default_factory=list)
    showing_result: bool = False

    @property
    def is_toc(self) -> bool:
        return "".join(self.instruction).strip().upper().startswith("TOC")


@dataclass(slots=True)
class _Notes:
    """What the reader saw and did not turn into clauses; reported once per kind."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, code: str) -> None:
        self.counts[code] += 1


_NOTE_TEXT = {
    "tracked-changes": (
        "{n} tracked change(s) were read as accepted (insertions kept, deletions left out)"
    ),
    "comments": "{n} comment(s) were left out",
    "text-box": "{n} text box(es) were left out: their text is not compared",
    "image": "{n} image(s) or drawing(s) were left out",
    "footnote": "{n} footnote or endnote reference(s) were left out: notes are not compared",
    "toc": "a table of contents ({n} line(s)) was left out",
    "object": "{n} embedded object(s) were left out",
}


def read_docx(path: str | Path) -> Result[Document]:
    """Read `path` into a Document, with the reader's warnings. Raises ReadError when stuck."""
    path = Path(path)
    package = open_package(path)
    try:
        return _read(package, path)
    finally:
        package.close()


def _read(package: Package, path: Path) -> Result[Document]:
    main = main_document_part(package)
    rels = package.relationships(main)
    parts = {rel.type: rel.target for rel in rels if not rel.external and package.has(rel.target)}
    styles = Styles(package.xml(parts["styles"]) if "styles" in parts else None)
    numbering = Numbering(
        package.xml(parts["numbering"]) if "numbering" in parts else None, styles.numbering_styles
    )
    root = package.xml(main)
    body = root.find(_BODY)
    if body is None:
        raise ReadError(str(path), "has no document body: re-save it in Word")
    notes = _Notes()
    walker = _Walker(styles, numbering, notes)
    walker.blocks_of(body)
    blocks = walker.finish()
    if "comments" in parts:
        notes.counts["comments"] = max(notes.counts["comments"], 1)

    headers = _part_texts(package, [r.target for r in rels if r.type == "header"], styles)
    footers = _part_texts(package, [r.target for r in rels if r.type == "footer"], styles)
    core = _core_properties(package)
    table_rows = [b.text for b in blocks if b.kind is ClauseKind.TABLE_ROW]
    # A policy states its own facts in a document-control table, a footer or header, or in its
    # first or last lines; a long handbook's body is not searched.
    ends = [b.text for b in blocks[:FACT_LINES]] + [b.text for b in blocks[-FACT_LINES:]]
    facts = find_facts([*table_rows[:FACT_LINES], *footers, *headers, *ends])
    metadata = Metadata(
        title=walker.title or core.get("title"),
        author=core.get("creator"),
        created=core.get("created"),
        modified=core.get("modified"),
        revision=core.get("revision"),
        header=" / ".join(headers) or None,
        footer=" / ".join(footers) or None,
        version=facts.get("version"),
        approved=facts.get("approved"),
        approved_by=facts.get("approved_by"),
        next_review=facts.get("next_review"),
    )
    sections = build_sections(blocks)
    messages = tuple(
        Message(
            Level.WARNING if code != "toc" else Level.INFO, code, text.format(n=count), path.name
        )
        for code, text in _NOTE_TEXT.items()
        if (count := notes.counts[code])
    )
    return Result(Document(str(path), metadata, sections), messages)


def _part_texts(package: Package, names: list[str], styles: Styles) -> list[str]:
    texts: list[str] = []
    for name in names:
        walker = _Walker(styles, Numbering(None, {}), _Notes())
        walker.blocks_of(package.xml(name))
        text = " ".join(b.text for b in walker.finish() if b.text)
        if text and text not in texts:
            texts.append(text)
    return texts


def _core_properties(package: Package) -> dict[str, str]:
    for rel in package.relationships(""):
        if rel.type == "core-properties" and package.has(rel.target):
            root = package.xml(rel.target)
            out: dict[str, str] = {}
            for key, path in (
                ("title", "dc:title"),
                ("creator", "dc:creator"),
                ("created", "dcterms:created"),
                ("modified", "dcterms:modified"),
                ("revision", "cp:revision"),
            ):
                element = root.find(path, _CORE_NS)
                if element is not None and element.text and element.text.strip():
                    out[key] = element.text.strip()
            return out
    return {}


class _Walker:
    """Walks block-level content in reading order and produces Blocks.

    Complex fields can span paragraphs (a table of contents does), so the field stack lives here,
    not in the paragraph.
    """

    def __init__(self, styles: Styles, numbering: Numbering, notes: _Notes) -> None:
        self.styles = styles
        self.numbering = numbering
        self.notes = notes
        self.blocks: list[Block] = []
        self.title: str | None = None
        self._fields: list[_Field] = []
        self._carry = ""  # text of paragraphs whose mark was deleted, joined to the next one

    def finish(self) -> list[Block]:
        if self._carry.strip():
            self.blocks.append(Block(fold(self._carry)))
            self._carry = ""
        return self.blocks

    # -- block level ---------------------------------------------------------------------------

    def blocks_of(self, container: etree._Element) -> None:
        for child in container:
            tag = child.tag
            if tag == _P:
                self._paragraph(child)
            elif tag == _TBL:
                self._table(child)
            elif tag == _SDT:
                if _is_toc_sdt(child):
                    self.notes.add("toc")
                    continue
                content = child.find(_SDTCONTENT)
                if content is not None:
                    self.blocks_of(content)
            elif tag in _TRANSPARENT:
                self.blocks_of(child)
            elif tag in _DELETED:
                self.notes.add("tracked-changes")
            elif tag == f"{{{MC_NS}}}AlternateContent":
                choice = child.find(f"{{{MC_NS}}}Fallback")
                if choice is not None:
                    self.blocks_of(choice)

    def _table(self, table: etree._Element) -> None:
        rows = list(_rows(table))
        if rows and all(len(list(_cells(row))) <= 1 for row in rows):
            # A one-column table is layout (a boxed policy, a framed notice): read what is in it.
            for row in rows:
                if _row_deleted(row):
                    self.notes.add("tracked-changes")
                    continue
                for cell in _cells(row):
                    self.blocks_of(cell)
            return
        for row in rows:
            if _row_deleted(row):
                self.notes.add("tracked-changes")
                continue
            texts = []
            for cell in _cells(row):
                inner = _Walker(self.styles, self.numbering, self.notes)
                inner._fields = self._fields
                inner.blocks_of(cell)
                cell_text = fold(
                    " ".join(((b.label + " ") if b.label else "") + b.text for b in inner.finish())
                )
                if cell_text:
                    texts.append(cell_text)
            if texts:
                self.blocks.append(Block(CELL_SEPARATOR.join(texts), ClauseKind.TABLE_ROW))

    def _paragraph(self, p: etree._Element) -> None:
        # This runs once per paragraph of a handbook of tens of thousands. One pass over the
        # paragraph finds what it contains, its text and, for a plain paragraph, its
        # properties; anything more (fields, tracked changes, drawings, hidden text, a
        # tracked change of formatting) sends it the careful way.
        tags: set[str] = set()
        texts: list[str] = []
        found: dict[str, str] = {}
        for element in p.iter():
            tag = element.tag
            tags.add(tag)
            if tag == _T:
                texts.append(element.text or "")
            elif tag in _PLAIN_PROPERTIES and tag not in found:
                found[tag] = element.get(VAL, "")
        if self._fields or not tags.isdisjoint(_SLOW_INLINE):
            self._careful_paragraph(p)
            return
        style_id = found.get(_PSTYLE) or None
        style = self.styles.paragraph(style_id)
        body = "".join(texts)
        if _B in tags:
            bold = _Bold(style.bold)
            for run in p.iter(_R):
                b = children(first_child(run, _RPR)).get(_B)
                bold.see("".join(_texts(run)), on(b) if b is not None else style.bold)
            all_bold = bold.all_bold
        else:
            all_bold = style.bold or not body.strip()
        ilvl, outline = found.get(_ILVL), found.get(_OUTLINELVL)
        self._add(
            body,
            style_id,
            style,
            found.get(_NUMID) or None,
            None if ilvl is None else int_text(ilvl, 0),
            None if outline is None else int_text(outline, 9),
            all_bold,
        )

    def _careful_paragraph(self, p: etree._Element) -> None:
        """A paragraph with fields, tracked changes, drawings or hidden text: run by run."""
        props = children(first_child(p, _PPR))
        style_id = val(props.get(_PSTYLE))
        style = self.styles.paragraph(style_id)
        in_toc_field = any(f.is_toc for f in self._fields)
        bold = _Bold(style.bold)
        pieces: list[str] = []
        self._inline(p, pieces, bold)
        body = "".join(pieces)
        mark = props.get(_RPR)
        if mark is not None and not {_DEL, _MOVEFROM}.isdisjoint(children(mark)):
            # The paragraph mark is deleted: accepting joins this paragraph to the next.
            self.notes.add("tracked-changes")
            self._carry += body
            return
        numbering = children(props.get(_NUMPR))
        ilvl, outline = numbering.get(_ILVL), props.get(_OUTLINELVL)
        self._add(
            body,
            style_id,
            style,
            val(numbering.get(_NUMID)),
            None if ilvl is None else int_val(ilvl, 0),
            None if outline is None else int_val(outline, 9),
            bold.all_bold,
            in_toc=in_toc_field or any(f.is_toc for f in self._fields),
        )

    def _add(
        self,
        body: str,
        style_id: str | None,
        style: ParagraphStyle,
        num_id: str | None,
        ilvl: int | None,
        outline: int | None,
        all_bold: bool,
        in_toc: bool = False,
    ) -> None:
        """A paragraph's text and properties, as a Block (or as the title, or not at all: a
        line of a table of contents, by its style or inside a TOC field, is left out)."""
        text = self._carry + body if self._carry else body
        self._carry = ""
        if style.toc or in_toc:
            if text.strip():
                self.notes.add("toc")
            return
        text = fold(text)
        if num_id is None and style.num_id is not None:
            num_id = style.num_id
        if num_id is not None and ilvl is None:
            if style.ilvl is not None:
                ilvl = style.ilvl
            else:
                level = self.numbering.level_for_style(num_id, style_id) if style_id else None
                ilvl = level if level is not None else 0
        if num_id is None:
            ilvl = None
        if not text:
            # An empty numbered paragraph still takes its number in Word.
            if num_id is not None and ilvl is not None:
                self.numbering.label(num_id, ilvl)
            return
        label: str | None = None
        bullet = False
        numbered = False
        if num_id is not None and ilvl is not None:
            shown = self.numbering.label(num_id, ilvl)
            if shown is not None:
                numbered = True
                label, bullet = shown
        heading = style.heading_level
        if outline is not None:
            heading = outline + 1 if outline < 9 else None
        if style.title and heading is None:
            if self.title is None:
                self.title = text
            return
        kind = ClauseKind.LIST_ITEM if numbered or style.list_style else ClauseKind.PARAGRAPH
        self.blocks.append(
            Block(
                text, kind, label, bullet, ilvl if numbered else None, heading, all_bold, style.caps
            )
        )

    # -- inline level --------------------------------------------------------------------------

    def _inline(self, element: etree._Element, out: list[str], bold: _Bold) -> None:
        for child in element:
            tag = child.tag
            if tag == _R:
                self._run(child, out, bold)
            elif tag in _TRANSPARENT:
                if tag in (_INS, _MOVETO):
                    self.notes.add("tracked-changes")
                self._inline(child, out, bold)
            elif tag in _DELETED:
                self.notes.add("tracked-changes")
            elif tag == _SDT:
                content = child.find(_SDTCONTENT)
                if content is not None:
                    self._inline(content, out, bold)
            elif tag == _COMMENTRANGESTART:
                self.notes.add("comments")
            elif tag == f"{{{MC_NS}}}AlternateContent":
                self._drawing(child)

    def _hidden(self) -> bool:
        """Inside a field's instruction, whose text Word does not show."""
        return any(not f.showing_result for f in self._fields)

    def _run(self, run: etree._Element, out: list[str], bold: _Bold) -> None:
        props = children(first_child(run, _RPR))
        run_bold = bold.default
        b = props.get(_B)
        if b is not None:
            run_bold = on(b)
        if on(props.get(_VANISH)) and not on(props.get(_SPECVANISH)):
            return  # hidden text is not part of the policy as it reads
        for child in run:
            tag = child.tag
            if tag == _T:
                if not self._hidden() and child.text:
                    out.append(child.text)
                    bold.see(child.text, run_bold)
            elif tag == _FLDCHAR:
                kind = child.get(_FLDCHARTYPE)
                if kind == "begin":
                    self._fields.append(_Field())
                elif kind == "separate" and self._fields:
                    self._fields[-1].showing_result = True
                elif kind == "end" and self._fields:
                    self._fields.pop()
            elif tag == _INSTRTEXT:
                if self._fields and not self._fields[-1].showing_result:
                    self._fields[-1].instruction.append(child.text or "")
            elif tag in (_TAB, _PTAB):
                if not self._hidden():
                    out.append("\t")
            elif tag in (_BR, _CR):
                if not self._hidden():
                    out.append(" ")
            elif tag == _NOBREAKHYPHEN:
                if not self._hidden():
                    out.append("-")
            elif tag in (_FOOTNOTEREFERENCE, _ENDNOTEREFERENCE):
                self.notes.add("footnote")
            elif tag == _COMMENTREFERENCE:
                self.notes.add("comments")
            elif tag in (_DRAWING, _PICT, f"{{{MC_NS}}}AlternateContent"):
                self._drawing(child)
            elif tag == _OBJECT:
                self.notes.add("object")

    def _drawing(self, element: etree._Element) -> None:
        if next(element.iter(_TXBXCONTENT), None) is not None:
            self.notes.add("text-box")
        else:
            self.notes.add("image")


@dataclass(slots=True)
class _Bold:
    """Tracks whether every visible character of a paragraph is bold."""

    default: bool
    any_text: bool = False
    all_bold: bool = True

    def see(self, text: str, bold: bool) -> None:
        if text.strip():
            self.any_text = True
            self.all_bold = self.all_bold and bold


def _texts(element: etree._Element) -> Iterator[str]:
    """The w:t texts inside `element`, in order."""
    return cast("Iterator[str]", element.itertext(_T, with_tail=False))


def _is_toc_sdt(sdt: etree._Element) -> bool:
    props = sdt.find(_SDTPR)
    if props is None:
        return False
    gallery = props.find(f"{w('docPartObj')}/{w('docPartGallery')}")
    return gallery is not None and "contents" in (val(gallery, "") or "").lower()


def _rows(table: etree._Element) -> list[etree._Element]:
    rows: list[etree._Element] = []
    for child in table:
        if child.tag == _TR:
            rows.append(child)
        elif child.tag in (_SDT, _CUSTOMXML):
            content = child.find(_SDTCONTENT) if child.tag == _SDT else child
            if content is not None:
                rows.extend(_rows(content))
    return rows


def _cells(row: etree._Element) -> list[etree._Element]:
    cells: list[etree._Element] = []
    for child in row:
        if child.tag == _TC:
            cells.append(child)
        elif child.tag in (_SDT, _CUSTOMXML):
            content = child.find(_SDTCONTENT) if child.tag == _SDT else child
            if content is not None:
                cells.extend(_cells(content))
    return cells


def _row_deleted(row: etree._Element) -> bool:
    props = first_child(row, _TRPR)
    return props is not None and _DEL in children(props)
