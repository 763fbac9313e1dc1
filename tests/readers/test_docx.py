from __future__ import annotations

import re
from pathlib import Path

import pytest

from policydiff.errors import ReadError
from policydiff.model import ClauseKind, Document
from policydiff.readers.docx import read_docx
from tests.builders import heading_styles, p, table, write_docx
from tests.conftest import BAD_FILES, FEATURES, SAMPLES


def texts(document: Document) -> list[str]:
    return [c.text for _, c in document.clauses()]


def titles(document: Document) -> list[str | None]:
    return [s.title for s in document.walk()]


def test_the_seed_policy_reads_into_its_bold_capitalised_sections() -> None:
    document = read_docx(SAMPLES / "2016.docx").value
    assert titles(document) == [
        None,
        "SOCIAL MEDIA DEFINITION",
        "WEBSITES AND BLOGS",
        "SOCIAL NETWORKING SITES",
        "IMPORTANT CONSIDERATIONS",
        "PERSONAL USE OF THE INTERNET",
        "DISCIPLINARY ACTION",
        "SECURITY AND IDENTITY THEFT",
    ]
    assert len(texts(document)) == 35
    bullets = [c for s, c in document.clauses() if s.title == "WEBSITES AND BLOGS"][1:]
    assert all(c.kind is ClauseKind.LIST_ITEM and c.label is None for c in bullets)


def test_a_styled_revision_reads_its_title_and_document_control_facts() -> None:
    result = read_docx(SAMPLES / "2024.docx")
    document = result.value
    assert document.title == "Social Media Policy"
    assert "Social Media Policy" not in texts(document)
    meta = document.metadata
    assert (meta.version, meta.approved, meta.next_review) == ("4.0", "12 March 2024", "March 2025")
    assert meta.approved_by == "Full Governing Body"
    assert meta.footer is not None
    assert "Version 4.0" in meta.footer
    rows = [c for _, c in document.clauses() if c.kind is ClauseKind.TABLE_ROW]
    assert [r.text for r in rows][0] == "Approved by | Full Governing Body"


def test_tracked_changes_are_read_as_accepted_and_reported(tmp_path: Path) -> None:
    body = (
        "<w:p><w:r><w:t xml:space='preserve'>Staff must </w:t></w:r>"
        "<w:del w:id='1' w:author='a'><w:r><w:delText>never</w:delText></w:r></w:del>"
        "<w:ins w:id='2' w:author='a'><w:r><w:t>not</w:t></w:r></w:ins>"
        "<w:r><w:t xml:space='preserve'> post photos.</w:t></w:r></w:p>"
    )
    result = read_docx(write_docx(tmp_path / "t.docx", body))
    assert texts(result.value) == ["Staff must not post photos."]
    assert [m.code for m in result.messages] == ["tracked-changes"]


def test_a_deleted_paragraph_mark_joins_the_paragraph_to_the_next(tmp_path: Path) -> None:
    body = (
        "<w:p><w:pPr><w:rPr><w:del w:id='1' w:author='a'/></w:rPr></w:pPr>"
        "<w:r><w:t xml:space='preserve'>First half </w:t></w:r></w:p>" + p("second half.")
    )
    assert texts(read_docx(write_docx(tmp_path / "m.docx", body)).value) == [
        "First half second half."
    ]


def test_text_in_links_content_controls_smart_tags_and_fields_is_read(tmp_path: Path) -> None:
    body = (
        "<w:p><w:hyperlink><w:r><w:t>Read</w:t></w:r></w:hyperlink>"
        "<w:sdt><w:sdtContent><w:r><w:t xml:space='preserve'> the</w:t></w:r></w:sdtContent></w:sdt>"
        "<w:smartTag><w:r><w:t xml:space='preserve'> policy</w:t></w:r></w:smartTag>"
        "<w:fldSimple w:instr='DATE'><w:r><w:t xml:space='preserve'> today</w:t></w:r></w:fldSimple>"
        "<w:r><w:fldChar w:fldCharType='begin'/></w:r>"
        '<w:r><w:instrText>HYPERLINK "http://x"</w:instrText></w:r>'
        "<w:r><w:fldChar w:fldCharType='separate'/></w:r>"
        "<w:r><w:t xml:space='preserve'> online</w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r>"
        "<w:r><w:t>.</w:t></w:r></w:p>"
    )
    assert texts(read_docx(write_docx(tmp_path / "f.docx", body)).value) == [
        "Read the policy today online."
    ]


