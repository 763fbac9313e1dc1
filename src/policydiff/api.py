"""policydiff for other programs: read, compare, check, report and redline Word policies, and
keep them in a store. Exposed as `policydiff.read`, `policydiff.compare` and so on; the
command line is built on the same services.

Every function takes a Word file as a path (`str` or `os.PathLike`), its bytes, or an open
binary file; `compare`, `check` and `redline` also take a `Document` already read. Errors are
policydiff's own: `ReadError` for a file that is not a readable Word document,
`RuleFileError` for a bad rule profile, `StoreError` for a store problem, all of them a
`PolicydiffError` whose message is one plain sentence.

>>> import policydiff
>>> change = policydiff.compare("policies/social-media/2016.docx",
...                             "policies/social-media/2019.docx")
>>> change.to_dict()["schema"]
'policydiff.diff/1'
>>> change.summary[0].startswith("4 clauses were changed, 4 clauses were added")
True
>>> policydiff.check(policydiff.read("policies/social-media/2025-draft.docx")).passed
False
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

from policydiff.errors import PolicydiffError
from policydiff.model import Document

if TYPE_CHECKING:
    from policydiff.diffing.changes import Comparison
    from policydiff.rules.checks import CheckResult
    from policydiff.services import Ingested
    from policydiff.store import Approval, Revision

Source = str | os.PathLike[str] | bytes | IO[bytes]
Side = Source | Document


@contextmanager
def _as_file(source: Source) -> Iterator[Path]:
    """A path to read `source` from: the path given, or its bytes in a temporary file."""
    if isinstance(source, str | os.PathLike):
        yield Path(source)
        return
    data = source if isinstance(source, bytes) else source.read()
    if not isinstance(data, bytes):
        raise PolicydiffError("a Word document is read from a path, bytes or a binary file")
    with tempfile.TemporaryDirectory(prefix="policydiff-") as folder:
        path = Path(folder) / "document.docx"
        path.write_bytes(data)
        yield path


def read(source: Source) -> Document:
    """Read a Word (.docx) document into policydiff's model.

    `source`: a path, the file's bytes, or a binary file open for reading. Returns the
    `Document`: its title, metadata, sections and clauses (`Document.clauses()`), and what it
    holds that is not compared (`Document.left_out`). Raises `ReadError` when the file is not
    a readable Word document (a .doc, a PDF, damaged, password-protected, a zip bomb).

    >>> document = read("policies/social-media/2016.docx")
    >>> document.title
    'Social Media Policy'
    """
    from policydiff.readers.docx import read_docx

    with _as_file(source) as path:
        document = read_docx(path).value
    if not isinstance(source, str | os.PathLike):
        from dataclasses import replace

        document = replace(document, source="<bytes>")
    return document


def _document(side: Side) -> Document:
    return side if isinstance(side, Document) else read(side)


def compare(old: Side, new: Side) -> Comparison:
    """Compare two revisions of a policy clause by clause.

    `old`, `new`: paths, bytes, binary files or `Document`s. Returns a `Comparison`:
    `.changes` (each a `Change` of kind added, removed, modified, moved, split or merged, with
    the clauses on each side and the words changed), `.sections` (sections renamed, added,
    removed, moved), `.summary` (plain-English sentences) and `.to_dict()` (the
    `policydiff.diff/1` JSON that `policydiff diff --format json` prints). Raises
    `ReadError` for a file that cannot be read.

    >>> compare("policies/social-media/2016.docx", "policies/social-media/2016.docx").changes
    ()
    """
    from policydiff.diffing.align import compare as align

    return align(_document(old), _document(new))


def check(document: Side, profile: str = "default", today: date | None = None) -> CheckResult:
    """Check a policy against a rule profile (required sections, laws it cites, review date).

    `document`: a path, bytes, binary file or `Document`; `profile`: a built-in profile's name
    (`policydiff rules` lists them); `today`: the day to judge review dates by (default
    today). Returns a `CheckResult`: `.passed` (no error), `.findings` and `.to_dict()` (the
    `policydiff.check/1` JSON). Raises `ReadError` or `RuleFileError`.
    """
    from policydiff.rules.checks import check as run_checks
    from policydiff.rules.load import load_profile
    from policydiff.services import effective_date

    read_document = _document(document)
    rules = load_profile(profile)
    day = today or date.today()
    written = effective_date(read_document, None)
    return run_checks(read_document.source, read_document, rules, day, written)


def report(comparison: Comparison, format: Literal["html", "md"] = "html") -> str:
    """The governors' report of a comparison: the summary, then each changed section with
    its words marked, as one HTML page (`"html"`, self-contained) or Markdown (`"md"`).

    >>> text = report(compare("policies/social-media/2016.docx",
    ...                       "policies/social-media/2019.docx"), "md")
    >>> text.startswith("# Social Media Policy: what changed")
    True
    """
    from policydiff import writers
    from policydiff.reporting import build_report
    from policydiff.services import report_side

    built = build_report(comparison, report_side(comparison.old), report_side(comparison.new))
    return writers.report(built, format)


def redline(old: Side, new: Side, author: str = "policydiff") -> bytes:
    """The Word redline: the new document itself with every change from `old` marked as a
    tracked change (Accept All in Word gives `new`, Reject All the old text), the summary in
    a comment. Returns the .docx file's bytes.

    `old`, `new`: paths, bytes, binary files, or `Document`s (then the redline is rebuilt from
    the text, without the document's own formatting). `author` names the tracked changes.
    Raises `ReadError` for a file that cannot be read.
    """
    from policydiff.redlining import write_redline
    from policydiff.reporting import build_report
    from policydiff.services import check_author, report_side

    check_author(author)
    with (
        tempfile.TemporaryDirectory(prefix="policydiff-") as folder,
        _side_file(old) as a,
        _side_file(new) as b,
    ):
        output = Path(folder) / "redline.docx"
        write_redline(
            a,
            b,
            output,
            lambda c: build_report(c, report_side(c.old), report_side(c.new)),
            author=author,
        )
        return output.read_bytes()


@contextmanager
def _side_file(side: Side) -> Iterator[Path | Document]:
    if isinstance(side, Document):
        yield side
        return
    with _as_file(side) as path:
        yield path


class Store:
    """A policy store: a git repository holding each policy's revisions, their approvals and
    their models (`policydiff init` made one). `path` is its folder. Methods raise
    `StoreError` for a store problem and `ReadError` for a file that cannot be read.

    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> store = Store.create(folder + "/policies")
    >>> added = store.ingest(["policies/social-media/2016.docx",
    ...                       "policies/social-media/2019.docx"], "social-media")
    >>> [r.version for r in store.log("social-media")]
    ['2', '1']
    >>> len(store.compare("social-media@1", "social-media@2").changes)
    11
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    @classmethod
    def create(cls, path: str | os.PathLike[str]) -> Store:
        """Make a new, empty store at `path` (an existing store is opened as it is)."""
        from policydiff.services import init_store

        init_store(Path(path))
        return cls(path)

    def ingest(
        self,
        files: list[str | os.PathLike[str]],
        policy: str,
        version: str | None = None,
        effective: date | None = None,
        message: str | None = None,
    ) -> list[Ingested]:
        """Add each Word file, in order, as the next revision of `policy` (a short name such
        as "social-media"); a file identical to the latest revision adds nothing. `version`
        names the revision (one file only); `effective` is the day it takes effect (default:
        the date the document gives); `message` is the clerk's note."""
        from policydiff.services import ingest

        paths = [Path(f) for f in files]
        return ingest(self.path, paths, policy, version, effective, message).value

    def log(self, policy: str | None = None) -> list[Revision]:
        """The revisions of `policy` (or of every policy), newest first."""
        from policydiff.services import log

        return log(self.path, policy)[0]

    def show(self, ref: str) -> Document:
        """The stored model of the revision `ref` ("social-media@2", "social-media@latest")."""
        from policydiff.services import show

        return show(self.path, ref)[1]

    def source(self, ref: str) -> bytes:
        """The Word file of the revision `ref`, as it was added."""
        from policydiff.services import source

        return source(self.path, ref)[1]

    def approve(
        self,
        ref: str,
        by: str,
        on: date,
        minute: str | None = None,
        despite_check: bool = False,
    ) -> Approval | None:
        """Record that `by` (the board, a committee) approved revision `ref` on the day `on`
        (not in the future), with the `minute` reference if any; returns the approval.
        Raises PolicydiffError when the revision fails its check, unless `despite_check`."""
        from policydiff.services import approve

        return approve(self.path, ref, by, on, minute, despite_check).approval

    def withdraw(self, ref: str, reason: str, approval_only: bool = False) -> None:
        """Withdraw revision `ref` (added by mistake), or only its approval, with `reason`;
        the record keeps both."""
        from policydiff.services import withdraw

        withdraw(self.path, ref, reason, approval_only)

    def compare(self, old: str, new: str) -> Comparison:
        """Compare two stored revisions (`ref`s) clause by clause, as `compare` does."""
        from policydiff.services import diff

        return diff(old, new, self.path).value

    def verify(self, against: str | None = None) -> list[str]:
        """Check every stored revision against its Word file, and the history and approvals
        against what policydiff recorded (and, given `against`, a path or URL of a copy of the
        store, that the copy's history is all here); the problems found (none when sound)."""
        from policydiff.services import verify

        return verify(self.path, against)[1]
