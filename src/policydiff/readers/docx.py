"""Read a Word .docx into the document model, through lxml over the package's XML.

python-docx's `Paragraph.text` drops text inside tracked insertions, content controls, smart tags
and field results, and walking its object tree grows faster than linearly, so the reader works
on the XML directly: it accepts every tracked change (w:ins in, w:del out), reads hyperlinks,
content controls, smart tags, symbols (w:sym), the shown result of fields and the branch of
markup-compatibility blocks (mc:AlternateContent) a reader without Word's newest features
reads; it reads text boxes and images (alt text and a digest of the picture) as clauses where
they are anchored, footnotes and endnotes onto the clause that cites them, and page headers
and footers into sections of their own; it skips tables of contents and page numbers, and
names what it cannot compare (charts, SmartArt, embedded objects, equations, comments) in the
document's `left_out`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from lxml import etree

from policydiff.errors import ReadError
from policydiff.facts import find_facts
from policydiff.model import (
    CELL_SEPARATOR,
    PAGE_TITLES,
    Clause,
    ClauseExtras,
    ClauseKind,
    Document,
    Metadata,
    Section,
    left_out_sentence,
)
from policydiff.outline import Block, Origins, SectionBuilder, build_sections, fold
from policydiff.readers.numbering import Numbering, format_number
from policydiff.readers.package import Package, Relationship, main_document_part, open_package
from policydiff.readers.styles import ParagraphStyle, Styles
from policydiff.readers.symbols import is_symbol_font, symbol_run_text, symbol_text
from policydiff.readers.wordml import (
    MC_NS,
    R_NS,
    VAL,
    children,
    first_child,
    int_text,
    int_val,
    on,
    row_cells,
    table_rows,
    val,
    w,
)
from policydiff.results import Level, Message, Result
from policydiff.typography import comparable

FACT_LINES = 60  # lines at each end of a document searched for its version and dates
MAX_NESTING = 20  # text boxes in text boxes, tables in tables: deeper than this is not read
# The byte and tag bounds of the package keep a file's markup small; these keep what is read
# from it (and so what is compared and stored) bounded: a 1,000-page handbook has fewer than
# 20,000 paragraphs and the largest real table in a policy a few thousand cells, while the
# benchmarks of issue #15 compare 200,000 short paragraphs (6 s, 430 MB).
MAX_PARAGRAPHS = 250_000
MAX_CELLS = 100_000

V_NS = "urn:schemas-microsoft-com:vml"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
# Word 2016's symbol extension: an emoji or symbol by its Unicode code point (w16se:symEx).
W16SE_NS = "http://schemas.microsoft.com/office/word/2015/wordml/symex"
# What a DrawingML graphic is, by its w:graphicData uri (ECMA-376 Part 1, 20.1.2.2.17).
_PICTURE_URI = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_LEFT_OUT_GRAPHICS = (
    ("drawingml/2006/chart", "chart"),
    ("drawing/2014/chartex", "chart"),
    ("drawingml/2006/diagram", "diagram"),
)
# mc:Choice branches the reader takes: Office's own extensions (Word 2010's w14 text effects and
# custom number formats, its drawing shapes, groups and canvases, Word 2016's w16se emoji ...),
# which are WordprocessingML and DrawingML with extra properties that the reader can pass over,
# as Word itself shows the Choice. Any other branch is read through its mc:Fallback, as ECMA-376
# Part 3 tells a consumer that does not know the Choice's namespaces to do.
_UNDERSTOOD_CHOICES = ("http://schemas.microsoft.com/office/",)
# Fields whose shown result is not policy text: Word recomputes it on every print.
_PAGE_FIELDS = frozenset({"PAGE", "NUMPAGES", "SECTIONPAGES"})

# Elements whose children are read as if they stood in the parent.
_TRANSPARENT = {
    w(name)
    for name in ("ins", "moveTo", "hyperlink", "smartTag", "customXml", "fldSimple", "bdo", "dir")
}
# Tracked deletions: gone once the changes are accepted.
_DELETED = {w("del"), w("moveFrom")}

_ALTERNATECONTENT = f"{{{MC_NS}}}AlternateContent"
_ALTCHUNK = w("altChunk")
_B = w("b")
_BODY = w("body")
_BR = w("br")
_COMMENTRANGESTART = w("commentRangeStart")
_COMMENTREFERENCE = w("commentReference")
_CR = w("cr")
_CUSTOMMARKFOLLOWS = w("customMarkFollows")
_DEL = w("del")
_DELTEXT = w("delText")
_DRAWING = w("drawing")
_DROPCAP = w("dropCap")
_ENDNOTEREFERENCE = w("endnoteReference")
_FLDCHAR = w("fldChar")
_FLDCHARTYPE = w("fldCharType")
_FLDSIMPLE = w("fldSimple")
_FOOTNOTEREFERENCE = w("footnoteReference")
_FRAMEPR = w("framePr")
_ID = w("id")
_ILVL = w("ilvl")
_INS = w("ins")
_INSTR = w("instr")
_INSTRTEXT = w("instrText")
_MOVEFROM = w("moveFrom")
_MOVETO = w("moveTo")
_NOBREAKHYPHEN = w("noBreakHyphen")
_NUMID = w("numId")
_NUMPR = w("numPr")
_OBJECT = w("object")
_OMATH = f"{{{M_NS}}}oMath"
_OMATHPARA = f"{{{M_NS}}}oMathPara"
_OUTLINELVL = w("outlineLvl")
_P = w("p")
_PICT = w("pict")
_PPR = w("pPr")
_PSTYLE = w("pStyle")
_PTAB = w("ptab")
_R = w("r")
_RPR = w("rPr")
_SDT = w("sdt")
_SDTCONTENT = w("sdtContent")
_SDTPR = w("sdtPr")
_SECTPR = w("sectPr")
_SPECVANISH = w("specVanish")
_SYM = w("sym")
_SYMEX = f"{{{W16SE_NS}}}symEx"
_RFONTS = w("rFonts")
_ASCII = w("ascii")
_HANSI = w("hAnsi")
_T = w("t")
_TAB = w("tab")
_TBL = w("tbl")
_TC = w("tc")
_TRPR = w("trPr")
_TXBXCONTENT = w("txbxContent")
_VANISH = w("vanish")

# Anything in a paragraph beyond plain runs of text sends it down the careful path.
_SLOW_INLINE = frozenset({
    _FLDCHAR, _INSTRTEXT, _FLDSIMPLE, _DEL, _MOVEFROM, _INS, _MOVETO, _DRAWING, _PICT,
    _ALTERNATECONTENT, _OBJECT, _VANISH, _TAB, _PTAB, _BR, _CR, _NOBREAKHYPHEN,
    _FOOTNOTEREFERENCE, _ENDNOTEREFERENCE, _COMMENTREFERENCE, _COMMENTRANGESTART, _SDT,
    _DELTEXT, _SYM, w("pPrChange"), _FRAMEPR, _OMATH, _OMATHPARA,
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

    @property
    def is_page_number(self) -> bool:
        words = "".join(self.instruction).split()
        return bool(words) and words[0].upper() in _PAGE_FIELDS


@dataclass(slots=True)
class _Notes:
    """What the reader saw and did not turn into clauses; reported once per kind."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, code: str) -> None:
        self.counts[code] += 1


