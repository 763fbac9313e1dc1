"""What the commands do, as functions returning Results. No printing, no exit codes.

A document argument is a .docx path or a store REF (`policy@version`); the store is opened
only when a REF or a store command needs it, so `diff a.docx b.docx` never touches git.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from policydiff.errors import PolicydiffError
from policydiff.facts import find_reviewed, parse_date
from policydiff.model import Clause, Document, Section, group_tables, left_out_sentence
from policydiff.results import Message, Result
from policydiff.typography import counted

if TYPE_CHECKING:
    from policydiff.annual import Changelog
    from policydiff.diffing.changes import Comparison
    from policydiff.diffing.merge import Merge
    from policydiff.drift import Drift
    from policydiff.reporting import Report, Side
    from policydiff.rules.checks import CheckResult
    from policydiff.rules.kinds import Chooser
    from policydiff.rules.load import Profile
    from policydiff.status import PolicyStatus
    from policydiff.store import Planned, Record, Revision, Store, Synced


def read_docx(path: str | Path) -> Result[Document]:
    """Read a Word file (the reader, lxml and all, loads on first use: a command that reads
    none starts without it)."""
    from policydiff.readers.docx import read_docx as read

    return read(path)


def is_ref(target: str) -> bool:
    return "@" in target and not Path(target).exists()


def open_store(path: Path) -> Store:
    from policydiff.store import Store

    return Store.open(path)


def store_if(needed: bool, path: Path) -> AbstractContextManager[Store | None]:
    """The store, opened only when needed (closed when the `with` ends), else None."""
    return open_store(path) if needed else nullcontext()


def init_store(path: Path, shared: str | None = None) -> bool:
    """Create a store (or, from `shared`, a copy of the clerks' shared store); False when
    `path` is a store already."""
    from policydiff.store import Store

    store, created = Store.init(path, shared)
    store.close()
    return created


def sync(store_path: Path, shared: str | None, set_aside: list[str]) -> Synced:
    """Take other clerks' additions from the shared store and send this clerk's."""
    from policydiff.store import check_slug

    with open_store(store_path) as store:
        return store.sync(shared, tuple(check_slug(s) for s in set_aside))


def load(target: str, store: Store | None) -> Result[Document]:
    """A document from a .docx path or from a store REF (its stored model)."""
    if store is not None and is_ref(target):
        document = store.model(store.resolve(target))
        return Result(replace(document, source=target))
    return read_docx(target)


def load_both(old: str, new: str, store: Store | None) -> tuple[Result[Document], Result[Document]]:
    """Both sides of a comparison, the new one first (a refused new file is said first)."""
    b = load(new, store)
    return load(old, store), b


def diff(old: str, new: str, store_path: Path) -> Result[Comparison]:
    """Read two revisions and compare them clause by clause."""
    from policydiff.diffing.align import compare

    with store_if(is_ref(old) or is_ref(new), store_path) as store:
        a, b = load_both(old, new, store)
    return Result(compare(a.value, b.value), a.messages + b.messages)


@dataclass(frozen=True, slots=True)
class Ingested:
    source: Path
    revision: Revision | None  # None: the file is a stored revision already, or a dry run
    same_as: Revision | None  # the stored revision it is, byte for byte
    planned: Planned | None = None  # with --dry-run: what would be added


def effective_date(document: Document, given: date | None) -> date:
    """The date a revision takes effect: as given, else the approval date it states, else the
    date it says it was reviewed ("Reviewed February 2024", its first day), else the date Word
    last saved it, else when it was created."""
    if given is not None:
        return given
    stated = parse_date(document.metadata.approved)
    if stated is not None:
        return stated
    texts = [document.metadata.footer or "", document.metadata.header or ""]
    clauses = [c.text for s in document.sections for c in s.clauses]
    reviewed = parse_date(find_reviewed(texts + clauses[:60] + clauses[-60:]))
    if reviewed is not None:
        return reviewed
    for stamp in (document.metadata.modified, document.metadata.created):
        if stamp and len(stamp) >= 10:
            try:
                return date.fromisoformat(stamp[:10])
            except ValueError:
                continue
    return date.today()


def word_files(paths: list[Path]) -> list[Path]:
    """The .docx files named, a folder standing for the .docx files in it (not Word's "~$"
    owner files). Raises PolicydiffError for a folder without any."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                f for f in path.iterdir()
                if f.suffix.lower() == ".docx" and not f.name.startswith("~$") and f.is_file()
            )  # fmt: skip
            if not found:
                raise PolicydiffError(f"{path} holds no Word files (.docx)")
            files += found
        else:
            files.append(path)
    return files


