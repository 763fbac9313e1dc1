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
