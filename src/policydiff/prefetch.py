"""Read a Word file in a forked process while this one gets on with something else.

Comparing two long documents is mostly reading them, and reading one does not need the other:
`start(path)` forks a process that reads `path` and sends the result back through a pipe, and
`take(path)` collects it. It only ever saves time. `take` returns None when nothing was started
for `path` or the forked reader failed in any way; the caller then reads the file itself, and
raises its error. Where os.fork is missing (Windows), nothing is started.
"""

from __future__ import annotations

import atexit
import os
import pickle
import signal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policydiff.model import Document
    from policydiff.results import Result

_started: dict[str, tuple[int, int]] = {}  # path -> (the reader's process id, its pipe)


def start(path: str) -> None:
    """Start reading `path` in a forked process (once; a second call does nothing)."""
    if path in _started or not hasattr(os, "fork"):
        return
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # the forked reader: send the document and leave, whatever happens
        code = 1
        try:
            os.close(readable)
            from policydiff.readers.docx import read_docx

            data = pickle.dumps(read_docx(path), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writable, "wb") as pipe:
                pipe.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(writable)
    if not _started:
        atexit.register(cancel_all)  # a command that never takes it leaves no process behind
    _started[path] = (pid, readable)


def take(path: str) -> Result[Document] | None:
    """What the forked reader of `path` read, once it has; None if there is nothing to take."""
    if path not in _started:
        return None
    pid, readable = _started.pop(path)
    try:
        with os.fdopen(readable, "rb") as pipe:
            data = pipe.read()
    finally:
        os.waitpid(pid, 0)
    try:
        document: Result[Document] = pickle.loads(data)
    except Exception:  # the reader failed (a refused file, say): nothing usable came back
        return None
    return document


def cancel(path: str) -> None:
    """Stop the reader of `path`, if there is one: its work is of no use now."""
    if path not in _started:
        return
    pid, readable = _started.pop(path)
    os.kill(pid, signal.SIGKILL)
    os.close(readable)
    os.waitpid(pid, 0)


def cancel_all() -> None:
    for path in list(_started):
        cancel(path)
