"""The oracle `tests.revision_views` (Word's Accept All and Reject All, ECMA-376 Part 1, 17.13.5)
checked on small hand-built documents, one construct each, and on the shared corpus's files with
tracked changes: accepting must read as policydiff's reader (which accepts as it reads) reads
the file, and for the corpus's tracked/accepted/rejected triples both views must read as the
accepted and rejected files do.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree

from policydiff.diffing.align import flatten
from policydiff.readers.docx import read_docx
from tests.conftest import CORPUS
from tests.revision_views import accept_all, leftovers, reject_all, revision_parts

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"

View = Callable[[Path, Path], Path]

_ids = itertools.count(100)


def w(name: str) -> str:
    return f"{{{W}}}{name}"


# ---- WordprocessingML snippets -------------------------------------------------------------


def rev() -> str:
    """A revision's attributes (17.13.5: w:id, w:author, w:date)."""
    return f'w:id="{next(_ids)}" w:author="Tester" w:date="2024-05-01T09:00:00Z"'


def run(text: str, props: str = "") -> str:
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def gone(text: str) -> str:
    """A run as deleted content holds it: its text in w:delText (17.3.3.7)."""
    return f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r>'


def ins(*runs: str) -> str:
    return f"<w:ins {rev()}>{''.join(runs)}</w:ins>"


def dele(*runs: str) -> str:
    return f"<w:del {rev()}>{''.join(runs)}</w:del>"


def para(*content: str, style: str | None = None, mark: str | None = None, ppr: str = "") -> str:
    """A paragraph; `mark` ("ins", "del", "moveFrom", "moveTo") tracks its paragraph mark."""
    inner = f'<w:pStyle w:val="{style}"/>' if style else ""
    inner += ppr
    if mark:
        inner += f"<w:rPr><w:{mark} {rev()}/></w:rPr>"
    properties = f"<w:pPr>{inner}</w:pPr>" if inner else ""
    return f"<w:p>{properties}{''.join(content)}</w:p>"


def cell(*paragraphs: str, props: str = "") -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/>{props}</w:tcPr>{"".join(paragraphs)}</w:tc>'


def row(*cells: str, mark: str | None = None) -> str:
    trpr = f"<w:trPr><w:{mark} {rev()}/></w:trPr>" if mark else ""
    return f"<w:tr>{trpr}{''.join(cells)}</w:tr>"


