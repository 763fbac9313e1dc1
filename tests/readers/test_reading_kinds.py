"""Everything a policy says is read, each kind of content where it stands (issue #14).

Each test holds a whole kind, not one file: every symbol font with a table, every Title-like
style, both drop-cap forms, restarts by w:num and by style, every Unicode format character.
Documents are built from WordprocessingML snippets (tests/builders.py).
"""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.diffing.align import compare
from policydiff.diffing.changes import ChangeKind
from policydiff.model import ClauseKind, Document
from policydiff.readers.docx import read_docx
from policydiff.readers.symbols import symbol_text
from policydiff.typography import comparable
from tests.builders import heading_styles, p, table, write_docx

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
V = "urn:schemas-microsoft-com:vml"
W16SE = "http://schemas.microsoft.com/office/word/2015/wordml/symex"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _texts(document: Document) -> list[str]:
    return [c.text for _, c in document.clauses()]


def _read(tmp_path: Path, body: str, name: str = "p.docx", **kwargs: object) -> Document:
    return read_docx(write_docx(tmp_path / name, body, **kwargs)).value  # type: ignore[arg-type]


def _run(inner: str) -> str:
    return f"<w:r>{inner}</w:r>"


def _para(*runs: str, ppr: str = "") -> str:
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def _t(text: str) -> str:
    return f'<w:t xml:space="preserve">{text}</w:t>'


# -- symbols -------------------------------------------------------------------------------


@pytest.mark.parametrize("font", ["Symbol", "Wingdings", "Wingdings 2", "Wingdings 3", "Webdings"])
def test_a_symbol_of_every_mapped_font_reads_as_the_character_word_shows(
    tmp_path: Path, font: str
) -> None:
    codes = [f"F0{b:02X}" for b in range(0x21, 0x100)]
    runs = "".join(_run(f'<w:sym w:font="{font}" w:char="{c}"/>') for c in codes)
    document = _read(tmp_path, _para(_run(_t("Marks: ")), runs))
    (text,) = _texts(document)
    expected = "Marks: " + "".join(symbol_text(font, c) for c in codes)
    assert text == " ".join(expected.split())
    private = sum(1 for ch in text if 0xF000 <= ord(ch) <= 0xF0FF)
    assert private <= 40, f"{private} of {len(codes)} symbols left in the private-use area"


def test_a_cross_changed_to_a_tick_in_a_table_is_a_change(tmp_path: Path) -> None:
    def doc(char: str, name: str) -> Document:
        cell = _para(_run(f'<w:sym w:font="Wingdings" w:char="{char}"/>'))
        body = f"<w:tbl><w:tr><w:tc>{p('Mobile phone')}</w:tc><w:tc>{cell}</w:tc></w:tr></w:tbl>"
        return _read(tmp_path, body, name)

    comparison = compare(doc("F0FB", "old.docx"), doc("F0FC", "new.docx"))
    (change,) = comparison.changes
    assert change.kind is ChangeKind.MODIFIED
    assert change.new[0].text == "Mobile phone | ✓"


@pytest.mark.parametrize("font", ["Symbol", "Wingdings"])
def test_text_typed_in_a_symbol_font_shows_the_fonts_glyphs(tmp_path: Path, font: str) -> None:
    rpr = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr>'
    body = _para(_run(_t("Dose: 5 ")), _run(rpr + _t("m\uf0b0")), _run(_t("g")))
    (text,) = _texts(_read(tmp_path, body))
    assert text == "Dose: 5 " + symbol_text(font, "006D") + symbol_text(font, "F0B0") + "g"