_NOTE_TEXT = {
    "tracked-changes": (
        "{n} tracked {changes} read as accepted (insertions kept, deletions left out)"
    ),
    "toc": "a table of contents ({n} {lines}) was left out",
}
# What the document contains that is not compared, in the order a report names it.
_LEFT_OUT_ORDER = ("inserted", "chart", "diagram", "object", "equation", "comment")


@dataclass(slots=True)
class _NoteNumbering:
    """How Word numbers footnotes or endnotes: in order of reference, in the format and from
    the start the document's settings give (w:footnotePr / w:endnotePr, ECMA-376 Part 1,
    17.11; Word's defaults are 1, 2, 3 for footnotes and i, ii, iii for endnotes)."""

    fmt: str
    next: int


class _Reading:
    """What every walker of one package shares: styles, numbering, the notes' texts, the
    pictures' digests and the counts of what was left out."""

    def __init__(self, package: Package, styles: Styles, numbering: Numbering) -> None:
        self.package = package
        self.styles = styles
        self.numbering = numbering
        self.notes = _Notes()
        self.title: str | None = None
        self.origins: Origins | None = None  # where clauses come from, for the Word redline
        self.note_texts: dict[ClauseKind, dict[str, tuple[str, str | None]]] = {}
        self.note_numbering = {
            ClauseKind.FOOTNOTE: _NoteNumbering("decimal", 1),
            ClauseKind.ENDNOTE: _NoteNumbering("lowerRoman", 1),
        }
        self._digests: dict[str, str] = {}
        self.choices: dict[str, bool] = {}  # mc:Choice Requires value -> read this branch

    def digest(self, target: str | None) -> str | None:
        """SHA-256 (hex) of the part `target`, or None when it is not in the package."""
        if target is None or not self.package.has(target):
            return None
        if target not in self._digests:
            self._digests[target] = self.package.digest(target)
        return self._digests[target]


