"""The store's lock on POSIX and, forced here, on Windows's code path (msvcrt.locking of the
first byte, emulated with POSIX's byte-range lock, which behaves the same way: per process,
non-blocking, released when the process dies)."""

from __future__ import annotations

import fcntl
import functools
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policydiff import locking
from policydiff.store import Store, StoreError


def emulated_msvcrt_locking(fd: int, mode: int, nbytes: int) -> None:
    """msvcrt.locking(fd, LK_NBLCK, n): lock n bytes from the current position or raise
    OSError."""
    assert mode == 2
    position = __import__("os").lseek(fd, 0, 1)
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, nbytes, position)


HOLD = """
import fcntl, os, sys, time
sys.path.insert(0, {tests!r})
from test_locking import emulated_msvcrt_locking
from policydiff import locking
handle = open({path!r}, "a+")
{lock}
handle.seek(0); handle.truncate()
handle.write(" " * locking.HOLDER_OFFSET + f"process {{os.getpid()}}"); handle.flush()
print("held", flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("platform", ["posix", "windows"])
def test_a_second_writer_waits_then_names_the_holder_and_a_killed_holder_frees_it(
    tmp_path: Path, platform: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = Store.init(tmp_path / "store")
    lock_file = Path(store.repo.git_dir) / "policydiff.lock"
    if platform == "windows":
        monkeypatch.setattr(
            locking, "lock",
            functools.partial(locking.lock_windows, locking=emulated_msvcrt_locking),
        )  # fmt: skip
        take = "locking.lock_windows(handle, locking=emulated_msvcrt_locking)"
    else:
        take = "locking.lock_posix(handle)"
    script = HOLD.format(tests=str(Path(__file__).parent), path=str(lock_file), lock=take)
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setattr("policydiff.store.LOCK_WAIT_SECONDS", 0.3)
        busy = rf"busy \(process {holder.pid} is writing to it\)"
        with pytest.raises(StoreError, match=busy), store.writing():
            pass
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    time.sleep(0.05)
    with store.writing():  # the system released the dead holder's lock
        pass
    store.close()
