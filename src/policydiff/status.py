"""The clerk's one screen: every policy, the version in force, the draft waiting, the next
review and whether the latest revision passes its check. Pure: built from the store's
revisions and models; printed by `writers`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from policydiff.facts import long_date, term
from policydiff.rules.checks import check, review_due
from policydiff.rules.kinds import Chooser
from policydiff.rules.load import Severity
from policydiff.store import Revision, Store
from policydiff.store import in_force as in_force_on

SCHEMA = "policydiff.status/1"


@dataclass(frozen=True, slots=True)
class PolicyStatus:
    slug: str
    title: str
    in_force: Revision | None  # the latest revision approved on or before the day
    draft: Revision | None  # a later revision not yet approved
    next_review: str | None  # as the policy in force (or the draft) states it
    due: date | None  # the last day that allows
    review: str  # "overdue", "due this term", "ok", "no review date", "unreadable"
    check_errors: tuple[str, ...]  # the latest revision's check errors
    model: str | None = None  # the model policy it follows (`policydiff follow`)
    model_version: str | None = None  # ... the model's version it was made or updated from
    model_newer: Revision | None = None  # the model's newer approved revision, if any

    def as_json(self) -> dict[str, Any]:
        return {
            "policy": self.slug,
            "title": self.title,
            "in_force": None if self.in_force is None else self.in_force.as_json(),
            "draft": None if self.draft is None else self.draft.as_json(),
            "next_review": self.next_review,
            "due": None if self.due is None else self.due.isoformat(),
            "review": self.review,
            "check_passed": not self.check_errors,
            "check_errors": list(self.check_errors),
            "model": None
            if self.model is None
            else {
                "policy": self.model,
                "follows": self.model_version,
                "newer": None if self.model_newer is None else self.model_newer.as_json(),
            },
        }


def term_end(day: date) -> date:
    """The last day of the school term `day` falls in (`facts.term`); in the summer holiday,
    of the autumn term ahead."""
    for name in ("spring", "summer", "autumn"):
        first, last = term(name, day.year)
        if first <= day <= last:
            return last
    return term("autumn", day.year)[1]  # (August)


def build_status(store: Store, chooser: Chooser, today: date) -> list[PolicyStatus]:
    """The status of every policy in `store` as of `today`, in the order of their titles: the
    revisions added or in effect by that day and the approvals made by then (a policy with none yet
    is left out). One `git log` for all revisions; one model read and one check per policy."""
    by_slug: dict[str, list[Revision]] = {}
    for revision in store.revisions():
        by_slug.setdefault(revision.slug, []).append(revision)
    out = []
    day = today.isoformat()
    this_term = term_end(today)
    for slug, every in by_slug.items():  # each newest first
        # (as of `today`: the revisions added or in effect by then, approvals made by then)
        revisions = [
            r for r in every if r.ingested[:10] <= day or (r.effective and r.effective <= day)
        ]
        if not revisions:
            continue
        in_force = in_force_on(revisions, day)
        latest = revisions[0]
        approved_then = latest.approval is not None and latest.approval.date <= day
        draft = latest if not approved_then and latest is not in_force else None
        document = store.model(latest)
        shown = store.model(in_force) if in_force is not None and draft else document
        stated = shown.metadata.next_review
        due = review_due(stated) if stated else None
        if stated is None:
            review = "no review date"
        elif due is None:
            review = "unreadable"
        elif due < today:
            review = "overdue"
        elif due <= this_term:
            review = "due this term"
        else:
            review = "ok"
        written = date.fromisoformat(latest.effective) if latest.effective else today
        profile, why = chooser.choose(slug, document.title)
        result = check(latest.ref, document, profile, today, written, None, why)
        errors = tuple(f.message for f in result.findings if f.severity is Severity.ERROR)
        title = latest.title or document.title or slug
        followed = store.followed(slug)
        newer = None
        if followed is not None:
            newer = next(
                (
                    r
                    for r in by_slug.get(followed.model, [])
                    if r.approval is not None and r.approval.date <= day
                ),
                None,
            )
            if newer is not None and newer.version == followed.model_version:
                newer = None
        out.append(
            PolicyStatus(
                slug,
                title,
                in_force,
                draft,
                stated,
                due,
                review,
                errors,
                followed.model if followed else None,
                followed.model_version if followed else None,
                newer,
            )  # fmt: skip
        )
    out.sort(key=lambda s: (s.title.lower(), s.slug))
    return out


def in_term(day: date) -> bool:
    """Whether `day` falls in a school term (not the summer holiday)."""
    return any(term(name, day.year)[0] <= day <= term(name, day.year)[1]
               for name in ("spring", "summer", "autumn"))  # fmt: skip


def describe_due(status: PolicyStatus, today: date | None = None) -> str:
    """The review column, in words; in the summer holiday, a review due by the end of the
    autumn term is "due next term"."""
    if status.review == "no review date":
        return "no review date stated"
    if status.review == "unreadable":
        return f"'{status.next_review}' is not a date"
    assert status.due is not None
    when = long_date(status.due)
    return {
        "overdue": f"OVERDUE (due by {when})",
        "due this term": (
            f"due this term (by {when})"
            if today is None or in_term(today)
            else f"due next term (by {when})"
        ),
    }.get(status.review, f"by {when}")