def ingest(
    store_path: Path,
    files: list[Path],
    slug: str,
    version: str | None,
    day: date | None,
    message: str | None,
    on_each: Callable[[Ingested], None] = lambda _: None,
    older: bool = False,
    dry_run: bool = False,
    renamed: bool = False,
    new_policy: bool = False,
) -> Result[list[Ingested]]:
    """Add Word files (or the .docx files of folders) as revisions of `slug`, in the order of
    the dates they take effect (then their stated versions, then as given). Every file is read
    and planned first: a bad file, or one that would take effect before the latest revision
    without `older`, stops everything before anything is written. `dry_run` only plans.
    `on_each` is told of each file as soon as it is added (or found stored already), so that
    an interrupted batch has said what it stored. A policy name the store does not hold yet
    that is close to one it does, or whose file has another policy's title, is refused as a
    likely typo unless `new_policy` says it is a new policy."""
    from policydiff.store import check_slug, check_version

    message = plain_text(message, "--message")
    with open_store(store_path) as store:
        check_slug(slug)
        paths = word_files(files)
        if version is not None:
            check_version(version)
            if len(paths) > 1:
                raise PolicydiffError(
                    "--version names one revision: add one file at a time with it"
                )
        if message is not None and len(paths) > 1:
            raise PolicydiffError(
                "-m says why one revision changed: add one file at a time with it"
            )
        read = []
        for path in paths:
            result = read_docx(path)
            try:
                data = path.read_bytes()
            except OSError as error:
                raise PolicydiffError(f"{path} cannot be read ({error.strerror})") from None
            read.append((path, result, data, effective_date(result.value, day)))
        # (by the date each takes effect, then the next review each states, then its version)
        read.sort(
            key=lambda r: (
                r[3],
                parse_date(r[1].value.metadata.next_review) or date.min,
                _version_key(r[1].value.metadata.version),
            )
        )
        messages = tuple(m for _, result, _, _ in read for m in result.messages)
        if not new_policy and read:
            _refuse_likely_typo(store, slug, read[0][1].value.title)
        plans: list[Planned] = []
        for path, result, data, effective in read:
            digest = hashlib.sha256(data).hexdigest()
            try:
                planned = store.plan(
                    slug, digest, result.value, version, effective, older, tuple(plans), renamed
                )
            except PolicydiffError as error:
                if len(read) == 1:
                    raise
                raise PolicydiffError(f"{path}: {error}: nothing was added") from None
            plans.append(planned)
        done: list[Ingested] = []
        by_path = {r[0]: r for r in read}
        for path, plan in zip([r[0] for r in read], plans, strict=True):
            _, result, data, effective = by_path[path]
            if dry_run or plan.same_as_planned:
                done.append(Ingested(path, None, plan.same_as, plan))
                on_each(done[-1])
                continue
            # (a file already stored goes through the store too: under its lock, a write
            # interrupted before is finished and hand edits are refused, as for any other)
            revision = store.ingest(
                slug,
                path,
                data,
                result.value,
                [str(m) for m in result.messages],
                version,
                effective,
                message,
                older,
                renamed,
            )
            done.append(Ingested(path, revision, plan.same_as if revision is None else None, plan))
            on_each(done[-1])
    return Result(done, messages)


def _version_key(stated: str | None) -> tuple[int, ...]:
    """A stated version as numbers ("4.10" after "4.9"), for ordering files of one date."""
    return tuple(int(n) for n in re.findall(r"\d+", stated or "")[:4])


def log(
    store_path: Path, slug: str | None, withdrawn: bool = False
) -> tuple[list[Revision], dict[str, list[Record]]]:
    """The revisions (of one policy, or all), newest first. With `withdrawn`, the withdrawn
    ones too, and each policy's records (approvals, corrections, withdrawals), oldest first."""
    with open_store(store_path) as store:
        if slug is not None:
            store.known(slug)
        revisions = store.revisions(slug, withdrawn)
        records = {}
        if withdrawn:
            records = {s: store.records(s) for s in dict.fromkeys(r.slug for r in revisions)}
        return revisions, records


def show(store_path: Path, ref: str) -> tuple[Revision, Document]:
    """A stored revision and its model."""
    with open_store(store_path) as store:
        revision = store.resolve(ref)
        return revision, store.model(revision)


def source(store_path: Path, ref: str) -> tuple[Revision, bytes]:
    """A stored revision and its original file, byte for byte."""
    with open_store(store_path) as store:
        revision = store.resolve(ref)
        return revision, store.source(revision)


