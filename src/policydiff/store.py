"""A git-backed policy store. The only module that imports GitPython.

Layout: one folder per policy, named by its slug, holding `policy.txt` (the model as canonical
text), `meta.json` (what we know about the revision) and `source.docx` (the original file,
byte for byte). One commit per ingested revision, with trailers (`Policy:`, `Version:`,
`Source-SHA256:` ...) that `log` reads without opening any file.

Approvals, their corrections and withdrawals, and the withdrawal of a revision added by mistake
are records in the history: each is a commit that appends it to `<slug>/record.json`, with
trailers (`Record: approval`, `Revision-Commit:`, `Approved-By:`, `Reason:` ...), so that it is
chained by hash to everything before it and nothing is ever erased; the annotated tag
`<slug>/v<version>` mirrors each approval in force for people browsing with git. `verify`
checks that the tags and the records agree, that every commit has the shape policydiff writes,
that the branch never moved backwards (its reflog), and, given a copy (`--against`), that the
copy's history is contained in this one.

Nothing is lost: a revision is written as git objects first and becomes visible only when
`refs/heads/main` moves, in one compare-and-swap (`git update-ref NEW OLD`). A kill before
that leaves unreachable objects and nothing else; a kill after it leaves a work tree that the
next command brings up to date (a journal in `.git/` says it may). Writers take an exclusive
lock on `.git/policydiff.lock` (`locking`: flock, or msvcrt on Windows), which the system
releases when a process dies, so a killed ingest never leaves a stale lock.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import git
from gitdb.base import IStream
from gitdb.exc import BadName, BadObject

from policydiff import canonical, locking
from policydiff.errors import PolicydiffError
from policydiff.model import Document
from policydiff.typography import counted

BRANCH = "main"
REMOTE = "shared"  # the name of the store the clerks share, in each clerk's .git/config
SET_ASIDE = "refs/policydiff/set-aside"  # a clerk's additions set aside by `sync --set-aside`
SHARED_TAGS = "refs/policydiff/shared-tags"  # the shared store's tags, as last fetched
FORMAT_FILE = "policydiff-store.json"
STORE_FORMAT = 2  # 1: approvals were tags only; 2: approvals are recorded in the history
RECORD_FILE = "record.json"  # a policy's approvals, corrections and withdrawals
PROFILES_FILE = "profiles.toml"  # which rule profile checks which policy (rules/kinds.py)
MODEL_FILE = "policy.txt"
META_FILE = "meta.json"
SOURCE_FILE = "source.docx"
LOCK_FILE = "policydiff.lock"
JOURNAL_FILE = "policydiff-pending"
LOCK_WAIT_SECONDS = float(os.environ.get("POLICYDIFF_LOCK_WAIT", "30"))
IDENTITY = {"name": "policydiff", "email": "policydiff@localhost"}
_STAMP = {
    "GIT_AUTHOR_NAME": IDENTITY["name"],
    "GIT_AUTHOR_EMAIL": IDENTITY["email"],
    "GIT_COMMITTER_NAME": IDENTITY["name"],
    "GIT_COMMITTER_EMAIL": IDENTITY["email"],
}

_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
_VERSION = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,30}[A-Za-z0-9])?")
_TRAILER = re.compile(r"^([A-Za-z0-9-]+): (.*)$", re.MULTILINE)
_REVISION_FILES = frozenset({MODEL_FILE, META_FILE, SOURCE_FILE})
# the `Record:` trailers of records about a revision ("model": the model policy's revision it
# follows, as `policydiff follow` records it)
_RECORDS = ("approval", "approval withdrawn", "revision withdrawn", "model")


class StoreError(PolicydiffError):
    """The store cannot do what was asked; the message says why and what to do."""


def check_slug(slug: str) -> str:
    if not _SLUG.fullmatch(slug) or "--" in slug:
        raise StoreError(
            f"'{slug}' is not a usable policy name: use lower-case letters, digits and single "
            "hyphens, such as social-media"
        )
    return slug


def check_version(version: str) -> str:
    if not _VERSION.fullmatch(version) or ".." in version or version.endswith(".lock"):
        raise StoreError(
            f"'{version}' is not a usable version label: use letters, digits, dots, hyphens "
            "and underscores, such as 4.1 or 2025-draft"
        )
    if re.fullmatch(r"latest(?:~\d+)?|approved|head", version, re.IGNORECASE):
        # (policy@latest, @approved and git's HEAD already name other revisions: a revision
        # labelled so could never be named)
        raise StoreError(
            f"'{version}' already means something in policy@{version}: choose another label, "
            "such as 4.1 or 2025-draft"
        )
    return version


# Settings git reads whose value is a command it runs (the first word of each key's name).
_RUNS_A_COMMAND = (
    "core.fsmonitor", "core.hookspath", "core.pager", "core.sshcommand", "core.editor",
    "core.askpass", "diff.external", "credential.helper", "sequence.editor", "gpg.program",
    "gpg.ssh.program", "gpg.x509.program", "gpg.openpgp.program", "core.alternaterefscommand",
    "core.attributesfile", "uploadpack.packobjectshook", "tag.gpgsign", "commit.gpgsign",
)  # fmt: skip
# Settings whose names hold a command under a name of the user's choosing.
_RUNS_A_NAMED_COMMAND = (
    (("filter.",), (".clean", ".smudge", ".process")),
    (("diff.",), (".textconv", ".command")),
    (("merge.",), (".driver",)),
    (("alias.",), ("",)),
    (("credential.",), (".helper",)),
)
_SAFE_SETTINGS = {
    "core.fsmonitor": "false",
    "core.hooksPath": os.devnull,
    "core.pager": "cat",
    "core.sshCommand": "false",
    "core.askPass": "",
    "credential.helper": "",
    "diff.external": "",
    "core.attributesFile": os.devnull,
    "tag.gpgSign": "false",  # (signing runs gpg.program, gpg.ssh.program ...)
    "commit.gpgSign": "false",
    "tag.forceSignAnnotated": "false",
    "core.alternateRefsCommand": "true",
    "protocol.ext.allow": "never",  # ext:: "remotes" run a command (verify --against)
}
SAFE_GIT = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_PAGER": "cat",
    "GIT_ALLOW_PROTOCOL": "file:git:http:https:ssh",
    "GIT_NO_REPLACE_OBJECTS": "1",  # (refs/replace would let another object stand in for one)
    "GIT_CONFIG_COUNT": str(len(_SAFE_SETTINGS)),
    **{f"GIT_CONFIG_KEY_{k}": key for k, key in enumerate(_SAFE_SETTINGS)},
    **{f"GIT_CONFIG_VALUE_{k}": value for k, value in enumerate(_SAFE_SETTINGS.values())},
}


def _checkpoint(stage: str) -> None:
    """A fault-injection point for the kill tests: POLICYDIFF_KILL_AT=stage kills us here."""
    if os.environ.get("POLICYDIFF_KILL_AT") == stage:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


@dataclass(frozen=True, slots=True)
class Approval:
    by: str
    date: str  # ISO date
    minute: str | None
    despite: str | None = None  # the check's findings when it was approved despite them
    corrected: str | None = field(default=None, compare=False)  # why it was last corrected

    def describe(self, with_minute: bool = True) -> str:
        """ "approved by X on D (minute M)", as every listing and report writes it."""
        from policydiff.facts import long_date

        try:
            day = long_date(date.fromisoformat(self.date))
        except ValueError:
            day = self.date
        text = f"approved by {self.by} on {day}"
        return text + (f" (minute {self.minute})" if with_minute and self.minute else "")


@dataclass(frozen=True, slots=True)
class _Entry:
    """One commit of the store's history, as `git log` gives it."""

    commit: str
    parents: tuple[str, ...]
    subject: str
    trailers: dict[str, str]
    files: tuple[str, ...] = ()

    @property
    def approval(self) -> Approval | None:
        """The approval this commit records (None for any other commit)."""
        if self.trailers.get("Record") != "approval" or "Approved-By" not in self.trailers:
            return None
        return _approval_from(self.trailers)

    @property
    def key(self) -> tuple[str, str, str]:
        """(policy, version, revision commit) a record is about."""
        t = self.trailers
        return t.get("Policy", ""), t.get("Revision", ""), t.get("Revision-Commit", "")


def _approval_from(trailers: dict[str, str]) -> Approval:
    return Approval(
        trailers["Approved-By"],
        trailers.get("Approved-On", ""),
        trailers.get("Minute"),
        trailers.get("Despite-Check"),
        trailers.get("Reason") if trailers.get("Corrects") else None,
    )


@dataclass(frozen=True, slots=True)
class Record:
    """One record about a revision, as written: `kind` is "approval", "approval withdrawn",
    "revision withdrawn" or "model" (the revision follows `model`'s version `model_version`);
    `recorded` when it was written (ISO 8601, UTC)."""

    kind: str
    version: str
    recorded: str
    by: str = ""
    date: str = ""
    minute: str = ""
    reason: str = ""
    corrects: bool = False
    commit: str = ""  # the revision's commit: two revisions may share a label, one withdrawn
    model: str = ""  # a "model" record: the model policy followed
    model_version: str = ""  # ... and the version of it the revision was made or updated from

    @classmethod
    def of(cls, entry: dict[str, Any]) -> Record:
        def text(key: str) -> str:
            value = entry.get(key, "")
            return value if isinstance(value, str) else ""

        return cls(
            kind=text("record"), version=text("revision"), recorded=text("recorded"),
            by=text("approved_by"), date=text("approved_on"), minute=text("minute"),
            reason=text("reason"), corrects=bool(text("corrects")),
            commit=text("revision_commit"), model=text("model"),
            model_version=text("model_revision"),
        )  # fmt: skip

    def describe(self, which: str = "") -> str:
        """The record in words: "approved by Full Governing Body on 12 March 2024 (minute
        FGB 24/17)", "approval corrected to ...: typed the wrong date", "approval withdrawn:
        ...", each with the day it was recorded. `which` tells its revision apart from another
        of the same label (" (the one added 2026-12-01 06:58:01)")."""
        from policydiff.facts import long_date

        def day(iso: str) -> str:
            try:
                return long_date(date.fromisoformat(iso[:10]))
            except ValueError:
                return iso

        minute = f" (minute {self.minute})" if self.minute else ""
        if self.kind == "approval":
            said = f"approved by {self.by} on {day(self.date)}{minute}"
            if self.corrects:
                said = f"approval corrected to: {said}, because {self.reason}"
        elif self.kind == "approval withdrawn":
            said = f"approval withdrawn, because {self.reason}"
        elif self.kind == "revision withdrawn":
            said = f"revision withdrawn, because {self.reason}"
        elif self.kind == "model":
            said = f"follows the model {self.model}, version {self.model_version}"
        else:
            said = self.kind
        return f"version {self.version}{which}: {said} (recorded {day(self.recorded)})"

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "version": self.version, "recorded": self.recorded,
            "by": self.by or None, "date": self.date or None, "minute": self.minute or None,
            "reason": self.reason or None, "corrects": self.corrects,
            **({"model": self.model, "model_version": self.model_version}
               if self.kind == "model" else {}),
        }  # fmt: skip