def read_docx(path: str | Path) -> Result[Document]:
    """Read the Word file at `path` into a Document, with the reader's warnings.

    Raises ReadError (one plain sentence) when the file is not a readable .docx: not a zip, a
    .doc, encrypted, damaged, a zip bomb, or without a document body.
    """
    path = Path(path)
    package = open_package(path)
    try:
        return _read(package, path)
    finally:
        package.close()


@dataclass(slots=True)
class Sources:
    """A document as read for the Word redline: the package, open, with every part's tree
    kept (its own tracked changes accepted), and where each clause and heading stands in
    them."""

    package: Package
    main: str  # the main document part's name
    origins: Origins


def read_docx_sources(path: str | Path) -> tuple[Result[Document], Sources]:
    """Read the Word file at `path` as `read_docx` does, keeping the package open and its
    parts' trees (the caller closes `Sources.package`). The document's own pending tracked
    changes are accepted in those trees first, which the reader would otherwise do as it
    reads. Raises ReadError as `read_docx` does."""
    path = Path(path)
    package = open_package(path, settle=True)
    origins = Origins([], {}, [])
    try:
        result = _read(package, path, origins)
        main = main_document_part(package)
    except BaseException:
        package.close()
        raise
    if package.settled:
        count = package.settled
        result = Result(
            result.value,
            result.messages
            + (
                Message(
                    Level.WARNING,
                    "tracked-changes",
                    _NOTE_TEXT["tracked-changes"].format(
                        n=count, changes="change was" if count == 1 else "changes were"
                    ),
                    path.name,
                ),
            ),
        )
    return result, Sources(package, main, origins)


def _bounded(path: Path, body: etree._Element) -> None:
    """Refuse a body of more paragraphs or table cells than any real policy has (ReadError)."""
    for tag, limit, what in ((_P, MAX_PARAGRAPHS, "paragraphs"), (_TC, MAX_CELLS, "table cells")):
        for count, _ in enumerate(body.iter(tag), 1):
            if count > limit:
                raise ReadError(
                    str(path),
                    f"has more than {limit:,} {what}, more than any real policy: refusing it "
                    "(split it into the policies it holds)",
                )