def approve(
    store_path: Path,
    ref: str,
    by: str,
    day: date,
    minute: str | None,
    despite_check: bool = False,
    correct: str | None = None,
    today: date | None = None,
) -> Revision:
    """Record an approval of `ref` on `day` (or, with `correct` giving the reason, correct the
    one recorded). Refused: a day after `today`; a revision that fails its check, unless
    `despite_check`, which records the findings with the approval."""
    from policydiff.rules.checks import check as run_checks
    from policydiff.store import Approval

    by = plain_text(by, "--by") or ""
    minute = plain_text(minute, "--minute")
    correct = plain_text(correct, "--reason")
    now = today or date.today()
    if day > now:
        raise PolicydiffError(
            f"{day.isoformat()} is in the future: record an approval once the meeting has given it"
        )
    with open_store(store_path) as store:
        revision = store.resolve(ref)
        if revision.effective and day < date.fromisoformat(revision.effective) - timedelta(
            days=366
        ):
            raise PolicydiffError(
                f"{day.isoformat()} is more than a year before {revision.ref} takes effect "
                f"({revision.effective}): check the date of the meeting"
            )
        if correct is None and revision.approval is not None:  # (said before the check runs)
            raise PolicydiffError(
                f"{revision.ref} is already {revision.approval.describe()}: to correct that, "
                "approve it again with --correct and --reason"
            )
        written = date.fromisoformat(revision.effective) if revision.effective else now
        document = store.model(revision)
        profile, why = _chooser(store).choose(revision.slug, document.title)
        result = run_checks(revision.ref, document, profile, day, written, None, why)
        errors = [f for f in result.findings if f.severity.value == "error"]
        despite = None
        if errors:
            summary = f"{counted(len(errors), 'check error')}: " + "; ".join(
                f.message for f in errors[:3]
            )
            if not despite_check:
                raise PolicydiffError(
                    f"{revision.ref} fails its check ({summary}): see 'policydiff check "
                    f"{revision.ref}'; to approve it all the same, add --despite-check, which "
                    "is recorded with the approval"
                )
            despite = summary[:500]
        store.approve(revision, Approval(by, day.isoformat(), minute, despite), correct)
        return store.resolve(f"{revision.slug}@{revision.version}")


def plain_text(value: str | None, option: str) -> str | None:
    """`value` for the record, on one line: text without control characters (an escape
    sequence would drive the terminal of whoever reads the log) and encodable (bytes that are
    not UTF-8 in a command line arrive as surrogates). Raises PolicydiffError naming
    `option`."""
    if value is None:
        return None
    if any("\ud800" <= c <= "\udfff" for c in value):
        raise PolicydiffError(f"{option} holds bytes that are not text: type it again")
    if any(c < " " and c not in "\t\n\r" or "\x7f" <= c <= "\x9f" for c in value):
        raise PolicydiffError(f"{option} holds control characters: type it again as plain text")
    return " ".join(value.split())  # (one line: it is recorded as a trailer)


def withdraw(store_path: Path, ref: str, reason: str, approval_only: bool) -> Revision:
    """Withdraw a revision added by mistake, or only its approval; recorded with `reason`."""
    reason = plain_text(reason, "--reason") or ""
    with open_store(store_path) as store:
        revision = store.resolve(ref)
        store.withdraw(revision, reason, approval_only)
        return revision


@dataclass(frozen=True, slots=True)
class Blame:
    section: Section
    clause: Clause
    introduced: Revision  # the revision that brought the clause in
    changed: Revision  # the revision that last changed its words