def table(*rows: str, columns: int = 2) -> str:
    grid = "".join('<w:gridCol w:w="2000"/>' for _ in range(columns))
    return (
        '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def text_row(*texts: str, mark: str | None = None) -> str:
    """A row whose cells hold `texts`; an inserted or deleted row's content is tracked too,
    as Word writes it (runs and paragraph marks)."""
    if mark == "ins":
        return row(*(cell(para(ins(run(t)), mark="ins")) for t in texts), mark="ins")
    if mark == "del":
        return row(*(cell(para(dele(gone(t)), mark="del")) for t in texts), mark="del")
    return row(*(cell(para(run(t))) for t in texts))


NOTE_SEPARATORS = (
    '<w:{0} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{0}>'
    '<w:{0} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
    "</w:p></w:{0}>"
)


def build(
    path: Path,
    body: str,
    *,
    header: str | None = None,
    footer: str | None = None,
    footnote: str | None = None,
    endnote: str | None = None,
    section: str | None = None,
) -> Path:
    """A .docx made by python-docx (a complete package, with a header and a footer part), whose
    body, header and footer are then replaced by the given WordprocessingML; `footnote` and
    `endnote` add a footnotes or endnotes part holding one note (w:id 1) each. `section`
    replaces the body's w:sectPr children after the header and footer references."""
    made = docx.Document()
    made.sections[0].header.paragraphs[0].text = "Header"
    made.sections[0].footer.paragraphs[0].text = "Footer"
    made.save(str(path))
    with zipfile.ZipFile(path) as package:
        parts = {info.filename: package.read(info.filename) for info in package.infolist()}
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    targets = {r.get("Type", "").rsplit("/", 1)[-1]: r.get("Target", "") for r in rels}

    document = etree.fromstring(parts["word/document.xml"])
    body_element = document.find(w("body"))
    assert body_element is not None
    sect = body_element.find(w("sectPr"))
    assert sect is not None
    for child in list(body_element):
        if child is not sect:
            body_element.remove(child)
    for index, child in enumerate(_fragment(body)):
        body_element.insert(index, child)
    if section is not None:
        for child in list(sect):
            if etree.QName(child).localname not in ("headerReference", "footerReference"):
                sect.remove(child)
        for child in _fragment(section):
            sect.append(child)
    parts["word/document.xml"] = etree.tostring(document, xml_declaration=True, encoding="UTF-8")
    for kind, content in (("header", header), ("footer", footer)):
        if content is None:
            continue
        name = "word/" + targets[kind]
        root = etree.fromstring(parts[name])
        for child in list(root):
            root.remove(child)
        for child in _fragment(content):
            root.append(child)
        parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    types = etree.fromstring(parts["[Content_Types].xml"])
    for kind, content in (("footnote", footnote), ("endnote", endnote)):
        if content is None:
            continue
        notes = (
            f'<w:{kind}s xmlns:w="{W}" xmlns:r="{R}">{NOTE_SEPARATORS.format(kind)}'
            f'<w:{kind} w:id="1">{content}</w:{kind}></w:{kind}s>'
        )
        parts[f"word/{kind}s.xml"] = notes.encode()
        etree.SubElement(
            rels,
            f"{{{PKG}}}Relationship",
            Id=f"rIdNotes{kind}",
            Type=f"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}s",
            Target=f"{kind}s.xml",
        )
        etree.SubElement(
            types,
            f"{{{TYPES}}}Override",
            PartName=f"/word/{kind}s.xml",
            ContentType=f"{WML}.{kind}s+xml",
        )
    parts["word/_rels/document.xml.rels"] = etree.tostring(rels, xml_declaration=True)
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


def _fragment(xml: str) -> list[etree._Element]:
    holder = etree.fromstring(f'<w:x xmlns:w="{W}" xmlns:r="{R}">{xml}</w:x>')
    return list(holder)


# ---- reading a view back, without policydiff ------------------------------------------------


def text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(w("t")))


def blocks(container: etree._Element) -> list[Any]:
    """The body's (or a cell's) blocks: a paragraph as its text, a table as its rows, each a
    list of its cells' blocks."""
    found: list[Any] = []
    for child in container:
        if child.tag == w("p"):
            found.append(text(child))
        elif child.tag == w("tbl"):
            found.append([[blocks(c) for c in r.findall(w("tc"))] for r in child.findall(w("tr"))])
    return found


def part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def body(path: Path) -> etree._Element:
    found = part(path, "word/document.xml").find(w("body"))
    assert found is not None
    return found


def story_part(path: Path, kind: str) -> str:
    with zipfile.ZipFile(path) as package:
        names = [n for n in revision_parts(package) if n.startswith(f"word/{kind}")]
    assert names, f"no {kind} part"
    return names[0]


def views(path: Path) -> tuple[Path, Path]:
    """Both views of `path`; each must hold no revision left and open in python-docx."""
    accepted = accept_all(path, path.with_name(path.stem + "-accepted.docx"))
    rejected = reject_all(path, path.with_name(path.stem + "-rejected.docx"))
    for view in (accepted, rejected):
        assert leftovers(view) == {}, f"{view.name} still holds revisions"
        opened = docx.Document(str(view))
        assert opened.paragraphs is not None
        for table_ in opened.tables:
            for row_ in table_.rows:
                assert all(isinstance(c.text, str) for c in row_.cells)
    return accepted, rejected


# ---- one construct at a time ----------------------------------------------------------------


def test_inserted_and_deleted_runs_stay_or_go(tmp_path: Path) -> None:
    """17.13.5.14 w:del and 17.13.5.18 w:ins around runs, also inside a hyperlink."""
    made = build(
        tmp_path / "runs.docx",
        para(run("Staff must "), dele(gone("never")), ins(run("not")), run(" post."))
        + para(
            run("See "),
            f'<w:hyperlink w:anchor="top">{ins(run("the new "))}{dele(gone("the old "))}'
            f"{run('guidance')}</w:hyperlink>",
            run("."),
        ),
    )
    accepted, rejected = views(made)
    assert blocks(body(accepted)) == ["Staff must not post.", "See the new guidance."]
    assert blocks(body(rejected)) == ["Staff must never post.", "See the old guidance."]