def _read(package: Package, path: Path, origins: Origins | None = None) -> Result[Document]:
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
    _bounded(path, body)
    reading = _Reading(package, styles, numbering)
    reading.origins = origins
    settings = package.xml(parts["settings"]) if "settings" in parts else None
    _note_settings(reading, settings, body)
    for kind, rel_type in ((ClauseKind.FOOTNOTE, "footnotes"), (ClauseKind.ENDNOTE, "endnotes")):
        if rel_type in parts:
            reading.note_texts[kind] = _note_texts(reading, parts[rel_type])
    walker = _Walker(reading, package.relationships(main))
    walker.blocks_of(body)
    blocks = walker.finish()
    comments = 0
    if "comments" in parts:
        comments = sum(1 for _ in package.xml(parts["comments"]).iter(w("comment")))
    reading.notes.counts["comment"] = comments

    by_id = {rel.id: rel.target for rel in rels if not rel.external}
    even_and_odd = settings is not None and on(settings.find(w("evenAndOddHeaders")))
    furniture: list[Section] = []
    texts: dict[str, list[str]] = {}
    sections_properties = list(body.iter(_SECTPR))  # (one walk of the tree for both)
    for kind in (ClauseKind.HEADER, ClauseKind.FOOTER):
        title = PAGE_TITLES[kind.value]
        found = _page_parts(reading, sections_properties, by_id, kind, even_and_odd)
        texts[kind.value] = [" ".join(b.text for b in part_blocks) for part_blocks, _ in found]
        section = _furniture_section(kind, title, found, origins)
        if section is not None:
            furniture.append(section)
    headers, footers = texts["header"], texts["footer"]
    core = _core_properties(package)
    table_rows = [b.text for b in blocks if b.kind is ClauseKind.TABLE_ROW]
    # A policy states its own facts in a document-control table, a footer or header, or in its
    # first or last lines; a long handbook's body is not searched.
    ends = [b.text for b in blocks[:FACT_LINES]] + [b.text for b in blocks[-FACT_LINES:]]
    facts = find_facts([*table_rows[:FACT_LINES], *footers, *headers, *ends])
    metadata = Metadata(
        title=reading.title or core.get("title"),
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
    # (headers and footers were recorded first, as they were read: they come last in order)
    furniture_sources = [] if origins is None else origins.clauses[:]
    sections = build_sections(blocks, origins) + tuple(furniture)
    if origins is not None:
        del origins.clauses[: len(furniture_sources)]
        origins.clauses.extend(furniture_sources)
    counts = reading.notes.counts
    left_out = tuple((kind, counts[kind]) for kind in _LEFT_OUT_ORDER if counts[kind])
    messages = tuple(
        Message(
            Level.WARNING if code != "toc" else Level.INFO,
            code,
            text.format(
                n=count,
                changes="change was" if count == 1 else "changes were",
                lines="line" if count == 1 else "lines",
            ),
            path.name,
        )
        for code, text in _NOTE_TEXT.items()
        if (count := counts[code])
    )
    document = Document(str(path), metadata, sections, left_out)
    sentence = left_out_sentence(left_out)
    if sentence is not None:
        messages += (Message(Level.WARNING, "left-out", sentence, path.name),)
    return Result(document, messages)


def _note_settings(
    reading: _Reading, settings: etree._Element | None, body: etree._Element
) -> None:
    """The format and first number of footnotes and endnotes, from the settings part and the
    document's last section properties (which Word lets override them)."""
    places = [e for e in (settings, body.find(_SECTPR)) if e is not None]
    for kind, tag in ((ClauseKind.FOOTNOTE, "footnotePr"), (ClauseKind.ENDNOTE, "endnotePr")):
        numbering = reading.note_numbering[kind]
        for place in places:
            props = place.find(w(tag))
            if props is None:
                continue
            numbering.fmt = val(props.find(w("numFmt")), numbering.fmt) or numbering.fmt
            numbering.next = int_val(props.find(w("numStart")), numbering.next)


def _note_texts(reading: _Reading, part: str) -> dict[str, tuple[str, str | None]]:
    """The text of every footnote (or endnote) in `part`, by its w:id, with a digest of the
    pictures in it (None when it has none); the separators Word draws above the notes are not
    notes."""
    out: dict[str, tuple[str, str | None]] = {}
    rels = reading.package.relationships(part)
    numbering = reading.numbering.fork()
    for note in reading.package.xml(part):
        if note.get(w("type")) not in (None, "normal"):
            continue
        note_id = note.get(_ID)
        if note_id is None:
            continue
        walker = _Walker(reading, rels, story="note", numbering=numbering)
        walker.blocks_of(note)
        blocks = walker.finish()
        text = " ".join(_with_label(b) for b in blocks if b.text and b.kind is not ClauseKind.IMAGE)
        pictures = "".join(f"{b.text}\0{b.digest}\0" for b in blocks if b.kind is ClauseKind.IMAGE)
        digest = hashlib.sha256(pictures.encode()).hexdigest() if pictures else None
        out[note_id] = (text, digest)
    return out


def _with_label(block: Block) -> str:
    return fold(f"{block.label} {block.text}") if block.label else block.text


def _page_parts(
    reading: _Reading,
    sections_properties: list[etree._Element],
    by_id: dict[str, str],
    kind: ClauseKind,
    even_and_odd: bool,
) -> list[tuple[list[Block], str]]:
    """The headers (or footers) Word prints, each part once with the pages it is on, in the
    order the document's sections name them (ECMA-376 Part 1, 17.10: a section without a
    reference of a type keeps the previous section's; a first-page header shows only where
    w:titlePg is on, an even-page one only with w:evenAndOddHeaders)."""
    tag = w("headerReference" if kind is ClauseKind.HEADER else "footerReference")
    pages: dict[str, list[str]] = {}
    inherited: dict[str, str] = {}  # a section without a reference of a type keeps the last one
    for sect in sections_properties:
        for ref in sect.iter(tag):
            target = by_id.get(ref.get(f"{{{R_NS}}}id", ""))
            if target is not None:
                inherited[ref.get(w("type"), "default")] = target
        title_page = on(sect.find(w("titlePg")))
        for which, target in inherited.items():
            if which == "first" and not title_page or which == "even" and not even_and_odd:
                continue
            if not reading.package.has(target):
                continue
            name = {"first": "first page", "even": "even pages"}.get(
                which, "odd pages" if even_and_odd else "every page"
            )
            where = pages.setdefault(target, [])
            if name not in where:
                where.append(name)
    found: list[tuple[list[Block], str]] = []
    seen: dict[tuple[str, ...], int] = {}
    for target, names in pages.items():
        walker = _Walker(
            reading,
            reading.package.relationships(target),
            story="page",
            numbering=reading.numbering.fork(),
        )
        walker.blocks_of(reading.package.xml(target))
        blocks = [b for b in walker.finish() if b.text or b.kind is ClauseKind.IMAGE]
        if not blocks:
            continue
        key = tuple(f"{b.text}\0{b.digest}" for b in blocks)
        if key in seen:  # the same text on other pages: one copy, naming them all
            earlier_blocks, earlier = found[seen[key]]
            twinned = [  # the redline marks every copy
                b._replace(source=_copies(b.source) + _copies(twin.source))
                for b, twin in zip(earlier_blocks, blocks, strict=True)
            ]
            found[seen[key]] = (twinned, f"{earlier}, {', '.join(names)}")
            continue
        seen[key] = len(found)
        found.append((blocks, ", ".join(names)))
    return found


def _copies(source: object) -> tuple[object, ...]:
    return source if isinstance(source, tuple) else (source,)


def _furniture_section(
    kind: ClauseKind,
    title: str,
    found: list[tuple[list[Block], str]],
    origins: Origins | None = None,
) -> Section | None:
    """The page headers (or footers) as a section of their own: a clause per paragraph."""
    if not found:
        return None
    builder = SectionBuilder()
    part = "header" if kind is ClauseKind.HEADER else "footer"
    builder.heading(title, 1, None, part=part)
    for blocks, pages in found:
        for block in blocks:
            if origins is not None:
                origins.clauses.append(block.source)
            builder.clause(
                block.label,
                block.text,
                ClauseKind.IMAGE if block.kind is ClauseKind.IMAGE else kind,
                cells=block.cells,
                notes=block.notes,
                digest=block.digest,
                part=pages,
            )
    return builder.finish()[0]


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


_CHOICE = f"{{{MC_NS}}}Choice"
_FALLBACK = f"{{{MC_NS}}}Fallback"


def _branch(alternate: etree._Element, known: dict[str, bool]) -> etree._Element | None:
    """The branch of an mc:AlternateContent the reader reads: the first mc:Choice whose
    namespaces it understands, else the mc:Fallback (ECMA-376 Part 3, 10.2). `known` caches
    the verdict on each Requires value: a package declares its prefixes once, at the root of
    each part, and Element.nsmap builds a dictionary on every call."""
    fallback: etree._Element | None = None
    for branch in alternate:
        if branch.tag == _CHOICE:
            required = branch.get("Requires") or ""
            verdict = known.get(required)
            if verdict is None:
                spaces = [branch.nsmap.get(prefix) or "" for prefix in required.split()]
                verdict = bool(spaces) and all(s.startswith(_UNDERSTOOD_CHOICES) for s in spaces)
                known[required] = verdict
            if verdict:
                return branch
        elif branch.tag == _FALLBACK:
            fallback = branch
    return fallback


class _Walker:
    """Walks block-level content in reading order and produces Blocks.

    Complex fields can span paragraphs (a table of contents does), so the field stack lives here,
    not in the paragraph. Text boxes and images met inside a paragraph become blocks of their
    own, after it; the notes a paragraph cites go onto its block.
    """

    def __init__(
        self,
        reading: _Reading,
        rels: list[Relationship] | None = None,
        depth: int = 0,
        story: str = "body",
        numbering: Numbering | None = None,
    ) -> None:
        self.reading = reading
        self.styles = reading.styles
        # The body and each other story (the notes, a header) number their lists apart.
        self.numbering = reading.numbering if numbering is None else numbering
        self.story = story  # "body", "note" (which cites no notes) or "page" (header, footer)
        self.notes = reading.notes
        self.rels = {r.id: r.target for r in rels or () if not r.external}
        self.depth = depth
        self.blocks: list[Block] = []
        self._fields: list[_Field] = []
        self._carry = ""  # text of paragraphs whose mark was deleted, joined to the next one
        self._carry_notes: list[Clause] = []
        self._pending: list[Block] = []  # text boxes and images met in the current paragraph
        self._cited: list[Clause] = []  # notes cited in the current paragraph
        self._custom_mark = False  # the next run's text is a note's own mark, not policy text

    def _inner(self) -> _Walker:
        inner = _Walker(self.reading, None, self.depth + 1, self.story, self.numbering)
        inner.rels = self.rels
        inner._fields = self._fields
        return inner

    def finish(self) -> list[Block]:
        self._flush_carry()
        return self.blocks

    def _flush_carry(self) -> None:
        if self._carry.strip() or self._carry_notes:
            self.blocks.append(Block(fold(self._carry), notes=tuple(self._carry_notes)))
        self._carry = ""
        self._carry_notes = []

    # -- block level ---------------------------------------------------------------------------

    def blocks_of(self, container: etree._Element) -> None:
        for child in container:
            tag = child.tag
            if tag == _P:
                self._paragraph(child)
            elif tag == _TBL:
                # A paragraph whose mark was deleted before a table is not joined across it.
                self._flush_carry()
                if self.depth < MAX_NESTING:
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
            elif tag == _ALTERNATECONTENT:
                branch = _branch(child, self.reading.choices)
                if branch is not None:
                    self.blocks_of(branch)
            elif tag == _ALTCHUNK:
                self.notes.add("inserted")  # another document's content, imported as it opens

    def _table(self, table: etree._Element) -> None:
        rows = list(table_rows(table))
        if rows and all(len(list(row_cells(row))) <= 1 for row in rows):
            # A one-column table is layout (a boxed policy, a framed notice): read what is in it.
            for row in rows:
                if _row_deleted(row):
                    self.notes.add("tracked-changes")
                    continue
                for cell in row_cells(row):
                    self.blocks_of(cell)
            return
        for row in rows:
            if _row_deleted(row):
                self.notes.add("tracked-changes")
                continue
            texts: list[str] = []
            notes: list[Clause] = []
            apart: list[Block] = []  # text boxes and images in the row's cells
            for cell in row_cells(row):
                inner = self._inner()
                inner.blocks_of(cell)
                pieces = []
                for b in inner.finish():
                    notes.extend(b.notes)
                    if b.kind in (ClauseKind.TEXT_BOX, ClauseKind.IMAGE):
                        apart.append(b._replace(notes=()))
                    elif b.text:
                        pieces.append(_with_label(b))
                cell_text = fold(" ".join(pieces))
                if cell_text:
                    texts.append(cell_text)
            if texts:
                self.blocks.append(
                    Block(
                        CELL_SEPARATOR.join(texts),
                        ClauseKind.TABLE_ROW,
                        cells=tuple(texts),
                        notes=tuple(notes),
                        source=row,
                    )
                )
            elif notes:
                apart.append(Block("", ClauseKind.PARAGRAPH, notes=tuple(notes), source=row))
            self.blocks.extend(apart)

    def _paragraph(self, p: etree._Element) -> None:
        # This runs once per paragraph of a handbook of tens of thousands. One pass over the
        # paragraph finds what it contains, its text and, for a plain paragraph, its
        # properties; anything more (fields, tracked changes, drawings, hidden text, symbols,
        # notes, a drop cap, a tracked change of formatting) sends it the careful way.
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
        if _RFONTS in tags and any(_symbol_font(f) for f in p.iter(_RFONTS)):
            tags.add(_SYM)  # text set in a symbol font (Symbol, Wingdings): read run by run
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
            source=p,
        )

    def _careful_paragraph(self, p: etree._Element) -> None:
        """A paragraph with fields, tracked changes, drawings, symbols, notes or hidden text:
        run by run."""
        props = children(first_child(p, _PPR))
        style_id = val(props.get(_PSTYLE))
        style = self.styles.paragraph(style_id)
        in_toc_field = any(f.is_toc for f in self._fields)
        bold = _Bold(style.bold)
        pieces: list[str] = []
        self._pending, self._cited = [], []
        self._inline(p, pieces, bold)
        body = "".join(pieces)
        pending, cited = self._pending, self._cited
        self._pending, self._cited = [], []
        mark = props.get(_RPR)
        frame = props.get(_FRAMEPR)
        if mark is not None and not {_DEL, _MOVEFROM}.isdisjoint(children(mark)):
            # The paragraph mark is deleted: accepting joins this paragraph to the next.
            self.notes.add("tracked-changes")
            self._carry += body
            self._carry_notes += cited
            self.blocks.extend(pending)
            return
        if frame is not None and frame.get(_DROPCAP) in ("drop", "margin") and body.strip():
            # A drop cap: Word draws this letter (or word) as the start of the next paragraph.
            self._carry += body.strip()
            self._carry_notes += cited
            self.blocks.extend(pending)
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
            cited=cited,
            source=p,
        )
        self.blocks.extend(pending)

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
        cited: list[Clause] | None = None,
        source: etree._Element | None = None,
    ) -> None:
        """A paragraph's text and properties, as a Block (or as the title, or not at all: a
        line of a table of contents, by its style or inside a TOC field, is left out)."""
        notes: tuple[Clause, ...] = ()
        if self._carry:
            text = self._carry + body
            self._carry = ""
        else:
            text = body
        if self._carry_notes or cited:
            notes = tuple(self._carry_notes + (cited or []))
            self._carry_notes = []
        if style.toc or in_toc:
            if text.strip():
                self.notes.add("toc")
            return
        text = fold(text)
        if text and not text.isascii() and not comparable(text):
            text = ""  # only characters that print as nothing: an empty paragraph
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
            if notes:
                self.blocks.append(Block("", notes=notes, source=source))
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
        first_title = self.reading.title is None and self.depth == 0 and self.story == "body"
        if style.title and heading is None and first_title:
            # The body's first Title-styled paragraph names the document; any later one (a
            # school's name on the cover, a strapline, a boxed rule) is text like any other,
            # as is one in a header or a note.
            self.reading.title = text
            if self.reading.origins is not None:
                self.reading.origins.title.append(source)
            if notes:
                self.blocks.append(Block("", notes=notes, source=source))
            return
        kind = ClauseKind.LIST_ITEM if numbered or style.list_style else ClauseKind.PARAGRAPH
        block = Block(
            text, kind, label, bullet, ilvl if numbered else None, heading, all_bold, style.caps,
            source=source,
        )  # fmt: skip
        self.blocks.append(block._replace(notes=notes) if notes else block)

    # -- inline level --------------------------------------------------------------------------

    def _inline(self, element: etree._Element, out: list[str], bold: _Bold) -> None:
        for child in element:
            tag = child.tag
            if tag == _R:
                self._run(child, out, bold)
            elif tag == _FLDSIMPLE:
                words = (child.get(_INSTR) or "").split()
                if not (words and words[0].upper() in _PAGE_FIELDS):
                    self._inline(child, out, bold)
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
            elif tag == _ALTERNATECONTENT:
                branch = _branch(child, self.reading.choices)
                if branch is not None:
                    self._inline(branch, out, bold)
            elif tag in (_OMATH, _OMATHPARA):
                self.notes.add("equation")
            elif tag in (_DRAWING, _PICT, _OBJECT):
                self._drawing(child)

    def _hidden(self) -> bool:
        """Inside a field's instruction, whose text Word does not show, or a page number."""
        return any(not f.showing_result or f.is_page_number for f in self._fields)

    def _run(self, run: etree._Element, out: list[str], bold: _Bold) -> None:
        props = children(first_child(run, _RPR))
        run_bold = bold.default
        b = props.get(_B)
        if b is not None:
            run_bold = on(b)
        if on(props.get(_VANISH)) and not on(props.get(_SPECVANISH)):
            return  # hidden text is not part of the policy as it reads
        font = _symbol_font(props.get(_RFONTS))
        if font is None:
            self._run_content(run, out, bold, run_bold)
            return
        pieces: list[str] = []  # text typed in a symbol font shows the font's glyphs
        self._run_content(run, pieces, bold, run_bold)
        out.append(symbol_run_text(font, "".join(pieces)))

    def _run_content(
        self, run: etree._Element, out: list[str], bold: _Bold, run_bold: bool
    ) -> None:
        for child in run:
            tag = child.tag
            if tag == _T:
                if self._custom_mark:
                    self._custom_mark = False  # a note's own mark ("*"), not policy text
                elif not self._hidden() and child.text:
                    out.append(child.text)
                    bold.see(child.text, run_bold)
            elif tag == _SYM:
                if not self._hidden():
                    symbol = symbol_text(child.get(w("font")), child.get(w("char")))
                    out.append(symbol)
                    bold.see(symbol, run_bold)
            elif tag == _SYMEX:
                if not self._hidden():
                    symbol = _code_point(child.get(f"{{{W16SE_NS}}}char"))
                    out.append(symbol)
                    bold.see(symbol, run_bold)
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
            elif tag == _FOOTNOTEREFERENCE:
                self._cite(ClauseKind.FOOTNOTE, child)
            elif tag == _ENDNOTEREFERENCE:
                self._cite(ClauseKind.ENDNOTE, child)
            elif tag == _ALTERNATECONTENT:
                branch = _branch(child, self.reading.choices)
                if branch is not None:
                    self._run_content(branch, out, bold, run_bold)
            elif tag in (_DRAWING, _PICT, _OBJECT):
                self._drawing(child)

    def _cite(self, kind: ClauseKind, reference: etree._Element) -> None:
        """A footnote or endnote reference: the note becomes a clause on this paragraph's
        clause, labelled with the number Word shows (none for a custom mark)."""
        if self.story == "note":
            return  # a note cannot cite a note in Word: a crafted one is not counted
        numbering = self.reading.note_numbering[kind]
        found = self.reading.note_texts.get(kind, {}).get(reference.get(_ID, ""))
        if (reference.get(_CUSTOMMARKFOLLOWS) or "").lower() in ("1", "true", "on"):
            label = None
            self._custom_mark = True
        else:
            label = format_number(numbering.next, numbering.fmt)
            numbering.next += 1
        if found is None:
            return
        text, digest = found
        extras = None if digest is None else ClauseExtras(digest=digest)
        self._cited.append(Clause(_note_id(kind, text, digest), label, text, kind, extras))

    # -- drawings ------------------------------------------------------------------------------

    def _drawing(self, element: etree._Element) -> None:
        """A w:drawing, VML w:pict or w:object in a run: its text boxes and pictures become
        blocks after the paragraph; charts, SmartArt and embedded objects are counted as left
        out."""
        if element.tag == _OBJECT:
            self.notes.add("object")
            return
        for box in _outermost(list(element.iter(_TXBXCONTENT)), element):
            if self.depth >= MAX_NESTING:
                break
            inner = self._inner()
            inner.blocks_of(box)
            for b in inner.finish():
                if b.kind in (ClauseKind.IMAGE, ClauseKind.TABLE_ROW):
                    self._pending.append(b)
                elif b.text or b.notes:
                    self._pending.append(
                        b._replace(kind=ClauseKind.TEXT_BOX, heading_level=None, bullet=False)
                    )
        if element.tag == _DRAWING:
            for graphic in element.iter(f"{{{A_NS}}}graphicData"):
                uri = graphic.get("uri") or ""
                if uri == _PICTURE_URI:
                    self._picture(graphic)
                    continue
                kind = next((k for part, k in _LEFT_OUT_GRAPHICS if part in uri), None)
                if kind is not None:
                    self.notes.add(kind)
                # shapes, groups and canvases: their text boxes were read above, and their
                # pictures are graphicData of their own
        else:  # VML
            for data in element.iter(f"{{{V_NS}}}imagedata"):
                shape = data.getparent()
                alt = shape.get("alt") if shape is not None else None
                target = self.rels.get(data.get(f"{{{R_NS}}}id", ""))
                self._pending.append(
                    Block(
                        fold(alt or ""),
                        ClauseKind.IMAGE,
                        digest=self.reading.digest(target),
                        source=element,
                    )
                )

    def _picture(self, graphic: etree._Element) -> None:
        """A DrawingML picture: its alt text (wp:docPr descr, else title) and its bytes."""
        alt = ""
        for ancestor in graphic.iterancestors():
            if ancestor.tag in (f"{{{WP_NS}}}inline", f"{{{WP_NS}}}anchor"):
                doc_pr = ancestor.find(f"{{{WP_NS}}}docPr")
                if doc_pr is not None:
                    alt = doc_pr.get("descr") or doc_pr.get("title") or ""
                break
        blip = next(graphic.iter(f"{{{A_NS}}}blip"), None)
        target = None
        if blip is not None:
            target = self.rels.get(blip.get(f"{{{R_NS}}}embed", "")) or None
        self._pending.append(
            Block(fold(alt), ClauseKind.IMAGE, digest=self.reading.digest(target), source=graphic)
        )