def test_an_emoji_in_alternate_content_reads_as_word_shows_it(tmp_path: Path) -> None:
    """Word 2016+ writes an emoji as mc:AlternateContent: a w16se:symEx choice (the code
    point Word shows) and a fallback for older readers (w:t or w:sym)."""
    fallbacks = [_t("\u270b"), '<w:sym w:font="Wingdings" w:char="F049"/>']
    for k, fallback in enumerate(fallbacks):
        emoji = (
            f'<mc:AlternateContent xmlns:mc="{MC}" xmlns:w16se="{W16SE}">'
            '<mc:Choice Requires="w16se"><w16se:symEx w16se:font="Segoe UI Emoji" '
            'w16se:char="270B"/></mc:Choice>'
            f"<mc:Fallback>{fallback}</mc:Fallback></mc:AlternateContent>"
        )
        body = _para(_run(_t("Show the sign ")), _run(emoji), _run(_t(" to stop.")))
        document = read_docx(write_docx(tmp_path / f"e{k}.docx", body))
        assert _texts(document.value) == ["Show the sign \u270b to stop."]
        assert document.value.left_out == ()


def test_an_unknown_choice_is_read_through_its_fallback(tmp_path: Path) -> None:
    emoji = (
        f'<mc:AlternateContent xmlns:mc="{MC}" xmlns:x9="urn:example:future">'
        f'<mc:Choice Requires="x9"><x9:thing/></mc:Choice><mc:Fallback>{_t("fallback")}'
        "</mc:Fallback></mc:AlternateContent>"
    )
    assert _texts(_read(tmp_path, _para(_run(_t("Read the ")), _run(emoji)))) == [
        "Read the fallback"
    ]


# -- titles, drop caps, lists ---------------------------------------------------------------

_TITLE_LIKE = (
    '<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/>'
    '<w:basedOn w:val="Title"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="WordSubtitle"><w:name w:val="Subtitle 2"/>'
    '<w:basedOn w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="CoverTitle"><w:name w:val="Cover Title"/>'
    '<w:basedOn w:val="Title"/></w:style>'
)


@pytest.mark.parametrize("style", ["Title", "Subtitle", "WordSubtitle", "CoverTitle"])
def test_every_title_like_line_after_the_title_is_text(tmp_path: Path, style: str) -> None:
    body = (
        p("Online Safety Policy", style="Title")
        + p("Oak Lane Primary School", style=style)
        + p("Purpose", style="Heading1")
        + p("This policy keeps pupils safe online.")
        + p("Tell a trusted adult.", style=style)
    )
    document = _read(tmp_path, body, styles=heading_styles() + _TITLE_LIKE)
    assert document.title == "Online Safety Policy"
    assert _texts(document) == [
        "Oak Lane Primary School",
        "This policy keeps pupils safe online.",
        "Tell a trusted adult.",
    ]


@pytest.mark.parametrize("kind", ["drop", "margin"])
def test_a_drop_cap_is_the_first_letter_of_its_word(tmp_path: Path, kind: str) -> None:
    frame = f'<w:pPr><w:framePr w:dropCap="{kind}" w:lines="3" w:wrap="around"/></w:pPr>'
    body = p("Introduction", style="Heading1") + _para(_run(_t("E")), ppr=frame)
    body += p("very pupil has the right to learn safely.") + p("Next clause.")
    document = _read(tmp_path, body, styles=heading_styles())
    assert _texts(document) == ["Every pupil has the right to learn safely.", "Next clause."]


def test_a_frame_without_a_drop_cap_is_a_paragraph_of_its_own(tmp_path: Path) -> None:
    frame = '<w:pPr><w:framePr w:w="2000" w:wrap="around"/></w:pPr>'
    body = _para(_run(_t("A framed note.")), ppr=frame) + p("The next paragraph.")
    assert _texts(_read(tmp_path, body)) == ["A framed note.", "The next paragraph."]


_ONE_LIST = (
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
    '<w:lvlText w:val="%2)"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="0"/>'
    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="0"/>'
    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
)
_LIST_STYLE = (
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    '</w:style><w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number"/>'
    '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
)


