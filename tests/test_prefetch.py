"""Reading the files of a comparison in a forked process, started before the program has
loaded (issue #6): each file is read once, by whichever process comes to it first, and what
comes back is exactly what reading the file here gives, or nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policydiff import prefetch
from policydiff.__main__ import files_to_compare
from policydiff.cli import app
from policydiff.readers import docx
from policydiff.readers.docx import read_docx
from tests.conftest import SAMPLES

OLD, NEW = str(SAMPLES / "2016.docx"), str(SAMPLES / "2019.docx")
forking = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here")


def _no_child_left() -> None:
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@pytest.fixture(autouse=True)
def _no_reader_left_running() -> Iterator[None]:
    yield
    prefetch.cancel()


class _Watched:
    """The forked reader, watched: it reports each file as it begins it and, when held, waits
    before reading it until let go (read_docx is replaced before the fork, so in both)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, hold: bool = False) -> None:
        self._begun, begun = os.pipe()
        self._go, go = os.pipe()
        real = docx.read_docx

        def watched(path: str | Path) -> object:
            os.write(begun, f"{path}\n".encode())
            if hold:
                os.read(self._go, 1)
            return real(path)

        monkeypatch.setattr(docx, "read_docx", watched)
        self._go_write = go
        self._report: int | None = begun
        self._lines = os.fdopen(self._begun, "r")

    def begun(self) -> str:
        """Wait until the forked reader begins its next file; which one ("" once it has ended)."""
        if self._report is not None:  # forked by now: only the reader may write here
            os.close(self._report)
            self._report = None
        return self._lines.readline().strip()

    def let_go(self) -> None:
        os.write(self._go_write, b"1")

    def close(self) -> None:
        self._lines.close()
        for fd in (self._go, self._go_write, self._report):
            if fd is not None:
                os.close(fd)


@pytest.fixture
def watch(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., _Watched]]:
    made: list[_Watched] = []

    def make(hold: bool = False) -> _Watched:
        made.append(_Watched(monkeypatch, hold))
        return made[-1]

    yield make
    prefetch.cancel()  # (before the pipes it may be waiting on close)
    for watched in made:
        watched.close()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["diff", OLD, NEW], [OLD, NEW]),
        (["diff", OLD, NEW, "--format", "json", "-o", "out.docx"], [OLD, NEW]),
        (["diff", "--format", "json", NEW, OLD], [NEW, OLD]),
        (["diff", "--format=json", OLD, NEW], [OLD, NEW]),
        (["--debug", "report", OLD, NEW, "-f", "docx"], [OLD, NEW]),
        (["diff", OLD], None),  # one file: Typer will refuse it
        (["diff", OLD, NEW, "extra.docx"], None),
        (["diff", "social-media@2016", "social-media@2019"], None),  # the store's models
        (["diff", "missing.docx", NEW], None),
        (["diff", OLD, "missing.docx"], None),
        (["ingest", OLD, NEW, "--policy", "social-media"], None),
        (["check", OLD, NEW], None),
        ([], None),
    ],
)
def test_the_files_are_guessed_from_the_raw_arguments(
    args: list[str], expected: list[str] | None
) -> None:
    assert files_to_compare(args) == expected


@forking
def test_files_the_forked_reader_got_to_first_come_back_as_reading_here_gives(
    watch: Callable[..., _Watched], corpus: Path
) -> None:
    tracked = str(corpus / "pairs" / "oxpt-rp007-paragraphs-merged" / "tracked.docx")
    watched = watch()
    prefetch.start([OLD, tracked])
    prefetch.start([NEW])  # one reader at a time: this does nothing
    assert watched.begun() == OLD
    assert prefetch.take(OLD) == read_docx(OLD)  # (read here: read_docx is the real one)
    assert watched.begun() == tracked  # nobody had claimed it: the forked reader read it too
    assert prefetch.take(tracked) == read_docx(tracked)  # warnings included
    assert prefetch.take(NEW) is None  # never started
    _no_child_left()


@forking
def test_a_file_claimed_here_is_not_read_there(watch: Callable[..., _Watched]) -> None:
    watched = watch(hold=True)
    prefetch.start([OLD, NEW])
    assert watched.begun() == OLD  # and held there
    assert prefetch.take(NEW) is None  # claimed: the caller reads it
    watched.let_go()
    assert prefetch.take(OLD) == read_docx(OLD)
    assert prefetch.take(NEW) is None  # taken already
    _no_child_left()
    assert watched.begun() == ""  # the forked reader never began the new file


@forking
def test_taking_every_file_leaves_no_reader_whoever_read_them(
    watch: Callable[..., _Watched],
) -> None:
    """Taken at once, as the program may when its reader is slow to start: each file comes
    back as reading it here gives, or is left to the caller; either way the reader is gone,
    and the next can start."""
    for _ in range(3):
        prefetch.start([OLD, NEW])
        for path in (NEW, OLD):
            document = prefetch.take(path)
            assert document is None or document == read_docx(path)
        _no_child_left()
    watched = watch()
    prefetch.start([OLD])
    assert watched.begun() == OLD
    assert prefetch.take(OLD) == read_docx(OLD)
    _no_child_left()


@forking
def test_a_refused_file_gives_nothing_back_and_a_cancelled_reader_is_stopped(
    watch: Callable[..., _Watched], corpus: Path
) -> None:
    watched = watch()
    bad = str(corpus / "bad" / "billion-laughs.docx")
    prefetch.start([bad])
    assert watched.begun() == bad
    assert prefetch.take(bad) is None  # the caller reads it itself, and raises its error
    _no_child_left()
    prefetch.start([OLD])
    prefetch.cancel()  # what the program does with a reading nobody took, and at exit
    assert prefetch.take(OLD) is None
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
