"""`policydiff update` on six model / school triples built from real model policies (DfE and
local-authority models, `tests/fixtures/models/*/notes.md` names each source and licence),
adapted as schools adapt them and revised as their publishers revise them. The decisions
(`truth.json`) and the merged text (`merged.txt`) were written by a person who had not seen
policydiff's code, as a careful clerk would decide, before the merge existed.

For every triple: each model change is applied, a conflict or left exactly as the truth says
(a change the school had already made is not listed), nothing else is listed, and Word's
Accept All on the written document (the independent oracle `tests.revision_views`) reads as
`merged.txt`, paragraph for paragraph, table cells included.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import docx
import pytest

from policydiff.redlining.update import write_update
from tests.revision_views import accept_all

TRIPLES = sorted((Path(__file__).parent / "fixtures" / "models").glob("[0-9]*"))
_NUMBER = re.compile(r"^\(?\d{1,3}(\.\d{1,3})*[.)]?\s+")
_SIGNS = str.maketrans("\u2018\u2019\u201c\u201d\u2013\u2014\u00a0", "''\"\"-- ")


def _norm(text: str | None) -> str:
    folded = unicodedata.normalize("NFKC", text or "").translate(_SIGNS).lower()
    return _NUMBER.sub("", " ".join(folded.split()))


def _side(item: dict[str, Any], side: str) -> str | None:
    value = item[side]
    return None if value is None else _norm(value["text"])


def _matches(change: dict[str, Any], item: dict[str, Any]) -> bool:
    """An item of the merge's listing stands for a truth change when its texts hold the
    change's (a split, a join or a table row lists several clauses or cells as one)."""
    for side in ("base", "model"):
        want, got = _norm(change[side]) if change[side] else None, _side(item, side)
        if want is None:
            if side == "base" and got is not None:
                return False
        elif got is None or want not in got:
            return False
    return True


def _body_texts(path: Path) -> list[str]:
    """Every non-empty body paragraph in reading order, a table's cells row by row."""
    document = docx.Document(str(path))
    out: list[str] = []
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for child in document.element.body.iterchildren():
        if child.tag == f"{w}p":
            out.append("".join(t.text or "" for t in child.iter(f"{w}t")))
        elif child.tag == f"{w}tbl":
            for cell_paragraph in child.iter(f"{w}p"):
                out.append("".join(t.text or "" for t in cell_paragraph.iter(f"{w}t")))
    return [" ".join(text.split()) for text in out if text.strip()]


@pytest.mark.parametrize("triple", TRIPLES, ids=[t.name for t in TRIPLES])
def test_every_model_change_is_decided_as_a_careful_clerk_decides(
    triple: Path, tmp_path: Path
) -> None:
    output = tmp_path / "school-new.docx"
    merged: dict[str, Any] = write_update(
        triple / "model-old.docx", triple / "model-new.docx", triple / "school-old.docx", output
    ).value.merge.to_dict()
    truth = json.loads((triple / "truth.json").read_text())["changes"]
    listed = {"applied": "applied", "conflict": "conflicts", "left": "left"}
    wrong = []
    for change in truth:
        homes = [d for d, key in listed.items() if any(_matches(change, i) for i in merged[key])]
        want = [] if change["decision"] == "none" else [change["decision"]]
        if homes != want:
            wrong.append(f"{change['base'] or change['model']!r}: {want} but listed as {homes}")
    matched = [
        item
        for key in listed.values()
        for item in merged[key]
        if not any(_matches(c, item) for c in truth if listed.get(c["decision"]) == key)
    ]
    assert not wrong, "\n".join(wrong)
    assert not matched, f"listed but no such change: {matched}"
    accepted = _body_texts(accept_all(output, tmp_path / "accepted.docx"))
    expected = [" ".join(line.split()) for line in (triple / "merged.txt").read_text().splitlines()]
    assert accepted == [line for line in expected if line]


def test_the_set_covers_what_a_clerk_meets() -> None:
    """At least five triples, with every decision, literal and Word numbering, and a table."""
    decisions: dict[str, int] = {}
    for triple in TRIPLES:
        for change in json.loads((triple / "truth.json").read_text())["changes"]:
            decisions[change["decision"]] = decisions.get(change["decision"], 0) + 1
    assert len(TRIPLES) >= 5
    assert all(decisions.get(d, 0) >= 5 for d in ("applied", "conflict", "left", "none"))


@pytest.mark.slow
def test_libreoffice_opens_and_renders_the_updated_policy(tmp_path: Path) -> None:
    """The school's document with tracked changes and conflict comments converts in
    LibreOffice, and its accepted view prints the merged text."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    triple = TRIPLES[0]
    output = tmp_path / "school-new.docx"
    write_update(
        triple / "model-old.docx", triple / "model-new.docx", triple / "school-old.docx", output
    )
    accepted = accept_all(output, tmp_path / "accepted.docx")
    converted = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
         "--convert-to", "txt:Text", "--outdir", str(tmp_path / "txt"), str(output),
         str(accepted)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    said = (converted.stdout + converted.stderr).strip()
    assert converted.returncode == 0, said
    assert "Error" not in said, said
    text = (tmp_path / "txt" / "accepted.txt").read_text(encoding="utf-8-sig")
    merged = [line for line in (triple / "merged.txt").read_text().splitlines() if line]
    printed = " ".join(text.split())
    missing = [line for line in merged if " ".join(line.split()) not in printed]
    assert not missing, missing[:3]
    assert (tmp_path / "txt" / "school-new.txt").is_file()