@pytest.mark.parametrize("continued_by", ["numId", "style"])
def test_restart_numbering_resets_the_shared_counter_and_the_list_continues_from_there(
    tmp_path: Path, continued_by: str
) -> None:
    """ECMA-376 Part 1, 17.9: one counter per abstract numbering definition, shared by every
    w:num over it; a w:startOverride resets it where its w:num is first used."""

    def item(text: str) -> str:
        if continued_by == "style":
            return p(text, style="ListNumber")
        return p(text, num=(1, 0))

    body = item("One.") + item("Two.") + item("Three.")
    body += p("Restarted.", num=(2, 0)) + item("Then two.") + item("Then three.")
    body += p("Again.", num=(3, 0)) + item("Again two.")
    document = _read(tmp_path, body, numbering=_ONE_LIST, styles=_LIST_STYLE)
    labels = [c.label for _, c in document.clauses()]
    assert labels == ["1.", "2.", "3.", "1.", "2.", "3.", "1.", "2."]


def test_list_items_keep_their_level_and_whether_they_are_bulleted(tmp_path: Path) -> None:
    bullets = (
        '<w:abstractNum w:abstractNumId="5"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/>'
        '<w:lvlText w:val="•"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="5"><w:abstractNumId w:val="5"/></w:num>'
    )
    body = p("Top.", num=(1, 0)) + p("Inner.", num=(1, 1)) + p("Dot.", num=(5, 0))
    document = _read(tmp_path, body, numbering=_ONE_LIST + bullets)
    got = [(c.kind, c.label, c.level, c.bullet) for _, c in document.clauses()]
    assert got == [
        (ClauseKind.LIST_ITEM, "1.", 0, False),
        (ClauseKind.LIST_ITEM, "a)", 1, False),
        (ClauseKind.LIST_ITEM, None, 0, True),
    ]


def test_a_deleted_paragraph_mark_before_a_table_does_not_join_across_it(tmp_path: Path) -> None:
    mark = (
        '<w:pPr><w:rPr><w:del w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z"/></w:rPr></w:pPr>'
    )
    body = _para(_run(_t("Kept before the table.")), ppr=mark) + table(("A", "B"))
    body += p("After the table.")
    assert _texts(_read(tmp_path, body)) == [
        "Kept before the table.",
        "A | B",
        "After the table.",
    ]


def test_a_table_row_keeps_its_cells(tmp_path: Path) -> None:
    document = _read(tmp_path, table(("Approved by", "Full Governing Body"), ("Version", "4")))
    rows = [c.cells for _, c in document.clauses()]
    assert rows == [("Approved by", "Full Governing Body"), ("Version", "4")]


# -- text boxes, images, notes, headers and footers ----------------------------------------


def _text_box(text: str) -> str:
    content = f"<w:txbxContent>{p(text)}</w:txbxContent>"
    return (
        f'<mc:AlternateContent xmlns:mc="{MC}" xmlns:wps="{WPS}" xmlns:wp="{WP}" '
        f'xmlns:a="{A}" xmlns:v="{V}"><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
        '<wp:docPr id="1" name="Text Box 1"/><a:graphic><a:graphicData '
        f'uri="{WPS}"><wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp></a:graphicData>'
        "</a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape>"
        f"<v:textbox>{content}</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent>"
    )


@pytest.mark.parametrize("anchor_text", ["", "Contacts are below."])
def test_a_text_box_is_read_once_where_it_is_anchored(tmp_path: Path, anchor_text: str) -> None:
    body = p("Contacts", style="Heading1")
    body += _para(_run(_t(anchor_text)) if anchor_text else "", _run(_text_box("Call 201.")))
    body += p("Training is yearly.")
    document = _read(tmp_path, body, styles=heading_styles())
    got = [(s.title, c.kind, c.text) for s, c in document.clauses()]
    expected = [
        ("Contacts", ClauseKind.TEXT_BOX, "Call 201."),
        ("Contacts", ClauseKind.PARAGRAPH, "Training is yearly."),
    ]
    if anchor_text:
        expected.insert(0, ("Contacts", ClauseKind.PARAGRAPH, anchor_text))
    assert got == expected