def test_a_deleted_field_code_is_an_instruction_again_when_rejected(tmp_path: Path) -> None:
    """17.16.13 w:delInstrText: a deleted field's code; rejecting makes it w:instrText."""
    field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:delInstrText xml:space="preserve"> DATE </w:delInstrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + gone("1 May 2024")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    made = build(tmp_path / "field.docx", para(run("Reviewed "), dele(field), ins(run("today"))))
    accepted, rejected = views(made)
    assert blocks(body(accepted)) == ["Reviewed today"]
    assert not list(body(accepted).iter(w("instrText")))
    assert blocks(body(rejected)) == ["Reviewed 1 May 2024"]
    assert [t.text for t in body(rejected).iter(w("instrText"))] == [" DATE "]


def test_a_moved_paragraph_is_at_its_destination_when_accepted_and_home_when_rejected(
    tmp_path: Path,
) -> None:
    """17.13.5.22 w:moveFrom and 17.13.5.25 w:moveTo, their ranges (17.13.5.23/24/27/28) and
    their paragraph marks (17.13.5.21, 17.13.5.26)."""
    attributes = 'w:author="Tester" w:date="2024-05-01T09:00:00Z"'
    source = (
        para(
            f'<w:moveFromRangeStart w:id="1" {attributes} w:name="move1"/>',
            f"<w:moveFrom {rev()}>{run('Moved clause.')}</w:moveFrom>",
            mark="moveFrom",
        )
        + '<w:moveFromRangeEnd w:id="1"/>'
    )
    destination = (
        para(
            f'<w:moveToRangeStart w:id="2" {attributes} w:name="move1"/>',
            f"<w:moveTo {rev()}>{run('Moved clause.')}</w:moveTo>",
            mark="moveTo",
        )
        + '<w:moveToRangeEnd w:id="2"/>'
    )
    made = build(
        tmp_path / "move.docx",
        para(run("Alpha.")) + source + para(run("Beta.")) + destination + para(run("Gamma.")),
    )
    accepted, rejected = views(made)
    assert blocks(body(accepted)) == ["Alpha.", "Beta.", "Moved clause.", "Gamma."]
    assert blocks(body(rejected)) == ["Alpha.", "Moved clause.", "Beta.", "Gamma."]


def test_a_deleted_paragraph_mark_joins_the_next_paragraph_which_keeps_its_properties(
    tmp_path: Path,
) -> None:
    """17.13.5.15: accepting joins the paragraph to the next one, which keeps its own
    properties; a chain of deleted marks joins into the last; rejecting keeps them apart."""
    made = build(
        tmp_path / "join.docx",
        para(run("First half "), style="Heading1", mark="del")
        + para(run("second half."), style="Quote")
        + para(run("One, "), style="Heading2", mark="del")
        + para(run("two, "), style="Heading3", mark="del")
        + para(run("three."), style="BodyText"),
    )
    accepted, rejected = views(made)
    assert blocks(body(accepted)) == ["First half second half.", "One, two, three."]
    styles = [p.get(w("val")) for p in body(accepted).iter(w("pStyle"))]
    assert styles == ["Quote", "BodyText"]
    assert blocks(body(rejected)) == ["First half ", "second half.", "One, ", "two, ", "three."]
    styles = [p.get(w("val")) for p in body(rejected).iter(w("pStyle"))]
    assert styles == ["Heading1", "Quote", "Heading2", "Heading3", "BodyText"]


def test_an_inserted_paragraph_mark_splits_when_accepted_and_joins_when_rejected(
    tmp_path: Path,
) -> None:
    """17.13.5.20: an inserted paragraph mark; a new paragraph whose content and mark are both
    inserted disappears when rejected."""
    made = build(
        tmp_path / "split.docx",
        para(run("One part. "), style="Heading1", mark="ins")
        + para(run("Another part."), style="Quote")
        + para(ins(run("A new clause.")), mark="ins")
        + para(run("The last clause.")),
    )
    accepted, rejected = views(made)
    assert blocks(body(accepted)) == [
        "One part. ",
        "Another part.",
        "A new clause.",
        "The last clause.",
    ]
    assert blocks(body(rejected)) == ["One part. Another part.", "The last clause."]
    assert [p.get(w("val")) for p in body(rejected).iter(w("pStyle"))] == ["Quote"]


