"""Every word Word shows in a .docx of the shared corpus is in policydiff's model of it.

The check is independent of the reader: it walks the WordprocessingML itself with zipfile and
lxml, after ECMA-376 Part 1 (references below are to its clauses), and compares words, not
paragraphs, so that joins the model makes (a drop cap and its paragraph, a paragraph whose mark
is deleted and the next) cannot fail it. What Word does not show is left out of the walk:

- deleted runs and rows (w:del, w:moveFrom, w:trPr/w:del, w:tcPr/w:cellDel; 17.13.5);
- hidden text (w:vanish, directly or from a style, unless w:specVanish; 17.3.2.41, 17.3.2.36);
- field instructions, and the results of PAGE, NUMPAGES, SECTIONPAGES and TOC fields
  (w:fldChar, w:instrText, w:fldSimple; 17.16);
- a table of contents: paragraphs in a "TOC ..."/"toc n" style, a TOC field's result, or a
  w:sdt whose w:docPartGallery names "Contents" (17.5.2.13);
- of an mc:AlternateContent, the branches the reader does not take: it is enough that one
  branch's text is in the model (ECMA-376 Part 3, 10.2);
- headers and footers Word does not print: a "first" one in a section without w:titlePg, an
  "even" one without w:evenAndOddHeaders in the settings, parts no w:sectPr refers to
  (17.10.1-17.10.5);
- separator notes and notes the document never cites (17.11); comments (17.13.4);
- what the model names as left out (w:object for "object", m:oMath for "equation"; charts and
  SmartArt live in parts of their own and hold no w:t).
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import etree

from policydiff.errors import ReadError
from policydiff.model import Document
from policydiff.readers.docx import read_docx
from tests.conftest import CORPUS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
# Strict OOXML (ECMA-376 Part 1, Annex A) names the same vocabulary in other namespaces.
STRICT = {
    b"http://purl.oclc.org/ooxml/wordprocessingml/main": W.encode(),
    b"http://purl.oclc.org/ooxml/officeDocument/relationships": R.encode(),
    b"http://purl.oclc.org/ooxml/officeDocument/math": M.encode(),
}
PART_LIMIT = 20 * 1024 * 1024  # bytes: a larger part is not read
PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True
)
OFF = {"false", "0", "off"}
# Fields whose result Word recomputes for every page, or a table of contents (17.16.5).
UNSHOWN_FIELDS = {"PAGE", "NUMPAGES", "SECTIONPAGES", "TOC"}
WILD = "\x00"  # a character the walk cannot spell (w:sym, an alternate content's place)


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def on(element: etree._Element | None) -> bool:
    """An ST_OnOff property (17.17.4): absent is off, present without w:val is on."""
    return element is not None and element.get(w("val"), "true").lower() not in OFF


# What to skip outright: property elements hold no shown text (a w:pPrChange or w:sectPrChange
# holds old properties), deleted content is gone once the changes are accepted.
SKIPPED = {
    w(name)
    for name in (
        "pPr",
        "rPr",
        "sectPr",
        "tblPr",
        "tblGrid",
        "tblPrEx",
        "trPr",
        "tcPr",
        "sdtPr",
        "sdtEndPr",
        "del",
        "moveFrom",
        "instrText",
        "delText",
        "delInstrText",
    )
}


# The package (ECMA-376 Part 2)


class Package:
    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        # Part names compare case-insensitively (Part 2, 6.2.2.3).
        self.infos = {info.filename.lower(): info for info in self.zip.infolist()}

    def close(self) -> None:
        self.zip.close()

    def xml(self, name: str) -> etree._Element | None:
        info = self.infos.get(name.lower())
        if info is None or info.file_size > PART_LIMIT:
            return None
        data = self.zip.read(info)
        for strict, transitional in STRICT.items():
            data = data.replace(strict, transitional)
        return etree.fromstring(data, PARSER)

    def relationships(self, name: str) -> dict[str, tuple[str, str]]:
        """Id -> (the last word of the relationship's type, the target part's name)."""
        folder, base = posixpath.split(name)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        found: dict[str, tuple[str, str]] = {}
        if root is None:
            return found
        for rel in root.iter(f"{{{PKG}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = unquote(rel.get("Target", ""))
            if target.startswith("/"):
                target = target[1:]
            else:
                target = posixpath.normpath(posixpath.join(folder, target))
            found[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target)
        return found


@dataclass
class Styles:
    """What the walk needs of styles.xml (17.7): names, inheritance, hidden text."""

    names: dict[str, str] = field(default_factory=dict)
    based_on: dict[str, str] = field(default_factory=dict)
    vanish: dict[str, bool] = field(default_factory=dict)
    default_paragraph: str | None = None
    default_vanish: bool = False

    @classmethod
    def of(cls, root: etree._Element | None) -> Styles:
        styles = cls()
        if root is None:
            return styles
        default = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('vanish')}")
        styles.default_vanish = on(default)
        for style in root.iter(w("style")):
            sid = style.get(w("styleId"), "")
            name = style.find(w("name"))
            styles.names[sid] = name.get(w("val"), "") if name is not None else ""
            based = style.find(w("basedOn"))
            if based is not None:
                styles.based_on[sid] = based.get(w("val"), "")
            vanish = style.find(f"{w('rPr')}/{w('vanish')}")
            if vanish is not None:
                styles.vanish[sid] = on(vanish)
            if style.get(w("type")) == "paragraph" and on_attribute(style.get(w("default"))):
                styles.default_paragraph = sid
        return styles

    def chain(self, sid: str | None) -> Iterator[str]:
        seen: set[str] = set()
        while sid is not None and sid not in seen:
            seen.add(sid)
            yield sid
            sid = self.based_on.get(sid)

    def hidden(self, sid: str | None) -> bool | None:
        for each in self.chain(sid):
            if each in self.vanish:
                return self.vanish[each]
        return None

    def is_toc(self, sid: str | None) -> bool:
        name = self.names.get(sid or "", "")
        return name.startswith("TOC") or name.lower().startswith("toc ")


def on_attribute(value: str | None) -> bool:
    return value is not None and value.lower() not in OFF


# The walk


@dataclass
class Para:
    """One paragraph's shown text (a w:sym or an alternate content's place is WILD)."""

    where: str
    text: str


@dataclass
class Alt:
    """An mc:AlternateContent: the units of each branch; one branch must be in the model."""

    where: str
    branches: list[list[Para | Alt]]


@dataclass
class Field:
    instruction: list[str] = field(default_factory=list)
    result: bool = False  # past its w:fldChar separate
    shown: bool = True


class Story:
    """Walks one story (the body, a header, a footer, a note) in document order."""

    def __init__(
        self, part: str, styles: Styles, left_out: set[str], note_refs: set[tuple[str, str]]
    ) -> None:
        self.part = part
        self.styles = styles
        self.left_out = left_out
        self.note_refs = note_refs
        self.units: list[list[Para | Alt]] = [[]]
        self.paragraphs: list[list[str]] = []
        self.paragraph_styles: list[str | None] = []
        self.fields: list[Field] = []
        self.suppressed = 0  # inside a table of contents: fields count, text does not
        self.carry = ""  # a drop cap, or a paragraph whose mark is deleted, joins the next
        self.count = 0

    def walk(self, element: etree._Element) -> list[Para | Alt]:
        self.children(element)
        if self.carry.strip():
            self.units[-1].append(Para(f"{self.part} paragraph {self.count}", self.carry))
        return self.units[0]

    def children(self, element: etree._Element) -> None:
        for child in element:
            self.visit(child)

    def visit(self, element: etree._Element) -> None:
        tag = element.tag
        if tag in SKIPPED:
            return
        if tag == w("p"):
            self.paragraph(element)
        elif tag == w("r"):
            self.run(element)
        elif tag == w("t"):  # w:t outside a w:r (an m:r of an equation)
            self.text(element.text or "")
        elif tag == w("tr"):
            if not self.has(element, "trPr", "del"):
                self.children(element)
        elif tag == w("tc"):
            if not self.has(element, "tcPr", "cellDel"):
                self.children(element)
        elif tag == w("sdt"):
            gallery = element.find(f"{w('sdtPr')}/{w('docPartObj')}/{w('docPartGallery')}")
            toc = gallery is not None and "Contents" in gallery.get(w("val"), "")
            self.suppressed += toc
            self.children(element)
            self.suppressed -= toc
        elif tag == w("fldSimple"):
            words = element.get(w("instr"), "").split()
            shown = not words or words[0].upper() not in UNSHOWN_FIELDS
            self.suppressed += not shown
            self.children(element)
            self.suppressed -= not shown
        elif tag == f"{{{MC}}}AlternateContent":
            self.alternate(element)
        elif tag in (f"{{{M}}}oMath", f"{{{M}}}oMathPara"):
            if "equation" not in self.left_out:
                self.children(element)
        elif tag == w("object"):
            if "object" not in self.left_out:
                self.children(element)
        else:
            self.children(element)

    @staticmethod
    def has(element: etree._Element, properties: str, name: str) -> bool:
        return element.find(f"{w(properties)}/{w(name)}") is not None

    def paragraph(self, element: etree._Element) -> None:
        properties = element.find(w("pPr"))
        style_element = None if properties is None else properties.find(w("pStyle"))
        style = (
            self.styles.default_paragraph if style_element is None else style_element.get(w("val"))
        )
        toc = self.styles.is_toc(style)
        self.count += 1
        where = f"{self.part} paragraph {self.count}"
        self.paragraphs.append([self.carry])
        self.carry = ""
        self.paragraph_styles.append(style)
        self.suppressed += toc
        self.children(element)
        self.suppressed -= toc
        self.paragraph_styles.pop()
        text = "".join(self.paragraphs.pop())
        if properties is not None:
            frame = properties.find(w("framePr"))
            drop_cap = frame is not None and frame.get(w("dropCap"), "none") != "none"
            mark = properties.find(w("rPr"))
            mark_deleted = mark is not None and (
                mark.find(w("del")) is not None or mark.find(w("moveFrom")) is not None
            )
            if drop_cap or mark_deleted:
                self.carry = text
                return
        if text.strip():
            self.units[-1].append(Para(where, text))

    def hidden(self, run: etree._Element) -> bool:
        """Is the run's text hidden (17.3.2.41), by its own properties or a style's?"""
        properties = run.find(w("rPr"))
        if properties is not None:
            if on(properties.find(w("specVanish"))):
                return False
            vanish = properties.find(w("vanish"))
            if vanish is not None:
                return on(vanish)
            character_style = properties.find(w("rStyle"))
            if character_style is not None:
                found = self.styles.hidden(character_style.get(w("val")))
                if found is not None:
                    return found
        style = self.paragraph_styles[-1] if self.paragraph_styles else None
        found = self.styles.hidden(style)
        return self.styles.default_vanish if found is None else found

    def shown(self) -> bool:
        return not self.suppressed and all(f.result and f.shown for f in self.fields)

    def text(self, text: str) -> None:
        if self.paragraphs and self.shown():
            self.paragraphs[-1].append(text)

    def run(self, run: etree._Element) -> None:
        hidden = self.hidden(run)
        for child in run:
            tag = child.tag
            if tag == w("t"):
                if not hidden:
                    self.text(child.text or "")
            elif tag == w("sym"):
                if not hidden:
                    self.text(WILD)
            elif tag in (w("tab"), w("ptab"), w("br"), w("cr")):
                self.text(" ")
            elif tag == w("noBreakHyphen"):
                if not hidden:
                    self.text("-")
            elif tag == w("fldChar"):
                self.field_char(child.get(w("fldCharType"), ""))
            elif tag == w("instrText"):
                if self.fields and not self.fields[-1].result:
                    self.fields[-1].instruction.append(child.text or "")
            elif tag in (w("footnoteReference"), w("endnoteReference")):
                if not hidden and not self.suppressed:
                    self.note_refs.add((tag.split("}")[1][:-9], child.get(w("id"), "")))
            else:
                self.visit(child)  # a drawing, picture, object or alternate content

    def field_char(self, kind: str) -> None:
        if kind == "begin":
            self.fields.append(Field())
        elif kind == "separate" and self.fields:
            top = self.fields[-1]
            top.result = True
            words = "".join(top.instruction).split()
            top.shown = not words or words[0].upper() not in UNSHOWN_FIELDS
        elif kind == "end" and self.fields:
            self.fields.pop()

    def alternate(self, element: etree._Element) -> None:
        branches: list[list[Para | Alt]] = []
        where = f"{self.part} alternate content in paragraph {self.count}"
        for branch in element:
            if branch.tag not in (f"{{{MC}}}Choice", f"{{{MC}}}Fallback"):
                continue
            self.units.append([])
            self.paragraphs.append([])
            self.children(branch)
            inline = "".join(self.paragraphs.pop())
            units = self.units.pop()
            if inline.strip():
                units.insert(0, Para(where, inline))
            branches.append(units)
        if self.paragraphs:
            self.paragraphs[-1].append(WILD)
        if any(branches):
            self.units[-1].append(Alt(where, branches))


def shown_page_parts(
    body: etree._Element, rels: dict[str, tuple[str, str]], even_and_odd: bool
) -> list[str]:
    """The header and footer parts Word prints: each section's default ones, its first-page
    ones under w:titlePg, its even-page ones under w:evenAndOddHeaders; a section without a
    reference of a type inherits the previous section's (17.10.5)."""
    current: dict[tuple[str, str], str] = {}
    shown: list[str] = []
    for properties in body.iter(w("sectPr")):
        parent = properties.getparent()
        if parent is None or parent.tag not in (w("pPr"), w("body")):
            continue  # the old properties of a w:sectPrChange
        for kind in ("header", "footer"):
            for ref in properties.findall(w(f"{kind}Reference")):
                rel = rels.get(ref.get(f"{{{R}}}id", ""))
                if rel is not None:
                    current[kind, ref.get(w("type"), "default")] = rel[1]
        types = ["default"]
        if on(properties.find(w("titlePg"))):
            types.append("first")
        if even_and_odd:
            types.append("even")
        for kind in ("header", "footer"):
            for page in types:
                part = current.get((kind, page))
                if part is not None and part not in shown:
                    shown.append(part)
    return shown


