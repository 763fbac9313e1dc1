"""The store under a full disk and a read-only mount (issue #7). These need root to mount a
small tmpfs; elsewhere they are skipped."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES

POLICYDIFF = str(Path(sys.executable).with_name("policydiff"))


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([POLICYDIFF, *args], capture_output=True, text=True, check=False)


def _head(store: Path) -> str:
    return subprocess.run(
        ["git", "-C", str(store), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout


def test_a_full_disk_gives_a_clear_error_and_no_partial_revision(small_disk: Path) -> None:
    store = small_disk / "store"
    assert _run("init", "--store", str(store)).returncode == 0
    assert (
        _run(
            "ingest", str(SAMPLES / "2016.docx"), "--policy", "small", "--store", str(store)
        ).returncode
        == 0
    )
    before = _head(store)
    big = ROOT / "benchmarks" / "data" / "pair-2000" / "old.docx"
    if not big.exists():
        from benchmarks.generate import make_pair

        big = make_pair(2_000, ROOT / "benchmarks" / "data") / "old.docx"
    filler = small_disk / "filler"
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    filler.write_bytes(b"\0" * max(0, free - 150_000))
    proc = _run("ingest", str(big), "--policy", "handbook", "--store", str(store))
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr
    assert "could not write to the store" in proc.stderr
    assert _head(store) == before
    filler.unlink()
    assert _run("verify", "--store", str(store)).returncode == 0
    again = _run("ingest", str(big), "--policy", "handbook", "--store", str(store))
    assert again.returncode == 0, again.stderr


def test_whatever_the_free_space_the_message_tells_the_truth(small_disk: Path) -> None:
    """With the disk filling at each point of an ingest (git's objects, the new commit, the
    store's folder), the one-line message says what happened: nothing was changed (and main has
    not moved), or the revision is stored (and `log` lists it) with the folder to be finished by
    the next command that writes, which does finish it once there is space."""
    big = ROOT / "benchmarks" / "data" / "pair-2000" / "old.docx"
    if not big.exists():
        from benchmarks.generate import make_pair

        big = make_pair(2_000, ROOT / "benchmarks" / "data") / "old.docx"
    outcomes = set()
    for left in (40_000, 150_000, 250_000, 300_000, 400_000, 600_000):
        for leftover in small_disk.iterdir():
            subprocess.run(["rm", "-rf", str(leftover)], check=True)
        store = small_disk / "store"
        assert _run("init", "--store", str(store)).returncode == 0
        first = _run("ingest", str(SAMPLES / "2016.docx"), "-p", "small", "--store", str(store))
        assert first.returncode == 0, first.stderr
        before = _head(store)
        filler = small_disk / "filler"
        free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
        filler.write_bytes(b"\0" * max(0, free - left))
        proc = _run("ingest", str(big), "--policy", "handbook", "--store", str(store))
        listed = "handbook" in _run("log", "--store", str(store)).stdout
        if proc.returncode == 0:
            outcomes.add("done")
            assert listed
        else:
            assert proc.returncode == 2, proc.stderr
            assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
            assert "the disk is full" in proc.stderr
            if "nothing was changed" in proc.stderr:
                outcomes.add("nothing")
                assert _head(store) == before
                assert not listed
            else:
                outcomes.add("stored")
                assert "handbook version 1 is stored" in proc.stderr, proc.stderr
                assert listed
                assert _head(store) != before
                still = _run("ingest", str(SAMPLES / "2019.docx"), "-p", "small", "--store",
                             str(store))  # fmt: skip
                assert still.returncode == 2
                assert "the disk is full" in still.stderr
                assert "the latest revision is handbook version 1" in still.stderr
        filler.unlink()
        later = _run("ingest", str(SAMPLES / "2019.docx"), "-p", "small", "--store", str(store))
        assert later.returncode == 0, later.stderr
        assert _run("verify", "--store", str(store)).returncode == 0
        status = subprocess.run(["git", "-C", str(store), "status", "--porcelain"],
                                capture_output=True, text=True, check=True)  # fmt: skip
        assert status.stdout == ""
    assert {"nothing", "stored"} <= outcomes, outcomes


def test_a_read_only_store_is_refused_clearly(small_disk: Path) -> None:
    store = small_disk / "store"
    assert _run("init", "--store", str(store)).returncode == 0
    remount = subprocess.run(
        ["mount", "-o", "remount,ro", str(small_disk)], capture_output=True, check=False
    )
    if remount.returncode != 0:
        pytest.skip("cannot remount read-only here")
    proc = _run("ingest", str(SAMPLES / "2016.docx"), "--policy", "p", "--store", str(store))
    assert proc.returncode == 2, proc.stderr
    assert "read-only" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert _run("log", "--store", str(store)).returncode == 0  # reading still works