def test_a_deleted_mark_joins_into_a_following_content_control(tmp_path: Path) -> None:
    """The following paragraph may be the first in a block-level content control (17.5.2)."""
    made = build(
        tmp_path / "sdt.docx",
        para(run("Joined "), mark="del")
        + f"<w:sdt><w:sdtPr/><w:sdtContent>{para(run('into the control.'))}</w:sdtContent></w:sdt>"
        + para(run("After.")),
    )
    accepted, rejected = views(made)
    assert [text(p) for p in body(accepted).iter(w("p"))] == ["Joined into the control.", "After."]
    assert [text(p) for p in body(rejected).iter(w("p"))] == [
        "Joined ",
        "into the control.",
        "After.",
    ]


def test_a_mark_before_a_table_or_at_the_end_of_a_cell_stays(tmp_path: Path) -> None:
    """A paragraph mark cannot be joined into a table or out of a cell (17.13.5.15 joins with
    the following paragraph: there is none in the paragraph's container)."""
    made = build(
        tmp_path / "stays.docx",
        para(run("Before the table."), mark="del")
        + table(row(cell(para(run("In a cell."), mark="del")), cell(para(run("x")))))
        + para(run("After."), mark="del"),
    )
    accepted, _ = views(made)
    assert blocks(body(accepted)) == [
        "Before the table.",
        [[["In a cell."], ["x"]]],
        "After.",
    ]


def test_tracked_rows_are_kept_or_removed(tmp_path: Path) -> None:
    """17.13.5.17 w:trPr/w:ins and 17.13.5.12 w:trPr/w:del."""
    made = build(
        tmp_path / "rows.docx",
        table(
            text_row("Role", "Duty"),
            text_row("Governor", "Approves", mark="ins"),
            text_row("Bursar", "Counts", mark="del"),
            text_row("Head", "Leads"),
        )
        + para(run("End.")),
    )
    accepted, rejected = views(made)
    assert blocks(body(accepted)) == [
        [[["Role"], ["Duty"]], [["Governor"], ["Approves"]], [["Head"], ["Leads"]]],
        "End.",
    ]
    assert blocks(body(rejected)) == [
        [[["Role"], ["Duty"]], [["Bursar"], ["Counts"]], [["Head"], ["Leads"]]],
        "End.",
    ]


def test_a_table_left_without_rows_is_removed(tmp_path: Path) -> None:
    """CT_Tbl needs a row (17.4.38): a table whose rows were all inserted goes when rejected, one
    whose rows were all deleted goes when accepted; a cell a nested table leaves keeps a
    paragraph (17.4.66)."""
    nested = table(text_row("Nested", "row", mark="del"))
    made = build(
        tmp_path / "tables.docx",
        para(run("Start."))
        + table(text_row("New", "table", mark="ins"), text_row("All", "new", mark="ins"))
        + para(run("Middle."))
        + table(text_row("Old", "table", mark="del"))
        + table(row(cell(nested + para(run("kept"))), cell(nested + para())))
        + para(run("End.")),
    )
    accepted, rejected = views(made)
    assert blocks(body(accepted)) == [
        "Start.",
        [[["New"], ["table"]], [["All"], ["new"]]],
        "Middle.",
        [[["kept"], [""]]],
        "End.",
    ]
    nested_rows = [[["Nested"], ["row"]]]
    assert blocks(body(rejected)) == [
        "Start.",
        "Middle.",
        [[["Old"], ["table"]]],
        [[[nested_rows, "kept"], [nested_rows, ""]]],
        "End.",
    ]


def test_tracked_cells_are_kept_or_removed(tmp_path: Path) -> None:
    """17.13.5.2 w:cellIns and 17.13.5.1 w:cellDel."""
    made = build(
        tmp_path / "cells.docx",
        table(
            row(
                cell(para(run("A"))),
                cell(para(ins(run("B"))), props=f"<w:cellIns {rev()}/>"),
                cell(para(dele(gone("C"))), props=f"<w:cellDel {rev()}/>"),
            ),
            columns=3,
        )
        + para(),
    )
    accepted, rejected = views(made)
    assert blocks(body(accepted)) == [[[["A"], ["B"]]], ""]
    assert blocks(body(rejected)) == [[[["A"], ["C"]]], ""]