def _approval_trailers(approval: Approval) -> dict[str, str]:
    """An approval as trailers, as its record and its tag both carry it."""
    return {
        "Approved-By": approval.by,
        "Approved-On": approval.date,
        **({"Minute": approval.minute} if approval.minute else {}),
        **({"Despite-Check": approval.despite} if approval.despite else {}),
    }


@dataclass(frozen=True, slots=True)
class _State:
    """What a policy's records say now: the approval in force of each revision (None once
    withdrawn) and the revisions withdrawn, with the reasons."""

    approvals: dict[tuple[str, str, str], Approval | None]
    withdrawn: dict[str, str]  # revision commit -> reason

    @classmethod
    def of(cls, history: list[_Entry]) -> _State:
        approvals: dict[tuple[str, str, str], Approval | None] = {}
        withdrawn: dict[str, str] = {}
        for entry in reversed(history):  # oldest first: a later record replaces an earlier
            record = entry.trailers.get("Record")
            if record == "approval" and "Approved-By" in entry.trailers:
                approvals[entry.key] = entry.approval
            elif record == "approval withdrawn":
                approvals[entry.key] = None
            elif record == "revision withdrawn":
                withdrawn[entry.key[2]] = entry.trailers.get("Reason", "")
                approvals[entry.key] = None
        return cls(approvals, withdrawn)

    def tags(self) -> dict[tuple[str, str], tuple[str, Approval]]:
        """(policy, version) -> (revision commit, approval) of every approval tag there should
        be."""
        return {
            (slug, version): (commit, approval)
            for (slug, version, commit), approval in self.approvals.items()
            if approval is not None and commit not in self.withdrawn
        }


@dataclass(frozen=True, slots=True)
class _Tag:
    """An approval tag `<slug>/v<version>` as git holds it."""

    slug: str
    version: str
    target: str  # the commit it points at
    annotated: bool
    approval: Approval | None  # what its message says
    sha: str = ""  # the tag's own object


