"""The Word redline on small documents built for each kind of change (fixtures built here, so
the tests run on a clean clone): Accept All gives NEW and Reject All gives OLD, through the
independent views of tests/revision_views.py, and each kind is marked as Word marks it."""

from __future__ import annotations

import base64
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
from lxml import etree
from typer.testing import CliRunner

from policydiff.cli import app
from policydiff.diffing.align import flatten
from policydiff.readers.docx import read_docx
from policydiff.typography import comparable
from tests.builders import heading_styles, p, table, write_docx
from tests.revision_views import accept_all, reject_all

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
runner = CliRunner()

# A 1 x 1 PNG (a picture's bytes are what matter, not what it shows).
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
NUMBERING = (
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
)


def h(text: str, level: int = 1) -> str:
    return p(text, style=f"Heading{level}")


def bold_word(before: str, word: str, after: str) -> str:
    return (
        f'<w:p><w:r><w:t xml:space="preserve">{before}</w:t></w:r>'
        f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{word}</w:t></w:r>'
        f'<w:r><w:t xml:space="preserve">{after}</w:t></w:r></w:p>'
    )


def picture(rel_id: str, alt: str) -> str:
    return (
        '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/'
        'drawingml/2006/wordprocessingDrawing"><wp:extent cx="9525" cy="9525"/>'
        f'<wp:docPr id="1" name="Picture 1" descr="{alt}"/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:nvPicPr><pic:cNvPr id="0" name="logo.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships" r:embed="{rel_id}"/></pic:blipFill><pic:spPr/></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )


def footnoted(text: str, note_id: int) -> str:
    return (
        f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
        f'<w:r><w:footnoteReference w:id="{note_id}"/></w:r></w:p>'
    )


def footnotes(*notes: tuple[int, str]) -> str:
    body = "".join(
        f'<w:footnote w:id="{n}"><w:p><w:r><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
        for n, text in notes
    )
    return f'<w:footnotes xmlns:w="{W}">{body}</w:footnotes>'


def build(path: Path, body: str, **extra: Any) -> Path:
    return write_docx(path, body, styles=heading_styles(), **extra)


INTRO = p("This policy applies to all staff, governors and volunteers of the school.")
DUTY = p("Staff must report any concern to the Designated Safeguarding Lead the same day.")
SCOPE = p("The policy covers the use of school devices at home as well as in school.")
REVIEW = p("The governing body reviews this policy every year in the summer term.")

# name -> (old body, new body, extra write_docx arguments for old, for new)
Case = tuple[str, str, dict[str, Any], dict[str, Any]]
CASES: dict[str, Case] = {
    "words in a bold run": (
        bold_word("Staff ", "should", " tell the head."),
        bold_word("Staff ", "must", " tell the head teacher."),
        {},
        {},
    ),
    "clause added": (INTRO + REVIEW, INTRO + DUTY + REVIEW, {}, {}),
    "clause removed": (INTRO + DUTY + REVIEW, INTRO + REVIEW, {}, {}),
    "first clause removed": (DUTY + INTRO + REVIEW, INTRO + REVIEW, {}, {}),
    "numbered item removed": (
        p("Report it.", num=(1, 0)) + p("Record it.", num=(1, 0)) + p("Refer it.", num=(1, 0)),
        p("Report it.", num=(1, 0)) + p("Refer it.", num=(1, 0)),
        {"numbering": NUMBERING},
        {"numbering": NUMBERING},
    ),
    "clause moved to another section": (
        h("Duties") + DUTY + INTRO + h("Review") + REVIEW + SCOPE,
        h("Duties") + INTRO + h("Review") + REVIEW + DUTY + SCOPE,
        {},
        {},
    ),
    "clause split": (
        p("Staff must report concerns at once. The lead will record every report."),
        p("Staff must report concerns at once.") + p("The lead will record every report."),
        {},
        {},
    ),
    "clauses joined": (
        INTRO + p("Staff must report concerns.") + p("The lead records each one.") + REVIEW,
        INTRO + p("Staff must report concerns, and the lead records each one.") + REVIEW,
        {},
        {},
    ),
    "heading renamed, added and removed": (
        h("Peer on peer abuse") + DUTY + h("Old section") + SCOPE + h("Review") + REVIEW,
        h("Child-on-child abuse") + DUTY + h("Review") + REVIEW + h("Filtering") + INTRO,
        {},
        {},
    ),
    "table rows and cells": (
        INTRO
        + table(
            ("Approved by", "Full Governing Body"),
            ("Date", "March 2024"),
            ("Owner", "Head"),
        )
        + REVIEW,
        INTRO
        + table(("Approved by", "Full Governing Body"), ("Date", "March 2025"), ("Next", "2026"))
        + REVIEW,
        {},
        {},
    ),
    "table removed whole": (
        INTRO + table(("Role", "Name"), ("DSL", "A. Smith")) + REVIEW,
        INTRO + REVIEW,
        {},
        {},
    ),
    "footer edited": (INTRO, INTRO, {"footer": "Version 3.0"}, {"footer": "Version 3.1"}),
    "footnote edited and removed": (
        footnoted("Schools must keep records.", 1) + footnoted("Data is kept safe.", 2),
        footnoted("Schools must keep records.", 1) + p("Data is kept safe."),
        {
            "parts": {"word/footnotes.xml": footnotes((1, "KCSIE 2023."), (2, "UK GDPR."))},
            "relationships": (("rId9", "footnotes", "footnotes.xml"),),
        },
        {
            "parts": {"word/footnotes.xml": footnotes((1, "KCSIE 2024."))},
            "relationships": (("rId9", "footnotes", "footnotes.xml"),),
        },
    ),
    "picture removed": (
        INTRO + picture("rId8", "School crest") + REVIEW,
        INTRO + REVIEW,
        {
            "parts": {"word/media/crest.png": PNG},
            "relationships": (("rId8", "image", "media/crest.png"),),
        },
        {},
    ),
    "no change": (INTRO + DUTY, INTRO + DUTY, {}, {}),
    # found by a breaker (issue #16): each kind of fault, as a case of its own
    "split with a blank line between": (
        p("Staff must report concerns at once. The lead will record every report."),
        p("Staff must report concerns at once.")
        + "<w:p/>"
        + '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
        + p("The lead will record every report."),
        {},
        {},
    ),
    "one note edited, another removed": (
        '<w:p><w:r><w:t xml:space="preserve">Schools keep records.</w:t></w:r>'
        '<w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t xml:space="preserve"> Safely.</w:t>'
        '</w:r><w:r><w:footnoteReference w:id="2"/></w:r></w:p>',
        footnoted("Schools keep records.", 1),
        {
            "parts": {"word/footnotes.xml": footnotes((1, "KCSIE 2023."), (2, "UK GDPR."))},
            "relationships": (("rId9", "footnotes", "footnotes.xml"),),
        },
        {
            "parts": {"word/footnotes.xml": footnotes((1, "KCSIE 2024."))},
            "relationships": (("rId9", "footnotes", "footnotes.xml"),),
        },
    ),
    "every note removed": (
        footnoted("Schools must keep records.", 1) + REVIEW,
        p("Schools must keep records.") + REVIEW,
        {
            "parts": {"word/footnotes.xml": footnotes((1, "KCSIE 2023."))},
            "relationships": (("rId9", "footnotes", "footnotes.xml"),),
        },
        {},
    ),
    "title given": (
        INTRO + REVIEW,
        p("Safeguarding Policy", style="Title") + INTRO + REVIEW,
        {},
        {},
    ),
    "title taken away": (
        p("Safeguarding Policy", style="Title") + INTRO + REVIEW,
        INTRO + REVIEW,
        {},
        {},
    ),
    "table inside a cell edited": (
        "<w:tbl><w:tr><w:tc>"
        + p("Contacts")
        + table(("DSL", "A. Smith"), ("Deputy", "B. Jones"))
        + "<w:p/></w:tc><w:tc>"
        + p("Updated yearly")
        + "</w:tc></w:tr></w:tbl>",
        "<w:tbl><w:tr><w:tc>"
        + p("Contacts")
        + table(("DSL", "C. Patel"), ("Deputy", "B. Jones"))
        + "<w:p/></w:tc><w:tc>"
        + p("Updated yearly")
        + "</w:tc></w:tr></w:tbl>",
        {},
        {},
    ),
    "everything removed": (
        p("Safeguarding Policy", style="Title") + h("Duties") + DUTY + table(("Role", "Name")),
        "<w:p/>",
        {},
        {},
    ),
    "paragraph with a text box removed": (
        INTRO + '<w:p><w:r><w:t xml:space="preserve">Key contact: </w:t></w:r><w:r><w:pict>'
        '<v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent>'
        + p("Mrs Smith, Designated Safeguarding Lead")
        + "</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"
        + REVIEW,
        INTRO + REVIEW,
        {},
        {},
    ),
}


def reading(path: Path) -> list[tuple[Any, ...]]:
    """Title, then each clause (headers, footers and notes included), folded for typography."""
    document = read_docx(path).value
    return [("title", document.title)] + [
        (
            ref.section,
            "row" if ref.kind.value == "table row" else "text",
            comparable(ref.text),
            tuple(comparable(n.text) for n in ref.clause.notes),
        )
        for ref in flatten(document)
    ]


def redline(old: Path, new: Path, out: Path, *more: str) -> Path:
    result = runner.invoke(
        app, ["report", str(old), str(new), "--format", "docx", "-o", str(out), *more]
    )
    assert result.exit_code == 0, result.output
    return out


def parts(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as package:
        return {
            name: etree.fromstring(package.read(name))
            for name in package.namelist()
            if name.endswith(".xml") and name.startswith("word/")
        }


def made(tmp_path: Path, name: str) -> tuple[Path, Path, Path]:
    old_body, new_body, old_extra, new_extra = CASES[name]
    old = build(tmp_path / "old.docx", old_body, **old_extra)
    new = build(tmp_path / "new.docx", new_body, **new_extra)
    return old, new, redline(old, new, tmp_path / "redline.docx")


@pytest.mark.parametrize("name", list(CASES))
def test_accept_all_gives_new_and_reject_all_gives_old(tmp_path: Path, name: str) -> None:
    old, new, out = made(tmp_path, name)
    assert reading(accept_all(out, tmp_path / "a.docx")) == reading(new)
    assert reading(reject_all(out, tmp_path / "r.docx")) == reading(old)


@pytest.mark.parametrize("name", list(CASES))
def test_every_mark_is_ours_with_a_unique_id(tmp_path: Path, name: str) -> None:
    _, _, out = made(tmp_path, name)
    for part, root in parts(out).items():
        marks = xp(
            root,
            "//w:ins|//w:del|//w:moveFrom|//w:moveTo|//w:moveFromRangeStart|//w:moveToRangeStart",
        )
        assert all(m.get(f"{{{W}}}author") == "policydiff" for m in marks), part
        ids = [str(i) for i in xp(root, "//w:ins/@w:id|//w:del/@w:id|//w:moveFrom/@w:id|"
                                            "//w:moveTo/@w:id|//w:bookmarkStart/@w:id|"
                                            "//w:moveFromRangeStart/@w:id|//w:moveToRangeStart/@w:id")]  # fmt: skip
        assert len(ids) == len(set(ids)), part
        names_from = sorted(map(str, xp(root, "//w:moveFromRangeStart/@w:name")))
        names_to = sorted(map(str, xp(root, "//w:moveToRangeStart/@w:name")))
        assert names_from == names_to, part


def xp(root: etree._Element, path: str) -> list[Any]:
    """The nodes or values an XPath (w: prefix bound) finds."""
    return cast("list[Any]", root.xpath(path, namespaces=NS))


def _document(out: Path) -> etree._Element:
    return parts(out)["word/document.xml"]


Check = Callable[[dict[str, etree._Element]], bool]
# What each kind looks like in the redline, as Word's Compare marks it.
LOOKS: dict[str, Check] = {
    "words in a bold run": lambda x: bool(
        xp(x["word/document.xml"], "//w:del/w:r[w:rPr/w:b][w:delText='should']")
        and xp(x["word/document.xml"], "//w:ins/w:r[w:rPr/w:b][w:t='must']")
    ),
    "clause added": lambda x: bool(
        xp(x["word/document.xml"], "//w:p[w:pPr/w:rPr/w:ins][w:ins/w:r]")
    ),
    "numbered item removed": lambda x: bool(
        xp(
            x["word/document.xml"],
            "//w:p[w:pPr/w:numPr/w:numId/@w:val='1'][w:pPr/w:rPr/w:del]"
            "[w:del/w:r/w:delText='Record it.']",
        )
    ),
    "clause moved to another section": lambda x: bool(
        xp(x["word/document.xml"], "//w:p[w:pPr/w:rPr/w:moveFrom][w:moveFrom]")
        and xp(x["word/document.xml"], "//w:p[w:pPr/w:rPr/w:moveTo][w:moveTo]")
    ),
    "clause split": lambda x: len(xp(x["word/document.xml"], "//w:pPr/w:rPr/w:ins")) == 1,
    "clauses joined": lambda x: len(xp(x["word/document.xml"], "//w:pPr/w:rPr/w:del")) == 1,
    "table rows and cells": lambda x: bool(
        xp(x["word/document.xml"], "//w:tr[w:trPr/w:ins]")
        and xp(x["word/document.xml"], "//w:tr[w:trPr/w:del]")
        and xp(x["word/document.xml"], "//w:tc//w:ins/w:r[w:t='2025']")
    ),
    "table removed whole": lambda x: bool(xp(x["word/document.xml"], "//w:tbl/w:tr[w:trPr/w:del]")),
    "footer edited": lambda x: bool(xp(x["word/footer1.xml"], "//w:ins/w:r[w:t='1']")),
    "footnote edited and removed": lambda x: bool(
        xp(x["word/footnotes.xml"], "//w:ins/w:r[w:t='2024']")
        and xp(x["word/footnotes.xml"], "//w:del/w:r[w:delText=' UK GDPR.']")
    ),
    "picture removed": lambda x: bool(xp(x["word/document.xml"], "//w:del/w:r/w:drawing")),
    "no change": lambda x: (
        not xp(x["word/document.xml"], "//w:ins|//w:del|//w:moveFrom|//w:moveTo")
    ),
}


@pytest.mark.parametrize("name", list(LOOKS))
def test_each_kind_is_marked_as_word_marks_it(tmp_path: Path, name: str) -> None:
    _, _, out = made(tmp_path, name)
    assert LOOKS[name](parts(out)), name


def test_a_redline_of_an_accepted_redline_carries_only_its_own_marks(tmp_path: Path) -> None:
    """Next year's NEW is often this year's redline with its changes accepted: its hidden
    bookmarks and summary comment are not this comparison's and must not be counted twice."""
    old, _, out = made(tmp_path, "clause added")
    accepted = accept_all(out, tmp_path / "accepted.docx")
    again = redline(old, accepted, tmp_path / "again.docx")
    found = parts(again)
    names = [str(n) for n in xp(found["word/document.xml"], "//w:bookmarkStart/@w:name")]
    assert names == ["_PolicydiffChange1"]
    assert len(xp(found["word/comments.xml"], "//w:comment")) == 1
    assert len(xp(found["word/document.xml"], "//w:commentReference")) == 1


@pytest.mark.parametrize("which", ["old", "new"])
def test_the_redline_never_overwrites_a_file_it_compares(tmp_path: Path, which: str) -> None:
    old, new, _ = made(tmp_path, "clause added")
    target = old if which == "old" else new
    before = target.read_bytes()
    result = runner.invoke(
        app, ["report", str(old), str(new), "--format", "docx", "-o", str(target)]
    )
    assert result.exit_code == 2
    assert "would overwrite" in result.output
    assert target.read_bytes() == before


@pytest.mark.parametrize("author", ["", "   ", "Mrs Smith\x0b", "Clerk\ufffe", "x" * 300])
def test_an_author_word_cannot_show_is_refused_in_one_line(tmp_path: Path, author: str) -> None:
    old, new, _ = made(tmp_path, "clause added")
    result = runner.invoke(
        app,
        ["report", str(old), str(new), "--format", "docx", "-o", str(tmp_path / "r.docx"),
         "--author", author],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--author" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_strict_open_xml_pair_is_marked_and_stays_strict(tmp_path: Path) -> None:
    old = write_docx(tmp_path / "old.docx", INTRO + DUTY, strict=True)
    new = write_docx(tmp_path / "new.docx", INTRO + REVIEW, strict=True)
    out = redline(old, new, tmp_path / "redline.docx")
    with zipfile.ZipFile(out) as package:
        xml = package.read("word/document.xml")
    assert b"http://purl.oclc.org/ooxml/wordprocessingml/main" in xml
    assert b"http://schemas.openxmlformats.org/wordprocessingml/2006/main" not in xml
    assert reading(accept_all(out, tmp_path / "a.docx")) == reading(new)
    assert reading(reject_all(out, tmp_path / "r.docx")) == reading(old)


def test_a_removed_picture_comes_back_with_its_bytes(tmp_path: Path) -> None:
    _, _, out = made(tmp_path, "picture removed")
    with zipfile.ZipFile(out) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        assert [package.read(n) for n in media] == [PNG]
        rels = package.read("word/_rels/document.xml.rels").decode()
    assert media[0].rsplit("/", 1)[1] in rels


def test_the_new_documents_own_tracked_changes_are_settled_first(tmp_path: Path) -> None:
    old = build(tmp_path / "old.docx", INTRO + p("Staff should tell the head."))
    pending = (
        '<w:p><w:r><w:t xml:space="preserve">Staff </w:t></w:r>'
        '<w:del w:id="1" w:author="Clerk" w:date="2025-01-01T00:00:00Z"><w:r>'
        "<w:delText>should</w:delText></w:r></w:del>"
        '<w:ins w:id="2" w:author="Clerk" w:date="2025-01-01T00:00:00Z"><w:r><w:t>must</w:t>'
        '</w:r></w:ins><w:r><w:t xml:space="preserve"> tell the head.</w:t></w:r></w:p>'
    )
    new = build(tmp_path / "new.docx", INTRO + pending)
    out = redline(old, new, tmp_path / "redline.docx", "--author", 'The "Clerk" <office>')
    root = _document(out)
    authors = {str(a) for a in xp(root, "//@w:author")}
    assert authors == {'The "Clerk" <office>'}
    assert reading(reject_all(out, tmp_path / "r.docx")) == reading(old)
    assert reading(accept_all(out, tmp_path / "a.docx")) == reading(new)


def test_the_summary_is_a_comment_not_body_text(tmp_path: Path) -> None:
    _, _, out = made(tmp_path, "clause added")
    found = parts(out)
    text = "".join(map(str, found["word/comments.xml"].itertext()))
    assert "What changed" in text
    assert "1 clause was added" in text
    assert "What changed" not in "".join(map(str, found["word/document.xml"].itertext()))
    assert xp(found["word/document.xml"], "//w:commentReference")


def _store(tmp_path: Path, old: Path, new: Path) -> Path:
    store = tmp_path / "store"
    for args in (["init"], ["ingest", str(old), str(new), "--policy", "safeguarding"]):
        result = runner.invoke(app, [*args, "--store", str(store)])
        assert result.exit_code == 0, result.output
    return store


def test_stored_revisions_are_marked_in_their_own_word_file(tmp_path: Path) -> None:
    old, new, _ = made(tmp_path, "clause added")
    store = _store(tmp_path, old, new)
    out = tmp_path / "stored.docx"
    result = runner.invoke(
        app,
        ["report", "safeguarding@1", "safeguarding@2", "--format", "docx", "-o", str(out),
         "--store", str(store)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "rebuilt" not in result.output
    with zipfile.ZipFile(out) as package, zipfile.ZipFile(new) as source:
        assert package.read("word/styles.xml") == source.read("word/styles.xml")
    assert reading(reject_all(out, tmp_path / "r.docx")) == reading(old)


def test_a_stored_revision_without_its_word_file_gets_the_rebuilt_redline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new, _ = made(tmp_path, "clause removed")
    store = _store(tmp_path, old, new)

    def gone(self: object, revision: object) -> bytes:
        raise KeyError("source.docx")

    monkeypatch.setattr("policydiff.store.Store.source", gone)
    out = tmp_path / "stored.docx"
    result = runner.invoke(
        app,
        ["report", "safeguarding@1", "safeguarding@2", "--format", "docx", "-o", str(out),
         "--store", str(store)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "rebuilt from the text" in result.output
    texts = [c for c in reading(reject_all(out, tmp_path / "r.docx")) if c[1] == "text"]
    old_texts = [c[2] for c in reading(old) if c[0] != "title"]
    assert [c[2] for c in texts][-len(old_texts) :] == old_texts
    accepted = [c[2] for c in reading(accept_all(out, tmp_path / "a.docx")) if c[0] != "title"]
    new_texts = [c[2] for c in reading(new) if c[0] != "title"]
    assert accepted[-len(new_texts) :] == new_texts