def blame(store_path: Path, ref: str) -> tuple[Revision, list[Blame]]:
    """For each clause of a revision: the version that introduced it and the version that last
    changed its words, following moves, renumbering, splits and merges."""
    from policydiff.diffing.align import compare
    from policydiff.diffing.changes import ChangeKind

    with open_store(store_path) as store:
        target = store.resolve(ref)
        history = list(reversed(store.revisions(target.slug)))
        history = history[: [r.commit for r in history].index(target.commit) + 1]
        order = {r.version: k for k, r in enumerate(history)}
        previous: Document | None = None
        origin: dict[str, tuple[str, str]] = {}
        for revision in history:
            document = store.model(revision)
            current: dict[str, tuple[str, str]] = {}
            if previous is None:
                first_seen = (revision.version, revision.version)
                current = {c.id: first_seen for _, c in document.clauses()}
            else:
                comparison = compare(previous, document)
                for old_ref, new_ref in comparison.unchanged_pairs:
                    current[new_ref.id] = origin[old_ref.id]
                for change in comparison.changes:
                    olds = [origin[r.id] for r in change.old]
                    for new_ref in change.new:
                        if change.kind is ChangeKind.MOVED:
                            current[new_ref.id] = olds[0]
                        elif change.kind is ChangeKind.ADDED:
                            current[new_ref.id] = (revision.version, revision.version)
                        else:  # modified, split, merged: as old as its oldest part
                            first = min((o[0] for o in olds), key=order.__getitem__)
                            current[new_ref.id] = (first, revision.version)
            origin = current
            previous = document
    assert previous is not None
    by_version = {r.version: r for r in history}
    rows = [
        Blame(s, c, by_version[origin[c.id][0]], by_version[origin[c.id][1]])
        for s, c in previous.clauses()
    ]
    return target, rows


def verify(store_path: Path, against: str | None = None) -> tuple[int, list[str]]:
    """Check a store (and, with `against`, compare it with a copy): (revisions, problems)."""
    import tempfile

    def reread(data: bytes) -> Document:
        with tempfile.NamedTemporaryFile(suffix=".docx") as handle:
            handle.write(data)
            handle.flush()
            return read_docx(handle.name).value

    with open_store(store_path) as store:
        return store.verify(reread, against)


@dataclass(frozen=True, slots=True)
class Checked:
    """What `check` found: a result per document, and the profiles they were checked against
    (each once, in the order first used)."""

    results: list[CheckResult]
    profiles: list[Profile]


def check(
    store_path: Path,
    targets: list[str],
    all_policies: bool,
    profile_name: str | None,
    rules_file: Path | None,
    today: date | None,
    statutory: str | None = None,
) -> Result[Checked]:
    """Check documents (paths or REFs, or the latest revision of every stored policy), each
    against the profile for its kind (rules/kinds.py), or all against `profile_name` or
    `rules_file`. A stored revision a later one replaced is judged as history. With
    `statutory` (a school type: "maintained" or "academy") and `all_policies`, the store is
    also checked for the statutory policies it lacks (rules/statutory.py)."""
    from policydiff.rules.checks import check as run_checks
    from policydiff.rules.load import load_profile

    day = today or date.today()
    if not targets and not all_policies:
        raise PolicydiffError(
            "name the policies to check (.docx files or policy@version), or --all"
        )
    if statutory is not None and not all_policies:
        raise PolicydiffError("--statutory looks at the whole store: use it with --all")
    fixed = None
    if profile_name is not None or rules_file is not None:
        fixed = load_profile(profile_name, rules_file)
    how = f"chosen with --rules {rules_file}" if rules_file else "chosen with --profile"
    results: list[CheckResult] = []
    messages: tuple[Message, ...] = ()
    refs = list(targets)
    with store_if(all_policies or any(is_ref(t) for t in targets), store_path) as store:
        chooser = _chooser(store, fixed, how)
        by_slug: dict[str, list[Revision]] = {}
        if store is not None:
            for revision in store.revisions():  # one git log for every policy, newest first
                by_slug.setdefault(revision.slug, []).append(revision)
        known: dict[str, Revision] = {}  # (refs read from the one git log: not resolved again)
        if all_policies:
            # each policy's latest revision and, where the latest is a draft, the one in force
            from policydiff.store import in_force

            for held in sorted(by_slug):
                refs.append(f"{held}@latest")
                known[f"{held}@latest"] = by_slug[held][0]
                current = in_force(by_slug[held], day.isoformat())
                if current is not None and current.commit != by_slug[held][0].commit:
                    refs.append(f"{held}@{current.version}")
                    known[f"{held}@{current.version}"] = current
        named = set(targets)  # (asked for by name: compared with the revision before too)
        titles = None
        if store is not None:  # (references to other policies: those the store holds)
            titles = tuple(rs[0].title or slug for slug, rs in by_slug.items())
        for target in refs:
            slug: str | None = None
            replaced: date | None = None
            previous: Document | None = None
            if store is not None and is_ref(target):
                revision = known.get(target) or store.resolve(target)
                document = store.model(revision)
                written = date.fromisoformat(revision.effective) if revision.effective else day
                name, slug = f"{revision.slug}@{revision.version}", revision.slug
                replaced = _replaced_on(revision, by_slug.get(revision.slug, []))
                if target in named:
                    older = _before(revision, by_slug.get(revision.slug, []))
                    previous = store.model(older) if older is not None else None
            else:
                result = read_docx(target)
                messages += result.messages
                document = result.value
                written = effective_date(document, None)
                name = target
            profile, why = chooser.choose(slug, document.title)
            results.append(
                run_checks(name, document, profile, day, written, replaced, why, previous, titles)
            )
        used = chooser.used
        if statutory is not None and store is not None:
            from policydiff.rules.statutory import check_store

            found, listed = check_store(by_slug, statutory, day)
            results.append(found)
            used.append(listed)
    return Result(Checked(results, used), messages)