@dataclass(frozen=True, slots=True)
class Revision:
    slug: str
    version: str
    effective: str  # ISO date the revision takes effect (given, or the document's own)
    source_name: str
    sha256: str
    commit: str
    ingested: str  # ISO timestamp
    title: str | None
    message: str
    approval: Approval | None = None
    withdrawn: str | None = None  # why it was withdrawn (added by mistake), if it was
    note: str | None = None  # the clerk's reason for the revision (`add -m`)

    @property
    def ref(self) -> str:
        return f"{self.slug}@{self.version}"

    def as_json(self) -> dict[str, Any]:
        return {
            "policy": self.slug,
            "version": self.version,
            "title": self.title,
            "effective": self.effective,
            "source": self.source_name,
            "sha256": self.sha256,
            "commit": self.commit,
            "ingested": self.ingested,
            "message": self.message,
            "approved": None
            if self.approval is None
            else {
                "by": self.approval.by,
                "date": self.approval.date,
                "minute": self.approval.minute,
                "despite_check": self.approval.despite,
                "corrected": self.approval.corrected,
            },
            "withdrawn": self.withdrawn,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Synced:
    """What `Store.sync` did."""

    shared: str  # the shared store's folder or URL
    pulled: int  # commits taken from it
    replayed: int  # this clerk's commits put on top of them
    pushed: int  # commits sent to it
    set_aside: tuple[str, ...]  # refs keeping this clerk's additions set aside


def _copy_url(copy: str) -> str:
    """A folder (made absolute: git runs in the store) or a git URL; StoreError otherwise."""
    if copy and Path(copy).exists():
        return str(Path(copy).resolve())
    if not re.match(r"(?:https?|ssh|git|file)://|[\w.-]+@[\w.-]+:", copy):
        raise StoreError(
            f"'{copy}' is not a store policydiff can reach: name a folder, or a git URL "
            "(https://, ssh://, git://, file:// or user@host:path)"
        )
    return copy


@dataclass(frozen=True, slots=True)
class Planned:
    """What adding one file does: a new revision `version`, or nothing when the file is
    `same_as` a stored revision (or another file of the batch)."""

    slug: str
    version: str
    effective: date
    digest: str = ""
    same_as: Revision | None = None
    same_as_planned: bool = False
    title: str = ""  # the document's title, folded
    why: str = ""  # why it is not named by the version it states, when it is not


def _same_title(a: str, b: str) -> bool:
    """Two titles of one policy: the same words, or close ("Social Media Policy" and "Social
    Media and Online Safety Policy" are; "Equality and Diversity Policy" is not)."""
    import difflib

    words = [set(re.findall(r"[a-z]+", t.lower())) - {"policy", "the", "and", "of"} for t in (a, b)]
    if words[0] and words[1] and (words[0] <= words[1] or words[1] <= words[0]):
        return True
    return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.75


def in_force(revisions: list[Revision], day: str) -> Revision | None:
    """The revision of one policy in force on `day` (YYYY-MM-DD), or None: of the revisions
    approved on or before that day and in effect by then, the one that takes effect latest
    (the later approval breaking a tie). One rule for `status`, `show POLICY@DATE`, `publish`
    and the annual update: approving an older revision does not put it back in force."""
    candidates = [
        r
        for r in revisions
        if r.approval is not None
        and r.approval.date <= day
        and (not r.effective or r.effective <= day)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda r: (r.effective, r.approval.date if r.approval else ""))


def _did_you_mean(word: str, choices: list[str]) -> str:
    """ ": did you mean 'social-media'?" for the closest of `choices`, or "" when none is close."""
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f": did you mean '{close[0]}'?" if close else ""


def _old_note(subject: str) -> str | None:
    """The clerk's note of a revision added before notes had their own trailer: the commit's
    subject, unless it is the one policydiff wrote ("Add ... version ...")."""
    if not subject or re.fullmatch(r"Add .* version \S+", subject):
        return None
    return subject


def _stated_version(stated: str | None, taken: set[str]) -> str | None:
    """The version a policy states ("Version 4.0", "v2"), as a label, when it is usable and not
    taken; a second file stating a taken version gets "4.0-2", "4.0-3" ..."""
    if not stated:
        return None
    label = stated.strip().lstrip("vV")
    try:
        check_version(label)
    except StoreError:
        return None
    candidate, n = label, 1
    while candidate in taken:
        n += 1
        candidate = f"{label}-{n}"
    return candidate


class Store:
    """A policy store on disk. `Store.open` for an existing one, `Store.init` to create one."""

    def __init__(self, path: Path, repo: git.Repo) -> None:
        self.path = path
        self.repo = repo
        # Every git command policydiff runs ignores what a store's settings (or the user's and
        # the system's) say to run: a core.fsmonitor, hooks or a pager in .git/config would
        # otherwise run a command on `ingest` or `verify`.
        repo.git.update_environment(**SAFE_GIT)

    def close(self) -> None:
        """Stop the git processes GitPython keeps running to read objects."""
        self.repo.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def init(cls, path: Path, shared: str | None = None) -> tuple[Store, bool]:
        """Create a store at `path` (harmless when one is there), or with `shared` (a folder
        or git URL of the store the clerks share) a copy of that one, which `sync` then keeps
        in step. Returns (store, created)."""
        if (path / ".git").exists():
            return cls.open(path), False
        if path.exists() and any(path.iterdir()):
            raise StoreError(f"{path} already holds files that are not a policy store")
        if shared is not None:
            return cls._clone(path, _copy_url(shared)), True
        repo: git.Repo | None = None
        try:
            path.mkdir(parents=True, exist_ok=True)
            repo = git.Repo.init(path, initial_branch=BRANCH)
            with repo.config_writer() as config:
                config.set_value("user", "name", IDENTITY["name"])
                config.set_value("user", "email", IDENTITY["email"])
                config.set_value("core", "autocrlf", "false")
                config.set_value("gc", "auto", "0")
            store = cls(path, repo)
            marker = json.dumps({"format": STORE_FORMAT, "created_by": "policydiff"}, indent=1)
            with store.writing():
                store._commit(
                    {FORMAT_FILE: (marker + "\n").encode()},
                    "Create the policy store\n",
                    what="the new store",
                )
        except (OSError, git.GitCommandError) as error:
            if repo is not None:
                repo.close()
            raise StoreError(f"cannot create a policy store at {path}: {_reason(error)}") from None
        return store, True

    @classmethod
    def _clone(cls, path: Path, url: str) -> Store:
        try:
            git.Git().execute(
                ["git", "clone", "--quiet", "--no-checkout", "--origin", REMOTE, "--", url,
                 str(path)],
                env={**os.environ, **SAFE_GIT},
            )  # fmt: skip
            repo = git.Repo(path)
        except git.GitCommandError as error:
            shutil.rmtree(path, ignore_errors=True)
            raise StoreError(
                f"cannot copy the shared store at {url}: {_reason(error, first=True)}"
            ) from None
        with repo.config_writer() as config:
            config.set_value("user", "name", IDENTITY["name"])
            config.set_value("user", "email", IDENTITY["email"])
            config.set_value("core", "autocrlf", "false")
            config.set_value("gc", "auto", "0")
        store = cls(path, repo)
        try:
            # (a bare store made with 'git init --bare' may name another default branch)
            store.repo.git.update_ref(f"refs/heads/{BRANCH}", f"refs/remotes/{REMOTE}/{BRANCH}")
            store.repo.git.symbolic_ref("HEAD", f"refs/heads/{BRANCH}")
            store.repo.git.reset("--hard", "--quiet", f"refs/heads/{BRANCH}")
        except git.GitCommandError:
            store.close()
            shutil.rmtree(path, ignore_errors=True)
            raise StoreError(
                f"the shared store at {url} is empty: the first clerk creates a store with "
                "'policydiff init', adds the policies, then runs 'policydiff sync --shared "
                f"{url}'; the others then start from it with 'policydiff init --from {url}'"
            ) from None
        if not (path / FORMAT_FILE).exists():
            store.close()
            shutil.rmtree(path, ignore_errors=True)
            raise StoreError(f"{url} is a git repository but not a policy store")
        return store

    @classmethod
    def open(cls, path: Path) -> Store:
        try:
            repo = git.Repo(path)
        except (git.NoSuchPathError, git.InvalidGitRepositoryError):
            raise StoreError(
                f"there is no policy store at {path}: create one with 'policydiff init' "
                "or name another with --store"
            ) from None
        if repo.bare or not (path / FORMAT_FILE).exists():
            repo.close()
            raise StoreError(f"{path} is a git repository but not a policy store")
        return cls(path, repo)

    # -- locking and recovery ----------------------------------------------------------------

    @contextmanager
    def writing(self, recover_only: bool = False) -> Iterator[None]:
        """Hold the store's write lock; finish any interrupted write; refuse hand edits and a
        store whose settings would run a filter command on a write (`recover_only`: only
        finish an interrupted write)."""
        lock_path = Path(self.repo.git_dir) / LOCK_FILE
        try:
            handle = open(lock_path, "a+")  # noqa: SIM115 - held for the whole block
        except PermissionError:
            raise StoreError(
                f"the store at {self.path} is read-only: policydiff cannot write to it"
            ) from None
        except OSError as error:
            if error.errno == errno.EROFS:
                raise StoreError(
                    f"the store at {self.path} is on a read-only disk: "
                    "policydiff cannot write to it"
                ) from None
            raise StoreError(f"cannot lock the store at {self.path}: {error.strerror}") from None
        with handle:
            deadline = time.monotonic() + LOCK_WAIT_SECONDS
            while True:
                try:
                    locking.lock(handle)
                    break
                except locking.Busy:
                    if time.monotonic() > deadline:
                        handle.seek(locking.HOLDER_OFFSET)
                        holder = handle.read().strip() or "another policydiff"
                        raise StoreError(
                            f"the store at {self.path} is busy ({holder} is writing to it): "
                            "try again in a moment"
                        ) from None
                    time.sleep(0.05)
            try:
                handle.seek(0)
                handle.truncate()
                handle.write(" " * locking.HOLDER_OFFSET + f"process {os.getpid()}")
                handle.flush()
            except OSError:
                pass
            self._refuse_filters()
            self._recover()
            if recover_only:
                yield
                return
            self._refuse_hand_edits()
            if self.store_format() < STORE_FORMAT:
                self._upgrade()
            yield

    def _recover(self) -> None:
        """Finish a write that was killed (or stopped by a full disk) part-way: the work tree is
        brought up to main, and the approval tag of a record is brought in line with it."""
        git_dir = Path(self.repo.git_dir)
        journal = git_dir / JOURNAL_FILE
        stale_index_lock = git_dir / "index.lock"
        for stale in git_dir.glob("policydiff-index-*"):  # a killed writer's temporary index
            stale.unlink(missing_ok=True)  # (we hold the store lock: no writer of ours runs)
        if not journal.exists():
            return
        if stale_index_lock.exists():
            stale_index_lock.unlink()  # we hold the store lock: no git of ours is running
        head = self._head()
        if head is None:
            journal.unlink()
            return
        entry = self._history()[0]
        mirror = None
        if "Record" in entry.trailers and entry.commit in journal.read_text():
            mirror = entry.key[:2]  # (the record's tag may not have been brought in line)
        try:
            self._finish(head, mirror)
        except (git.GitCommandError, OSError) as error:
            latest = next((e for e in self._history() if "Version" in e.trailers), None)
            named = (
                f"; the latest revision is {latest.trailers.get('Policy')} version "
                f"{latest.trailers['Version']}"
                if latest
                else ""
            )
            raise StoreError(
                f"the store at {self.path} could not finish its last write "
                f"({_unfinished(self.path, error)}): try again then{named}"
            ) from None

    def _refuse_filters(self) -> None:
        """Git runs a filter driver's command when it reads or writes the work tree, under
        any name the store's settings give it: such a store is refused (reading still works)."""
        filters = [k for k in self._commands_configured() if k.startswith("filter.")]
        if filters:
            raise StoreError(
                f"the store's git settings name a filter command ({filters[0]}), which git "
                "would run on every write: policydiff will not write to this store until it "
                "is removed from .git/config"
            )

    def _refuse_hand_edits(self) -> None:
        if self._head() is None:
            return
        changes = [line for line in self._folder_changes() if line]
        if changes:
            raise StoreError(
                f"the store's folder {self.path} has {_changed_files(changes)} that policydiff "
                "did not write: move any file of yours out of it (a report, say) and try again; "
                "a stored file changed by hand is put back by 'git checkout .' run in that folder"
            )

    def _folder_changes(self) -> list[str]:
        """`git status --porcelain` lines: files in the store's folder changed or added by hand
        (each "XY path")."""
        return str(self.repo.git.status("--porcelain", "--untracked-files=all")).splitlines()

    # -- reading -----------------------------------------------------------------------------

    def _head(self) -> str | None:
        try:
            return str(self.repo.git.rev_parse("--verify", "--quiet", f"refs/heads/{BRANCH}"))
        except git.GitCommandError:
            return None

    def slugs(self) -> list[str]:
        head = self._head()
        if head is None:
            return []
        tree = self.repo.commit(head).tree
        return sorted(t.name for t in tree.trees if _SLUG.fullmatch(t.name))

    def _history(self, slug: str | None = None, files: bool = False) -> list[_Entry]:
        """The commits on main, newest first (those touching one policy's folder, or all)."""
        if self._head() is None:
            return []
        args = ["--name-only", "--no-renames", "-m"] if files else []
        args.append(f"refs/heads/{BRANCH}")
        if slug is not None:
            args += ["--", check_slug(slug)]
        return self._log(*args)

    def _log(self, *args: str) -> list[_Entry]:
        """`git log *args` as entries (the files each changed when asked with --name-only)."""
        entries = []
        for record in self.repo.git.log("--format=%x1e%H%x1f%P%x1f%B%x1f", *args).split("\x1e"):
            if "\x1f" not in record:
                continue
            commit, parents, body, names = record.split("\x1f", 3)
            entries.append(
                _Entry(
                    commit=commit.strip(),
                    parents=tuple(parents.split()),
                    subject=body.strip("\n").split("\n", 1)[0],
                    trailers=dict(_TRAILER.findall(body)),
                    files=tuple(n for n in names.split("\n") if n.strip()),
                )
            )
        return entries

    def store_format(self) -> int:
        """The store's format (`STORE_FORMAT` for a store this policydiff wrote or upgraded)."""
        head = self._head()
        if head is None:
            return STORE_FORMAT
        try:
            return int(json.loads(self._blob(head, FORMAT_FILE)).get("format", 1))
        except (KeyError, ValueError, TypeError, AttributeError):
            return 1

    def revisions(self, slug: str | None = None, withdrawn: bool = False) -> list[Revision]:
        """Revisions, newest first by the date each takes effect (of one policy, or of all),
        each with its approval as the history records it (an approval tag that the history
        does not record is not one). Withdrawn revisions only when `withdrawn` is true."""
        history = self._history(slug)
        if self.store_format() < 2:  # an older store: its approvals were tags only
            state = _State({(t.slug, t.version, t.target): t.approval for t in self._tags()}, {})
        else:
            state = _State.of(history)
        revisions = []
        for entry in history:
            trailers = entry.trailers
            if "Policy" not in trailers or "Record" in trailers:
                continue
            reason = state.withdrawn.get(entry.commit)
            if reason is not None and not withdrawn:
                continue
            version = trailers.get("Version", "?")
            revisions.append(
                Revision(
                    slug=trailers["Policy"],
                    version=version,
                    effective=trailers.get("Effective-Date", ""),
                    source_name=trailers.get("Source", ""),
                    sha256=trailers.get("Source-SHA256", ""),
                    commit=entry.commit,
                    ingested=trailers.get("Ingested", ""),
                    title=trailers.get("Title") or None,
                    message=entry.subject,
                    approval=state.approvals.get((trailers["Policy"], version, entry.commit)),
                    withdrawn=reason,
                    note=trailers.get("Note") or _old_note(entry.subject),
                )
            )
        # (history back-filled with --older was added after later revisions: the date each
        # takes effect orders them; the order they were added breaks ties)
        revisions.sort(key=lambda r: r.effective, reverse=True)
        return revisions

    def _tags(self, namespace: str = "refs/tags") -> list[_Tag]:
        """The tags named like approvals (`<slug>/v<version>`), whatever made them (those of
        the shared store, as last fetched, with `namespace=SHARED_TAGS`)."""
        strip = namespace.count("/") + 1
        out = self.repo.git.for_each_ref(
            namespace,
            f"--format=%(refname:strip={strip})%1f%(objecttype)%1f%(objectname)%1f%(*objectname)"
            "%1f%(contents)%1e",
        )
        tags = []
        for record in out.split("\x1e"):
            record = record.strip("\n")
            if record.count("\x1f") < 4:
                continue
            name, kind, target, peeled, body = record.split("\x1f", 4)
            slug, sep, version = name.partition("/v")
            if not sep or not _SLUG.fullmatch(slug):
                continue
            trailers = dict(_TRAILER.findall(body)) if kind == "tag" else {}
            approval = _approval_from(trailers) if "Approved-By" in trailers else None
            annotated = kind == "tag"
            tags.append(
                _Tag(slug, version, peeled if annotated else target, annotated, approval, target)
            )
        return tags

    def _file(self, revision: Revision, name: str) -> bytes:
        return self._blob(revision.commit, f"{revision.slug}/{name}")

    def _blob(self, commit: str, path: str) -> bytes:
        """The file at `path` as of `commit`, through git's own `cat-file --batch` (GitPython
        would parse the root tree in Python for each read: 0.04 s in a store of 2,400
        policies). Raises KeyError when there is no such file."""
        try:
            _, kind, _, data = self.repo.git.get_object_data(f"{commit}:{path}")
        except ValueError:
            raise KeyError(path) from None
        if kind not in (b"blob", "blob"):  # (typed str, given bytes)
            raise KeyError(path)
        return bytes(data)

    def records(self, slug: str) -> list[Record]:
        """Every record of a policy, oldest first, as it was made: approvals, corrections and
        withdrawals, none erased (from its record.json; [] when it has none)."""
        head = self._head()
        entries = (self._records_at(head, slug) if head is not None else None) or []
        return [Record.of(e) for e in entries if isinstance(e, dict)]

    def _profiles_at(self, commit: str) -> str:
        try:
            return self._blob(commit, PROFILES_FILE).decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            return ""

    def profiles(self) -> str:
        """The text of the store's profiles.toml ("" when it has none): which rule profile
        checks which policy, as `policydiff profile` set it (read by rules/kinds.py)."""
        head = self._head()
        return self._profiles_at(head) if head is not None else ""

    def set_profile(self, of: str, profile: str) -> None:
        """Record that the policy `of` (a short name, or "title: PHRASE" for every policy whose
        title has that phrase) is checked by `profile` ("" to drop the setting): a commit
        changing profiles.toml, whose trailers say the one setting made, so that `sync`
        can make it again on another clerk's file."""
        with self.writing():
            head = self._head()
            text = _set_profile(self._profiles_at(head) if head else "", of, profile)
            said = f"with the {profile} profile" if profile else "by the profile its title picks"
            self._commit(
                {PROFILES_FILE: text},
                f"Check {of} {said}\n\nRecord: profile\nProfile-Of: {of}\nProfile: {profile}\n",
                what="the store's profiles.toml",
            )

    def model(self, revision: Revision) -> Document:
        return canonical.loads(self._file(revision, MODEL_FILE).decode("utf-8"))

    def source(self, revision: Revision) -> bytes:
        return self._file(revision, SOURCE_FILE)

    def meta(self, revision: Revision) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self._file(revision, META_FILE))
        return data

    def resolve(self, ref: str) -> Revision:
        """SLUG@VERSION, @latest, @latest~N, @approved, @YYYY-MM-DD (in force), @<commit>, or a
        source file's name without .docx (SLUG@2016 for 2016.docx)."""
        slug, sep, spec = ref.partition("@")
        if not sep:
            raise StoreError(f"'{ref}' is not a revision: write it as policy@version")
        check_slug(slug)
        revisions = self.revisions(slug)
        if not revisions:
            self.known(slug)
            raise StoreError(f"every revision of {slug} has been withdrawn")
        latest = re.fullmatch(r"latest(?:~(\d+))?", spec)
        if latest:
            back = int(latest.group(1) or 0)
            if back >= len(revisions):
                raise StoreError(f"{slug} has only {counted(len(revisions), 'revision')}")
            return revisions[back]
        if spec == "approved":
            for revision in revisions:
                if revision.approval is not None:
                    return revision
            raise StoreError(f"no revision of {slug} has been approved yet")
        for match in (
            [r for r in revisions if r.version == spec],
            [r for r in revisions if Path(r.source_name).stem == spec],
        ):
            if match:
                return match[0]
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", spec):
            return self._in_force(slug, revisions, spec)
        if re.fullmatch(r"[0-9a-f]{7,40}", spec):
            for revision in revisions:
                if revision.commit.startswith(spec):
                    return revision
        withdrawn = [r for r in self.revisions(slug, withdrawn=True) if r.version == spec]
        if withdrawn:
            raise StoreError(f"{slug} version {spec} was withdrawn ({withdrawn[0].withdrawn})")
        versions = [r.version for r in reversed(revisions)]
        raise StoreError(
            f"{slug} has no revision '{spec}'{_did_you_mean(spec, versions)} "
            f"(versions: {', '.join(versions)})"
        )

    def known(self, slug: str) -> str:
        """`slug` when the store holds that policy; StoreError saying which it may have meant
        otherwise."""
        check_slug(slug)
        slugs = self.slugs()
        if slug not in slugs:
            more = " ..." if len(slugs) > 8 else ""
            held = f" (it holds {len(slugs)}: {', '.join(slugs[:8])}{more})"
            raise StoreError(
                f"there is no policy called '{slug}' in the store at {self.path}"
                + (_did_you_mean(slug, slugs) or (held if slugs else ": it is empty"))
            )
        return slug

    def _in_force(self, slug: str, revisions: list[Revision], day: str) -> Revision:
        found = in_force(revisions, day)
        if found is None and not any(r.approval is not None for r in revisions):
            # (a policy none of whose approvals is recorded: the revision in effect)
            found = next((r for r in revisions if r.effective <= day), None)
        if found is None:
            raise StoreError(f"no revision of {slug} was in force on {day}")
        return found

    # -- writing -----------------------------------------------------------------------------

    def plan(
        self,
        slug: str,
        digest: str,
        document: Document,
        version: str | None,
        effective: date,
        older: bool,
        planned: tuple[Planned, ...] = (),
        retitled: bool = False,
    ) -> Planned:
        """What adding a file would do, without writing: the version it would be named, or
        the revision of the policy it already is (the same bytes; the same file in another
        policy is allowed: a school can adopt its trust's model unchanged). `planned` are the
        files of the same batch before it.

        Raises StoreError when `version` is unusable or taken, or the revision would take
        effect before the policy's latest and `older` does not say it is history.
        """
        check_slug(slug)
        own = self.revisions(slug, withdrawn=True)
        for revision in own:
            if revision.sha256 == digest and revision.withdrawn is None:
                return Planned(slug, revision.version, effective, same_as=revision)
        for earlier in planned:
            if earlier.digest == digest:
                return replace(earlier, same_as_planned=True)
        # (a withdrawn revision's label may be used again: "4.0" added by mistake, withdrawn,
        # then added right; its record keeps the withdrawn one apart by its commit)
        taken = {r.version for r in own if r.withdrawn is None}
        taken |= {p.version for p in planned if p.slug == slug}
        current = [r.effective for r in own if r.withdrawn is None]
        current += [p.effective.isoformat() for p in planned if p.slug == slug]
        latest = max(current, default="")
        back_filled = bool(latest) and effective.isoformat() < latest
        why = ""
        if version is None:
            version = _stated_version(document.metadata.version, taken)
            stated = (document.metadata.version or "").strip().lstrip("vV")
            if version is not None and version != stated:
                holder = next((r for r in own if r.version == stated and not r.withdrawn), None)
                source = f" (from {holder.source_name})" if holder is not None else ""
                why = (
                    f"the file still states version {stated}, which {slug} already has"
                    f"{source}; if it should be another version, correct it on the document, "
                    f"withdraw this one ('policydiff withdraw {slug}@{version} --reason ...') "
                    "and add the corrected file"
                )
        if version is None and back_filled:
            # (a past revision named by number would be numbered after later ones: it is named
            # by the date it took effect instead)
            version = _stated_version(effective.isoformat(), taken)
        if version is None:
            number = len(own) + len([p for p in planned if p.slug == slug]) + 1
            while str(number) in taken:
                number += 1
            version = str(number)
        check_version(version)
        if version in taken:
            raise StoreError(f"{slug} already has a version {version}: choose another label")
        titles = [r.title for r in own if r.withdrawn is None and r.title]
        titles += [p.title for p in planned if p.title and not p.same_as]  # (earlier in a batch)
        title = " ".join((document.title or "").split())
        if titles and title and not retitled and not _same_title(title, titles[0]):
            raise StoreError(
                f"this file is titled '{title}', but {slug} is '{titles[0]}': is it the right "
                f"policy? If the policy has been renamed, say --renamed"
            )
        if back_filled and not older:
            raise StoreError(
                f"version {version} of {slug} takes effect on {effective.isoformat()}, before "
                f"its latest revision ({latest}): if you are adding past revisions, say "
                "--older and it is placed in date order; if the date is wrong, give --date"
            )
        return Planned(slug, version, effective, digest=digest, title=title, why=why)

    def ingest(
        self,
        slug: str,
        source: Path,
        data: bytes,
        document: Document,
        warnings: list[str],
        version: str | None,
        effective: date,
        message: str | None,
        older: bool = False,
        retitled: bool = False,
    ) -> Revision | None:
        """Add a revision (the caller has read and checked the file). None when the bytes are
        a revision's already (`plan` says which); StoreError as `plan`."""
        digest = hashlib.sha256(data).hexdigest()
        with self.writing():
            planned = self.plan(
                slug, digest, document, version, effective, older, retitled=retitled
            )
            if planned.same_as is not None:
                return None
            version = planned.version
            now = datetime.now(UTC).replace(microsecond=0).isoformat()
            named = replace(document, source=source.name)
            meta = {
                "policy": slug,
                "title": document.title,
                "version": version,
                "effective": effective.isoformat(),
                "source": source.name,
                "sha256": digest,
                "ingested": now,
                # (the store's last commit when it was added: a file added again after its
                # revision was withdrawn then always changes the policy's folder, so that
                # its commit shows in the policy's history)
                "after": self._head(),
                "warnings": warnings,
                "stated": {
                    "version": document.metadata.version,
                    "approved": document.metadata.approved,
                    "approved_by": document.metadata.approved_by,
                    "next_review": document.metadata.next_review,
                },
            }
            note = " ".join((message or "").split())[:1000]  # the clerk's reason, one line
            trailers = {
                "Policy": slug,
                "Version": version,
                "Title": " ".join((document.title or "").split()),
                "Effective-Date": effective.isoformat(),
                "Source": " ".join(source.name.split()),
                "Source-SHA256": digest,
                "Ingested": now,
                **({"Note": note} if note else {}),
            }
            body = (
                f"Add {' '.join((document.title or slug).split())} version {version}\n\n"
                + "".join(f"{k}: {v}\n" for k, v in trailers.items())
            )
            files = {
                f"{slug}/{MODEL_FILE}": canonical.dumps(named).encode("utf-8"),
                f"{slug}/{META_FILE}": (
                    json.dumps(meta, indent=1, ensure_ascii=False) + "\n"
                ).encode(),
                f"{slug}/{SOURCE_FILE}": data,
            }
            commit = self._commit(files, body, what=f"{slug} version {version}")
        return self.resolve(f"{slug}@{commit[:12]}")

    def _commit(
        self,
        files: dict[str, bytes],
        message: str,
        what: str,
        mirror: tuple[str, str] | None = None,
    ) -> str:
        """Write `files` as one new commit on main, all or nothing. Returns the commit id.

        `what` names the change for messages ("handbook version 3"); `mirror` is the (policy,
        version) whose approval tag is brought in line with the records after the commit: a
        kill between the two leaves a journal, and the next writer finishes it (`_recover`).

        Raises StoreError: nothing was written; or, once main has moved, that the change is
        stored but the store's folder is not yet up to date (a full disk), which the next
        command that writes finishes.
        """
        git_dir = Path(self.repo.git_dir)
        old = self._head()
        _checkpoint("before-objects")
        try:
            tree = self._tree(files, old)
            _checkpoint("after-objects")
            parents = ["-p", old] if old is not None else []
            commit = str(self.repo.git.commit_tree(tree, *parents, "-m", message, env=_STAMP))
            _checkpoint("after-commit")
            journal = git_dir / JOURNAL_FILE
            journal.write_text(f"{old or ''} {commit}\n")
            self.repo.git.update_ref(f"refs/heads/{BRANCH}", commit, old or "")
        except (git.GitCommandError, OSError) as error:
            raise StoreError(
                f"could not write to the store at {self.path} ({_reason(error)}): "
                f"nothing was changed"
            ) from None
        _checkpoint("after-ref")
        try:
            self._finish(commit, mirror)
        except (git.GitCommandError, OSError) as error:
            raise StoreError(
                f"{what} is stored, but the store's folder at {self.path} could not be brought "
                f"up to date ({_unfinished(self.path, error)}): the next policydiff command "
                "that writes finishes it"
            ) from None
        return commit

    def _finish(self, commit: str, mirror: tuple[str, str] | None) -> None:
        """Second half of a write: the work tree, the approval tag, then the journal goes."""
        self.repo.git.reset("--hard", "--quiet", commit)
        _checkpoint("after-checkout")
        if mirror is not None:
            _checkpoint("before-tag")
            self._mirror(*mirror)
            _checkpoint("after-tag")
        (Path(self.repo.git_dir) / JOURNAL_FILE).unlink(missing_ok=True)

    def _mirror(self, slug: str, version: str) -> None:
        """Make, move or delete the tag `<slug>/v<version>` to match the approval in force."""
        name = f"{slug}/v{version}"
        expected = _State.of(self._history(slug)).tags().get((slug, version))
        present = [t for t in self._tags() if (t.slug, t.version) == (slug, version)]
        if expected is None:
            if present:
                self.repo.git.tag("-d", name)
            return
        target, approval = expected
        if present and (present[0].target, present[0].approval) == (target, approval):
            return
        for shared in self._tags(SHARED_TAGS):  # (the shared store's own tag, when it agrees)
            if (shared.slug, shared.version, shared.target, shared.approval) == (
                slug,
                version,
                target,
                approval,
            ) and shared.annotated:
                self.repo.git.update_ref(f"refs/tags/{name}", shared.sha)
                return
        lines = [f"Approve {slug} version {version}", ""]
        lines += [f"{k}: {v}" for k, v in _approval_trailers(approval).items()]
        self.repo.git.tag("-a", "-f", "-m", "\n".join(lines) + "\n", name, target, env=_STAMP)

    def approve(
        self,
        revision: Revision,
        approval: Approval,
        correcting: str | None = None,
    ) -> Approval:
        """Record that `revision` was approved (`approval`: by whom, on what day, the minute,
        and the check's findings if approved despite them); with `correcting` (the reason),
        replace the approval recorded before, which stays in the history.

        The record is a commit on main (hash-chained with the revisions before it) appending
        it to `<slug>/record.json`, mirrored by the annotated tag `<slug>/v<version>`.
        Raises StoreError when it is already approved (and not being corrected), is not yet
        approved (and is), or a tag of that name exists that the history does not record.
        """
        by = " ".join(approval.by.split())
        if not by:
            raise StoreError("say who approved it with --by NAME")
        minute = " ".join(approval.minute.split()) if approval.minute else None
        despite = " ".join(approval.despite.split()) if approval.despite else None
        approval = Approval(by, approval.date, minute, despite)
        with self.writing():
            current = self._current(revision)
            name = f"{revision.slug}/v{revision.version}"
            if correcting is None and current.approval is not None:
                raise StoreError(
                    f"{revision.ref} is already {current.approval.describe()}: to correct "
                    "that, approve it again with --correct and --reason"
                )
            if correcting is not None and current.approval is None:
                raise StoreError(f"{revision.ref} has no approval to correct")
            if current.approval is None and any(
                (t.slug, t.version) == (revision.slug, revision.version) for t in self._tags()
            ):
                raise StoreError(
                    f"the store holds a tag {name} that its history does not record (made "
                    "outside policydiff?): run 'policydiff verify', and remove the tag with "
                    f"'git tag -d {name}' if it is not a real approval"
                )
            fields = {
                "Record": "approval",
                **_approval_trailers(approval),
                **({"Corrects": "approval", "Reason": correcting} if correcting else {}),
            }
            verb = "Correct the approval of" if correcting else "Approve"
            self._record(current, f"{verb} {revision.slug} version {revision.version}", fields)
        return replace(approval, corrected=correcting)

    def withdraw(self, revision: Revision, reason: str, approval_only: bool = False) -> None:
        """Withdraw a revision added by mistake (it is no longer listed, named by @latest or
        in force, and its approval goes with it), or with `approval_only` only its approval;
        the withdrawal and `reason` are recorded, and nothing is erased.

        Raises StoreError without a reason, or when there is nothing to withdraw.
        """
        reason = " ".join(reason.split())
        if not reason:
            raise StoreError("say why with --reason, for the record")
        with self.writing():
            current = self._current(revision)
            if approval_only and current.approval is None:
                raise StoreError(f"{revision.ref} has no approval to withdraw")
            record = "approval withdrawn" if approval_only else "revision withdrawn"
            what = "the approval of" if approval_only else ""
            subject = f"Withdraw {what} {revision.slug} version {revision.version}".replace(
                "  ", " "
            )
            self._record(current, subject, {"Record": record, "Reason": reason})

    def follow(self, revision: Revision, model: Revision) -> None:
        """Record that `revision` follows the model policy's revision `model`: it was made
        from it, or last updated from it (`policydiff update` takes the model's changes since).
        Raises StoreError when `model` is a revision of the same policy."""
        if model.slug == revision.slug:
            raise StoreError(f"{revision.slug} cannot be its own model: name another policy")
        with self.writing():
            current = self._current(revision)
            self._record(
                current,
                f"{revision.slug} version {revision.version} follows the model {model.slug} "
                f"version {model.version}",
                {
                    "Record": "model",
                    "Model": model.slug,
                    "Model-Revision": model.version,
                    "Model-Commit": model.commit,
                },
            )

    def followed(self, slug: str) -> Record | None:
        """The latest record of the model policy `slug` follows (None: it names none)."""
        return next((r for r in reversed(self.records(slug)) if r.kind == "model"), None)

    def _current(self, revision: Revision) -> Revision:
        """`revision` as the store holds it now (under the lock), or StoreError."""
        for stored in self.revisions(revision.slug):
            if stored.commit == revision.commit:
                return stored
        raise StoreError(f"{revision.ref} is not in the store (was it withdrawn?)")

    def _record(self, revision: Revision, subject: str, fields: dict[str, str]) -> None:
        """Commit a record about `revision` (appended to its policy's record.json) and bring
        its approval tag in line (the caller holds the lock)."""
        path = f"{revision.slug}/{RECORD_FILE}"
        head = self._head()
        records = self._records_at(head, revision.slug) if head is not None else []
        if records is None:  # (never rewritten: appending to a damaged record would hide it)
            raise StoreError(f"{path} is damaged: run 'policydiff verify'")
        recorded = datetime.now(UTC).replace(microsecond=0).isoformat()
        trailers = {
            "Policy": revision.slug,
            "Revision": revision.version,
            "Revision-Commit": revision.commit,
            **fields,
            "Recorded": recorded,
        }
        records.append({k.lower().replace("-", "_"): v for k, v in trailers.items()})
        body = subject + "\n\n" + "".join(f"{k}: {v}\n" for k, v in trailers.items())
        self._commit(
            {path: (json.dumps(records, indent=1, ensure_ascii=False) + "\n").encode()},
            body,
            what=f"the record for {revision.ref}",
            mirror=(revision.slug, revision.version),
        )

    def _upgrade(self) -> None:
        """Bring a format-1 store (approvals as tags only) to format 2: each approval tag is
        recorded in the history as it stands, then the format file says 2."""
        by_commit = {r.commit: r for r in self.revisions()}  # (format 1: approvals from tags)
        for tag in self._tags():
            revision = by_commit.get(tag.target)
            if tag.approval is None or revision is None or revision.version != tag.version:
                continue  # not an approval policydiff made: verify will name it
            self._record(
                revision,
                f"Approve {revision.slug} version {revision.version} (recorded from its tag)",
                {"Record": "approval", **_approval_trailers(tag.approval)},
            )
        marker = json.dumps({"format": STORE_FORMAT, "created_by": "policydiff"}, indent=1)
        self._commit(
            {FORMAT_FILE: (marker + "\n").encode()},
            "Record approvals in the store's history (store format 2)\n\nRecord: store-format\n",
            what="the store's format",
        )

    # -- sharing -----------------------------------------------------------------------------

    def sync(self, shared: str | None = None, set_aside: tuple[str, ...] = ()) -> Synced:
        """Bring this store and the shared one into step: take what other clerks added, replay
        what this clerk added on top (each replayed commit says which it `Replaces:`), then
        send it. `shared` (a folder or git URL) is remembered the first time.

        Raises StoreError when both added revisions of one policy, or records of one
        revision, since they were last in step: which to keep is a person's decision. With
        that policy in `set_aside`, this clerk's additions to it are set aside (kept under
        refs/policydiff/set-aside/, not erased) and the shared store's taken.
        """
        with self.writing():
            before = self._remembered_url()
            url = self._shared_url(shared)
            try:
                return self._sync(url, set_aside)
            except StoreError:
                if shared is not None:  # (a wrong address is not remembered)
                    self._forget_url(before)
                raise

    def _sync(self, url: str, set_aside: tuple[str, ...]) -> Synced:
        """Fetch, replay this clerk's commits on the shared store's, send; three tries."""
        pulled = replayed = 0
        kept: list[str] = []
        for attempt in range(3):  # (another clerk may send between our fetch and push)
            theirs = self._fetch_shared(url)
            ours = self._head() or ""
            if theirs and theirs != ours and not self._is_ancestor(theirs, ours):
                if self._is_ancestor(ours, theirs):
                    pulled += self._count(ours, theirs)
                    self._move(theirs, ours)
                else:
                    base = self._merge_base(ours, theirs)
                    if base is None:
                        raise StoreError(
                            f"the shared store at {url} holds another store's history "
                            "(nothing in common with this one): check its address"
                        )
                    pulled += self._count(base, theirs)
                    done, aside = self._replay(base, ours, theirs, set_aside)
                    replayed += done
                    kept += aside
            try:
                pushed = self._push(url)
            except StoreError:
                if attempt == 2:
                    raise
                continue
            return Synced(url, pulled, replayed, pushed, tuple(kept))
        raise AssertionError("unreachable")

    def _merge_base(self, one: str, other: str) -> str | None:
        """The last commit two histories share, or None when they share none."""
        try:
            return str(self.repo.git.merge_base(one, other)) or None
        except git.GitCommandError:
            return None

    def _remembered_url(self) -> str | None:
        try:
            return str(self.repo.git.config("--get", f"remote.{REMOTE}.url"))
        except git.GitCommandError:
            return None

    def _forget_url(self, before: str | None) -> None:
        """Put back the shared store's address as it was before a sync that failed."""
        if before is not None:
            self.repo.git.remote("set-url", REMOTE, before)
        elif REMOTE in self.repo.git.remote().split():
            self.repo.git.remote("remove", REMOTE)

    def _shared_url(self, shared: str | None) -> str:
        if shared is not None:
            url = _copy_url(shared)
            remotes = self.repo.git.remote().split()
            self.repo.git.remote("set-url" if REMOTE in remotes else "add", REMOTE, url)
            return url
        try:
            return str(self.repo.git.config("--get", f"remote.{REMOTE}.url"))
        except git.GitCommandError:
            raise StoreError(
                "this store is not shared yet: name the shared store once with --shared "
                "FOLDER_OR_URL (an empty git repository every clerk can reach, made with "
                "'git init --bare', or another clerk's shared store)"
            ) from None

    def _fetch_shared(self, url: str) -> str:
        """The shared store's main branch, fetched ("" when it is empty)."""
        try:
            if not self._remote_refs(REMOTE, f"refs/heads/{BRANCH}"):
                return ""
            self.repo.git.fetch("--quiet", "--no-tags", "--prune", REMOTE,
                                f"+refs/heads/{BRANCH}:refs/remotes/{REMOTE}/{BRANCH}",
                                f"+refs/tags/*:{SHARED_TAGS}/*")  # fmt: skip
        except git.GitCommandError as error:
            raise StoreError(
                f"cannot reach the shared store at {url}: {_reason(error, first=True)}"
            ) from None
        return str(self.repo.git.rev_parse(f"refs/remotes/{REMOTE}/{BRANCH}"))

    def _count(self, since: str, until: str) -> int:
        return int(self.repo.git.rev_list("--count", f"{since}..{until}"))

    def _move(self, new: str, old: str) -> None:
        """Move main from `old` to `new` (compare-and-swap), bring the folder and every
        approval tag in line."""
        journal = Path(self.repo.git_dir) / JOURNAL_FILE
        journal.write_text(f"{old} {new}\n")
        self.repo.git.update_ref(f"refs/heads/{BRANCH}", new, old)
        self.repo.git.reset("--hard", "--quiet", new)
        self._mirror_all()
        journal.unlink(missing_ok=True)

    def _mirror_all(self) -> None:
        """Every approval tag in line with the records (after commits arrived from the
        shared store, or were replayed)."""
        state = _State.of(self._history())
        wanted = state.tags()
        for slug, version in wanted:
            self._mirror(slug, version)
        for tag in self._tags():
            if (tag.slug, tag.version) not in wanted and (tag.slug, tag.version, tag.target) in (
                state.approvals
            ):
                self.repo.git.tag("-d", f"{tag.slug}/v{tag.version}")

    def _replay(
        self, base: str, ours: str, theirs: str, set_aside: tuple[str, ...]
    ) -> tuple[int, list[str]]:
        """Put this clerk's commits since `base` on top of the shared store's."""
        mine = self._commits(base, ours)
        others = self._commits(base, theirs)

        # Both added a revision of one label to a policy, or a record about one revision (two
        # approvals of it, say): which stands is a person's decision. Other additions to one
        # policy (version 4.0 here, 4.1 there) are put one after the other.
        def touched(entries: list[_Entry]) -> set[tuple[str, str, str]]:
            """(what, policy, label) of each revision added, record made: "revision", a
            record of its approval ("record"), or of the model it follows ("model")."""
            return {
                ("revision", e.trailers.get("Policy", ""), e.trailers.get("Version", ""))
                if _shape(e) == "revision"
                else ("model" if e.trailers.get("Record") == "model" else "record", *e.key[:2])
                for e in entries
                if _shape(e) in ("revision", "record")
            }

        # The same model recorded for the same revision on both sides is one record.
        def follows(entries: list[_Entry]) -> set[tuple[str, ...]]:
            return {_follows(e) for e in entries if e.trailers.get("Record") == "model"}

        theirs_follow = follows(others)

        # The same file added on both sides, under the same label with the same note, is one
        # revision: theirs stands for ours, and this clerk's records about it name theirs.
        def added(entries: list[_Entry]) -> dict[tuple[str, str, str, str], str]:
            return {
                (e.trailers.get("Policy", ""), e.trailers.get("Version", ""),
                 e.trailers.get("Source-SHA256", ""), e.trailers.get("Note", "")): e.commit
                for e in entries
                if _shape(e) == "revision"
            }  # fmt: skip

        theirs_added = added(others)
        same = {
            commit: theirs_added[key] for key, commit in added(mine).items() if key in theirs_added
        }
        same_follow = {
            e.commit
            for e in mine
            if e.trailers.get("Record") == "model" and _follows(e) in theirs_follow
        }
        mine_touched = touched(
            [e for e in mine if e.commit not in same and e.commit not in same_follow]
        )
        if same or same_follow:  # (ours stay reachable: verify's reading of the reflog
            # accounts for them)
            self.repo.git.update_ref(f"{SET_ASIDE}/same-{datetime.now(UTC):%Y%m%dT%H%M%S}", ours)
        clashes = sorted({slug for _, slug, _ in mine_touched & touched(others)})
        for entry in mine:
            if _shape(entry) not in ("revision", "record", "format", "profiles"):
                raise StoreError(
                    f"this store holds a commit policydiff did not make ('{entry.subject}'): "
                    "run 'policydiff verify' before sharing it"
                )
        kept = []
        for slug in clashes:
            if slug not in set_aside:
                raise StoreError(
                    f"both this store and the shared one added to {slug} since they were last "
                    f"in step (here: {self._said(mine, slug)}; there: {self._said(others, slug)})"
                    ": agree which to keep; the clerk whose additions go then runs 'policydiff "
                    f"sync --set-aside {slug}', which keeps them aside, not erased, and takes "
                    "the shared store's"
                )
            name = f"{SET_ASIDE}/{slug}-{datetime.now(UTC):%Y%m%dT%H%M%S}"
            self.repo.git.update_ref(name, ours)
            kept.append(name)
        head = theirs
        remapped: dict[str, str] = dict(same)
        replayed = 0
        for entry in mine:
            slug = entry.trailers.get("Policy", "")
            if (
                slug in clashes
                or _shape(entry) == "format"
                or entry.commit in same
                or entry.commit in same_follow
            ):
                continue
            head = self._replay_one(entry, head, remapped)
            replayed += 1
        self._move(head, ours)
        return replayed, kept

    def _commits(self, since: str, until: str) -> list[_Entry]:
        """Commits in `since..until`, oldest first, with the files each changed."""
        return self._log("--reverse", "--name-only", "--no-renames", f"{since}..{until}")

    @staticmethod
    def _said(entries: list[_Entry], slug: str) -> str:
        said = [
            f"version {e.trailers['Version']} from {e.trailers.get('Source', '?')}"
            if "Version" in e.trailers
            else f"{e.subject.lower()}"
            + (f", {e.approval.describe()}" if e.approval is not None else "")
            for e in entries
            if e.trailers.get("Policy") == slug
        ]
        return "; ".join(said[:3]) + (" ..." if len(said) > 3 else "")

    def _replay_one(self, entry: _Entry, parent: str, remapped: dict[str, str]) -> str:
        """`entry` made again on `parent`: its files (a record appended to the record file as
        it now stands, naming its revision's new commit), its message with `Replaces:`."""
        slug = entry.trailers.get("Policy", "")
        trailers = dict(entry.trailers)
        if "Revision-Commit" in trailers:
            trailers["Revision-Commit"] = remapped.get(
                trailers["Revision-Commit"], trailers["Revision-Commit"]
            )
        # (a commit replayed twice, when another clerk sent in between, names every commit
        # it stands for, so that verify accounts for each in the reflog)
        trailers["Replaces"] = " ".join([entry.commit, *entry.trailers.get("Replaces", "").split()])
        files: dict[str, bytes] = {}
        if _shape(entry) == "profiles":  # the one setting it made, on the file as it now is
            files[PROFILES_FILE] = _set_profile(
                self._profiles_at(parent), trailers.get("Profile-Of", ""), trailers["Profile"]
            )
        elif _shape(entry) == "record":
            records = self._records_at(parent, slug) or []
            records.append({k.lower().replace("-", "_"): v for k, v in trailers.items()})
            files[f"{slug}/{RECORD_FILE}"] = (
                json.dumps(records, indent=1, ensure_ascii=False) + "\n"
            ).encode()
        else:
            for name in entry.files:
                files[name] = self._blob(entry.commit, name)
        body = entry.subject + "\n\n" + "".join(f"{k}: {v}\n" for k, v in trailers.items())
        commit = self._write_commit(files, body, parent)
        remapped[entry.commit] = commit
        return commit

    def _tree(self, files: dict[str, bytes], parent: str | None) -> str:
        """The tree of `parent` (or an empty one) with `files` written into it, built in a
        private index so that the store's own index is never half-written."""
        index = Path(self.repo.git_dir) / f"policydiff-index-{os.getpid()}"
        env = {"GIT_INDEX_FILE": str(index)}
        try:
            self.repo.git.read_tree(*([parent] if parent is not None else ["--empty"]), env=env)
            for name, data in files.items():
                stored = self.repo.odb.store(IStream(b"blob", len(data), io.BytesIO(data)))
                blob = stored.hexsha.decode() if isinstance(stored.hexsha, bytes) else stored.hexsha
                self.repo.git.update_index("--add", "--cacheinfo", f"100644,{blob},{name}",
                                           env=env)  # fmt: skip
            return str(self.repo.git.write_tree(env=env))
        finally:
            index.unlink(missing_ok=True)

    def _write_commit(self, files: dict[str, bytes], message: str, parent: str) -> str:
        """A commit of `files` on `parent`, not yet on any branch."""
        tree = self._tree(files, parent)
        return str(self.repo.git.commit_tree(tree, "-p", parent, "-m", message, env=_STAMP))

    def _push(self, url: str) -> int:
        """Send main and the approval tags to the shared store; the number of commits sent."""
        try:
            remote = self._remote_refs(REMOTE)
        except git.GitCommandError as error:
            raise StoreError(f"cannot reach the shared store at {url}: {_reason(error)}") from None
        head = self._head() or ""
        there = remote.get(f"refs/heads/{BRANCH}", "")
        if there and not self._is_ancestor(there, head):  # (another clerk sent meanwhile)
            raise StoreError(
                f"the shared store at {url} changed while this store was being brought into "
                "step: run 'policydiff sync' again"
            )
        # (what this clerk sent: revisions and records, not the store's creation)
        sent = (
            self._count(there, head)
            if there
            else int(self.repo.git.rev_list("--count", "--min-parents=1", head))
        )
        refspecs = [] if there == head else [f"{head}:refs/heads/{BRANCH}"]
        wanted = {
            f"refs/tags/{slug}/v{version}" for slug, version in _State.of(self._history()).tags()
        }
        local = self._tag_objects()
        refspecs += [
            f"+{name}:{name}" for name in sorted(wanted) if remote.get(name) != local.get(name)
        ]
        refspecs += [
            f":{name}"
            for name in sorted(remote)
            if name.startswith("refs/tags/") and not name.endswith("^{}") and name not in wanted
            and _SLUG.fullmatch(name.removeprefix("refs/tags/").partition("/v")[0])
        ]  # fmt: skip
        if refspecs:
            try:
                self.repo.git.push("--quiet", "--", REMOTE, *refspecs)
            except git.GitCommandError as error:
                if "checked out" in str(error.stderr) or "non-bare" in str(error.stderr):
                    raise StoreError(
                        f"the shared store at {url} is a clerk's own store, not a shared one: "
                        "share through an empty repository every clerk can reach, made with "
                        "'git init --bare', and name it with 'policydiff sync --shared'"
                    ) from None
                raise StoreError(
                    f"could not send to the shared store at {url} ({_reason(error)}): another "
                    "clerk may have sent at the same moment; run 'policydiff sync' again"
                ) from None
        return sent

    # -- checking ----------------------------------------------------------------------------

    def verify(
        self,
        reread: Callable[[bytes], Document] | None = None,
        against: str | None = None,
    ) -> tuple[int, list[str]]:
        """Check the store: returns (revisions checked, problems in plain words).

        - git's settings that would run a command; `git fsck`;
        - each revision's source file against its SHA-256, and (with `reread(bytes) ->
          Document`) its stored model against a fresh reading;
        - the history: every commit has the shape policydiff writes, the branch never moved
          backwards (its reflog), each approval tag matches the approval the history records
          and each recorded approval has its tag;
        - `against` (a path or URL of a copy, such as the bare repository the store is pushed
          to): the copy's history and approval tags are all in this store, unchanged.

        What it cannot detect without a copy: a rewrite of the whole history, made consistently
        by someone who can write the repository and who also clears its reflog.
        """
        self._finish_pending()
        problems: list[str] = [
            f"the store's git settings name a command ({key}): policydiff does not run it, but "
            "git run by hand in this folder would; remove it from .git/config"
            for key in self._commands_configured()
        ]
        git_dir = Path(self.repo.git_dir)
        hooks = git_dir / "hooks"
        for hook in sorted(hooks.iterdir()) if hooks.is_dir() else ():
            if not hook.name.endswith(".sample") and hook.is_file():
                problems.append(
                    f"the store has a git hook ({hook.name}): policydiff does not run it, but "
                    f"git run by hand in this folder would; remove .git/hooks/{hook.name}"
                )
        if (git_dir / "objects" / "info" / "alternates").exists():
            problems.append(
                "the store reads some of its history from another repository "
                "(.git/objects/info/alternates): its record is not all in this folder"
            )
        replaced = self.repo.git.for_each_ref("refs/replace", "--format=%(refname)").split()
        if replaced or (git_dir / "info" / "grafts").exists():
            problems.append(
                f"the store holds {len(replaced) or 'grafted'} replacement(s) for its history "
                "(git replace or grafts): git run by hand shows other records than those "
                "stored; policydiff ignores them"
            )
        try:
            self.repo.git.fsck("--full", "--no-dangling")
        except git.GitCommandError as error:
            problems.append(f"the store's history is damaged: {_reason(error)}")
        try:
            problems += self._audit_history()
        except git.GitCommandError as error:
            problems.append(f"the store's history cannot be read: {_reason(error)}")
        # (git status would run a filter driver named in the settings: not looked at then;
        # such settings are named above as a problem of their own)
        filters = any(k.startswith("filter.") for k in self._commands_configured())
        changed = [] if filters else [line for line in self._folder_changes() if line]
        if changed:  # (the history is intact; the folder is not what it holds)
            problems.append(
                f"the store's folder has {_changed_files(changed)} that policydiff did not "
                "write: the stored history is intact, but the folder does not show it as "
                "stored; move files of yours out, and put back a stored file with 'git "
                "checkout .' run in the folder"
            )
        if against is not None:
            problems += self._audit_against(against)
        checked = 0
        for revision in self.revisions():
            checked += 1
            try:
                data = self.source(revision)
                model_text = self._file(revision, MODEL_FILE).decode("utf-8")
            except (KeyError, ValueError, BadName, BadObject, OSError, git.GitCommandError):
                problems.append(f"{revision.ref}: a stored file is missing or unreadable")
                continue
            if hashlib.sha256(data).hexdigest() != revision.sha256:
                problems.append(
                    f"{revision.ref}: the stored source file does not match its SHA-256"
                )
                continue
            if reread is not None and model_text.startswith(canonical.HEADER + "\n"):
                # (A model stored in an earlier format was read by an earlier reader, which
                # read less: it is kept as it was read, and not compared with today's reading.)
                document = reread(data)
                named = replace(document, source=revision.source_name)
                if canonical.dumps(named) != model_text:
                    problems.append(
                        f"{revision.ref}: the stored model no longer matches its source"
                    )
        return checked, problems

    def _commands_configured(self) -> list[str]:
        """The store's own settings (with those its include files bring in) that name a
        command git would run."""
        out = self.repo.git.config("--list", "--show-scope", "--includes")
        found = []
        for line in out.splitlines():
            scope, _, setting = line.partition("\t")
            key = setting.partition("=")[0].lower()
            if scope not in ("local", "worktree"):
                continue  # (the system's and the user's are not read; "command" is ours)
            named = any(
                key.startswith(prefixes) and key.endswith(suffixes)
                for prefixes, suffixes in _RUNS_A_NAMED_COMMAND
            )
            if key in _RUNS_A_COMMAND or named or key.startswith(("include.", "includeif.")):
                found.append(key)
        return list(dict.fromkeys(found))

    def _finish_pending(self) -> None:
        """Finish a write that was interrupted, when the store can be written (verify's
        first step, so that an unfinished write is not mistaken for tampering)."""
        if not (Path(self.repo.git_dir) / JOURNAL_FILE).exists():
            return
        try:
            with self.writing(recover_only=True):
                pass
        except StoreError:
            pass  # (read-only, or busy: what is found is reported as it stands)

    def _audit_history(self) -> list[str]:
        """Commits of a shape policydiff does not write; a branch that moved backwards;
        approval tags and records that disagree."""
        problems: list[str] = []
        history = self._history(files=True)
        on_main = {e.commit for e in history}
        revisions = {}
        for entry in history:
            if _shape(entry) is None:
                files = ", ".join(entry.files[:3]) + (" ..." if len(entry.files) > 3 else "")
                problems.append(
                    f"commit {entry.commit[:12]} ('{entry.subject[:60]}'"
                    + (f", changing {files}" if files else "")
                    + ") was not made by policydiff: the store's record was changed by hand"
                )
            elif _shape(entry) == "revision":
                revisions[entry.commit] = entry
        reflog = Path(self.repo.git_dir) / "logs" / "refs" / "heads" / BRANCH
        if reflog.exists():
            # (`sync` replays a clerk's commits on the shared store's: each says which it
            # Replaces; those set aside are kept under SET_ASIDE)
            accounted = on_main | {
                replaced for e in history for replaced in e.trailers.get("Replaces", "").split()
            }
            aside = self.repo.git.for_each_ref(SET_ASIDE, "--format=%(objectname)").split()
            if aside:
                accounted |= set(self.repo.git.rev_list(*aside).split())
            for line in reflog.read_text(errors="replace").splitlines():
                fields = line.split(" ", 2)
                if len(fields) >= 2 and fields[1] not in accounted and fields[1].strip("0"):
                    problems.append(
                        f"the store's history was rewritten: commit {fields[1][:12]}, once its "
                        "latest, is no longer in it (a revision or approval was dropped or "
                        "changed, e.g. by git reset or rebase)"
                    )
                    break
        if self.store_format() < 2:
            problems.append(
                "this store was made by an earlier policydiff: its approvals are tags only, "
                "which cannot be checked; the next command that writes records them in the "
                "history"
            )
            return problems
        for entry in history:
            if entry.trailers.get("Record") not in _RECORDS:
                continue
            slug, version, target = entry.key
            revision = revisions.get(target)
            if revision is None or (
                revision.trailers.get("Policy"),
                revision.trailers.get("Version"),
            ) != (slug, version):
                problems.append(
                    f"the record '{entry.subject}' (commit {entry.commit[:12]}) names a "
                    "revision that is not in the history: the history was rewritten"
                )
        problems += self._audit_records(history)
        recorded = _State.of(history).tags()
        journal = Path(self.repo.git_dir) / JOURNAL_FILE
        pending = journal.read_text(errors="replace") if journal.exists() else ""
        tags = {(t.slug, t.version): t for t in self._tags()}
        for (slug, version), tag in sorted(tags.items()):
            name = f"{slug}/v{version}"
            if (slug, version) not in recorded:
                problems.append(
                    f"the tag {name} says {slug}@{version} was approved, but the store's "
                    "history records no such approval: the tag was made outside policydiff "
                    "and is not shown as an approval"
                )
                continue
            target, approval = recorded[(slug, version)]
            if not tag.annotated or tag.target != target or tag.approval != approval:
                problems.append(
                    f"the tag {name} does not match the approval the history records "
                    f"({approval.describe()}): the tag was changed outside policydiff"
                )
        for (slug, version), (_, approval) in sorted(recorded.items()):
            if (slug, version) not in tags and history[0].commit not in pending:
                problems.append(
                    f"{slug}@{version} was {approval.describe(with_minute=False)}, as the "
                    f"history records, but its tag {slug}/v{version} has been deleted"
                )
        return problems

    def _audit_records(self, history: list[_Entry]) -> list[str]:
        """Each record commit appends exactly the record its trailers state to its policy's
        record.json, and changes nothing before it (a record is never rewritten in place)."""
        problems = []
        for entry in history:
            if entry.trailers.get("Record") not in _RECORDS or len(entry.parents) != 1:
                continue
            slug = entry.trailers.get("Policy", "")
            before = self._records_at(entry.parents[0], slug)
            after = self._records_at(entry.commit, slug)
            expected = {k.lower().replace("-", "_"): v for k, v in entry.trailers.items()}
            if after is None or before is None or after[:-1] != before or after[-1:] != [expected]:
                problems.append(
                    f"the record '{entry.subject}' (commit {entry.commit[:12]}) does not "
                    f"append what it says to {slug}/{RECORD_FILE}: the record was changed "
                    "outside policydiff"
                )
        return problems

    def _records_at(self, commit: str, slug: str) -> list[Any] | None:
        """A policy's record.json as of `commit` ([] before its first record; None when it is
        not a list of records)."""
        try:
            data = self._blob(commit, f"{slug}/{RECORD_FILE}")
        except KeyError:
            return []
        try:
            records = json.loads(data)
        except ValueError:
            return None
        return records if isinstance(records, list) else None

    def _audit_against(self, copy: str) -> list[str]:
        """Compare with a copy of the store (a path or URL): its main branch must be contained
        in ours, and its approval tags must be ours."""
        try:
            copy = _copy_url(copy)  # (a folder is named from where the command was run)
        except StoreError as error:
            raise StoreError(f"cannot read a copy of the store: {error}") from None
        try:
            refs = self._remote_refs(copy, f"refs/heads/{BRANCH}", "refs/tags/*")
        except git.GitCommandError as error:
            raise StoreError(
                f"cannot read a copy of the store at {copy}: {_reason(error, first=True)}"
            ) from None
        theirs = refs.get(f"refs/heads/{BRANCH}")
        if theirs is None:
            raise StoreError(f"{copy} is not a copy of a policy store: it has no {BRANCH} branch")
        problems: list[str] = []
        ours = self._head() or ""
        if theirs != ours and not self._is_ancestor(theirs, ours):
            try:
                self.repo.git.fetch("--quiet", "--no-tags", "--no-write-fetch-head", "--", copy,
                                    f"refs/heads/{BRANCH}")  # fmt: skip
            except git.GitCommandError as error:
                raise StoreError(f"cannot read the copy at {copy}: {_reason(error)}") from None
            if ours and self._is_ancestor(ours, theirs):
                missing = self.repo.git.log("--format=%s", f"{ours}..{theirs}").splitlines()
                problems.append(
                    f"the copy at {copy} holds {counted(len(missing), 'record')} this store "
                    f"does not ({'; '.join(missing[:3])}{' ...' if len(missing) > 3 else ''}): "
                    "they were dropped from this store, or it was never brought up to date"
                )
            else:
                base = self._merge_base(ours, theirs) if ours else None
                if ours and base is None:
                    problems.append(
                        f"the copy at {copy} is another store's history (nothing in common "
                        "with this one): check its address"
                    )
                    return problems
                since = self.repo.git.log("-1", "--format=%s (%cs)", base) if base else "the start"
                problems.append(
                    f"this store's history and the copy's at {copy} differ after '{since}': "
                    "one of them was rewritten"
                )
        ours_tags = self._tag_objects()
        for name, sha in sorted(refs.items()):
            if not name.startswith("refs/tags/") or name.endswith("^{}"):
                continue
            short = name.removeprefix("refs/tags/")
            if name not in ours_tags:
                problems.append(f"the copy at {copy} has the tag {short}, which this store lacks")
            elif ours_tags[name] != sha:
                problems.append(f"the tag {short} differs from the copy's at {copy}")
        return problems

    def _tag_objects(self) -> dict[str, str]:
        """refs/tags/NAME -> the tag's own object id, for every tag of this store."""
        out = self.repo.git.for_each_ref("refs/tags", "--format=%(objectname) %(refname)")
        return {name: sha for sha, _, name in (line.partition(" ") for line in out.splitlines())}

    def _remote_refs(self, where: str, *patterns: str) -> dict[str, str]:
        """ref name -> object id of another repository's refs (`git ls-remote`); raises
        git.GitCommandError for the caller to say what it could not read."""
        out = str(self.repo.git.ls_remote("--", where, *patterns))
        return {name: sha for sha, _, name in (line.partition("\t") for line in out.splitlines())}

    def _is_ancestor(self, ancestor: str, descendant: str) -> bool:
        if not descendant:
            return False
        try:
            self.repo.git.merge_base("--is-ancestor", ancestor, descendant)
            return True
        except git.GitCommandError:
            return False


