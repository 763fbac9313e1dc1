"""The aligner on revision pairs it has never seen: real policies edited by a seeded mutator,
laid out three ways, with edits as plain text, as tracked changes, or inside content controls."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from benchmarks.revisions import (
    LAYOUTS,
    Policy,
    make_pair,
    policy_from_document,
    policy_from_seed,
    score,
)
from policydiff.diffing.align import compare
from policydiff.diffing.changes import Comparison
from policydiff.diffing.export import to_json
from policydiff.readers.docx import read_docx
from tests.conftest import ROOT

SEED_TEXT = ROOT.parent / "shared" / "seeds" / "social-media-policy.txt"
MODES: dict[str, dict[str, bool]] = {
    "plain": {},
    "tracked": {"tracked": True},
    "controls": {"sdt": True},
}


def diff(old: Path, new: Path) -> Comparison:
    return compare(read_docx(old).value, read_docx(new).value)


def _check(policy: Policy, tmp_path: Path, seed: int, layout: str, mode: str) -> None:
    options = MODES[mode]
    truth = make_pair(
        policy,
        tmp_path,
        seed,
        layout,
        tracked=options.get("tracked", False),
        sdt=options.get("sdt", False),
    )
    comparison = diff(tmp_path / "old.docx", tmp_path / "new.docx")
    precision, recall, notes = score(to_json(comparison, "old", "new"), truth)
    assert precision >= 0.95, notes
    assert recall >= 0.95, notes


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("seed", range(4))
def test_edits_to_the_seed_policy_are_found(
    tmp_path: Path, seed: int, layout: str, mode: str
) -> None:
    if not SEED_TEXT.exists():
        pytest.skip(f"the seed policy is not at {SEED_TEXT}")
    _check(policy_from_seed(SEED_TEXT.read_text()), tmp_path, seed, layout, mode)


@pytest.mark.parametrize("mode", ["plain", "tracked"])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("seed", range(3))
def test_edits_to_another_real_policy_are_found(
    corpus: Path, tmp_path: Path, seed: int, layout: str, mode: str
) -> None:
    document = read_docx(corpus / "policies" / "todogroup-modelco-ip-policy.docx").value
    _check(policy_from_document(document), tmp_path, seed, layout, mode)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("seed", "layout", "mode"), [(0, "caps", "plain"), (2, "typed", "tracked")]
)
def test_edits_survive_a_round_trip_through_libreoffice(
    tmp_path: Path, seed: int, layout: str, mode: str
) -> None:
    soffice = shutil.which("soffice")
    if soffice is None or not SEED_TEXT.exists():
        pytest.skip("LibreOffice is not installed")
    options = MODES[mode]
    truth = make_pair(
        policy_from_seed(SEED_TEXT.read_text()),
        tmp_path / "word",
        seed,
        layout,
        tracked=options.get("tracked", False),
        sdt=options.get("sdt", False),
    )
    saved = tmp_path / "libreoffice"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(saved),
         str(tmp_path / "word" / "old.docx"), str(tmp_path / "word" / "new.docx")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    producer = zipfile.ZipFile(saved / "new.docx").read("docProps/app.xml")
    assert b"LibreOffice" in producer
    comparison = diff(saved / "old.docx", saved / "new.docx")
    precision, recall, notes = score(to_json(comparison, "old", "new"), truth)
    assert precision >= 0.95, notes
    assert recall >= 0.95, notes