def word_units(path: Path, left_out: set[str]) -> list[Para | Alt]:
    """What Word shows of the file, story by story."""
    package = Package(path)
    try:
        main = next(
            target
            for kind, target in package.relationships("").values()
            if kind == "officeDocument"
        )
        rels = package.relationships(main)
        by_kind = dict(rels.values())
        styles = Styles.of(package.xml(by_kind["styles"]) if "styles" in by_kind else None)
        settings = package.xml(by_kind["settings"]) if "settings" in by_kind else None
        root = package.xml(main)
        body = None if root is None else root.find(w("body"))
        assert body is not None, "the walk found no document body"
        note_refs: set[tuple[str, str]] = set()
        units = Story(main, styles, left_out, note_refs).walk(body)
        even_and_odd = settings is not None and on(settings.find(w("evenAndOddHeaders")))
        for part in shown_page_parts(body, rels, even_and_odd):
            story = package.xml(part)
            if story is not None:
                units += Story(part, styles, left_out, note_refs).walk(story)
        for kind in ("footnote", "endnote"):
            notes = package.xml(by_kind[kind + "s"]) if kind + "s" in by_kind else None
            if notes is None:
                continue
            for note in notes.iter(w(kind)):
                number = note.get(w("id"), "")
                if note.get(w("type"), "normal") != "normal" or (kind, number) not in note_refs:
                    continue
                units += Story(f"{kind} {number}", styles, left_out, set()).walk(note)
        return units
    finally:
        package.close()


