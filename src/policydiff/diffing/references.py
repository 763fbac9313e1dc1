"""Cross-references ("see section 4.2", "paragraph 3.1 above", "Appendix B") found in a new
revision and checked against what they pointed to in the old one.

A reference whose clause kept it word for word, while its target was renumbered, now points to
another clause (or none): a finding, with the label it should probably read. One to a clause the
new revision removed, or to a label the new revision does not have, is a finding too. A
reference renumbered with its target is right (and its change editorial: diffing/nature.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from policydiff.diffing.changes import ClauseRef, Comparison
from policydiff.diffing.nature import label_map
from policydiff.model import Clause, Document, Section

_REFERENCE = re.compile(
    r"\b(?P<kind>sections?|paragraphs?|paras?\.?|clauses?|parts?|appendix|appendices|annex|"
    r"schedule)\s+(?P<label>\d+(?:\.\d+)*|[A-Z]\b)",
    re.IGNORECASE,
)
# After a reference, what makes it another document's: "of the Equality Act", "of KCSIE".
_ELSEWHERE = re.compile(r"\s*,?\s*(?:of|in|under)\s+(?:the\s+)?[A-Z\u2018\u201c'\"]")
_TITLED = re.compile(r"^\s*(?P<kind>appendix|annex|schedule|part)\s+(?P<label>[A-Z0-9]+)\b",
                     re.IGNORECASE)  # fmt: skip


_CUES = ("sect", "para", "claus", "part", "appendi", "annex", "schedul")


def _citations(document: Document) -> Iterator[tuple[Section, Clause, re.Match[str]]]:
    """(section, clause, match) of each reference a document makes to a part of itself (not
    "section 149 of the Equality Act")."""
    for section in document.walk():
        for clause in section.clauses:
            if not _may_cite(clause.text):
                continue
            for match in _REFERENCE.finditer(clause.text):
                if not _ELSEWHERE.match(clause.text, match.end()):
                    yield section, clause, match


def _may_cite(text: str) -> bool:
    """Whether `text` holds a word a reference starts with (far cheaper than the pattern)."""
    lowered = text.lower()
    return any(cue in lowered for cue in _CUES)


@dataclass(frozen=True, slots=True)
class Reference:
    """A cross-reference in the new revision that does not point where it should."""

    clause: str  # the new clause's id
    label: str | None  # the new clause's label
    section: str | None  # its section's title
    text: str  # the reference as written: "section 4.2"
    problem: str  # in words, for a governor
    should_read: str | None  # the label it should probably read, where known

    def as_json(self) -> dict[str, str | None]:
        return {
            "clause": self.clause, "label": self.label, "section": self.section,
            "reference": self.text, "problem": self.problem, "should_read": self.should_read,
        }  # fmt: skip


def _key(kind: str, label: str) -> str:
    """What a reference names, as labels are kept: "4.2" (sections, paragraphs and clauses
    share their numbers), "appendix b"."""
    kind = kind.casefold().rstrip(".")
    label = label.strip("().").casefold()
    if kind.startswith(("appendi", "annex", "schedule")):
        return f"{kind[:5]} {label}"
    return label


def labels(document: Document) -> dict[str, str]:
    """Each label of the document (clauses, sections, appendices by their titles) -> the text
    it labels, shortened."""
    found: dict[str, str] = {}
    for section in document.walk():
        if section.label:
            found.setdefault(_key("section", section.label), section.title or "")
        titled = _TITLED.match(section.title or "")
        if titled:
            found.setdefault(_key(titled["kind"], titled["label"]), section.title or "")
        for clause in section.clauses:
            if clause.label:
                found.setdefault(_key("clause", clause.label), clause.text)
    return found


def references(comparison: Comparison) -> tuple[Reference, ...]:
    """The cross-references of the new revision that point to another clause than they did,
    to a clause removed, or to a label the new revision does not have."""
    cited = list(_citations(comparison.new))
    if not cited:  # (most policies cite no part of themselves: nothing more to read)
        return ()
    renumbered = {_key("clause", k): _key("clause", v) for k, v in label_map(comparison).items()}
    renumbered.update(_appendices_relabelled(comparison))
    new_labels, old_labels = labels(comparison.new), labels(comparison.old)
    counterpart: dict[str, ClauseRef] = {}
    for before, after in comparison.unchanged_pairs:
        counterpart[after.id] = before
    for change in comparison.changes:
        if change.old and change.new:
            for after in change.new:
                counterpart[after.id] = change.old[0]
    found: list[Reference] = []
    found += _renumbered_wrongly(cited, counterpart, renumbered, old_labels)
    for section, clause, match in cited:
        old = counterpart.get(clause.id)
        key = _key(match["kind"], match["label"])
        said = match.group(0)
        was_there = old is not None and said.casefold() in old.text.casefold()
        problem, should = _problem(said, key, was_there, renumbered, old_labels, new_labels)
        if problem:
            found.append(Reference(clause.id, clause.label, section.title, said, problem, should))
    return tuple(found)


def _appendices_relabelled(comparison: Comparison) -> dict[str, str]:
    """Each appendix, annex or schedule the comparison paired: its old key -> its new one
    ("appen b" -> "appen c" when a new Appendix B was put before it)."""
    old_sections = {s.id: s for s in comparison.old.walk()}
    new_sections = {s.id: s for s in comparison.new.walk()}
    found: dict[str, str] = {}
    for change in comparison.sections:
        before = old_sections.get(change.old_id or "")
        after = new_sections.get(change.new_id or "")
        if before is None or after is None:
            continue
        was, now = _TITLED.match(before.title or ""), _TITLED.match(after.title or "")
        if was and now and was["kind"].casefold() == now["kind"].casefold():
            found[_key(was["kind"], was["label"])] = _key(now["kind"], now["label"])
    return found


def _as_written(said: str, key: str) -> str:
    """A key as a reference writes it: "appen c" in "Appendix B" is "Appendix C"."""
    if " " not in key:
        return key
    return f"{said.split()[0]} {key.split()[-1].upper()}"


def _renumbered_wrongly(
    cited: list[tuple[Section, Clause, re.Match[str]]],
    counterpart: dict[str, ClauseRef],
    renumbered: dict[str, str],
    old_labels: dict[str, str],
) -> list[Reference]:
    """References changed to a number that is not their target's new one ("paragraph 5.2"
    made "6.3" when 5.2 became 6.2): each paired with the old clause's reference in the same
    place."""
    by_clause: dict[str, list[tuple[Section, Clause, re.Match[str]]]] = {}
    for item in cited:
        by_clause.setdefault(item[1].id, []).append(item)
    found = []
    for items in by_clause.values():
        section, clause, _ = items[0]
        old = counterpart.get(clause.id)
        if old is None:
            continue
        before = [m for m in _REFERENCE.finditer(old.text)
                  if not _ELSEWHERE.match(old.text, m.end())]  # fmt: skip
        if len(before) != len(items):
            continue
        for was, (_, _, now) in zip(before, items, strict=True):
            old_key = _key(was["kind"], was["label"])
            new_key = _key(now["kind"], now["label"])
            target = renumbered.get(old_key)
            if old_key == new_key or old_key not in old_labels:
                continue
            if " " in old_key and old_key not in renumbered:
                continue
            if target is None or new_key != target:
                said = now.group(0)
                problem = f"'{said}' was '{was.group(0)}', whose target " + (
                    f"is now {target}" if target else "this revision removed"
                )
                shown = _as_written(said, target) if target else None
                problem = problem.replace(f"is now {target}", f"is now {shown}")
                found.append(Reference(clause.id, clause.label, section.title, said, problem,
                                       shown))  # fmt: skip
    return found


def _problem(
    said: str,
    key: str,
    was_there: bool,
    renumbered: dict[str, str],
    old_labels: dict[str, str],
    new_labels: dict[str, str],
) -> tuple[str, str | None]:
    """What is wrong with one reference ("" when nothing), and the label it should read."""
    if was_there and key in old_labels and (" " not in key or key in renumbered):
        now = renumbered.get(key)
        target = _short(old_labels[key])
        if now is None:
            return f"'{said}' pointed to {target}, which this revision removed", None
        if now != key:
            here = _short(new_labels.get(key, ""))
            shown, was = _as_written(said, now), _as_written(said, key)
            return f"'{said}' pointed to {target}, which is now {shown}; {was} is now {here}", shown
        return "", None
    if key not in new_labels and not was_there:
        return f"'{said}' names a part this revision does not have", None
    return "", None


def _short(text: str) -> str:
    said = text.split()
    return (
        "'" + " ".join(said[:10]) + (" ..." if len(said) > 10 else "") + "'" if said else "nothing"
    )


def dangling(document: Document) -> tuple[Reference, ...]:
    """The cross-references of one document to a label it does not have ("see section 9" in a
    policy of eight sections), other documents' sections ("section 149 of the Equality Act")
    left alone."""
    held = labels(document)
    found = []
    for section, clause, match in _citations(document):
        if _key(match["kind"], match["label"]) not in held:
            said = match.group(0)
            problem = f"'{said}' names a part the policy does not have"
            found.append(Reference(clause.id, clause.label, section.title, said, problem, None))
    return tuple(found)


# "the Behaviour Policy", "our Complaints Procedure", "the Staff Code of Conduct", "the
# Behaviour and Relationships Policy"
_POLICY_NAME = re.compile(
    r"\b((?:[A-Z][\w’'&-]*\s+(?:(?:and|of|for|&)\s+(?=[A-Z]))?){1,6}"
    r"(?:Policy|Procedures?|Code\s+of\s+Conduct))\b"
)


def other_policies(document: Document, held: list[str]) -> tuple[Reference, ...]:
    """The policies `document` names ("see the Behaviour Policy") that are not among `held`
    (the titles of the policies in the store), each once; its own title left alone."""
    from policydiff.rules.checks import TITLE_TYPOS, title_match

    own = " ".join((document.title or "").casefold().split())
    found: list[Reference] = []
    seen: set[str] = set()
    for section in document.walk():
        for clause in section.clauses:
            if not any(cue in clause.text for cue in ("Polic", "Procedure", "Code")):
                continue
            for match in _POLICY_NAME.finditer(clause.text):
                name = " ".join(match.group(1).split())
                key = name.casefold()
                if key in seen or key == own or key.startswith(("this ", "the ")):
                    continue
                seen.add(key)
                if any(title_match(title, [name], typos=TITLE_TYPOS) for title in held):
                    continue
                said = f"'{name}' is not a policy the store holds"
                found.append(Reference(clause.id, clause.label, section.title, name, said, None))
    return tuple(found)
