"""The clerk's annual update and the published policy pages: built from the store's revisions.

Python computes every figure here; the templates only lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from policydiff.diffing.align import compare
from policydiff.model import Document
from policydiff.reporting import summary_sentences
from policydiff.rules.checks import review_due
from policydiff.store import Revision, Store, in_force

DUE_SOON_DAYS = 90  # "due for review": within a term of the end of the period


@dataclass(frozen=True, slots=True)
class RevisionLine:
    version: str
    effective: str
    source: str
    approval: str | None  # "approved by X on D"
    summary: tuple[str, ...]  # what changed since the revision before it
    note: str | None = None  # the clerk's reason for it


@dataclass(frozen=True, slots=True)
class PolicyYear:
    slug: str
    title: str
    revisions: tuple[RevisionLine, ...]  # those in the period, oldest first
    approvals: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReviewLine:
    slug: str
    title: str
    stated: str | None  # as the policy writes it
    due: str | None  # ISO date
    state: str  # "overdue", "due soon", "no review date", "unreadable"


@dataclass(frozen=True, slots=True)
class Changelog:
    since: str
    until: str
    changed: tuple[PolicyYear, ...]
    unchanged: tuple[str, ...]  # titles of policies with no revision in the period
    reviews: tuple[ReviewLine, ...]


def _approval(revision: Revision) -> str | None:
    return revision.approval.describe() if revision.approval is not None else None


def review_line(slug: str, document: Document, until: date) -> ReviewLine | None:
    title = document.title or slug
    stated = document.metadata.next_review
    if stated is None:
        return ReviewLine(slug, title, None, None, "no review date")
    due = review_due(stated)
    if due is None:
        return ReviewLine(slug, title, stated, None, "unreadable")
    if due < until:
        return ReviewLine(slug, title, stated, due.isoformat(), "overdue")
    if due <= until + timedelta(days=DUE_SOON_DAYS):
        return ReviewLine(slug, title, stated, due.isoformat(), "due soon")
    return None


def build_changelog(store: Store, since: date, until: date) -> Changelog:
    """The annual update: each policy with a revision taking effect, or an approval, between
    `since` and `until` (each revision once, a draft said to be one, with the clerk's note and
    what changed since the revision before it), the policies unchanged, and the reviews due.
    Only the revisions in the period are compared, so a store of thousands of revisions costs
    what its year's changes cost."""
    changed: list[PolicyYear] = []
    unchanged: list[str] = []
    reviews: list[ReviewLine] = []
    start, end = since.isoformat(), until.isoformat()
    by_slug: dict[str, list[Revision]] = {}
    for revision in store.revisions():  # one git log for every policy
        by_slug.setdefault(revision.slug, []).append(revision)
    for slug in store.slugs():
        revisions = list(reversed(by_slug.get(slug, [])))  # oldest first
        if not revisions:
            continue
        latest_doc = store.model(revisions[-1])
        title = latest_doc.title or slug
        lines = []
        listed = set()
        for k, r in enumerate(revisions):
            if not (r.effective and start <= r.effective <= end):
                continue
            document = latest_doc if k == len(revisions) - 1 else store.model(r)
            summary = (
                summary_sentences(compare(store.model(revisions[k - 1]), document))
                if k
                else ("First revision kept.",)
            )
            approval = _approval(r) or (
                "a draft, not yet approved" if k == len(revisions) - 1 else "not approved"
            )
            lines.append(RevisionLine(r.version, r.effective, r.source_name, approval, summary,
                                      r.note))  # fmt: skip
            listed.add(r.version)
        approvals = tuple(
            f"Version {r.version} {_approval(r)}"
            for r in revisions
            if r.approval is not None
            and start <= r.approval.date <= end
            and r.version not in listed  # (a revision listed above shows its approval there)
        )
        if lines or approvals:
            changed.append(PolicyYear(slug, title, tuple(lines), approvals))
        else:
            unchanged.append(f"{title} ({slug})")
        line = review_line(slug, latest_doc, until)
        if line is not None:
            reviews.append(line)
    order = {"overdue": 0, "due soon": 1, "unreadable": 2, "no review date": 3}
    reviews.sort(key=lambda r: (order[r.state], r.due or "", r.title))
    return Changelog(start, end, tuple(changed), tuple(unchanged), tuple(reviews))


@dataclass(frozen=True, slots=True)
class PublishedPolicy:
    slug: str
    title: str
    version: str
    approved: str  # ISO date
    approved_by: str
    next_review: str | None
    document: Document
    history: tuple[RevisionLine, ...]  # approved revisions up to this one, newest first


def build_published(store: Store) -> tuple[list[PublishedPolicy], list[str]]:
    """The current approved revision of each policy, with its history (the revisions up to it,
    newest first, what changed said for the current one against the one approved before), and
    the titles of those with none approved yet. One `git log` for all policies and one
    comparison each, so a trust's 2,400 policies publish in seconds."""
    published: list[PublishedPolicy] = []
    unpublished: list[str] = []
    by_slug: dict[str, list[Revision]] = {}
    for revision in store.revisions():
        by_slug.setdefault(revision.slug, []).append(revision)
    for slug in store.slugs():
        revisions = list(reversed(by_slug.get(slug, [])))  # oldest first
        approved = [r for r in revisions if r.approval is not None]
        if not approved:
            unpublished.append((revisions[-1].title if revisions else None) or slug)
            continue
        current = in_force(revisions, date.today().isoformat()) or max(
            approved, key=lambda r: (r.effective, r.approval.date if r.approval else "")
        )  # (approved to take effect later, with none in force yet: the one approved)
        document = store.model(current)
        upto = revisions[: revisions.index(current) + 1]
        before = [r for r in upto[:-1] if r.approval is not None] or upto[:-1]
        summary = (
            summary_sentences(compare(store.model(before[-1]), document))
            if before
            else ("First revision kept.",)
        )
        lines = tuple(
            RevisionLine(r.version, r.effective, r.source_name, _approval(r),
                         summary if r is current else ())
            for r in reversed(upto)
        )  # fmt: skip
        assert current.approval is not None
        published.append(
            PublishedPolicy(
                slug=slug,
                title=document.title or slug,
                version=current.version,
                approved=current.approval.date,
                approved_by=current.approval.by,
                next_review=document.metadata.next_review,
                document=document,
                history=lines,
            )
        )
    published.sort(key=lambda p: p.title.casefold())
    return published, unpublished