def _chooser(store: Store | None, fixed: Profile | None = None, why: str = "") -> Chooser:
    """The profile chooser for a run: the store's profiles.toml, unless `fixed`."""
    from policydiff.rules.kinds import Chooser
    from policydiff.store import PROFILES_FILE

    if store is None:
        return Chooser(fixed=fixed, fixed_why=why)
    return Chooser(store.profiles(), str(store.path / PROFILES_FILE), fixed, why)


def _before(revision: Revision, newest_first: list[Revision]) -> Revision | None:
    """The revision before `revision` (the next older one), or None."""
    commits = [r.commit for r in newest_first]
    if revision.commit not in commits:
        return None
    at = commits.index(revision.commit)
    return newest_first[at + 1] if at + 1 < len(newest_first) else None


def _replaced_on(revision: Revision, newest_first: list[Revision]) -> date | None:
    """The day a later revision replaced `revision`: the first day a later approved revision
    was both approved and in effect (a draft never approved replaces nothing), or None. For
    a policy none of whose approvals is recorded (history filled in), the day the next
    revision took effect, as `show POLICY@DATE` reads it."""
    recorded = any(r.approval is not None for r in newest_first)
    days = []
    for other in newest_first:
        if other.commit == revision.commit:
            break
        if not other.effective:
            continue
        if other.approval is not None:
            days.append(max(other.effective, other.approval.date))
        elif not recorded:
            days.append(other.effective)
    return date.fromisoformat(min(days)) if days else None


def report_side(document: Document) -> Side:
    """A side of a report for a document read from a file: its name and the day it is
    dated."""
    return _side(document.source, None, document)[0]


def _side(target: str, store: Store | None, document: Document) -> tuple[Side, date]:
    from policydiff.reporting import Side

    if store is not None and is_ref(target):
        revision = store.resolve(target)
        # The minute appears in the report's sign-off block, not beside the version.
        approval = revision.approval.describe(with_minute=False) if revision.approval else None
        day = date.fromisoformat(revision.effective) if revision.effective else date.today()
        return Side(
            f"version {revision.version}", revision.source_name, revision.effective, approval
        ), day
    day = effective_date(document, None)
    name = Path(target).name
    if document.metadata.version:
        name += f", version {document.metadata.version}"
    return Side(name, target, day.isoformat(), None), day


def report_targets(store_path: Path, targets: list[str]) -> tuple[str, str]:
    """OLD and NEW for a report: as given, or for a policy name, the latest revision against
    the latest approved one (or, when the latest is approved or none is, the one before)."""
    if len(targets) == 2:
        return targets[0], targets[1]
    if len(targets) != 1:
        raise PolicydiffError("give two revisions to compare, or one policy name")
    from policydiff.store import check_slug

    slug = check_slug(targets[0])
    with open_store(store_path) as store:
        revisions = store.revisions(slug)
    if len(revisions) < 2:
        raise PolicydiffError(f"{slug} has fewer than two revisions: there is nothing to compare")
    latest = revisions[0]
    approved = next((r for r in revisions[1:] if r.approval is not None), None)
    base = approved or revisions[1]
    return f"{slug}@{base.version}", f"{slug}@{latest.version}"


def report(
    store_path: Path, targets: list[str], today: date | None = None
) -> Result[tuple[Report, Comparison]]:
    """The governors' report: the comparison, the sides, and the new revision's check."""
    from policydiff.diffing.align import compare

    old_target, new_target = report_targets(store_path, targets)
    with store_if(is_ref(old_target) or is_ref(new_target), store_path) as store:
        a, b = load_both(old_target, new_target, store)
        comparison = compare(a.value, b.value)
        built = _build_report(comparison, old_target, new_target, store, today)
    return Result((built, comparison), a.messages + b.messages)