def test_property_changes_keep_the_new_properties_or_restore_the_old(tmp_path: Path) -> None:
    """17.13.5.29-17.13.5.37: accepting drops w:*PrChange, rejecting puts back the properties
    it holds (and keeps what the old properties cannot hold: the paragraph mark's run
    properties, the section's header references)."""
    made = build(
        tmp_path / "props.docx",
        para(
            f"<w:r><w:rPr><w:b/><w:rPrChange {rev()}><w:rPr><w:i/></w:rPr></w:rPrChange></w:rPr>"
            "<w:t>Bold now, italic before.</w:t></w:r>",
            ppr=f'<w:jc w:val="center"/><w:rPr><w:b/></w:rPr><w:pPrChange {rev()}><w:pPr>'
            '<w:pStyle w:val="Quote"/></w:pPr></w:pPrChange>',
            style="Heading1",
        )
        + '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        f'<w:tblPrChange {rev()}><w:tblPr><w:tblW w:w="5000" w:type="pct"/></w:tblPr>'
        '</w:tblPrChange></w:tblPr><w:tblGrid><w:gridCol w:w="3000"/>'
        f'<w:tblGridChange {rev()}><w:tblGrid><w:gridCol w:w="1000"/></w:tblGrid>'
        '</w:tblGridChange></w:tblGrid><w:tr><w:trPr><w:trHeight w:val="600"/>'
        f'<w:trPrChange {rev()}><w:trPr><w:trHeight w:val="300"/></w:trPr></w:trPrChange>'
        '</w:trPr><w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/>'
        f'<w:tcPrChange {rev()}><w:tcPr><w:tcW w:w="1000" w:type="dxa"/></w:tcPr>'
        "</w:tcPrChange></w:tcPr>" + para(run("Cell")) + "</w:tc></w:tr></w:tbl>" + para(),
        section='<w:pgSz w:w="15840" w:h="12240" w:orient="landscape"/>'
        f'<w:sectPrChange {rev()}><w:sectPr><w:pgSz w:w="12240" w:h="15840"/></w:sectPr>'
        "</w:sectPrChange>",
    )
    accepted, rejected = views(made)

    def look(path: Path) -> dict[str, Any]:
        root = body(path)

        def one(xpath: str) -> Any:
            return root.xpath(xpath, namespaces={"w": W})

        return {
            "run": [etree.QName(e).localname for e in one("w:p[1]/w:r/w:rPr/*")],
            "paragraph": [etree.QName(e).localname for e in one("w:p[1]/w:pPr/*")],
            "style": one("string(w:p[1]/w:pPr/w:pStyle/@w:val)"),
            "mark": [etree.QName(e).localname for e in one("w:p[1]/w:pPr/w:rPr/*")],
            "table": one("string(w:tbl/w:tblPr/w:tblW/@w:type)"),
            "grid": one("string(w:tbl/w:tblGrid/w:gridCol/@w:w)"),
            "height": one("string(w:tbl/w:tr/w:trPr/w:trHeight/@w:val)"),
            "width": one("string(w:tbl/w:tr/w:tc/w:tcPr/w:tcW/@w:w)"),
            "page": one("string(w:sectPr/w:pgSz/@w:w)"),
            "references": len(one("w:sectPr/w:headerReference | w:sectPr/w:footerReference")),
        }

    assert look(accepted) == {
        "run": ["b"],
        "paragraph": ["pStyle", "jc", "rPr"],
        "style": "Heading1",
        "mark": ["b"],
        "table": "auto",
        "grid": "3000",
        "height": "600",
        "width": "3000",
        "page": "15840",
        "references": 2,
    }
    assert look(rejected) == {
        "run": ["i"],
        "paragraph": ["pStyle", "rPr"],
        "style": "Quote",
        "mark": ["b"],
        "table": "pct",
        "grid": "1000",
        "height": "300",
        "width": "1000",
        "page": "12240",
        "references": 2,
    }