def _picture(alt: str) -> str:
    return (
        f'<w:drawing xmlns:wp="{WP}" xmlns:a="{A}" xmlns:pic="{PIC}"><wp:inline>'
        f'<wp:docPr id="1" name="Picture 1" descr="{alt}"/><a:graphic><a:graphicData '
        f'uri="{PIC}"><pic:pic><pic:blipFill><a:blip r:embed="rIdImg"/></pic:blipFill>'
        "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>"
    )


def _image_doc(
    tmp_path: Path, name: str, picture: bytes, alt: str = "Referral flowchart"
) -> Document:
    body = p("Referrals", style="Heading1") + _para(_run(_picture(alt))) + p("Keep a record.")
    return _read(
        tmp_path,
        body,
        name,
        styles=heading_styles(),
        parts={"word/media/image1.png": picture},
        relationships=(("rIdImg", "image", "media/image1.png"),),
    )


def test_an_image_is_a_clause_of_its_alt_text_and_the_digest_of_its_bytes(tmp_path: Path) -> None:
    document = _image_doc(tmp_path, "a.docx", b"\x89PNG three steps")
    (_, image), _ = document.clauses()
    assert (image.kind, image.text) == (ClauseKind.IMAGE, "Referral flowchart")
    assert image.digest == hashlib.sha256(b"\x89PNG three steps").hexdigest()


def test_a_replaced_image_with_the_same_alt_text_is_a_change_and_an_identical_one_is_not(
    tmp_path: Path,
) -> None:
    old = _image_doc(tmp_path, "old.docx", b"\x89PNG three steps")
    same = _image_doc(tmp_path, "same.docx", b"\x89PNG three steps")
    new = _image_doc(tmp_path, "new.docx", b"\x89PNG four steps")
    assert compare(old, same).changes == ()
    (change,) = compare(old, new).changes
    assert change.image_replaced
    assert change.new[0].section == "Referrals"


def _notes_part(kind: str, notes: dict[str, str]) -> str:
    root = "footnotes" if kind == "footnote" else "endnotes"
    body = f'<w:{kind} w:type="separator" w:id="-1">{p("")}</w:{kind}>'
    for note_id, text in notes.items():
        body += f'<w:{kind} w:id="{note_id}">{p(text)}</w:{kind}>'
    return f'<w:{root} xmlns:w="{W}">{body}</w:{root}>'


@pytest.mark.parametrize(("kind", "labels"), [("footnote", ["1", "2"]), ("endnote", ["i", "ii"])])
def test_notes_hang_on_the_clause_that_cites_them_numbered_as_word_numbers_them(
    tmp_path: Path, kind: str, labels: list[str]
) -> None:
    part = "footnotes" if kind == "footnote" else "endnotes"
    ref = f"{kind}Reference"
    body = _para(_run(_t("See the code")), _run(f'<w:{ref} w:id="7"/>'), _run(_t(".")))
    body += _para(_run(_t("And the law")), _run(f'<w:{ref} w:id="3"/>'), _run(_t(".")))
    document = _read(
        tmp_path,
        body,
        parts={f"word/{part}.xml": _notes_part(kind, {"7": "Code of Conduct.", "3": "Act 2018."})},
        relationships=(("rIdN", part, f"{part}.xml"),),
    )
    clauses = [c for _, c in document.clauses()]
    assert [c.text for c in clauses] == ["See the code.", "And the law."]
    notes = [(n.kind.value, n.label, n.text) for c in clauses for n in c.notes]
    assert notes == [(kind, labels[0], "Code of Conduct."), (kind, labels[1], "Act 2018.")]


def _page_parts(texts: dict[str, str], tag: str = "ftr") -> dict[str, str | bytes]:
    return {
        f"word/{name}.xml": f'<w:{tag} xmlns:w="{W}">{p(text)}</w:{tag}>'
        for name, text in texts.items()
    }


