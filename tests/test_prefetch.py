"""Reading the old file of a comparison in a forked process, started before the program has
loaded (issue #6): it must give exactly what reading the file here gives, or nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policydiff import prefetch
from policydiff.__main__ import first_file_to_compare
from policydiff.cli import app
from policydiff.readers.docx import read_docx
from tests.conftest import SAMPLES

OLD, NEW = str(SAMPLES / "2016.docx"), str(SAMPLES / "2019.docx")


def _no_child_left() -> None:
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["diff", OLD, NEW], OLD),
        (["diff", OLD, NEW, "--format", "json", "-o", "out.docx"], OLD),
        (["diff", "--format", "json", NEW, OLD], NEW),
        (["diff", "--format=json", OLD, NEW], OLD),
        (["--debug", "report", OLD, NEW, "-f", "docx"], OLD),
        (["diff", OLD], None),  # one file: Typer will refuse it
        (["diff", OLD, NEW, "extra.docx"], None),
        (["diff", "social-media@2016", "social-media@2019"], None),  # the store's models
        (["diff", "missing.docx", NEW], None),
        (["ingest", OLD, NEW, "--policy", "social-media"], None),
        (["check", OLD, NEW], None),
        ([], None),
    ],
)
def test_the_old_file_is_guessed_from_the_raw_arguments(
    args: list[str], expected: str | None
) -> None:
    assert first_file_to_compare(args) == expected


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here")
def test_what_comes_back_is_what_reading_here_gives(corpus: Path) -> None:
    for path in (OLD, str(corpus / "pairs" / "oxpt-rp007-paragraphs-merged" / "tracked.docx")):
        prefetch.start(path)
        prefetch.start(path)  # once only
        assert prefetch.take(path) == read_docx(path)
        assert prefetch.take(path) is None  # taken already
    _no_child_left()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here")
def test_a_refused_file_gives_nothing_back_and_a_cancelled_reader_is_stopped(
    corpus: Path,
) -> None:
    bad = str(corpus / "bad" / "billion-laughs.docx")
    prefetch.start(bad)
    assert prefetch.take(bad) is None  # the caller reads it itself, and raises its error
    prefetch.start(OLD)
    prefetch.cancel(OLD)
    assert prefetch.take(OLD) is None
    prefetch.start(NEW)
    prefetch.cancel_all()  # what the program does at exit with a reading nobody took
    _no_child_left()


def test_the_command_gives_the_same_diff_as_the_library_in_one_process(tmp_path: Path) -> None:
    """`python -m policydiff` is the installed command's way in: it starts the old file's
    reader before Typer loads. Its output is the in-process command's, byte for byte."""
    args = ["diff", OLD, NEW, "--format", "json"]
    proc = subprocess.run(
        [sys.executable, "-m", "policydiff", *args], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == CliRunner().invoke(app, args).stdout


def test_the_command_refuses_a_bad_new_file_in_one_line(corpus: Path) -> None:
    bad = str(corpus / "bad" / "billion-laughs.docx")
    proc = subprocess.run(
        [sys.executable, "-m", "policydiff", "diff", OLD, bad],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1
    assert "billion-laughs.docx" in proc.stderr