# The comparison

QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"'})
SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(QUOTES).replace("\u2011", "-")
    if not text.isascii():  # U+00AD, zero-width and direction marks... (format characters)
        text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return SPACES.sub(" ", text).strip().lower()


def model_strings(document: Document) -> Iterator[str]:
    if document.metadata.title:
        yield document.metadata.title
    for section in document.walk():
        yield section.title or ""
        yield section.label or ""
        for clause in section.clauses:
            yield from (clause.label or "", clause.text, *clause.cells)
            for note in clause.notes:
                yield from (note.label or "", note.text)


@dataclass
class Model:
    text: str
    words: set[str]

    @classmethod
    def of(cls, strings: Iterable[str]) -> Model:
        text = " ".join(fold(s) for s in strings)
        return cls(text, set(WORD.findall(text)))

    def missing(self, text: str) -> list[str]:
        """The words of `text` (2 characters or more) that the model lacks. A word next to a
        character the walk cannot spell need only be part of some word of the model."""
        text = fold(text)
        lacking = []
        for match in WORD.finditer(text):
            word = match.group()
            if len(word) < 2:
                continue
            start, end = match.span()
            wild = text[start - 1 : start] == WILD or text[end : end + 1] == WILD
            if word not in (self.text if wild else self.words):
                lacking.append(word)
        return lacking


