"""Random but valid Word documents (hypothesis): the reader never fails on them, and a
revision ingested into the store comes back as exactly the model that was read (issue #7)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policydiff.readers.docx import read_docx
from policydiff.store import Store
from tests.builders import heading_styles, p, table, write_docx

# Text Word can hold: no XML-forbidden control characters or lone surrogates.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    min_size=1,
    max_size=40,
).map(lambda t: escape(t))
NUMBERING = (
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1">'
    '<w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl>'
    '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
)


@st.composite
def blocks(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["para", "heading", "bold", "list", "table", "ins", "del", "sdt"]))
    text = draw(TEXT)
    if kind == "heading":
        return p(text, style=f"Heading{draw(st.integers(1, 3))}")
    if kind == "bold":
        return p(text.upper(), bold=True)
    if kind == "list":
        return p(text, num=(1, draw(st.integers(0, 1))))
    if kind == "table":
        return table(
            *[
                tuple(draw(st.lists(TEXT, min_size=1, max_size=3)))
                for _ in range(draw(st.integers(1, 3)))
            ]
        )
    if kind == "ins":
        return f"<w:p><w:ins w:id='1' w:author='a'><w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:ins></w:p>"
    if kind == "del":
        return f"<w:p><w:r><w:t>kept </w:t></w:r><w:del w:id='2' w:author='a'><w:r><w:delText>{text}</w:delText></w:r></w:del></w:p>"
    if kind == "sdt":
        return f"<w:sdt><w:sdtContent>{p(text)}</w:sdtContent></w:sdt>"
    return p(text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(blocks(), max_size=25))
def test_random_documents_read_and_come_back_from_the_store_unchanged(body: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_docx(
            Path(tmp) / "random.docx", "".join(body), styles=heading_styles(), numbering=NUMBERING
        )
        result = read_docx(path)
        document = result.value
        for section in document.walk():
            assert section.title is None or section.title.strip()
        store, _ = Store.init(Path(tmp) / "store")
        with store:
            revision = store.ingest(
                "random", path, path.read_bytes(), document, [], None, date(2024, 1, 1), None
            )
            assert revision is not None
            back = store.model(revision)
            assert back.sections == document.sections
            assert back.metadata == document.metadata