def _shape(entry: _Entry) -> str | None:
    """Which of policydiff's writes a commit is ("create", "revision", "record", "format",
    "profiles"), or None when no write of policydiff's looks like it."""
    files = set(entry.files)
    slug = entry.trailers.get("Policy", "")
    record = entry.trailers.get("Record")
    if len(entry.parents) > 1:
        return None
    if not entry.parents:
        return "create" if files == {FORMAT_FILE} else None
    if record in _RECORDS:
        return "record" if files == {f"{slug}/{RECORD_FILE}"} else None
    if record == "store-format":
        return "format" if files == {FORMAT_FILE} else None
    if record == "profile":
        return "profiles" if files == {PROFILES_FILE} else None
    if record is None and slug and files and files <= {f"{slug}/{n}" for n in _REVISION_FILES}:
        return "revision"
    return None


def _follows(entry: _Entry) -> tuple[str, ...]:
    """What a model record says: which revision follows which model's version."""
    t = entry.trailers
    return (t.get("Policy", ""), t.get("Revision", ""), t.get("Model", ""),
            t.get("Model-Revision", ""))  # fmt: skip


def _reason(error: Exception, first: bool = False) -> str:
    """What went wrong in plain words: "the disk is full" when it is, else git's own words (its
    last line, or with `first` its first), without git's "fatal:" and GitPython's wrapping."""
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if isinstance(error, git.GitCommandError):
        text = str(error.stderr).strip().removeprefix("stderr:").strip().strip("'")
        if "No space left on device" in text or "Disk quota exceeded" in text:
            return "the disk is full"
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not lines:
            return f"git stopped with status {error.status}"
        return lines[0 if first else -1].removeprefix("fatal: ").removeprefix("error: ")
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error)


