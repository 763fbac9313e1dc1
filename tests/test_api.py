"""policydiff from Python (issue #17): the API's doctests, and each function with paths, bytes
and binary files, as another program would call it."""

from __future__ import annotations

import doctest
import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

import policydiff
from policydiff import api
from policydiff.cli import app
from tests.conftest import ROOT, SAMPLES

OLD, NEW, DRAFT = SAMPLES / "2016.docx", SAMPLES / "2019.docx", SAMPLES / "2025-draft.docx"


def test_the_api_docstrings_run_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # (the examples name the sample policies from the checkout)
    failed, tried = doctest.testmod(api, optionflags=doctest.ELLIPSIS)
    assert tried >= 8
    assert failed == 0


@pytest.mark.parametrize("how", ["path", "str", "bytes", "file"])
def test_compare_takes_paths_bytes_and_files(how: str) -> None:
    def given(path: Path) -> object:
        return {
            "path": path,
            "str": str(path),
            "bytes": path.read_bytes(),
            "file": io.BytesIO(path.read_bytes()),
        }[how]

    comparison = policydiff.compare(given(OLD), given(NEW))  # type: ignore[arg-type]
    assert comparison.to_dict()["schema"] == "policydiff.diff/1"
    assert comparison.summary
    assert len(comparison.changes) == len(policydiff.compare(OLD, NEW).changes)


def test_to_dict_is_what_the_command_prints() -> None:
    result = CliRunner().invoke(app, ["diff", str(OLD), str(NEW), "--format", "json"])
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    assert policydiff.compare(OLD, NEW).to_dict(str(OLD), str(NEW)) == printed


def test_check_reads_the_draft_as_failing_and_says_why() -> None:
    result = policydiff.check(policydiff.read(DRAFT))
    assert result.passed is False
    assert result.to_dict()["schema"] == "policydiff.check/1"
    assert result.to_dict()["results"][0]["passed"] is False
    assert policydiff.check(DRAFT.read_bytes()).findings == result.findings


@pytest.mark.parametrize("how", ["path", "bytes"])
def test_redline_returns_a_word_file(how: str, tmp_path: Path) -> None:
    old = OLD if how == "path" else OLD.read_bytes()
    new = NEW if how == "path" else NEW.read_bytes()
    data = policydiff.redline(old, new)
    (tmp_path / "r.docx").write_bytes(data)
    assert docx.Document(str(tmp_path / "r.docx")).paragraphs
    assert b"word/comments.xml" in data


def test_redline_of_documents_is_rebuilt_from_their_text(tmp_path: Path) -> None:
    data = policydiff.redline(policydiff.read(OLD), policydiff.read(NEW))
    (tmp_path / "r.docx").write_bytes(data)
    assert docx.Document(str(tmp_path / "r.docx")).paragraphs


def test_report_is_html_or_markdown() -> None:
    comparison = policydiff.compare(OLD, NEW)
    assert policydiff.report(comparison).lstrip().startswith("<!DOCTYPE html>")
    assert policydiff.report(comparison, "md").startswith("# Social Media Policy")
    with pytest.raises(policydiff.PolicydiffError):
        policydiff.report(comparison, "pdf")  # type: ignore[arg-type]


def test_errors_are_policydiffs_own(tmp_path: Path) -> None:
    with pytest.raises(policydiff.ReadError, match="is not a Word document"):
        policydiff.read(b"plain text, not a Word file")
    with pytest.raises(policydiff.ReadError, match="does not exist"):
        policydiff.compare(tmp_path / "missing.docx", NEW)
    with pytest.raises(policydiff.StoreError):
        policydiff.Store(tmp_path / "nowhere").log()
    assert issubclass(policydiff.StoreError, policydiff.PolicydiffError)


def test_the_store_from_python(tmp_path: Path) -> None:
    store = policydiff.Store.create(tmp_path / "store")
    store.ingest([OLD, NEW], "social-media")
    assert [r.version for r in store.log()] == ["2", "1"]
    assert store.show("social-media@1").title == "Social Media Policy"
    assert store.source("social-media@2") == NEW.read_bytes()
    assert store.approve("social-media@2", "Full Governing Body", date(2019, 3, 20)) is not None
    assert store.compare("social-media@1", "social-media@2").changes
    assert store.verify() == []


def test_importing_policydiff_loads_nothing_heavy() -> None:
    code = (
        "import sys, policydiff; "
        "print(sorted(m for m in ('lxml', 'typer', 'git', 'jinja2', 'rapidfuzz', 'docx') "
        "if m in sys.modules))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )  # fmt: skip
    assert found.stdout.strip() == "[]"