@pytest.mark.parametrize(
    ("title_page", "even_and_odd", "expected"),
    [
        (False, False, [("Next review: 2026", "every page")]),
        (True, False, [("Next review: 2026", "every page"), ("Cover footer", "first page")]),
        (
            True,
            True,
            [
                ("Next review: 2026", "odd pages"),
                ("Cover footer", "first page"),
                ("Even footer", "even pages"),
            ],
        ),
    ],
)
def test_the_footers_word_prints_are_read_and_those_it_does_not_are_not(
    tmp_path: Path, title_page: bool, even_and_odd: bool, expected: list[tuple[str, str]]
) -> None:
    section = (
        '<w:footerReference w:type="default" r:id="rF1"/>'
        '<w:footerReference w:type="first" r:id="rF2"/>'
        '<w:footerReference w:type="even" r:id="rF3"/>' + ("<w:titlePg/>" if title_page else "")
    )
    parts = _page_parts({"f1": "Next review: 2026", "f2": "Cover footer", "f3": "Even footer"})
    rels = [("rF1", "footer", "f1.xml"), ("rF2", "footer", "f2.xml"), ("rF3", "footer", "f3.xml")]
    if even_and_odd:
        parts["word/settings.xml"] = (
            f'<w:settings xmlns:w="{W}"><w:evenAndOddHeaders/></w:settings>'
        )
        rels.append(("rS", "settings", "settings.xml"))
    document = _read(tmp_path, p("Body."), parts=parts, relationships=tuple(rels), section=section)
    footer = [s for s in document.sections if s.part == "footer"]
    got = [(c.text, c.part) for s in footer for c in s.clauses]
    assert got == expected
    assert all(c.kind is ClauseKind.FOOTER for s in footer for c in s.clauses)


def test_page_numbers_in_a_footer_are_not_text_and_one_text_on_two_kinds_of_page_is_one_copy(
    tmp_path: Path,
) -> None:
    page = (
        '<w:p><w:r><w:t xml:space="preserve">Page </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/>'
        '</w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/>'
        '</w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>9</w:t></w:r></w:fldSimple></w:p>'
    )
    parts: dict[str, str | bytes] = {
        f"word/{n}.xml": f'<w:ftr xmlns:w="{W}">{page}</w:ftr>' for n in ("f1", "f2")
    }
    section = '<w:footerReference w:type="default" r:id="rF1"/><w:footerReference w:type="first" r:id="rF2"/><w:titlePg/>'
    rels = (("rF1", "footer", "f1.xml"), ("rF2", "footer", "f2.xml"))
    document = _read(tmp_path, p("Body."), parts=parts, relationships=rels, section=section)
    footer = [c for s in document.sections if s.part == "footer" for c in s.clauses]
    assert [(c.text, c.part) for c in footer] == [("Page", "every page, first page")]


def test_comments_are_counted_and_named_as_left_out_never_compared(tmp_path: Path) -> None:
    comments = (
        f'<w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="a">{p("Check this")}</w:comment>'
        f'<w:comment w:id="1" w:author="b">{p("Agreed")}</w:comment></w:comments>'
    )
    body = _para('<w:commentRangeStart w:id="0"/>', _run(_t("Staff must report.")))
    result = read_docx(
        write_docx(
            tmp_path / "c.docx",
            body,
            parts={"word/comments.xml": comments},
            relationships=(("rC", "comments", "comments.xml"),),
        )
    )
    assert _texts(result.value) == ["Staff must report."]
    assert result.value.left_out == (("comment", 2),)
    assert any("2 comments, which were not compared" in m.text for m in result.messages)


@pytest.mark.parametrize(
    ("uri", "kind", "named"),
    [
        ("http://schemas.openxmlformats.org/drawingml/2006/chart", "chart", "1 chart"),
        (
            "http://schemas.openxmlformats.org/drawingml/2006/diagram",
            "diagram",
            "1 SmartArt diagram",
        ),
    ],
)
def test_a_chart_or_smartart_is_named_as_left_out(
    tmp_path: Path, uri: str, kind: str, named: str
) -> None:
    drawing = (
        f'<w:drawing xmlns:wp="{WP}" xmlns:a="{A}"><wp:inline><wp:docPr id="1" name="Chart 1"/>'
        f'<a:graphic><a:graphicData uri="{uri}"/></a:graphic></wp:inline></w:drawing>'
    )
    result = read_docx(write_docx(tmp_path / "c.docx", _para(_run(drawing)) + p("Text.")))
    assert result.value.left_out == ((kind, 1),)
    assert any(f"{named}, which was not compared" in m.text for m in result.messages)