def test_inserted_numbering_is_kept_or_removed(tmp_path: Path) -> None:
    """17.13.5.19: w:numPr/w:ins, numbering properties inserted."""
    numbered = f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/><w:ins {rev()}/></w:numPr>'
    made = build(tmp_path / "numbering.docx", para(run("Item."), ppr=numbered))
    accepted, rejected = views(made)
    assert len(list(body(accepted).iter(w("numPr")))) == 1
    assert not list(body(rejected).iter(w("numPr")))
    assert blocks(body(accepted)) == blocks(body(rejected)) == ["Item."]


def test_headers_footers_and_notes_are_settled_too(tmp_path: Path) -> None:
    """The views cover every story: headers and footers (17.10), footnotes and endnotes (17.11)."""
    made = build(
        tmp_path / "stories.docx",
        para(
            run("Cited."),
            '<w:r><w:footnoteReference w:id="1"/></w:r>',
            '<w:r><w:endnoteReference w:id="1"/></w:r>',
        ),
        header=para(run("Reviewed "), dele(gone("2023")), ins(run("2024"))),
        footer=para(ins(run("Next review 2025")), mark="ins") + para(run("Page")),
        footnote=para(run("See the "), ins(run("2024 ")), run("guidance."))
        + table(text_row("Old note row", "x", mark="del")),
        endnote=para(dele(gone("Repealed ")), run("Act.")),
    )
    accepted, rejected = views(made)

    def stories(path: Path) -> dict[str, list[Any]]:
        found: dict[str, list[Any]] = {}
        for kind in ("header", "footer"):
            found[kind] = blocks(part(path, story_part(path, kind)))
        for kind in ("footnote", "endnote"):
            notes = part(path, story_part(path, kind + "s"))
            note = notes.find(f"{w(kind)}[@{w('id')}='1']")
            assert note is not None
            found[kind] = blocks(note)
        return found

    assert stories(accepted) == {
        "header": ["Reviewed 2024"],
        "footer": ["Next review 2025", "Page"],
        "footnote": ["See the 2024 guidance."],
        "endnote": ["Act."],
    }
    assert stories(rejected) == {
        "header": ["Reviewed 2023"],
        "footer": ["Page"],
        "footnote": ["See the guidance.", [[["Old note row"], ["x"]]]],
        "endnote": ["Repealed Act."],
    }


def test_a_document_without_revisions_reads_the_same_in_both_views(tmp_path: Path) -> None:
    made = build(tmp_path / "plain.docx", para(run("Nothing tracked.")) + table(text_row("a", "b")))
    accepted, rejected = views(made)
    assert blocks(body(accepted)) == blocks(body(rejected)) == blocks(body(made))


def _kitchen_sink(path: Path) -> Path:
    return build(
        path,
        para(run("Policy"), style="Title")
        + para(run("Staff must "), dele(gone("never")), ins(run("not")), run(" post."))
        + para(run("First half "), mark="del")
        + para(run("second half."))
        + table(
            text_row("Role", "Duty"),
            text_row("Governor", "Approves", mark="ins"),
            text_row("Bursar", "Counts", mark="del"),
        )
        + table(text_row("Gone", "table", mark="del"))
        + para(ins(run("A new clause.")), mark="ins")
        + para(run("End.")),
        header=para(run("Reviewed "), dele(gone("2023")), ins(run("2024"))),
        footer=para(ins(run("Next review 2025"))),
    )


