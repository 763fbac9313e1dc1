"""The statutory policies a school must have, and whether a store holds each, reviewed in time.

The list is data (policies/lists/statutory.toml), from the Department for Education's
"Statutory policies for maintained schools" and "Statutory policies for trusts"; each entry
says which school types it applies to, who approves it and how often it is reviewed. A stored
policy is taken for a statutory one when its title (or short name) has one of the entry's
phrases, matched as section names are (rules/checks.py `title_match`).
"""

from __future__ import annotations

import calendar
import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from policydiff.errors import RuleFileError
from policydiff.facts import long_date
from policydiff.rules.checks import TITLE_TYPOS, CheckResult, Finding, Passed, title_match
from policydiff.rules.kinds import list_file
from policydiff.rules.load import Profile, Rule, RuleType, Severity

if TYPE_CHECKING:
    from policydiff.store import Revision

SCHOOL_TYPES = ("maintained", "academy")


@dataclass(frozen=True, slots=True)
class Statutory:
    """One statutory policy: its name, the title phrases that name it, the school types and
    phase it applies to, who approves it, its review cycle (months) and its guidance."""

    id: str
    name: str
    names: tuple[str, ...]
    unless: tuple[str, ...]  # title phrases of other policies that share a name's words
    schools: tuple[str, ...]
    phase: str | None
    approved_by: str
    review_months: int
    guidance: str


@dataclass(frozen=True, slots=True)
class StatutoryList:
    policies: tuple[Statutory, ...]
    guidance: str  # the DfE pages it comes from
    source: str  # their address
    read: date  # the day it was checked against them


def _id(name: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in name.casefold()).split()
    return "statutory/" + "-".join(words[:6])


@functools.cache
def load() -> StatutoryList:
    """The built-in list. Raises RuleFileError when it is missing or malformed."""
    path = list_file("statutory.toml")
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise RuleFileError(where, f"is not valid TOML ({error})") from None
    policies = []
    for raw in data.get("policy", []):
        try:
            policies.append(_entry(raw))
        except (KeyError, TypeError, ValueError) as error:
            raise RuleFileError(where, f"has a policy without a valid {error}") from None
    if not policies or not isinstance(data.get("read"), date):
        raise RuleFileError(where, "needs policies, a source and the date it was read")
    return StatutoryList(tuple(policies), str(data["guidance"]), str(data["source"]), data["read"])


def _entry(raw: Mapping[str, Any]) -> Statutory:
    schools = tuple(str(s) for s in raw["schools"])
    if not schools or any(s not in SCHOOL_TYPES for s in schools):
        raise ValueError("schools")
    months = raw["review_months"]
    if not isinstance(months, int) or not 1 <= months <= 120:
        raise ValueError("review_months")
    return Statutory(
        id=_id(str(raw["name"])),
        name=str(raw["name"]),
        names=tuple(str(n) for n in raw["names"]),
        unless=tuple(str(n) for n in raw.get("unless", ())),
        schools=schools,
        phase=str(raw["phase"]) if "phase" in raw else None,
        approved_by=str(raw["approved_by"]),
        review_months=months,
        guidance=str(raw["guidance"]),
    )


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def profile(listed: StatutoryList) -> Profile:
    """The list as a profile, so that reports in SARIF and JUnit name each policy as a rule."""
    rules = tuple(
        Rule(
            id=s.id,
            type=RuleType.STATUTORY_POLICY,
            severity=Severity.ERROR,
            message=f"The store has no policy on {_lower(s.name)}.",
            description=f"{s.guidance}; approved by {s.approved_by}.",
            names=s.names,
            source=listed.source,
        )
        for s in listed.policies
    )
    return Profile("statutory", f"{listed.guidance}, read {long_date(listed.read)}", rules)


def check_store(
    by_slug: Mapping[str, list[Revision]], school_type: str, today: date
) -> tuple[CheckResult, Profile]:
    """Which statutory policies a store lacks, and which are past their review cycle.

    `by_slug`: each stored policy's revisions, newest first; `school_type`: "maintained",
    "academy" or "any" (only the policies every school type must have); `today`: the day to
    judge review cycles by. A missing policy is an error; one with no approved revision, or
    approved longer ago than its cycle, a warning; one for a single phase (careers:
    secondary) is information when missing. Returns the result (target "the store") and the
    list as a profile. Source: policies/lists/statutory.toml (DfE)."""
    listed = load()
    findings: list[Finding] = []
    passes: list[Passed] = []
    for entry in listed.policies:
        if school_type == "any" and set(entry.schools) != set(SCHOOL_TYPES):
            continue
        if school_type != "any" and school_type not in entry.schools:
            continue
        held = _held(entry, by_slug)
        if held is None:
            severity = Severity.ERROR if entry.phase is None else Severity.INFO
            who = f"{entry.phase} schools" if entry.phase else _who(school_type)
            findings.append(
                Finding(
                    entry.id,
                    severity,
                    f"The store has no policy on {_lower(entry.name)}, which {who} must "
                    f"have ({entry.guidance}).",
                )
            )
            continue
        slug, revisions = held
        title = revisions[0].title or slug
        approved = next((r for r in revisions if r.approval is not None), None)
        said = f"{slug} '{title}'"
        if approved is None or approved.approval is None:
            findings.append(
                Finding(
                    entry.id,
                    Severity.WARNING,
                    f"{entry.name}: {said} has no approved revision; it is approved by "
                    f"{entry.approved_by}.",
                )
            )
            continue
        when = date.fromisoformat(approved.approval.date)
        due = _add_months(when, entry.review_months)
        cycle = _cycle(entry.review_months)
        if due < today:
            findings.append(
                Finding(
                    entry.id,
                    Severity.WARNING,
                    f"{entry.name}: {said} was last approved on {long_date(when)}; it is "
                    f"reviewed {cycle}, so a review was due by {long_date(due)}.",
                )
            )
        else:
            passes.append(
                Passed(
                    entry.id,
                    f"{entry.name}: {said}, approved {long_date(when)}, next due by "
                    f"{long_date(due)} (reviewed {cycle})",
                    said,
                )
            )
    target = f"the store ({_who(school_type)})"
    chosen = f"{listed.guidance}, read {long_date(listed.read)}"
    result = CheckResult(target, None, tuple(findings), "statutory", tuple(passes), chosen)
    return result, profile(listed)


def _held(
    entry: Statutory, by_slug: Mapping[str, list[Revision]]
) -> tuple[str, list[Revision]] | None:
    for slug, revisions in sorted(by_slug.items()):
        title = revisions[0].title if revisions else None
        if any(
            title_match(said, entry.names, entry.unless, typos=TITLE_TYPOS)
            for said in (title, slug.replace("-", " "))
        ):
            return slug, revisions
    return None


def _who(school_type: str) -> str:
    return {
        "maintained": "every maintained school",
        "academy": "every academy",
    }.get(school_type, "every school")


def _cycle(months: int) -> str:
    if months % 12 == 0:
        years = months // 12
        return "every year" if years == 1 else f"every {years} years"
    return f"every {months} months"


def _lower(name: str) -> str:
    """A name as it reads in a sentence: "Admission arrangements" -> "admission arrangements",
    "SEN information report" kept."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name
