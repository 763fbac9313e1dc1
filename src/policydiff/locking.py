"""An exclusive lock on a file, released by the system when the process holding it dies (so a
killed writer never leaves a stale lock), on POSIX and on Windows.

POSIX: `fcntl.flock` on the whole file. Windows: `msvcrt.locking` of the file's first byte
(`LK_NBLCK`), which Windows releases when the handle is closed or the process ends. Both are
tried without blocking; the caller waits and retries.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import IO, Any


class Busy(Exception):
    """Another process holds the lock."""


def lock_posix(handle: IO[Any]) -> None:
    """Take the lock with flock, or raise Busy."""
    import fcntl

    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise Busy from None


def lock_windows(handle: IO[Any], locking: Callable[[int, int, int], None] | None = None) -> None:
    """Take the lock on the file's first byte with msvcrt.locking, or raise Busy.

    `locking` is msvcrt.locking (given only by tests, which run this code on POSIX with an
    equivalent byte-range lock). Windows raises OSError (EACCES or EDEADLOCK) when another
    process holds the byte; it also forbids that process reading the byte, so what is written
    about the holder starts at the second byte (`HOLDER_OFFSET`).
    """
    if locking is None:
        import msvcrt

        locking = msvcrt.locking  # type: ignore[attr-defined]
        mode = msvcrt.LK_NBLCK  # type: ignore[attr-defined]
    else:
        mode = 2  # msvcrt.LK_NBLCK
    handle.seek(0)
    try:
        locking(handle.fileno(), mode, 1)
    except OSError:
        raise Busy from None


HOLDER_OFFSET = 1  # where the holder's description starts in the lock file
lock: Callable[[IO[Any]], None] = lock_windows if os.name == "nt" else lock_posix