def _build_report(
    comparison: Comparison,
    old_target: str,
    new_target: str,
    store: Store | None,
    today: date | None,
    checked: bool = True,
) -> Report:
    """The report of `comparison`; with `checked`, the new revision's check in it too (the
    Word redline, which shows only the summary, does without)."""
    from policydiff.reporting import SignOff, build_report
    from policydiff.rules.checks import check as run_checks

    signoff = SignOff()
    reason = None
    old_side, _ = _side(old_target, store, comparison.old)
    new_side, written = _side(new_target, store, comparison.new)
    if store is not None and is_ref(new_target):
        revision = store.resolve(new_target)
        reason = revision.note
        if revision.approval is not None:
            approval = revision.approval
            signoff = SignOff(approval.by, approval.date, approval.minute)
    if not checked:
        return build_report(comparison, old_side, new_side, None, "default", signoff, today, reason)
    slug = store.resolve(new_target).slug if store is not None and is_ref(new_target) else None
    profile, why = _chooser(store).choose(slug, comparison.new.title)
    day = today or date.today()
    result = run_checks(new_target, comparison.new, profile, day, written, None, why)
    built = build_report(
        comparison, old_side, new_side, result, profile.name, signoff, today, reason
    )
    if store is None:
        return built
    from policydiff.diffing.references import other_policies

    titles = [r.title or r.slug for r in {r.slug: r for r in store.revisions()}.values()]
    extra = tuple(
        f"{r.label or 'A clause'} ({r.section or 'the opening'}): {r.problem}"
        for r in other_policies(comparison.new, titles)
    )
    return replace(built, references=built.references + extra) if extra else built


def redline(
    store_path: Path,
    targets: list[str],
    output: Path,
    author: str = "policydiff",
    today: date | None = None,
) -> Result[Report]:
    """Write the Word redline of OLD against NEW (.docx paths or store REFs) to `output`: the
    new document with every change marked as a tracked change (`policydiff.redlining`). Returns
    the report it was made with, and notes on anything it could not carry over. Raises
    ReadError for a file that cannot be read, PolicydiffError when `output` cannot be
    written."""
    import tempfile

    from policydiff.redlining import write_redline

    old_target, new_target = report_targets(store_path, targets)
    check_author(author)
    for target in (old_target, new_target):
        if not is_ref(target) and _same_file(Path(target), output):
            raise PolicydiffError(
                f"the redline would overwrite {target}, one of the files compared: "
                "choose another name with -o"
            )
    with (
        store_if(is_ref(old_target) or is_ref(new_target), store_path) as store,
        tempfile.TemporaryDirectory(prefix="policydiff-") as folder,
    ):
        old_file = _source_file(old_target, store, Path(folder) / "old")
        new_file = _source_file(new_target, store, Path(folder) / "new")
        result = write_redline(
            load(old_target, store).value if old_file is None else old_file,
            load(new_target, store).value if new_file is None else new_file,
            output,
            lambda comparison: _build_report(
                comparison, old_target, new_target, store, today, checked=False
            ),
            author=author,
        )
    return result


def check_author(author: str) -> None:
    """A name Word can show on a tracked change: some printable text, no control characters."""
    if not author.strip():
        raise PolicydiffError('--author needs a name, such as "Clerk to Governors"')
    if len(author) > 255 or any(
        (c < " " and c not in "\t") or c in "\ufffe\uffff" or "\ud800" <= c <= "\udfff"
        for c in author
    ):
        raise PolicydiffError(
            "--author must be a name of up to 255 characters, without control characters"
        )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return b.exists() and a.exists() and a.samefile(b)
    except OSError:
        return False


def _source_file(target: str, store: Store | None, folder: Path) -> Path | None:
    """The Word file of a side: the path given, or a stored revision's original copied out
    (None when the store has only its text)."""
    if store is None or not is_ref(target):
        return Path(target)
    revision = store.resolve(target)
    try:
        data = store.source(revision)
    except (KeyError, OSError, ValueError):
        return None
    folder.mkdir()
    path = folder / (Path(revision.source_name).name or "source.docx")
    path.write_bytes(data)
    return path


def status(store_path: Path, today: date | None) -> list[PolicyStatus]:
    """Every policy's status as of `today` (default: today)."""
    from policydiff.status import build_status

    with open_store(store_path) as store:
        return build_status(store, _chooser(store), today or date.today())


def changelog(store_path: Path, since: date | None, until: date | None) -> Changelog:
    from policydiff.annual import build_changelog

    end = until or date.today()
    try:
        start = since or end.replace(year=end.year - 1)
    except ValueError:  # 29 February
        start = end.replace(year=end.year - 1, day=28)
    if start > end:
        raise PolicydiffError("--since is after --until")
    with open_store(store_path) as store:
        return build_changelog(store, start, end)


