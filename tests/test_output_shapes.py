"""Every output a governor or clerk reads shows what the reader now reads, in its shape: a
table as a table, a list as a list, a note under its clause, a replaced picture, a page
footer, and what was not compared (issue #14)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from policydiff.cli import app
from tests.builders import heading_styles, p, table, write_docx

runner = CliRunner()

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"

_BULLETS = (
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/>'
    '<w:lvlText w:val="•"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/>'
    '<w:lvlText w:val="o"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
)


def _policy(path: Path, *, phone: str, review: str, note: str, picture: bytes) -> Path:
    drawing = (
        f'<w:drawing xmlns:wp="{WP}" xmlns:a="{A}" xmlns:pic="{PIC}"><wp:inline>'
        '<wp:docPr id="1" name="Picture 1" descr="Referral flowchart"/><a:graphic>'
        f'<a:graphicData uri="{PIC}"><pic:pic><pic:blipFill><a:blip r:embed="rIdImg"/>'
        "</pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>"
    )
    chart = (
        f'<w:drawing xmlns:wp="{WP}" xmlns:a="{A}"><wp:inline><wp:docPr id="2" name="Chart"/>'
        f'<a:graphic><a:graphicData uri="{CHART}"/></a:graphic></wp:inline></w:drawing>'
    )
    body = (
        p("Devices", style="Heading1")
        + table(("Device", "Allowed"), ("Mobile phone", phone), ("Smart watch", "No"))
        + p("Pupils hand in phones.", num=(1, 0))
        + p("Phones are kept in the office.", num=(1, 1))
        + '<w:p><w:r><w:t xml:space="preserve">Staff follow the code</w:t></w:r>'
        '<w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t>.</w:t></w:r></w:p>'
        + f"<w:p><w:r>{drawing}</w:r></w:p><w:p><w:r>{chart}</w:r></w:p>"
    )
    footnotes = (
        f'<w:footnotes xmlns:w="{W}"><w:footnote w:id="1">{p(note)}</w:footnote></w:footnotes>'
    )
    return write_docx(
        path,
        body,
        styles=heading_styles(),
        numbering=_BULLETS,
        footer=f"Next review: {review}",
        parts={"word/footnotes.xml": footnotes, "word/media/image1.png": picture},
        relationships=(
            ("rIdFn", "footnotes", "footnotes.xml"),
            ("rIdImg", "image", "media/image1.png"),
        ),
    )


def _pair(tmp_path: Path) -> tuple[str, str]:
    old = _policy(
        tmp_path / "old.docx",
        phone="No",
        review="September 2025",
        note="Code of Conduct (2023).",
        picture=b"three steps",
    )
    new = _policy(
        tmp_path / "new.docx",
        phone="Yes",
        review="September 2026",
        note="Code of Conduct (2024).",
        picture=b"four steps",
    )
    return str(old), str(new)


def test_the_diff_json_names_every_kind_of_change(tmp_path: Path) -> None:
    old, new = _pair(tmp_path)
    result = runner.invoke(app, ["diff", old, new, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    kinds = sorted((c["new"][0]["kind"], c.get("image_replaced", False)) for c in data["changes"])
    assert kinds == [("footer", False), ("image", True), ("paragraph", False), ("table row", False)]
    row = next(c for c in data["changes"] if c["new"][0]["kind"] == "table row")
    assert row["new"][0]["cells"] == ["Mobile phone", "Yes"]
    noted = next(c for c in data["changes"] if c["new"][0]["kind"] == "paragraph")
    assert noted["notes"][0]["op"] == "modified"
    assert noted["new"][0]["notes"][0]["text"] == "Code of Conduct (2024)."
    assert data["new"]["left_out"] == [{"kind": "chart", "count": 1}]


def test_the_html_report_shows_a_row_as_cells_a_note_a_picture_and_what_was_left_out(
    tmp_path: Path,
) -> None:
    old, new = _pair(tmp_path)
    result = runner.invoke(app, ["report", old, new, "--store", str(tmp_path / "none")])
    assert result.exit_code == 0, result.output
    html = result.stdout
    assert re.search(r'<table class="row"><tr><td>Mobile phone</td><td>.*No.*</td></tr>', html)
    assert "Footnote 1 (changed)" in html
    assert "The picture was replaced; its description is the same" in html
    assert "Page footer" in html
    assert "Each revision also contains 1 chart, which was not compared." in html


def test_the_markdown_report_shows_a_row_as_a_table_and_the_note(tmp_path: Path) -> None:
    old, new = _pair(tmp_path)
    result = runner.invoke(
        app, ["report", old, new, "--format", "md", "--store", str(tmp_path / "none")]
    )
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert "| Mobile phone | ~~No~~**Yes** |" in md
    assert "  - Footnote 1 (changed): Code of Conduct (~~2023~~**2024**)." in md
    assert "which was not compared" in md


def test_show_lays_out_a_file_as_it_reads(tmp_path: Path) -> None:
    _, new = _pair(tmp_path)
    result = runner.invoke(app, ["show", new])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "| Mobile phone | Yes" in text
    assert "  • Pupils hand in phones." in text
    assert "    • Phones are kept in the office." in text  # one level in; a bullet shows as •
    assert "[footnote 1] Code of Conduct (2024)." in text
    assert "[image: Referral flowchart]" in text
    assert "Next review: September 2026 (every page)" in text
    assert "This document also contains 1 chart, which was not compared." in text
    shown = runner.invoke(app, ["show", new, "--format", "json"])
    data = json.loads(shown.stdout)
    assert data["schema"] == "policydiff.document/1"
    assert [s["part"] for s in data["sections"]] == ["body", "footer"]


def test_a_new_title_is_said_in_every_output(tmp_path: Path) -> None:
    styles = heading_styles()
    old = write_docx(
        tmp_path / "a.docx", p("Safeguarding Policy", style="Title") + p("Text."), styles=styles
    )
    new = write_docx(
        tmp_path / "b.docx", p("Child Protection Policy", style="Title") + p("Text."), styles=styles
    )
    text = runner.invoke(app, ["diff", str(old), str(new)]).stdout
    assert 'Title changed: "Safeguarding Policy" is now "Child Protection Policy"' in text
    md = runner.invoke(
        app, ["report", str(old), str(new), "-f", "md", "--store", str(tmp_path / "none")]
    ).stdout
    assert (
        "The policy's title is now “Child Protection Policy”; it was “Safeguarding Policy”." in md
    )


def test_a_replaced_picture_is_one_plain_sentence(tmp_path: Path) -> None:
    old, new = _pair(tmp_path)
    result = runner.invoke(app, ["diff", new, old])
    assert result.exit_code == 0
    flat = " ".join(result.stdout.split())
    assert "The picture was replaced; its description is the same (“Referral flowchart”)." in flat
    assert flat.count("Referral flowchart") == 1  # said once, not repeated after the sentence


def test_two_sections_of_one_title_stay_two_in_every_report(tmp_path: Path) -> None:
    """'STAFF › General' and 'PUPILS › General' are two sections (#15): reports name them by
    their path and never merge their changes."""
    styles = heading_styles()

    def policy(name: str, staff: str, pupils: str) -> str:
        body = p("STAFF", style="Heading1") + p("General", style="Heading2") + p(staff)
        body += p("PUPILS", style="Heading1") + p("General", style="Heading2") + p(pupils)
        return str(write_docx(tmp_path / name, body, styles=styles))

    old = policy("a.docx", "Staff sign in at reception.", "Pupils arrive by 8.45am.")
    new = policy("b.docx", "Staff sign in at the office.", "Pupils arrive by 8.40am.")
    text = runner.invoke(app, ["diff", old, new]).stdout
    assert "STAFF › General" in text
    assert "PUPILS › General" in text
    md = runner.invoke(app, ["report", old, new, "-f", "md", "--store", str(tmp_path / "x")]).stdout
    assert md.count("### STAFF › General") == 1
    assert md.count("### PUPILS › General") == 1