def _symbol_font(fonts: etree._Element | None) -> str | None:
    """The symbol font (Symbol, Wingdings ...) a run's w:rFonts sets for its text, if any."""
    if fonts is None:
        return None
    for attribute in (_ASCII, _HANSI):
        name = fonts.get(attribute)
        if name is not None:
            return name if is_symbol_font(name) else None
    return None


def _code_point(char: str | None) -> str:
    """The character of a hex code point ("1F6D1"), or "" when it is not one XML can hold."""
    try:
        code = int(char or "", 16)
    except ValueError:
        return ""
    if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD:
        return chr(code)
    return chr(code) if 0x10000 <= code <= 0x10FFFF else ""


def _outermost(boxes: list[etree._Element], within: etree._Element) -> list[etree._Element]:
    """The text boxes not inside another of `boxes` (an inner one is read with its outer)."""
    if len(boxes) < 2:
        return boxes
    inside = set(boxes)
    out = []
    for box in boxes:
        for ancestor in box.iterancestors():
            if ancestor is within:
                out.append(box)
                break
            if ancestor in inside:
                break
    return out


def _note_id(kind: ClauseKind, text: str, digest: str | None) -> str:
    return "n" + hashlib.sha1(f"{kind.value}\0{text}\0{digest}".encode()).hexdigest()[:8]


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


def _row_deleted(row: etree._Element) -> bool:
    props = first_child(row, _TRPR)
    return props is not None and _DEL in children(props)