def publish(
    store_path: Path, out: Path, template_dir: Path | None = None
) -> tuple[list[Path], list[str]]:
    """Write the website pages for the current approved policies; returns (pages, unpublished)."""
    from policydiff.annual import build_published
    from policydiff.render import render

    with open_store(store_path) as store:
        policies, unpublished = build_published(store)
    generated = date.today().isoformat()
    try:
        out.mkdir(parents=True, exist_ok=True)
        pages = [out / "index.html"]
        pages[0].write_text(
            render(
                "publish_index.html.j2",
                {"policies": policies, "generated": generated},
                template_dir,
            )
        )
        for policy in policies:
            page = out / f"{policy.slug}.html"
            context = {
                "policy": policy,
                "sections": [
                    (
                        s,
                        [
                            ("table" if isinstance(x, list) else "clause", x)
                            for x in group_tables(s.clauses)
                        ],
                    )
                    for s in policy.document.walk()
                ],
                "left_out": left_out_sentence(policy.document.left_out),
                "generated": generated,
            }
            page.write_text(render("publish_policy.html.j2", context, template_dir))
            pages.append(page)
    except OSError as error:
        raise PolicydiffError(f"cannot write to {out}: {error.strerror}") from None
    return pages, unpublished


def profiles(store_path: Path, only: str | None = None) -> list[tuple[str, str, str, str]]:
    """(policy, title, profile, why) for every stored policy (or the one named `only`): which
    profile `check` uses. Raises StoreError for a policy the store does not hold."""
    with open_store(store_path) as store:
        if only is not None:
            store.known(only)
        chooser = _chooser(store)
        rows = []
        latest: dict[str, Revision] = {}
        for revision in store.revisions():  # newest first
            latest.setdefault(revision.slug, revision)
        for revision in sorted(latest.values(), key=lambda r: r.slug):
            if only is not None and revision.slug != only:
                continue
            title = revision.title or revision.slug
            chosen, why = chooser.choose(revision.slug, revision.title)
            rows.append((revision.slug, title, chosen.name, why))
        return rows


def set_profile(store_path: Path, policy: str, profile_name: str, by_title: bool) -> str:
    """Record in the store that `policy` (a short name; with `by_title`, a phrase of titles)
    is checked by `profile_name` ("none": by the profile its title picks). Returns what was
    recorded, in words. Raises PolicydiffError for an unknown policy or profile."""
    from policydiff.rules.load import available
    from policydiff.store import check_slug

    known = available()
    if profile_name != "none" and profile_name not in known:
        raise PolicydiffError(
            f"there is no profile '{profile_name}' (there are: {', '.join(known)})"
        )
    with open_store(store_path) as store:
        if by_title:
            phrase = " ".join(policy.split())
            if not phrase or len(phrase) > 100:
                raise PolicydiffError("give a phrase of a title, such as 'online safety'")
            of = f"title: {phrase}"
        else:
            of = check_slug(policy)
            store.known(of)
        store.set_profile(of, "" if profile_name == "none" else profile_name)
    who = f"Policies whose title has '{of[7:]}'" if by_title else of
    if profile_name == "none":
        return f"{who}: checked by the profile its title picks"
    said = f"{who}: checked by the {profile_name} profile (recorded in the store)"
    if by_title:
        caught = [row for row in profiles(store_path) if f"'{of[7:]}' (the store's" in row[3]]
        said += ":" if caught else "; no policy in the store has that phrase in its title yet"
    return said


def _refuse_likely_typo(store: Store, slug: str, title: str | None) -> None:
    """PolicydiffError when `slug` is not in the store but looks like a slip for a policy that
    is: a name one or two letters away, or a policy with the same title."""
    from policydiff.similarity import osa_distance
    from policydiff.store import _same_title

    latest: dict[str, Revision] = {}
    for revision in store.revisions(withdrawn=True):  # (one reading, for names and titles)
        latest.setdefault(revision.slug, revision)
    if slug in latest:
        return
    said = ""
    close = [s for s in latest if len(slug) >= 4 and osa_distance(slug, s, score_cutoff=2) <= 2]
    if close:
        said = f": did you mean '{close[0]}'?"
    elif title:
        for other, revision in sorted(latest.items()):
            if revision.title and _same_title(" ".join(title.split()), revision.title):
                said = f": the store has '{revision.title}' as {other}: did you mean '{other}'?"
                break
    if said:
        raise PolicydiffError(
            f"there is no policy called '{slug}' yet{said} To start a new policy called "
            f"{slug}, say --new-policy"
        )


