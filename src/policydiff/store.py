"""A git-backed policy store. The only module that imports GitPython.

Layout: one folder per policy, named by its slug, holding `policy.txt` (the model as canonical
text), `meta.json` (what we know about the revision) and `source.docx` (the original file,
byte for byte). One commit per ingested revision, with trailers (`Policy:`, `Version:`,
`Source-SHA256:` ...) that `log` reads without opening any file. Approvals are annotated tags
`<slug>/v<version>`.

Nothing is lost: a revision is written as git objects first and becomes visible only when
`refs/heads/main` moves, in one compare-and-swap (`git update-ref NEW OLD`). A kill before
that leaves unreachable objects and nothing else; a kill after it leaves a work tree that the
next command brings up to date (a journal in `.git/` says it may). Writers take an exclusive
`flock` on `.git/policydiff.lock`, which the system releases when a process dies, so a killed
ingest never leaves a stale lock.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import io
import json
import os
import re
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import git
from gitdb.base import IStream
from gitdb.exc import BadName, BadObject

from policydiff import canonical
from policydiff.errors import PolicydiffError
from policydiff.model import Document

BRANCH = "main"
FORMAT_FILE = "policydiff-store.json"
MODEL_FILE = "policy.txt"
META_FILE = "meta.json"
SOURCE_FILE = "source.docx"
LOCK_FILE = "policydiff.lock"
JOURNAL_FILE = "policydiff-pending"
LOCK_WAIT_SECONDS = float(os.environ.get("POLICYDIFF_LOCK_WAIT", "30"))
IDENTITY = {"name": "policydiff", "email": "policydiff@localhost"}

_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
_VERSION = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,30}[A-Za-z0-9])?")
_TRAILER = re.compile(r"^([A-Za-z0-9-]+): (.*)$", re.MULTILINE)


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
)  # fmt: skip
_SAFE_SETTINGS = {
    "core.fsmonitor": "false",
    "core.hooksPath": os.devnull,
    "core.pager": "cat",
    "core.sshCommand": "false",
    "core.askPass": "",
    "credential.helper": "",
    "diff.external": "",
}
SAFE_GIT = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_PAGER": "cat",
    "GIT_CONFIG_COUNT": str(len(_SAFE_SETTINGS)),
    **{f"GIT_CONFIG_KEY_{k}": key for k, key in enumerate(_SAFE_SETTINGS)},
    **{f"GIT_CONFIG_VALUE_{k}": value for k, value in enumerate(_SAFE_SETTINGS.values())},
}


def _checkpoint(stage: str) -> None:
    """A fault-injection point for the kill tests: POLICYDIFF_KILL_AT=stage kills us here."""
    if os.environ.get("POLICYDIFF_KILL_AT") == stage:
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass(frozen=True, slots=True)
class Approval:
    by: str
    date: str  # ISO date
    minute: str | None

    def describe(self, with_minute: bool = True) -> str:
        """ "approved by X on D (minute M)", as every listing and report writes it."""
        text = f"approved by {self.by} on {self.date}"
        return text + (f" (minute {self.minute})" if with_minute and self.minute else "")


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
            },
        }


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
    def init(cls, path: Path) -> tuple[Store, bool]:
        """Create a store at `path` (harmless when one is there). Returns (store, created)."""
        if (path / ".git").exists():
            return cls.open(path), False
        if path.exists() and any(path.iterdir()):
            raise StoreError(f"{path} already holds files that are not a policy store")
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
            marker = json.dumps({"format": 1, "created_by": "policydiff"}, indent=1) + "\n"
            with store.writing():
                store._commit({FORMAT_FILE: marker.encode()}, "Create the policy store\n")
        except (OSError, git.GitCommandError) as error:
            if repo is not None:
                repo.close()
            raise StoreError(f"cannot create a policy store at {path}: {_reason(error)}") from None
        return store, True

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
    def writing(self) -> Iterator[None]:
        """Hold the store's write lock; finish any interrupted write; refuse hand edits."""
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
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        handle.seek(0)
                        holder = handle.read().strip() or "another policydiff"
                        raise StoreError(
                            f"the store at {self.path} is busy ({holder} is writing to it): "
                            "try again in a moment"
                        ) from None
                    time.sleep(0.05)
            try:
                handle.seek(0)
                handle.truncate()
                handle.write(f"process {os.getpid()}")
                handle.flush()
            except OSError:
                pass
            self._recover()
            self._refuse_hand_edits()
            yield

    def _recover(self) -> None:
        """Bring the work tree up to date after a write that was killed part-way."""
        git_dir = Path(self.repo.git_dir)
        journal = git_dir / JOURNAL_FILE
        stale_index_lock = git_dir / "index.lock"
        for stale in git_dir.glob("policydiff-index-*"):  # a killed writer's temporary index
            stale.unlink(missing_ok=True)  # (we hold the store lock: no writer of ours runs)
        if not journal.exists():
            return
        if stale_index_lock.exists():
            stale_index_lock.unlink()  # we hold the store lock: no git of ours is running
        if self._head() is not None:
            self.repo.git.reset("--hard", "--quiet", "HEAD")
        journal.unlink()

    def _refuse_hand_edits(self) -> None:
        if self._head() is None:
            return
        changes = self.repo.git.status("--porcelain", "--untracked-files=all")
        if changes.strip():
            first = changes.strip().splitlines()[0][3:]
            raise StoreError(
                f"the store at {self.path} has changes made outside policydiff ({first}): "
                "undo them or commit them with git, then try again"
            )

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

    def revisions(self, slug: str | None = None) -> list[Revision]:
        """Revisions, newest first (of one policy, or of all)."""
        if self._head() is None:
            return []
        args = ["--format=%H%x1f%B%x1e", f"refs/heads/{BRANCH}"]
        if slug is not None:
            args += ["--", check_slug(slug)]
        out = self.repo.git.log(*args)
        approvals = self._approvals()
        revisions = []
        for record in out.split("\x1e"):
            record = record.strip("\n")
            if not record:
                continue
            commit, body = record.split("\x1f", 1)
            trailers = dict(_TRAILER.findall(body))
            if "Policy" not in trailers:
                continue
            revisions.append(
                Revision(
                    slug=trailers["Policy"],
                    version=trailers.get("Version", "?"),
                    effective=trailers.get("Effective-Date", ""),
                    source_name=trailers.get("Source", ""),
                    sha256=trailers.get("Source-SHA256", ""),
                    commit=commit,
                    ingested=trailers.get("Ingested", ""),
                    title=trailers.get("Title") or None,
                    message=body.split("\n", 1)[0],
                    approval=approvals.get((trailers["Policy"], trailers.get("Version", ""))),
                )
            )
        return revisions

    def _approvals(self) -> dict[tuple[str, str], Approval]:
        out = self.repo.git.for_each_ref(
            "refs/tags", "--format=%(refname:strip=2)%1f%(contents)%1e"
        )
        found: dict[tuple[str, str], Approval] = {}
        for record in out.split("\x1e"):
            record = record.strip("\n")
            if "\x1f" not in record:
                continue
            name, body = record.split("\x1f", 1)
            slug, _, version = name.partition("/v")
            trailers = dict(_TRAILER.findall(body))
            if "Approved-By" in trailers:
                found[(slug, version)] = Approval(
                    trailers["Approved-By"], trailers.get("Approved-On", ""), trailers.get("Minute")
                )
        return found

    def _file(self, revision: Revision, name: str) -> bytes:
        blob = self.repo.commit(revision.commit).tree / f"{revision.slug}/{name}"
        data: bytes = blob.data_stream.read()
        return data

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
            raise StoreError(f"there is no policy called '{slug}' in the store at {self.path}")
        latest = re.fullmatch(r"latest(?:~(\d+))?", spec)
        if latest:
            back = int(latest.group(1) or 0)
            if back >= len(revisions):
                raise StoreError(f"{slug} has only {len(revisions)} revision(s)")
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
        versions = ", ".join(r.version for r in reversed(revisions))
        raise StoreError(f"{slug} has no revision '{spec}' (versions: {versions})")

    def _in_force(self, slug: str, revisions: list[Revision], day: str) -> Revision:
        approved = [r for r in revisions if r.approval is not None]
        if approved:
            candidates = sorted(
                (r for r in approved if r.approval and r.approval.date <= day),
                key=lambda r: r.approval.date if r.approval else "",
                reverse=True,
            )
        else:
            candidates = [r for r in revisions if r.effective <= day]
        if not candidates:
            raise StoreError(f"no revision of {slug} was in force on {day}")
        return candidates[0]

    # -- writing -----------------------------------------------------------------------------

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
    ) -> Revision | None:
        """Add a revision (the caller has read and checked the file). None when the bytes are
        those of the policy's latest revision already."""
        check_slug(slug)
        digest = hashlib.sha256(data).hexdigest()
        with self.writing():
            existing = self.revisions(slug)
            if existing and existing[0].sha256 == digest:
                return None
            taken = {r.version for r in existing}
            if version is None:
                number = len(existing) + 1
                while str(number) in taken:
                    number += 1
                version = str(number)
            check_version(version)
            if version in taken:
                raise StoreError(f"{slug} already has a version {version}: choose another label")
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
                "warnings": warnings,
                "stated": {
                    "version": document.metadata.version,
                    "approved": document.metadata.approved,
                    "approved_by": document.metadata.approved_by,
                    "next_review": document.metadata.next_review,
                },
            }
            summary = (message or f"Add {document.title or slug} version {version}").strip()
            trailers = {
                "Policy": slug,
                "Version": version,
                "Title": " ".join((document.title or "").split()),
                "Effective-Date": effective.isoformat(),
                "Source": " ".join(source.name.split()),
                "Source-SHA256": digest,
                "Ingested": now,
            }
            body = (
                summary.splitlines()[0]
                + "\n\n"
                + "".join(f"{k}: {v}\n" for k, v in trailers.items())
            )
            files = {
                f"{slug}/{MODEL_FILE}": canonical.dumps(named).encode("utf-8"),
                f"{slug}/{META_FILE}": (
                    json.dumps(meta, indent=1, ensure_ascii=False) + "\n"
                ).encode(),
                f"{slug}/{SOURCE_FILE}": data,
            }
            commit = self._commit(files, body)
        return self.resolve(f"{slug}@{commit[:12]}")

    def _commit(self, files: dict[str, bytes], message: str) -> str:
        """Write `files` as one new commit on main, all or nothing. Returns the commit id."""
        git_dir = Path(self.repo.git_dir)
        old = self._head()
        _checkpoint("before-objects")
        try:
            index = git_dir / f"policydiff-index-{os.getpid()}"
            env = {"GIT_INDEX_FILE": str(index)}
            try:
                if old is not None:
                    self.repo.git.read_tree(old, env=env)
                else:
                    self.repo.git.read_tree("--empty", env=env)
                for name, data in files.items():
                    stored = self.repo.odb.store(IStream(b"blob", len(data), io.BytesIO(data)))
                    blob = (
                        stored.hexsha.decode()
                        if isinstance(stored.hexsha, bytes)
                        else stored.hexsha
                    )
                    self.repo.git.update_index(
                        "--add", "--cacheinfo", f"100644,{blob},{name}", env=env
                    )
                tree = self.repo.git.write_tree(env=env)
            finally:
                index.unlink(missing_ok=True)
            _checkpoint("after-objects")
            stamp = {
                "GIT_AUTHOR_NAME": IDENTITY["name"],
                "GIT_AUTHOR_EMAIL": IDENTITY["email"],
                "GIT_COMMITTER_NAME": IDENTITY["name"],
                "GIT_COMMITTER_EMAIL": IDENTITY["email"],
            }
            parents = ["-p", old] if old is not None else []
            commit = self.repo.git.commit_tree(tree, *parents, "-m", message, env=stamp)
            _checkpoint("after-commit")
            journal = git_dir / JOURNAL_FILE
            journal.write_text(f"{old or ''} {commit}\n")
            self.repo.git.update_ref(f"refs/heads/{BRANCH}", commit, old or "")
            _checkpoint("after-ref")
            self.repo.git.reset("--hard", "--quiet", commit)
            _checkpoint("after-checkout")
            journal.unlink()
        except git.GitCommandError as error:
            raise StoreError(
                f"could not write to the store at {self.path}: {_reason(error)}"
            ) from None
        except OSError as error:
            raise StoreError(
                f"could not write to the store at {self.path}: {error.strerror}"
            ) from None
        return str(commit)

    def approve(self, revision: Revision, by: str, day: date, minute: str | None) -> Approval:
        by = " ".join(by.split())
        if not by:
            raise StoreError("say who approved it with --by NAME")
        tag = f"{revision.slug}/v{revision.version}"
        with self.writing():
            current = {(r.slug, r.version): r for r in self.revisions(revision.slug)}
            if current[(revision.slug, revision.version)].approval is not None:
                raise StoreError(f"{revision.ref} is already approved")
            lines = [f"Approve {revision.slug} version {revision.version}", ""]
            lines += [f"Approved-By: {by}", f"Approved-On: {day.isoformat()}"]
            if minute:
                lines.append(f"Minute: {' '.join(minute.split())}")
            _checkpoint("before-tag")
            try:
                self.repo.git.tag("-a", "-m", "\n".join(lines) + "\n", tag, revision.commit)
            except git.GitCommandError as error:
                raise StoreError(f"could not record the approval: {_reason(error)}") from None
            _checkpoint("after-tag")
        return Approval(by, day.isoformat(), minute)

    # -- checking ----------------------------------------------------------------------------

    def verify(self, reread: Callable[[bytes], Document] | None = None) -> tuple[int, list[str]]:
        """Re-hash every stored source; check history and models. Returns (checked, problems).

        `reread(path_bytes) -> Document` re-reads a source to compare with the stored model.
        """
        problems: list[str] = []
        for line in self.repo.git.config("--local", "--list").splitlines():
            key = line.partition("=")[0].lower()
            if key in _RUNS_A_COMMAND or (key.startswith("filter.") and key.endswith(
                (".clean", ".smudge", ".process")
            )) or key.startswith("alias."):  # fmt: skip
                problems.append(
                    f"the store's git settings name a command ({key}): policydiff does not run "
                    "it, but git run by hand in this folder would; remove it from .git/config"
                )
        try:
            self.repo.git.fsck("--full", "--no-dangling")
        except git.GitCommandError as error:
            problems.append(f"the store's history is damaged: {_reason(error)}")
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


def _reason(error: Exception) -> str:
    if isinstance(error, git.GitCommandError):
        text = error.stderr.strip() if isinstance(error.stderr, str) else str(error.stderr)
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        detail = lines[-1] if lines else f"git exited with {error.status}"
        return (
            detail.removeprefix("stderr: ")
            .strip("'")
            .removeprefix("fatal: ")
            .removeprefix("error: ")
        )
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error)