# -- typography ----------------------------------------------------------------------------

_FORMAT_CHARACTERS = [
    chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"
]


def test_every_unicode_format_character_is_folded_for_comparison() -> None:
    for char in _FORMAT_CHARACTERS:
        assert comparable(f"safe{char}guarding") == "safeguarding", hex(ord(char))


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.characters(categories=("Lu", "Ll", "Nd", "Zs", "Po")), min_size=1, max_size=40
    ),
    st.lists(
        st.sampled_from(_FORMAT_CHARACTERS + ["\u2018", "\u2019", "\u201c", "\u201d", "\u2011"]),
        max_size=4,
    ),
    st.integers(min_value=0),
)
def test_inserting_invisible_characters_or_curling_quotes_changes_nothing(
    text: str, inserted: list[str], at: int
) -> None:
    straight = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2011": "-"}
    changed = text
    for char in inserted:
        k = at % (len(changed) + 1)
        changed = changed[:k] + char + changed[k:]
    plain = "".join(straight.get(c, c) for c in changed)
    plain = "".join(c for c in plain if unicodedata.category(c) != "Cf")

    def fold(value: str) -> str:  # the reader folds white space before anything is compared
        return " ".join(value.split())

    assert comparable(fold(changed)) == comparable(fold(plain))


def test_a_huge_picture_is_named_by_its_crc_not_read_whole(tmp_path: Path) -> None:
    """A picture that unpacks past the limit (a zip bomb dressed as a picture) does not stop
    the reading, and a different one still reads as a change."""
    from policydiff.readers import package

    limit = package.MAX_DIGEST_BYTES
    package.MAX_DIGEST_BYTES = 1024
    try:
        old = _image_doc(tmp_path, "old.docx", b"\0" * 5000)
        new = _image_doc(tmp_path, "new.docx", b"\0" * 5001)
    finally:
        package.MAX_DIGEST_BYTES = limit
    (_, image), _ = old.clauses()
    assert image.digest is not None
    assert image.digest.startswith("crc32:")
    (change,) = compare(old, new).changes
    assert change.image_replaced


@pytest.mark.parametrize("start", ["-5", "0", "100000000000000000000", "9" * 5000, "x"])
@pytest.mark.parametrize("fmt", ["lowerRoman", "upperLetter", "decimal", "ordinal"])
def test_a_crafted_start_number_gives_a_short_label(tmp_path: Path, start: str, fmt: str) -> None:
    """A list or note numbering may start anywhere a file says: labels stay short."""
    numbering = (
        f'<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="{start}"/>'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )
    settings = (
        f'<w:settings xmlns:w="{W}"><w:footnotePr><w:numFmt w:val="{fmt}"/>'
        f'<w:numStart w:val="{start}"/></w:footnotePr></w:settings>'
    )
    body = p("Item.", num=(1, 0)) + _para(
        _run(_t("Cited")), _run('<w:footnoteReference w:id="1"/>')
    )
    document = _read(
        tmp_path,
        body,
        numbering=numbering,
        parts={
            "word/settings.xml": settings,
            "word/footnotes.xml": _notes_part("footnote", {"1": "A note."}),
        },
        relationships=(("rS", "settings", "settings.xml"), ("rF", "footnotes", "footnotes.xml")),
    )
    labels = [c.label for _, c in document.clauses()] + [
        n.label for _, c in document.clauses() for n in c.notes
    ]
    assert all(label is None or len(label) <= 40 for label in labels), labels