def test_a_table_of_contents_is_not_read_as_clauses(tmp_path: Path) -> None:
    body = (
        p("Contents", style="TOC1") + "<w:p><w:r><w:fldChar w:fldCharType='begin'/></w:r>"
        '<w:r><w:instrText>TOC \\o "1-3"</w:instrText></w:r>'
        "<w:r><w:fldChar w:fldCharType='separate'/></w:r><w:r><w:t>Purpose 1</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Scope 2</w:t></w:r><w:r><w:fldChar w:fldCharType='end'/></w:r></w:p>"
        + p("Purpose", style="Heading1")
        + p("This policy applies to all staff.")
    )
    result = read_docx(write_docx(tmp_path / "toc.docx", body, styles=heading_styles()))
    assert texts(result.value) == ["This policy applies to all staff."]
    assert titles(result.value) == ["Purpose"]
    assert "toc" in [m.code for m in result.messages]


def test_heading_styles_nest_sections_and_styles_based_on_headings_count(tmp_path: Path) -> None:
    body = (
        p("Policy title", style="Title")
        + p("Scope", style="Heading1")
        + p("Applies to staff.")
        + p("Staff", style="MyHeading")
        + p("Staff includes volunteers.")
        + p("Review", style="Heading1")
        + p("Reviewed every year.")
    )
    document = read_docx(write_docx(tmp_path / "h.docx", body, styles=heading_styles())).value
    assert document.title == "Policy title"
    top = [(s.title, s.level, [c.title for c in s.children]) for s in document.sections]
    assert top == [("Scope", 1, ["Staff"]), ("Review", 1, [])]


def test_typed_numbers_become_labels_and_typed_headings_become_sections(tmp_path: Path) -> None:
    body = (
        p("3. Data protection")
        + p("3.1 Staff must keep personal data secure.")
        + p("(a) Laptops are encrypted.")
        + p("iv. Paper records are locked away.")
        + p("1998 was the year of the old Act.")
        + p("A member of staff who is unsure asks the office.")
    )
    document = read_docx(write_docx(tmp_path / "n.docx", body)).value
    assert titles(document) == ["Data protection"]
    assert document.sections[0].label == "3."
    got = [(c.label, c.text) for _, c in document.clauses()]
    assert got == [
        ("3.1", "Staff must keep personal data secure."),
        ("(a)", "Laptops are encrypted."),
        ("iv.", "Paper records are locked away."),
        (None, "1998 was the year of the old Act."),
        (None, "A member of staff who is unsure asks the office."),
    ]


def test_a_short_capitalised_line_among_short_lines_is_not_a_heading(tmp_path: Path) -> None:
    body = "".join(p(word) for word in ("One", "Two", "NINE", "Ten"))
    document = read_docx(write_docx(tmp_path / "w.docx", body)).value
    assert titles(document) == [None]
    assert texts(document) == ["One", "Two", "NINE", "Ten"]


NUMBERING = """
<w:abstractNum w:abstractNumId="0">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%4."/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\u2022"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="2">
  <w:lvl w:ilvl="0"><w:start w:val="5"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1)"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="0"/>
  <w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>
<w:num w:numId="5"><w:abstractNumId w:val="2"/></w:num>
"""


def test_automatic_numbering_is_labelled_as_word_shows_it(tmp_path: Path) -> None:
    body = "".join(
        [
            p("First.", num=(1, 0)),
            p("Detail.", num=(1, 1)),
            p("Point.", num=(1, 2)),
            p("Point.", num=(1, 2)),
            p("Sub point.", num=(1, 3)),
            p("More detail.", num=(1, 1)),
            p("Point again.", num=(1, 2)),
            p("Bullet.", num=(2, 0)),
            p("Second.", num=(3, 0)),  # another num over the same list continues it
            p("Detail after.", num=(3, 1)),  # deeper levels restart after a shallower one
            p("Restarted.", num=(4, 0)),  # startOverride: a list of its own
            p("Lettered.", num=(5, 0)),
        ]
    )
    document = read_docx(write_docx(tmp_path / "num.docx", body, numbering=NUMBERING)).value
    labels = [c.label for _, c in document.clauses()]
    assert labels == ["1.", "1.1", "(a)", "(b)", "i.", "1.2", "(a)", None, "2.", "2.1", "7.", "E)"]
    assert all(c.kind is ClauseKind.LIST_ITEM for _, c in document.clauses())