@pytest.mark.slow
def test_libreoffice_opens_both_views(tmp_path: Path) -> None:
    """Both views are packages LibreOffice converts (when it is installed)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    accepted, rejected = views(_kitchen_sink(tmp_path / "sink.docx"))
    out = tmp_path / "pdf"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'lo-views-profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), str(accepted), str(rejected)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    for view in (accepted, rejected):
        pdf = out / (view.stem + ".pdf")
        assert pdf.is_file(), f"LibreOffice did not convert {view}"
        assert pdf.stat().st_size > 1000, f"LibreOffice made an empty PDF of {view}"


# ---- the shared corpus ---------------------------------------------------------------------

_TRACKED_MARKS = (b"<w:ins ", b"<w:del ", b"<w:moveFrom ", b"<w:moveTo ")
_PART_LIMIT = 20 * 1024 * 1024  # bytes: bad/ holds a zip bomb; a larger part is not looked at


def _has_tracked_changes(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as package:
            for info in package.infolist():
                name = info.filename
                if name.startswith("word/") and name.endswith(".xml"):
                    if info.file_size > _PART_LIMIT:
                        return False
                    data = package.read(name)
                    if any(mark in data for mark in _TRACKED_MARKS):
                        return True
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, NotImplementedError):
        return False
    return False


def _tracked_files() -> list[Any]:
    if not CORPUS.is_dir():
        return [pytest.param(None, id="no-shared-corpus")]
    files = [f for f in sorted(CORPUS.rglob("*.docx")) if _has_tracked_changes(f)]
    return [pytest.param(f, id=str(f.relative_to(CORPUS))) for f in files]


def _triples() -> list[Any]:
    if not CORPUS.is_dir():
        return [pytest.param(None, id="no-shared-corpus")]
    found = sorted(
        d for d in (CORPUS / "pairs").glob("*") if (d / "tracked.docx").is_file()
    )  # fmt: skip
    return [pytest.param(d, id=d.name) for d in found]


def _real_tracked() -> list[Any]:
    if not CORPUS.is_dir():
        return [pytest.param(None, id="no-shared-corpus")]
    found = sorted(
        d
        for d in (CORPUS / "real").glob("*")
        if (d / "new.docx").is_file() and _has_tracked_changes(d / "new.docx")
    )
    return [pytest.param(d, id=d.name) for d in found]


def reading(path: Path, *, furniture: bool = True) -> tuple[Any, list[Any]]:
    """What policydiff's reader makes of `path`: the title and every clause's section, kind,
    label, text, cells and notes (headers and footers left out unless `furniture`)."""
    document = read_docx(path).value
    clauses = [
        (
            ref.section,
            ref.kind.value,
            ref.label,
            ref.text,
            ref.clause.cells,
            tuple((n.kind.value, n.text) for n in ref.clause.notes),
        )
        for ref in flatten(document)
        if furniture or ref.kind.value not in ("header", "footer")
    ]
    return document.title, clauses


def _need(thing: Path | None) -> Path:
    if thing is None:
        pytest.skip(f"the shared corpus is not at {CORPUS} (set POLICYDIFF_CORPUS)")
    return thing


@pytest.mark.parametrize("path", _tracked_files())
def test_accepting_a_corpus_file_reads_as_policydiff_reads_it(
    tmp_path: Path, path: Path | None
) -> None:
    """policydiff's reader accepts a document's tracked changes as it reads, so reading the
    accepted view must give the same clauses, sections, labels and title."""
    source = _need(path)
    accepted = accept_all(source, tmp_path / "accepted.docx")
    assert leftovers(accepted) == {}
    docx.Document(str(accepted))
    assert reading(accepted) == reading(source)


@pytest.mark.parametrize("pair", _triples())
def test_a_tracked_triple_accepts_to_its_after_file_and_rejects_to_its_before_file(
    tmp_path: Path, pair: Path | None
) -> None:
    """The corpus's pairs with a tracked.docx (Open-XML-PowerTools' RevisionProcessor files:
    before = rejected, after = accepted, and Python-Redlines' expected redline): both views,
    read by policydiff, read as the files Word (or the upstream tool) wrote."""
    folder = _need(pair)
    accepted, rejected = views(
        Path(shutil.copy(folder / "tracked.docx", tmp_path / "tracked.docx"))
    )
    assert reading(accepted) == reading(folder / "after.docx")
    assert reading(rejected) == reading(folder / "before.docx")


@pytest.mark.parametrize("pair", _real_tracked())
def test_rejecting_a_real_tracked_policy_gives_its_old_body(
    tmp_path: Path, pair: Path | None
) -> None:
    """real/*/new.docx left as tracked changes: rejecting them all gives old.docx's body (the
    footer's new review date was typed without tracking, so headers and footers are left out)."""
    folder = _need(pair)
    rejected = reject_all(folder / "new.docx", tmp_path / "rejected.docx")
    assert reading(rejected, furniture=False) == reading(folder / "old.docx", furniture=False)
