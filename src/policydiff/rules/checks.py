"""One checker per rule type, over the document model. Pure: no I/O.

Findings are plain records. A policy is judged as the one in force on the day given: citing a
law replaced before that day fails; a stored revision that a later one replaced is history.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from policydiff.facts import long_date, parse_period
from policydiff.model import BODY, Document, Section
from policydiff.outline import fold, split_typed_label
from policydiff.rules.load import Profile, Rule, RuleType, Severity
from policydiff.similarity import osa_distance


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    section: str | None = None
    label: str | None = None
    evidence: str | None = None


@dataclass(frozen=True, slots=True)
class Passed:
    """A rule a document satisfies, with the evidence: which section is the required one."""

    rule: str
    message: str  # "definitions: section 1 'Definitions'"
    section: str | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What checking one document found: its findings, in the order of the profile's rules,
    and the required sections it has, with the section that satisfied each."""

    target: str
    title: str | None
    findings: tuple[Finding, ...]
    profile: str = "default"  # the name of the rule profile it was checked against
    passes: tuple[Passed, ...] = ()
    chosen_by: str = ""  # why this profile: "chosen with --profile", "its title ...", ...

    @property
    def passed(self) -> bool:
        """No finding of severity error."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """This result as the `policydiff.check/1` JSON contract (what `policydiff check
        --format json` prints for one document)."""
        from policydiff.rules.export import SCHEMA, result_json

        return {"schema": SCHEMA, "profile": self.profile, "results": [result_json(self)]}


# -- section titles -------------------------------------------------------------------------

_STOP = {"of", "the", "and", "this", "a", "an", "for", "on", "to", "in", "with", "our", "its"}
MAX_GAP = 1  # words allowed between two words of a name ("allegations against members of staff")


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@functools.lru_cache(maxsize=65_536)  # each title is matched against many names
def title_words(title: str) -> tuple[str, ...]:
    """A section title as words: numbering dropped, case and punctuation ignored, stemmed."""
    _, text = split_typed_label(title.strip())
    words = re.findall(r"[a-z0-9]+", text.casefold().replace("&", " and "))
    return tuple(_stem(w) for w in words if w not in _STOP)


SECTION_TYPOS = 5  # the shortest word of a section's name a typo is allowed in
TITLE_TYPOS = 9  # ... of a policy's title: "Young Carers" is not "Careers", "Safegaurding" is


def _same_word(want: str, have: str, typos: int = SECTION_TYPOS) -> bool:
    """The same word, or the same with one typo (a letter added, dropped, changed or two
    swapped) after the first letter, in a word of `typos` letters or more ("esafety" is not
    "safety")."""
    if want == have:
        return True
    return (
        len(want) >= typos and want[0] == have[:1] and osa_distance(want, have, score_cutoff=1) <= 1
    )


def _phrase_spans(
    wanted: tuple[str, ...], words: tuple[str, ...], typos: int = SECTION_TYPOS
) -> list[tuple[int, int]]:
    """Where the words of a name stand in a title's words, in order: (first, last + 1) of each
    place, at most MAX_GAP other words between two of its words."""
    spans = []
    for start, word in enumerate(words):
        if not _same_word(wanted[0], word, typos):
            continue
        at = start
        for want in wanted[1:]:
            following = range(at + 1, min(at + 2 + MAX_GAP, len(words)))
            at = next((k for k in following if _same_word(want, words[k], typos)), -1)
            if at < 0:
                break
        if at >= 0:
            spans.append((start, at + 1))
    return spans


def title_match(
    title: str | None,
    names: Iterable[str],
    unless: Iterable[str] = (),
    typos: int = SECTION_TYPOS,
) -> str | None:
    """The first of `names` a section title is, or None (see `_title_match`)."""
    if not title:
        return None
    return _title_match(title, tuple(names), tuple(unless), typos)


@functools.lru_cache(maxsize=65_536)  # (a store's policies share most of their titles)
def _title_match(
    title: str, names: tuple[str, ...], unless: tuple[str, ...], typos: int
) -> str | None:
    """The first of `names` a section title is, or None. A name is a phrase: its words in
    order, each allowing one typo, with other words around it ("5. Definitions used in this
    policy" is "definitions"; "Disciplinery action" is "disciplinary action"; "Data
    protection principles" is not "protecting data"). The words of a title that are one of
    `unless` ("site security") are not read. A name starting with "=" is the whole title
    ("=security": a section called just "Security", not "Site security"); one starting with
    "re:" is a regular expression over the title; one of `unless` starting with "*" makes a
    title holding it no match at all ("*abuse": "Abuse: definitions" is not "definitions").
    `typos` is the shortest word a typo is allowed in (`TITLE_TYPOS` for policies' titles)."""
    if not title:
        return None
    words = title_words(title)
    for phrase in unless:
        if phrase.startswith("*"):
            if _phrase_spans(title_words(phrase[1:]), words, typos):
                return None
            continue
        for first, last in _phrase_spans(title_words(phrase), words, typos):
            words = words[:first] + ("",) * (last - first) + words[last:]
    for name in names:
        if name.startswith("re:"):
            if re.search(name[3:], fold(title), re.IGNORECASE):
                return name
            continue
        if name.startswith("="):
            wanted = title_words(name[1:])
            if wanted and len(wanted) == len(words) and _phrase_spans(wanted, words, typos):
                return name
            continue
        wanted = title_words(name)
        if wanted and _phrase_spans(wanted, words, typos):
            return name
    return None


def title_matches(title: str | None, names: Iterable[str], unless: Iterable[str] = ()) -> bool:
    """Whether a section title is one of `names` (see `title_match`)."""
    return title_match(title, names, unless) is not None


def _mentions(section: Section, phrases: tuple[str, ...]) -> bool:
    """Whether the section (its title, clauses or subsections) uses one of `phrases`, whole
    words, case ignored."""
    wanted = [re.compile(r"\b" + re.escape(fold(p)) + r"\b", re.IGNORECASE) for p in phrases]
    for part in section.walk():
        for text in (part.title or "", *(c.text for c in part.clauses)):
            if any(w.search(fold(text)) for w in wanted):
                return True
    return False


# What a template leaves in a section not yet written: "[To be completed]", "TBC", "Insert ...".
_PLACEHOLDER = re.compile(
    r"[\[(]?\s*(?:to\s+be\s+(?:completed|confirmed|added|written|agreed)|tbc|tbd|tba|n/?a|"
    r"insert\b.*|add\b.*\bhere|\.{3,}|_{3,}|x{3,})\s*[\])]?\.?",
    re.IGNORECASE,
)


def _has_clauses(section: Section) -> bool:
    """Whether a section (or a subsection) holds text: a placeholder ("[To be completed]")
    or an empty table row is not text."""
    return any(
        clause.text.strip() and not _PLACEHOLDER.fullmatch(clause.text.strip())
        for part in section.walk()
        for clause in part.clauses
    )


# -- checkers -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Context:
    document: Document
    today: date
    written: date  # when the document was written or took effect
    replaced: date | None = None  # when a later revision replaced it, for a stored revision
    previous: Document | None = None  # the revision before it, for stale cross-references
    policies: tuple[str, ...] | None = None  # the titles of the store's policies, if any
    passes: list[Passed] = field(default_factory=list)
    _scopes: dict[tuple[str, ...], tuple[list[InScope], str]] = field(default_factory=dict)

    def scope(self, rule: Rule) -> tuple[list[InScope], str]:
        """The clauses a rule looks at, and their normalised text joined: made once for all
        the rules with the same scope (most look at the whole policy)."""
        found = self._scopes.get(rule.section)
        if found is None:
            clauses = list(_clauses_in_scope(rule, self.document))
            whole = "\n".join(_normalise(text) for _, _, text in clauses)
            found = self._scopes[rule.section] = (clauses, whole)
        return found


InScope = tuple[Section, str | None, str]  # (section, label, text) of a clause a rule reads


Checker = Callable[[Rule, Context], list[Finding]]


def _say(rule: Rule, **values: str | None) -> str:
    class Blank(dict[str, str]):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    return rule.message.format_map(Blank({k: v or "" for k, v in values.items()}))


def where(section: Section) -> str:
    """A section as a reader finds it: "section 4 'Data security'", or "the section 'Data
    security'" when it has no number."""
    title = " ".join((section.title or "").split())
    return f"section {section.label} '{title}'" if section.label else f"the section '{title}'"


# Sections that list other documents: a heading under "Related policies" ("Disciplinary
# procedure", "Data Protection Policy") names another policy, not a section of this one.
REFERENCE_SECTIONS = (
    "related policies", "related documents", "related procedures", "related guidance",
    "links with other policies", "linked policies", "associated policies", "associated documents",
    "other relevant policies", "other policies", "relevant policies", "references",
    "legislation and guidance", "further information", "useful links",
)  # fmt: skip


# A heading that names a document: "Disciplinary Procedure", "Information Security Policy".
_DOCUMENT_NAME = re.compile(
    r"\b(?:polic(?:y|ies)|procedures?|guidance|code\s+of\s+(?:conduct|practice)|handbook|"
    r"plan|statement|framework|protocol|regulations|act(?:\s+\d{4})?)\s*$",
    re.IGNORECASE,
)


def own_sections(document: Document) -> Iterator[Section]:
    """The body's sections that can be one a rule requires: not those under a heading that
    lists other documents (`REFERENCE_SECTIONS`), nor the unnumbered headings that follow
    such a heading (its list, written as bold lines), nor page headers and footers."""

    def walk(siblings: tuple[Section, ...]) -> Iterator[Section]:
        listing = False
        for section in siblings:
            if section.part != BODY:
                continue
            if listing and section.label is None and _DOCUMENT_NAME.search(section.title or ""):
                continue  # (an unnumbered heading naming a document, after a list of them)
            listing = title_match(section.title, REFERENCE_SECTIONS) is not None
            yield section
            if not listing:  # (a list's sub-headings name other documents)
                yield from walk(section.children)

    yield from walk(document.sections)


def _short_of(rule: Rule, section: Section, why: str) -> Finding:
    """The rule's finding for a section found by name that does not do its job."""
    message = _say(rule) + f" ({where(section)} {why})"
    return Finding(rule.id, rule.severity, message, section=section.title, label=section.label)


def _required_section(rule: Rule, ctx: Context) -> list[Finding]:
    found = [
        s for s in own_sections(ctx.document) if title_matches(s.title, rule.names, rule.unless)
    ]
    if not found:
        return [Finding(rule.id, rule.severity, _say(rule))]
    if rule.mentions:  # ("Roles and responsibilities" is the DSL's section if it names the DSL)
        named = [s for s in found if _mentions(s, rule.mentions)]
        if not named:
            said = " or ".join(f"'{m}'" for m in rule.mentions[:3])
            return [_short_of(rule, found[0], f"does not name {said}")]
        found = named
    if rule.non_empty:
        found = [s for s in found if _has_clauses(s)] or found[:1]
        if not _has_clauses(found[0]):
            return [_short_of(rule, found[0], "is empty")]
    name = rule.id.split("/", 1)[-1].replace("-", " ")
    ctx.passes.append(Passed(rule.id, f"{name}: {where(found[0])}", found[0].title, found[0].label))
    return []


def _clauses_in_scope(rule: Rule, document: Document) -> Iterable[tuple[Section, str | None, str]]:
    """(section, label, text) of every clause the rule looks at, section titles included."""
    scoped = list(document.sections)
    if rule.section:
        scoped = [s for s in document.walk() if title_matches(s.title, rule.section)]
    seen: set[str] = set()
    for top in scoped:
        for section in top.walk():
            if section.id in seen:
                continue
            seen.add(section.id)
            if section.title:
                yield section, section.label, section.title
            for clause in section.clauses:
                yield section, clause.label, clause.text
                for note in clause.notes:  # a law is often cited in a footnote
                    yield section, note.label, note.text


@functools.lru_cache(maxsize=65_536)  # every phrase rule looks at every clause
def _normalise(text: str) -> str:
    for curly, straight in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(curly, straight)
    return fold(text).casefold()


@functools.cache
def _required_words(patterns: tuple[re.Pattern[str], ...]) -> tuple[tuple[str, ...], ...] | None:
    """For each pattern, the words every match of it contains, casefolded: the runs of plain
    letters it spells out at its top level (data, protection, act, 1998 for
    'Data\\s+Protection\\s+Act\\s+1998'). None when a pattern has none (an alternation at
    the top, say). Text that lacks a word of each pattern cannot match, and looking for words
    is far cheaper than running the patterns over every clause of a handbook."""
    # The standard library's own parser of patterns: exact, where reading the pattern's text
    # by hand would guess. Private; should it change, we only lose speed.
    try:
        parser: Any = importlib.import_module("re._parser")
    except ImportError:
        return None
    required = []
    for pattern in patterns:
        runs = [""]
        try:
            for op, value in parser.parse(pattern.pattern, pattern.flags):
                if op is parser.LITERAL and value < 128 and chr(value).isalnum():
                    runs[-1] += chr(value)
                else:
                    runs.append("")
        except Exception:  # any surprise only means no shortcut
            return None
        words = tuple(dict.fromkeys(run.casefold() for run in runs if len(run) >= 2))
        if not words:
            return None
        required.append(words)
    return tuple(required)


def _may_match(required: tuple[tuple[str, ...], ...] | None, plain: str) -> bool:
    """Whether normalised text holds every word of one of a rule's patterns. Casefolding keeps
    every letter a case-blind pattern takes for an ASCII one but the dotless i, which it
    leaves alone."""
    if required is None or "\u0131" in plain:
        return True
    return any(all(word in plain for word in words) for words in required)


def _matches(rule: Rule, text: str) -> list[str]:
    found: list[str] = []
    plain = _normalise(text)
    if rule.patterns and _may_match(_required_words(rule.patterns), plain):
        found = [m.group(0) for p in rule.matchers for m in p.finditer(text)]
    if rule.phrases:
        found += [phrase for phrase in rule.phrases if _normalise(phrase) in plain]
    return found


def _found(rule: Rule, ctx: Context) -> Iterator[tuple[Section, str | None, str]]:
    """(section, label, first thing found) for each clause in the rule's scope where its
    patterns or phrases find something. The whole scope is searched for the rule's words
    first: most policies cite none of the laws a rule looks for."""
    scope, whole = ctx.scope(rule)
    if not (rule.patterns and _may_match(_required_words(rule.patterns), whole)) and not any(
        _normalise(phrase) in whole for phrase in rule.phrases
    ):
        return
    for section, label, text in scope:
        found = _matches(rule, text)
        if found:
            yield section, label, found[0]


def _required_phrase(rule: Rule, ctx: Context) -> list[Finding]:
    hit = next(_found(rule, ctx), None)
    if hit is not None:
        section, label, evidence = hit
        place = where(section) if section.title else "the opening"
        name = rule.id.split("/", 1)[-1].replace("-", " ")
        ctx.passes.append(
            Passed(rule.id, f"{name}: '{evidence}' in {place}", section.title, label or None)
        )
        return []
    scope = None
    if rule.section:
        sections = [s for s in ctx.document.walk() if title_matches(s.title, rule.section)]
        scope = sections[0].title if sections else None
    return [Finding(rule.id, rule.severity, _say(rule), section=scope)]


def _forbidden_phrase(rule: Rule, ctx: Context) -> list[Finding]:
    findings = []
    for section, label, evidence in _found(rule, ctx):
        findings.append(
            Finding(
                rule.id,
                rule.severity,
                _say(rule, found=evidence),
                section.title,
                label,
                evidence,
            )
        )
    return findings


def _outdated_reference(rule: Rule, ctx: Context) -> list[Finding]:
    """A replaced law is judged as of `today` for a policy in force (or a file): cited after
    it was replaced, it is the rule's severity; not yet replaced on that day, it is current.
    A stored revision a later one replaced is history: said, as information, with the
    period it was out of date."""
    findings = []
    superseded = rule.superseded or date.min
    replaced = ctx.replaced if ctx.replaced is not None and ctx.replaced <= ctx.today else None
    for section, label, evidence in _found(rule, ctx):
        if replaced is None and ctx.today < superseded:
            continue  # current law on the day judged
        if replaced is None:
            values = {
                "found": evidence,
                "replaced_by": rule.replaced_by,
                "superseded": long_date(superseded),
            }
            message, severity = _say(rule, **values), rule.severity
        elif superseded < replaced:
            message = (
                f"Cites {evidence}, which was replaced on {long_date(superseded)} by "
                f"{rule.replaced_by}: this revision was out of date from {long_date(superseded)} "
                f"until it was replaced on {long_date(replaced)}."
            )
            severity = Severity.INFO
        else:
            continue  # replaced before the law was: it was never out of date
        findings.append(Finding(rule.id, severity, message, section.title, label, evidence))
    return findings


def review_due(stated: str) -> date | None:
    """The last day a stated review date allows: "March 2025" runs to 31 March 2025."""
    period = parse_period(stated)
    return period[1] if period else None


def _review_date(rule: Rule, ctx: Context) -> list[Finding]:
    stated = ctx.document.metadata.next_review
    if stated is None:
        message = rule.missing_message or "The policy does not say when it is next to be reviewed."
        return [Finding(rule.id, rule.missing_severity, message)]
    due = review_due(stated)
    if due is None:
        return [
            Finding(
                rule.id,
                Severity.WARNING,
                f"The policy gives its next review as '{stated}', which is not a date: "
                "state a month and year.",
                evidence=stated,
            )
        ]
    if due < ctx.today:
        message = _say(rule, found=stated, due=long_date(due), today=long_date(ctx.today))
        if ctx.replaced is not None and ctx.replaced <= ctx.today:
            # (a revision a later one replaced: its review date is history, not a failure)
            message = (
                f"Its next review was due by {long_date(due)} ('{stated}'); it was replaced on "
                f"{long_date(ctx.replaced)}."
            )
            return [Finding(rule.id, Severity.INFO, message, evidence=stated)]
        return [Finding(rule.id, rule.severity, message, evidence=stated)]
    ctx.passes.append(Passed(rule.id, f"next review: '{stated}', due by {long_date(due)}"))
    return []


_FIELD_NAMES = {
    "approved": "the date it was approved",
    "approved_by": "who approved it",
    "version": "its version",
    "next_review": "its next review date",
}


def _metadata(rule: Rule, ctx: Context) -> list[Finding]:
    missing = [f for f in rule.fields if getattr(ctx.document.metadata, f) is None]
    if not missing:
        said = "; ".join(
            f"{_FIELD_NAMES[f]}: '{getattr(ctx.document.metadata, f)}'" for f in rule.fields
        )
        ctx.passes.append(Passed(rule.id, f"the policy states {said}"))
        return []
    listed = " and ".join(_FIELD_NAMES[f] for f in missing)
    return [Finding(rule.id, rule.severity, _say(rule, missing=listed))]


def _cross_reference(rule: Rule, ctx: Context) -> list[Finding]:
    """References to a part the policy does not have; with the revision before, references
    its renumbering left pointing elsewhere (diffing/references.py)."""
    from policydiff.diffing.references import dangling, references

    if ctx.previous is not None:
        from policydiff.diffing.align import compare

        found = references(compare(ctx.previous, ctx.document))
    else:
        found = dangling(ctx.document)
    if ctx.policies is not None:
        from policydiff.diffing.references import other_policies

        found += other_policies(ctx.document, list(ctx.policies))
    return [
        Finding(
            rule.id,
            rule.severity,
            r.problem + (f"; it should probably read {r.should_read}" if r.should_read else ""),
            r.section,
            r.label,
            r.text,
        )
        for r in found
    ]


CHECKERS: dict[RuleType, Checker] = {
    RuleType.REQUIRED_SECTION: _required_section,
    RuleType.REQUIRED_PHRASE: _required_phrase,
    RuleType.FORBIDDEN_PHRASE: _forbidden_phrase,
    RuleType.OUTDATED_REFERENCE: _outdated_reference,
    RuleType.REVIEW_DATE: _review_date,
    RuleType.METADATA: _metadata,
    RuleType.CROSS_REFERENCE: _cross_reference,
}


def check(
    target: str,
    document: Document,
    profile: Profile,
    today: date,
    written: date,
    replaced: date | None = None,
    chosen_by: str = "",
    previous: Document | None = None,
    policies: tuple[str, ...] | None = None,
) -> CheckResult:
    """Run every rule of `profile` on `document` (named `target`) as on the day `today`.

    `written` is the day the document was written or took effect; `replaced`, for a stored
    revision a later one superseded, the day that one took effect (its own findings are then
    history). `chosen_by` says why `profile` was chosen, for the reader."""
    ctx = Context(document, today, written, replaced, previous, policies)
    findings = [f for rule in profile.rules for f in CHECKERS[rule.type](rule, ctx)]
    return CheckResult(
        target, document.title, tuple(findings), profile.name, tuple(ctx.passes), chosen_by
    )
