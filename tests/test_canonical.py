"""The stored model reads back as exactly the document that was stored: every clause kind,
cells, list levels, bullets, notes (with their pictures' digest), images, headers and footers
and what was left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from policydiff import canonical
from policydiff.errors import PolicydiffError, ReadError
from policydiff.readers.docx import read_docx


def test_every_corpus_file_round_trips_through_the_stored_model(corpus: Path) -> None:
    checked = 0
    for path in sorted(corpus.rglob("*.docx")):
        try:
            document = read_docx(path).value
        except ReadError:
            continue
        assert canonical.loads(canonical.dumps(document)) == document, path
        checked += 1
    assert checked > 100


def test_a_damaged_note_line_is_named_by_its_line() -> None:
    text = "policydiff-model\t2\nsource\tx.docx\nsection\ts1\t1\t\tScope\tbody\n"
    text += "clause\tc1\tparagraph\t\t\t\t\t\tText.\nnote\tn1\tfootnote\n"
    with pytest.raises(PolicydiffError, match="line 5"):
        canonical.loads(text)
