"""Read Word files in a forked process while this one gets on with something else.

Comparing two documents is mostly reading them, and reading one does not need the other.
`start(paths)` forks a reader that reads the files one after the other; `take(path)` collects
one. Each file is read once, by whichever process comes to it first: taking a file that the
forked reader has not begun claims it, and `take` returns None for the caller to read it here.
So on two short files the forked reader has read both by the time the program has loaded, and
on two long ones each process reads one.

`take` also returns None when the forked reader failed on the file in any way: the caller then
reads it itself, and raises its error. Where os.fork is missing (Windows), nothing is started.
"""

from __future__ import annotations

import atexit
import os
import pickle
import signal
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policydiff.model import Document
    from policydiff.results import Result


@dataclass(slots=True)
class _Reader:
    pid: int
    results: int  # the pipe the forked reader writes what it read to, once it is done
    claims: dict[str, int]  # path -> its claim: a pipe holding one byte, which one process gets
    read: dict[str, Result[Document] | None] | None = None  # what came back, once it has
    taken: set[str] = field(default_factory=set)


_reader: _Reader | None = None


def start(paths: list[str]) -> None:
    """Start reading `paths`, in that order, in a forked process (once: while one is running,
    this does nothing)."""
    global _reader
    if _reader is not None or not hasattr(os, "fork"):
        return
    claims: dict[str, int] = {}
    for path in dict.fromkeys(paths):
        readable, writable = os.pipe()
        os.write(writable, b"1")
        os.close(writable)  # once the byte is gone, the pipe reads as empty: claimed already
        claims[path] = readable
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # the forked reader: read what it can claim, send it all, leave
        code = 1
        try:
            os.close(readable)
            from policydiff.readers import docx

            read: list[tuple[str, Result[Document] | None]] = []
            for path, claim in claims.items():
                if _claim(claim):
                    try:
                        read.append((path, docx.read_docx(path)))
                    except Exception:  # a refused file: the program reads it, and says why
                        read.append((path, None))
            # Sent at the end, all at once: a write to the pipe waits until the program reads,
            # and this process claims the next file before that, not after.
            data = pickle.dumps(read, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writable, "wb") as pipe:
                pipe.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(writable)
    _reader = _Reader(pid, readable, claims)


def take(path: str) -> Result[Document] | None:
    """What the forked reader read of `path`; None when it has not (then it never will: the
    caller reads the file) or when nothing was started for `path`."""
    reader = _reader
    if reader is None or path not in reader.claims or path in reader.taken:
        return None
    reader.taken.add(path)
    document: Result[Document] | None = None
    if not _claim(reader.claims[path]):  # (when the claim succeeds: not begun, and now ours)
        if reader.read is None:
            with os.fdopen(reader.results, "rb", closefd=False) as pipe:
                data = pipe.read()
            try:
                reader.read = dict(pickle.loads(data))
            except Exception:  # the reader failed as a whole: nothing usable came back
                reader.read = {}
        document = reader.read.pop(path, None)
    if reader.taken == reader.claims.keys():
        _finish(reader, stop=reader.read is None)  # (all claimed here: its work is of no use)
    return document


def cancel() -> None:
    """Stop the forked reader, if there is one: its work is of no use now."""
    if _reader is not None:
        _finish(_reader, stop=True)


atexit.register(cancel)  # a command that never takes what it started leaves no process behind


def _claim(claim: int) -> bool:
    """Take the one byte of a claim: True for the process that gets it, False for the other."""
    return os.read(claim, 1) == b"1"


def _finish(reader: _Reader, stop: bool) -> None:
    global _reader
    if stop:
        os.kill(reader.pid, signal.SIGKILL)
    for claim in reader.claims.values():
        os.close(claim)
    os.close(reader.results)
    os.waitpid(reader.pid, 0)
    _reader = None