def update(
    store_path: Path,
    base: str,
    model: str,
    school: str,
    output: Path,
    author: str = "policydiff",
) -> Result[Merge]:
    """Carry the model's revision (`base` -> `model`) into the school's policy `school` (each
    a .docx path or a store REF) and write the school's document with every applied change
    tracked and every conflict commented to `output` (`redlining.update`). Returns the merge.
    Raises ReadError for a file that cannot be read, PolicydiffError for a stored revision
    without its Word file or an `output` that would overwrite an input or cannot be
    written."""
    import tempfile

    from policydiff.redlining.update import write_update

    check_author(author)
    targets = (("base", base), ("model", model), ("school", school))
    for _, target in targets:
        if not is_ref(target) and _same_file(Path(target), output):
            raise PolicydiffError(
                f"the update would overwrite {target}, one of the files it reads: "
                "choose another name with -o"
            )
    with (
        store_if(any(is_ref(t) for _, t in targets), store_path) as store,
        tempfile.TemporaryDirectory(prefix="policydiff-") as folder,
    ):
        files: dict[str, Path] = {}
        for side, target in targets:
            found = _source_file(target, store, Path(folder) / side)
            if found is None:
                raise PolicydiffError(
                    f"{target} is kept only as text, without its Word file: the update needs "
                    "the Word files"
                )
            files[side] = found
        written = write_update(files["base"], files["model"], files["school"], output, author)
    merged = written.value.merge
    named = replace(
        merged,
        base=replace(merged.base, source=base),
        model=replace(merged.model, source=model),
        school=replace(merged.school, source=school),
    )
    return Result(named, written.messages)


def follow(store_path: Path, policy: str, model_ref: str) -> str:
    """Record in the store that `policy`'s latest revision follows the model policy's revision
    `model_ref` ("trust-safeguarding@2"): made from it, or last updated from it. Returns what
    was recorded, in words. Raises StoreError for a policy or revision the store does not
    hold, or a policy named as its own model."""
    with open_store(store_path) as store:
        store.known(policy)
        school = store.resolve(f"{policy}@latest")
        model = store.resolve(model_ref)
        store.follow(school, model)
    return (
        f"{policy} version {school.version} follows the model {model.slug}, version "
        f"{model.version} (recorded in the store)"
    )


def model_update(store_path: Path, policy: str) -> tuple[str, str, str]:
    """The three revisions `policydiff update POLICY` merges, as store REFs: the model's
    revision `policy` follows, the model's latest approved revision, and `policy`'s latest.
    Raises PolicydiffError when `policy` names no model or is up to date with it."""
    with open_store(store_path) as store:
        store.known(policy)
        followed = store.followed(policy)
        if followed is None:
            raise PolicydiffError(
                f"{policy} does not name its model: say which with 'policydiff follow "
                f"{policy} MODEL@VERSION' (the model's version it was made from)"
            )
        newest = next((r for r in store.revisions(followed.model) if r.approval), None)
        if newest is None or newest.version == followed.model_version:
            raise PolicydiffError(
                f"{policy} is up to date with its model {followed.model} (version "
                f"{followed.model_version}): the model has no newer approved revision"
            )
        return (
            f"{followed.model}@{followed.model_version}",
            newest.ref,
            f"{policy}@latest",
        )


def drift(store_path: Path, school: str, model: str) -> Result[Drift]:
    """How the school's policy `school` departs from its model `model` (each a .docx path or
    a store REF), clause by clause. Raises ReadError for a file that cannot be read."""
    from policydiff.diffing.align import compare
    from policydiff.drift import build_drift

    school, model = (_stored_name(store_path, side) for side in (school, model))
    with store_if(is_ref(school) or is_ref(model), store_path) as store:
        model_read = load(model, store)
        school_read = load(school, store)
    comparison = compare(model_read.value, school_read.value)
    return Result(
        build_drift(comparison, school, model), model_read.messages + school_read.messages
    )


def _stored_name(store_path: Path, side: str) -> str:
    """A policy's short name as its latest revision ("safeguarding" -> "safeguarding@latest")
    when it is not a file and the store holds that policy; else `side` as given."""
    if "@" in side or Path(side).exists() or side.endswith(".docx"):
        return side
    from policydiff.store import FORMAT_FILE

    if not (store_path / FORMAT_FILE).is_file():
        return side
    with open_store(store_path) as store:
        return f"{side}@latest" if side in store.slugs() else side