def _unfinished(path: Path, error: Exception) -> str:
    """Why the work tree could not be written, and what to do: git's checkout does not always
    say the disk is full ("unable to write file"), so the free space is looked at too."""
    reason = _reason(error)
    try:
        full = shutil.disk_usage(path).free < 1024 * 1024
    except OSError:
        full = False
    if reason == "the disk is full" or full:
        return "the disk is full: free some space"
    return reason


def _set_profile(text: str, of: str, profile: str) -> bytes:
    """profiles.toml `text` with the one setting made: `of` (a short name, or "title: PHRASE")
    checked by `profile`, or its line dropped when `profile` is ""."""
    from policydiff.rules.kinds import Mapping, parse

    mapping = parse(text, PROFILES_FILE) if text.strip() else Mapping()
    table = mapping.titles if of.startswith("title: ") else mapping.policies
    key = of.removeprefix("title: ")
    table.pop(key, None)
    if profile:
        table[key] = profile
    return mapping.to_toml().encode("utf-8")


def _changed_files(lines: list[str]) -> str:
    """ "a file (social-media/source.docx)" or "3 files (a, b ...)" from porcelain lines."""
    names = [line[3:] for line in lines]
    listed = ", ".join(names[:3]) + (" ..." if len(names) > 3 else "")
    return f"{counted(len(names), 'file')} ({listed})"
