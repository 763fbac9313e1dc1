"""Hostile clause texts through every renderer (issue #7): markup, control characters,
right-to-left marks. HTML never carries live markup; Markdown never emphasises by accident."""

from __future__ import annotations

import io
import json
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.diffing.align import compare
from policydiff.model import Clause, ClauseKind, Document, Metadata, Section
from policydiff.readers.docx import read_docx
from policydiff.redlining.rebuilt import write_rebuilt
from policydiff.render import render
from policydiff.reporting import Side, build_report
from policydiff.terminal import print_comparison
from policydiff.typography import comparable

PIECES = [*"<>&\"'`*_~[]()#|\\/=!", "\x07", "\x1b", "\u202e", "\u200f", "é", "ש", " ", "a",
          "script", "img onerror", "<script>", "</p>"]  # fmt: skip
NASTY = st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map(
    lambda parts: "".join(parts).strip() or "x"
)


def _doc(title: str, texts: list[str]) -> Document:
    clauses = tuple(Clause(f"c{k}", None, t, ClauseKind.PARAGRAPH) for k, t in enumerate(texts))
    return Document("x.docx", Metadata(title=title), (Section("s1", title, 1, None, clauses),))


@settings(max_examples=60, deadline=None)
@given(NASTY, st.lists(NASTY, min_size=1, max_size=4), st.lists(NASTY, min_size=1, max_size=4))
def test_hostile_text_is_inert_in_every_renderer(
    title: str, old: list[str], new: list[str]
) -> None:
    comparison = compare(_doc(title, old), _doc(title + "<b>", new))
    report = build_report(comparison, Side("<old>", "a"), Side("<new>", "b"))
    page = render("report.html.j2", {"report": report})
    body = page.split("</style>", 1)[1]
    tags = set(re.findall(r"<\s*([a-zA-Z][a-zA-Z0-9]*)", body))
    assert tags <= {
        "head",
        "body",
        "header",
        "details",
        "summary",
        "h1",
        "h2",
        "h3",
        "p",
        "strong",
        "br",
        "main",
        "section",
        "ul",
        "li",
        "ol",
        "span",
        "ins",
        "del",
        "div",
        "table",
        "tr",
        "th",
        "td",
        "footer",
        "title",
    }
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", page)
    md = render("report.md.j2", {"report": report})
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", md)
    assert "<b>" not in md
    out = io.StringIO()
    print_comparison(comparison, out)
    # the terminal: no escape sequence or bell a clause could smuggle into a person's terminal
    assert out.getvalue()
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", out.getvalue())
    # JSON: the same texts back, whatever they hold
    data = json.loads(json.dumps(comparison.to_dict()))
    assert data["schema"] == "policydiff.diff/1"
    assert [c["kind"] for c in data["changes"]] == [c.kind.value for c in comparison.changes]
    with tempfile.TemporaryDirectory() as tmp:
        redline = write_rebuilt(
            comparison, report, Path(tmp) / "r.docx", '<policydiff & "co">', datetime.now(UTC)
        )
        document = read_docx(redline).value  # (well-formed XML, or the reader refuses it)
        assert document.title is not None
        texts = comparable(" ".join(c.text for _, c in document.clauses()))
        for text in new:  # every new clause's printable words are there, as text
            shown = comparable(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text))
            assert all(word in texts for word in shown.split())


@settings(max_examples=40, deadline=None)
@given(NASTY, NASTY, NASTY, NASTY)
def test_hostile_text_is_inert_in_every_check_output(
    title: str, message: str, section: str, evidence: str
) -> None:
    """A document's title, section names and words reach the check's outputs: each stays
    well-formed (JSON, SARIF, JUnit XML) and the text output shows no control character."""
    from xml.etree import ElementTree

    from policydiff import writers
    from policydiff.rules.checks import CheckResult, Finding
    from policydiff.rules.load import Severity as Level
    from policydiff.rules.load import load_profile

    profile = load_profile()
    rule = profile.rules[0].id
    result = CheckResult(
        f"{title}.docx",
        title,
        (Finding(rule, Level.ERROR, message, section, "1.2", evidence),),
        profile.name,
    )
    for fmt in ("json", "sarif"):
        text = writers.check([result], [profile], fmt)
        assert text is not None
        assert json.loads(text)  # (the texts come back whole: json escapes what it must)
    junit = writers.check([result], [profile], "junit")
    assert junit is not None
    ElementTree.fromstring(junit.encode())  # well-formed, whatever the text held
    shown = writers.check([result], [profile], "text")
    assert shown is not None
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", shown)