def faults(units: list[Para | Alt], model: Model) -> list[str]:
    found: list[str] = []
    for unit in units:
        if isinstance(unit, Para):
            lacking = model.missing(unit.text)
            if lacking:
                shown = fold(unit.text).replace(WILD, "?")
                found.append(f"{unit.where}: {' '.join(lacking)!r} of {shown[:120]!r}")
        else:
            tried = [faults(branch, model) for branch in unit.branches]
            if all(tried):
                found.append(f"{unit.where}: no branch is in the model; the first lacks:")
                found += ["    " + fault for fault in tried[0]]
    return found


# Files the reader is known to read incompletely: file -> the fault (strict xfail: remove the
# entry once the reader is fixed). None today; features/mammoth-footnote-hyperlink.docx (a body
# paragraph holding only a w:footnoteReference, dropped with its note) was fixed in 90fee48.
KNOWN_FAULTS: dict[str, str] = {}


def corpus_files() -> list[object]:
    if not CORPUS.is_dir():
        return []
    names = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.docx"))
    return [
        pytest.param(
            name,
            id=name,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_FAULTS[name])]
            if name in KNOWN_FAULTS
            else [],
        )
        for name in names
    ]


@pytest.mark.parametrize("name", corpus_files())
def test_every_word_of_a_word_file_is_in_its_model(corpus: Path, name: str) -> None:
    path = corpus / name
    try:
        document = read_docx(path).value
    except ReadError:
        pytest.skip("not a readable .docx: refused by the reader")
    units = word_units(path, {kind for kind, _ in document.left_out})
    missing = faults(units, Model.of(model_strings(document)))
    assert not missing, f"{name}: text Word shows is not in the model:\n" + "\n".join(missing)