def test_the_list_of_format_characters_is_unicodes() -> None:
    from policydiff.typography import FORMAT_CHARACTERS

    listed = {chr(c) for a, b in FORMAT_CHARACTERS for c in range(a, b + 1)}
    assert listed == set(_FORMAT_CHARACTERS), f"Unicode {unicodedata.unidata_version}"


def test_an_office_choice_is_read_as_word_shows_it(tmp_path: Path) -> None:
    """Word 2010's w14 choices (text effects) hold ordinary runs: Word shows the Choice."""
    w14 = "http://schemas.microsoft.com/office/word/2010/wordml"
    alternate = (
        f'<mc:AlternateContent xmlns:mc="{MC}" xmlns:w14="{w14}"><mc:Choice Requires="w14">'
        f'<w:r><w:rPr><w14:glow w14:rad="1"/></w:rPr>{_t("£500")}</w:r></mc:Choice>'
        f"<mc:Fallback><w:r>{_t('£10')}</w:r></mc:Fallback></mc:AlternateContent>"
    )
    assert _texts(_read(tmp_path, _para(_run(_t("The fee is ")), alternate))) == ["The fee is £500"]


def test_a_custom_zero_padded_number_format_is_shown_as_word_shows_it(tmp_path: Path) -> None:
    w14 = "http://schemas.microsoft.com/office/word/2010/wordml"
    numbering = (
        f'<w:abstractNum w:abstractNumId="0" xmlns:mc="{MC}" xmlns:w14="{w14}">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><mc:AlternateContent><mc:Choice Requires="w14">'
        '<w:numFmt w:val="custom" w:format="001, 002, 003, ..."/></mc:Choice><mc:Fallback>'
        '<w:numFmt w:val="decimal"/></mc:Fallback></mc:AlternateContent>'
        '<w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )
    body = p("One.", num=(1, 0)) + p("Two.", num=(1, 0))
    labels = [c.label for _, c in _read(tmp_path, body, numbering=numbering).clauses()]
    assert labels == ["001.", "002."]


def test_a_section_without_its_own_first_page_footer_keeps_the_previous_ones(
    tmp_path: Path,
) -> None:
    """ECMA-376 Part 1, 17.10.5: a section that names no footer of a type inherits it."""
    first_section = '<w:footerReference w:type="first" r:id="rF2"/>'
    body = _para(_run(_t("Cover.")), ppr=f"<w:pPr><w:sectPr>{first_section}</w:sectPr></w:pPr>")
    body += p("Body.")
    parts = _page_parts({"f1": "Next review: 2026", "f2": "Cover footer"})
    document = _read(
        tmp_path,
        body,
        parts=parts,
        relationships=(("rF1", "footer", "f1.xml"), ("rF2", "footer", "f2.xml")),
        section='<w:footerReference w:type="default" r:id="rF1"/><w:titlePg/>',
    )
    footer = [(c.text, c.part) for s in document.sections if s.part == "footer" for c in s.clauses]
    assert footer == [("Cover footer", "first page"), ("Next review: 2026", "every page")]


def test_a_picture_replaced_in_a_footnote_is_a_change(tmp_path: Path) -> None:
    def doc(name: str, picture: bytes) -> Document:
        note = f'<w:footnote w:id="1">{p("Our logo:")}<w:p><w:r>{_picture("Logo")}</w:r></w:p></w:footnote>'
        notes = f'<w:footnotes xmlns:w="{W}" xmlns:r="{R}">{note}</w:footnotes>'
        body = _para(_run(_t("Branding")), _run('<w:footnoteReference w:id="1"/>'))
        return _read(
            tmp_path,
            body,
            name,
            parts={
                "word/footnotes.xml": notes,
                "word/media/image1.png": picture,
                "word/_rels/footnotes.xml.rels": (
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                    'relationships"><Relationship Id="rIdImg" Type="http://schemas.'
                    'openxmlformats.org/officeDocument/2006/relationships/image" '
                    'Target="media/image1.png"/></Relationships>'
                ),
            },
            relationships=(("rF", "footnotes", "footnotes.xml"),),
        )

    old, same, new = doc("a.docx", b"one"), doc("b.docx", b"one"), doc("c.docx", b"two")
    assert compare(old, same).changes == ()
    (change,) = compare(old, new).changes
    assert [n.kind for n in change.notes] == [ChangeKind.MODIFIED]
    ((_, clause),) = old.clauses()
    assert clause.notes[0].text == "Our logo:"


def test_a_note_that_cites_a_note_does_not_shift_the_numbers(tmp_path: Path) -> None:
    notes = (
        f'<w:footnotes xmlns:w="{W}"><w:footnote w:id="1"><w:p><w:r>{_t("Self")}</w:r>'
        '<w:r><w:footnoteReference w:id="1"/></w:r></w:p></w:footnote></w:footnotes>'
    )
    body = _para(_run(_t("Cited")), _run('<w:footnoteReference w:id="1"/>'))
    document = _read(
        tmp_path,
        body,
        parts={"word/footnotes.xml": notes},
        relationships=(("rF", "footnotes", "footnotes.xml"),),
    )
    ((_, clause),) = document.clauses()
    assert [(n.label, n.text) for n in clause.notes] == [("1", "Self")]


def test_a_paragraph_of_only_invisible_characters_is_empty(tmp_path: Path) -> None:
    body = p("Before.") + p("\u00ad\u00ad\u200b\u2060") + p("After.")
    assert _texts(_read(tmp_path, body)) == ["Before.", "After."]


def test_a_document_inserted_from_another_file_is_named_as_left_out(tmp_path: Path) -> None:
    body = p("Before.") + '<w:altChunk r:id="rIdChunk"/>'
    result = read_docx(
        write_docx(
            tmp_path / "a.docx",
            body,
            parts={"word/chunk.html": "<html><body>Inserted</body></html>"},
            relationships=(("rIdChunk", "aFChunk", "chunk.html"),),
        )
    )
    assert result.value.left_out == (("inserted", 1),)


def test_a_list_in_a_footnote_or_header_does_not_shift_the_bodys_numbers(tmp_path: Path) -> None:
    """Notes are read before the body and headers after it: each story keeps its own list
    counters, so the body's labels are what Word shows whatever the notes and headers hold."""
    notes = (
        f'<w:footnotes xmlns:w="{W}"><w:footnote w:id="1">{p("A listed note.", num=(1, 0))}'
        "</w:footnote></w:footnotes>"
    )
    header = f'<w:hdr xmlns:w="{W}">{p("Header item.", num=(1, 0))}</w:hdr>'
    body = _para(_run(_t("Cited")), _run('<w:footnoteReference w:id="1"/>'))
    body += p("One.", num=(1, 0)) + p("Two.", num=(1, 0))
    document = _read(
        tmp_path,
        body,
        numbering=_ONE_LIST,
        parts={"word/footnotes.xml": notes, "word/header1.xml": header},
        relationships=(("rF", "footnotes", "footnotes.xml"), ("rH", "header", "header1.xml")),
        section='<w:headerReference w:type="default" r:id="rH"/>',
    )
    body_labels = [c.label for s, c in document.clauses() if s.part == "body"]
    assert body_labels == [None, "1.", "2."]


def test_a_title_styled_line_in_a_header_stays_in_the_header(tmp_path: Path) -> None:
    """Only the body's first Title-styled paragraph names the document."""
    header = f'<w:hdr xmlns:w="{W}">{p("Oak Lane Primary School", style="Title")}</w:hdr>'
    document = _read(
        tmp_path,
        p("Body text."),
        styles=heading_styles(),
        parts={"word/header1.xml": header},
        relationships=(("rH", "header", "header1.xml"),),
        section='<w:headerReference w:type="default" r:id="rH"/>',
    )
    header_texts = [c.text for s, c in document.clauses() if s.part == "header"]
    assert header_texts == ["Oak Lane Primary School"]
    assert document.title != "Oak Lane Primary School"
