"""Tiny real .docx packages written from WordprocessingML snippets, for reader tests."""

from __future__ import annotations

import zipfile
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def p(
    text: str, style: str | None = None, num: tuple[int, int] | None = None, bold: bool = False
) -> str:
    """One paragraph: optional style id, (numId, ilvl) and bold run."""
    ppr = ""
    if style or num:
        inner = f'<w:pStyle w:val="{style}"/>' if style else ""
        if num:
            inner += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
        ppr = f"<w:pPr>{inner}</w:pPr>"
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def table(*rows: tuple[str, ...]) -> str:
    body = "".join(
        "<w:tr>" + "".join(f"<w:tc>{p(cell)}</w:tc>" for cell in row) + "</w:tr>" for row in rows
    )
    return f"<w:tbl>{body}</w:tbl>"


def heading_styles() -> str:
    styles = "".join(
        f'<w:style w:type="paragraph" w:styleId="Heading{n}"><w:name w:val="heading {n}"/>'
        f'<w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="{n - 1}"/></w:pPr></w:style>'
        for n in (1, 2, 3)
    )
    return (
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        "</w:style>"
        + styles
        + '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>'
        + '<w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="toc 1"/></w:style>'
        + '<w:style w:type="paragraph" w:styleId="MyHeading"><w:name w:val="My Heading"/>'
        + '<w:basedOn w:val="Heading2"/></w:style>'
    )


def write_docx(
    path: Path,
    body: str,
    *,
    styles: str = "",
    numbering: str = "",
    footer: str | None = None,
    strict: bool = False,
    parts: dict[str, str | bytes] | None = None,
    relationships: tuple[tuple[str, str, str], ...] = (),
    section: str | None = None,
) -> Path:
    """Write a minimal but complete .docx whose body is `body` (w: elements).

    `parts` adds parts by name (XML text or bytes), `relationships` adds the main document's
    relationships to them as (id, type, target), e.g. ("rId9", "footnotes", "footnotes.xml"),
    and `section` is the body's w:sectPr content (header and footer references, w:titlePg).
    """
    w_ns = "http://purl.oclc.org/ooxml/wordprocessingml/main" if strict else W
    r_ns = "http://purl.oclc.org/ooxml/officeDocument/relationships" if strict else R
    office = r_ns if strict else OFFICE
    rels = [f'<Relationship Id="rId1" Type="{office}/styles" Target="styles.xml"/>']
    overrides = [
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    ]
    sect = ""
    files: dict[str, str | bytes] = {
        "word/styles.xml": f'<w:styles xmlns:w="{w_ns}">{styles}</w:styles>',
    }
    if numbering:
        rels.append(f'<Relationship Id="rId2" Type="{office}/numbering" Target="numbering.xml"/>')
        files["word/numbering.xml"] = f'<w:numbering xmlns:w="{w_ns}">{numbering}</w:numbering>'
    if footer is not None:
        rels.append(f'<Relationship Id="rId3" Type="{office}/footer" Target="footer1.xml"/>')
        files["word/footer1.xml"] = f'<w:ftr xmlns:w="{w_ns}">{p(footer)}</w:ftr>'
        sect = '<w:sectPr><w:footerReference w:type="default" r:id="rId3"/></w:sectPr>'
    for rel_id, rel_type, target in relationships:
        rels.append(f'<Relationship Id="{rel_id}" Type="{office}/{rel_type}" Target="{target}"/>')
    files.update(parts or {})
    if section is not None:
        sect = f"<w:sectPr>{section}</w:sectPr>"
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{w_ns}" xmlns:r="{r_ns}"><w:body>{body}{sect}</w:body></w:document>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{TYPES}"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            f'ContentType="application/xml"/>{"".join(overrides)}</Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
            f'Type="{office}/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr("word/document.xml", document)
        archive.writestr(
            "word/_rels/document.xml.rels",
            f'<Relationships xmlns="{PKG}">{"".join(rels)}</Relationships>',
        )
        for name, data in files.items():
            archive.writestr(name, data)
    return path