# A file for each kind of clause: footnote, text box, footer, header, table row and list item,
# tracked changes with a drop cap's and deleted marks' joins.
WITNESSES = [
    "regressions/05a-footnote-text-changed/old.docx",
    "regressions/05b-textbox-text-changed/old.docx",
    "regressions/05c-footer-review-date-changed/old.docx",
    "regressions/04-drop-cap-split/policy.docx",
    "real/online-safety-control-table/old.docx",
    "real/medical-conditions-tracked/new.docx",
]


@pytest.mark.parametrize("name", WITNESSES)
def test_the_walk_finds_any_clause_missing_from_a_model(corpus: Path, name: str) -> None:
    """The check above is not vacuous: take any one clause's or note's text out of the model
    (one with a word no other text of the model has) and the walk reports it missing."""
    path = corpus / name
    document = read_docx(path).value
    units = word_units(path, {kind for kind, _ in document.left_out})
    strings = list(model_strings(document))
    texts = {clause.text for _, clause in document.clauses()} | {
        note.text for _, clause in document.clauses() for note in clause.notes
    }
    probed = []
    for i, text in enumerate(strings):
        rest = Model.of(strings[:i] + strings[i + 1 :])
        if (
            text in texts
            and {word for word in WORD.findall(fold(text)) if len(word) > 1} - rest.words
        ):
            probed.append(text)
            assert faults(units, rest), f"{name}: the walk did not miss {text!r}"
    assert probed, f"{name}: no clause to take out"
