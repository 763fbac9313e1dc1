from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html
from typer.testing import CliRunner

from policydiff.cli import app
from policydiff.diffing.align import compare
from policydiff.model import Clause, ClauseKind, Document, Metadata, Section
from policydiff.readers.docx import read_docx
from policydiff.render import render
from policydiff.reporting import Side, build_report
from policydiff.typography import comparable
from tests.conftest import ROOT, SAMPLES

runner = CliRunner()
PAIRS = [("2016", "2019"), ("2019", "2024"), ("2024", "2025-draft")]
GOLDEN = ROOT / "tests" / "golden" / "report"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _report(old: str, new: str, fmt: str, out: Path | None = None) -> str:
    args = [
        "report",
        str(SAMPLES / f"{old}.docx"),
        str(SAMPLES / f"{new}.docx"),
        "--format",
        fmt,
        "--today",
        "2024-06-01",
    ]
    if out is not None:
        args += ["-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_markdown_reports_match_their_golden_files(old: str, new: str, update_golden: bool) -> None:
    text = _report(old, new, "md").replace(str(SAMPLES) + "/", "")
    golden = GOLDEN / f"{old}-{new}.md"
    if update_golden:
        golden.write_text(text)
    assert text == golden.read_text(), f"review and refresh with pytest --update-golden: {golden}"


def _xpath(page: Any, expression: str) -> list[Any]:
    return list(page.xpath(expression))


def test_the_html_report_is_structured_for_a_governor() -> None:
    page = lxml_html.fromstring(_report("2016", "2019", "html"))
    assert page.findtext(".//title") == "Social Media Policy: what changed"
    assert _xpath(page, "//meta[@name='viewport']")
    assert not _xpath(page, "//script | //link | //img | //iframe")
    summary = [li.text_content() for li in _xpath(page, "//section[@id='summary']//li")]
    assert summary[0].startswith("4 clauses were changed, 4 clauses were added")
    headings = [h.text_content().strip() for h in _xpath(page, "//section[@class='changed']/h3")]
    assert headings[0] == "The opening"
    assert any(
        h.startswith("ONLINE SAFETY AND SAFEGUARDING") and "new section" in h for h in headings
    )
    assert [d.text_content() for d in _xpath(page, "//del")][1:3] == [
        "[removed: Twitter]",
        "[removed: 1998]",
    ]
    assert _xpath(page, "//ins[contains(., 'UK General Data Protection Regulation')]")
    assert _xpath(page, "//section[@id='check']//p[@class='passed']")
    assert [th.text_content() for th in _xpath(page, "//section[@id='signoff']//th")] == [
        "Approved by",
        "Date",
        "Minute reference",
    ]
    assert "@media print" in (page.findtext(".//style") or "")


def _doc(text: str) -> Document:
    clause = Clause("c1", None, text, ClauseKind.PARAGRAPH)
    return Document("x", Metadata(title="T<i>"), (Section("s1", "S <b>", 1, None, (clause,)),))


def test_document_text_is_escaped_in_html_and_markdown() -> None:
    hostile = '<script>alert("x")</script> **bold** [link](http://x) \x07bell'
    comparison = compare(_doc("Staff must behave."), _doc(hostile))
    report = build_report(comparison, Side("a", "a"), Side("b", "b"))
    page = render("report.html.j2", {"report": report})
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "\x07" not in page
    md = render("report.md.j2", {"report": report})
    assert "\\*\\*bold\\*\\*" in md
    assert "\\[link\\]" in md
    assert "\\<script\\>" in md


def test_a_school_can_override_a_template(tmp_path: Path) -> None:
    (tmp_path / "report.md.j2").write_text(
        "{% include 'default:report.md.j2' %}\nBartons crest here\n"
    )
    result = runner.invoke(
        app,
        ["report", str(SAMPLES / "2016.docx"), str(SAMPLES / "2019.docx"), "--format", "md",
         "--template-dir", str(tmp_path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.rstrip().endswith("Bartons crest here")
    assert "# Social Media Policy: what changed" in result.stdout


def _texts(path: Path) -> list[str]:
    return [c.text for _, c in read_docx(path).value.clauses()]


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_the_word_redline_is_the_new_document_with_the_summary_in_a_comment(
    tmp_path: Path, old: str, new: str
) -> None:
    from tests.revision_views import accept_all, reject_all

    redline = tmp_path / "redline.docx"
    _report(old, new, "docx", redline)
    import docx

    docx.Document(str(redline))
    with zipfile.ZipFile(redline) as package, zipfile.ZipFile(SAMPLES / f"{new}.docx") as source:
        xml = package.read("word/document.xml").decode()
        comments = package.read("word/comments.xml").decode()
        for part in ("word/styles.xml", "word/numbering.xml", "word/settings.xml"):
            if part in source.namelist():  # the school's own document, not a rebuild
                assert package.read(part) == source.read(part), part
    assert 'w:author="policydiff"' in xml
    assert "what changed" not in xml.lower()  # the summary is not in the body ...
    assert "What changed, from" in comments  # ... but in a comment
    assert "clause" in comments
    accepted = _texts(accept_all(redline, tmp_path / "accepted.docx"))
    assert accepted == _texts(SAMPLES / f"{new}.docx")
    rejected = _texts(reject_all(redline, tmp_path / "rejected.docx"))
    # (the same words: a quote the comparison folds, as Word's Compare does, keeps its new form)
    assert list(map(comparable, rejected)) == list(map(comparable, _texts(SAMPLES / f"{old}.docx")))


def test_the_redline_converts_with_libreoffice(tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    redline = tmp_path / "redline.docx"
    _report("2016", "2019", "docx", redline)
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(redline)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    assert (tmp_path / "redline.pdf").stat().st_size > 10_000