def test_numbering_from_a_paragraph_style_is_labelled(tmp_path: Path) -> None:
    styles = (
        '<w:style w:type="paragraph" w:styleId="Clause"><w:name w:val="Clause"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
    )
    body = p("One.", style="Clause") + p("Two.", style="Clause")
    document = read_docx(write_docx(tmp_path / "s.docx", body, styles=styles, numbering=NUMBERING))
    assert [c.label for _, c in document.value.clauses()] == ["1.", "2."]


def test_tables_give_one_clause_per_row_and_one_column_tables_are_layout(tmp_path: Path) -> None:
    body = table(("Version", "4.0"), ("Next review", "March 2025")) + table(
        ("Boxed paragraph one.",), ("Boxed paragraph two.",)
    )
    document = read_docx(write_docx(tmp_path / "t.docx", body, footer="Approved 1 May 2024"))
    got = [(c.kind, c.text) for _, c in document.value.clauses()]
    assert got == [
        (ClauseKind.TABLE_ROW, "Version | 4.0"),
        (ClauseKind.TABLE_ROW, "Next review | March 2025"),
        (ClauseKind.PARAGRAPH, "Boxed paragraph one."),
        (ClauseKind.PARAGRAPH, "Boxed paragraph two."),
        (ClauseKind.FOOTER, "Approved 1 May 2024"),
    ]
    meta = document.value.metadata
    assert (meta.version, meta.next_review, meta.approved) == ("4.0", "March 2025", "1 May 2024")


def test_strict_ooxml_reads_like_transitional(tmp_path: Path) -> None:
    body = p("Scope", style="Heading1") + p("Applies to staff.")
    document = read_docx(
        write_docx(tmp_path / "s.docx", body, styles=heading_styles(), strict=True)
    )
    assert titles(document.value) == ["Scope"]
    assert texts(document.value) == ["Applies to staff."]


def test_word_numbering_matches_what_the_document_says_word_shows() -> None:
    # d2p-example-numbering.docx: each item's text says the number Word shows for it.
    document = read_docx(FEATURES / "d2p-example-numbering.docx").value
    checked = 0
    for _, clause in document.clauses():
        expected = re.match(r"expect (\S+)", clause.text)
        if expected:
            shown = re.sub(r"[^\w]", "", clause.label or "")
            assert shown == expected.group(1), clause
            checked += 1
    assert checked == 10


def test_real_word_lists_number_in_their_own_formats() -> None:
    roman = read_docx(FEATURES / "oxpt-list-upper-roman.docx").value
    labels = [s.label for s in roman.walk()][:4]
    assert [label.rstrip("|.") for label in labels if label] == ["I", "II", "III", "IV"]
    padded = read_docx(FEATURES / "oxpt-list-zero-padded-001.docx").value
    assert [s.label for s in padded.walk()][:2] != [None, None]


def test_strict_files_saved_by_word_read() -> None:
    for name in ("d2p-strict-ooxml.docx", "mammoth-strict-ooxml.docx"):
        assert texts(read_docx(FEATURES / name).value)


@pytest.mark.parametrize(("name", "problem"), BAD_FILES)
def test_bad_files_are_refused_with_a_plain_reason(bad: Path, name: str, problem: str) -> None:
    with pytest.raises(ReadError) as caught:
        read_docx(bad / name)
    message = str(caught.value)
    assert problem in message
    assert name in message
    assert "\n" not in message


@pytest.mark.slow
def test_every_file_in_the_corpus_reads_or_is_refused_in_one_line(corpus: Path) -> None:
    files = [f for f in sorted(corpus.rglob("*")) if f.suffix in {".docx", ".doc"}]
    assert len(files) > 150
    read = refused = 0
    for path in files:
        try:
            result = read_docx(path)
        except ReadError as error:
            message = str(error)
            refused += 1
            assert "\n" not in message
            assert str(path) in message
            continue
        assert all(s.title is None or s.title.strip() for s in result.value.walk())
        read += 1
    assert refused >= 11  # everything under bad/
    assert read >= 140
