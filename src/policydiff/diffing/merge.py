"""Carry a model policy's revision into a school's adapted copy: a three-way merge, clause by
clause, as git merges lines.

The base is the model's revision the school's copy was made from; the model is its new
revision; the school is the school's copy. Each change the model made (base -> model, as
`compare` pairs them, headings included) is decided against what the school did with the same
clauses (base -> school):

- the school kept the clause as the base had it: the change is APPLIED;
- the school made the same change itself: NONE (nothing to do, not listed);
- the school changed the clause otherwise: a CONFLICT (the school's text stays);
- the school removed the clause: LEFT (listed, not applied).

A clause the model added is applied after the school's copy of the clause that precedes it in
the model (or after a clause placed there before it), so it lands where the school's structure
puts it; a moved clause is removed from its old place and placed the same way. Changes only the
school made are kept and not listed. Headers and footers are the school's own and not merged.
Nothing here touches Word files: `redlining.update` writes the school's document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from policydiff.diffing.align import compare
from policydiff.diffing.changes import ChangeKind, Comparison, SectionKind
from policydiff.errors import PolicydiffError
from policydiff.model import BODY, Document
from policydiff.typography import comparable

Key = tuple[str, object]  # ("heading", section id) or ("clause", position in reading order)


class Decision(StrEnum):
    APPLIED = "applied"
    CONFLICT = "conflict"
    LEFT = "left"
    NONE = "none"  # the school made the same change: nothing to do


class Part(NamedTuple):
    """A heading or clause of one side, as the merge sees it."""

    key: Key
    id: str
    label: str | None
    text: str
    order: int  # where it stands among the side's headings and clauses
    section: str | None = None  # the title of the section it stands in (a heading: its own)

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "label": self.label, "text": self.text}


@dataclass(frozen=True, slots=True)
class ModelChange:
    """One change the model made, with the school's clauses it touches and what was decided.

    `kind`: "changed", "added", "removed", "moved", "split", "merged", "heading renamed",
    "heading added", "heading removed" or "heading moved". `base`, `model`, `school`: the
    parts on each side (empty where the side has none). `reason`: why, in a sentence.
    """

    kind: str
    base: tuple[Part, ...]
    model: tuple[Part, ...]
    school: tuple[Part, ...]
    decision: Decision
    reason: str

    def to_dict(self) -> dict[str, object]:
        def side(parts: tuple[Part, ...]) -> dict[str, object] | None:
            if not parts:
                return None
            if len(parts) == 1:
                return parts[0].to_dict()
            return {
                "id": parts[0].id,
                "label": parts[0].label,
                "text": " ".join(p.text for p in parts),
                "parts": [p.to_dict() for p in parts],
            }

        return {
            "kind": self.kind,
            "base": side(self.base),
            "model": side(self.model),
            "school": side(self.school),
            "reason": self.reason,
        }


class Insertion(NamedTuple):
    """A model part to insert into the school's document after `after` (a school part's key,
    or None: before the school's first part)."""

    after: Key | None
    model: Key


@dataclass(slots=True)
class Plan:
    """What to do to the school's document: the edits each applied change makes."""

    edits: dict[Key, Key] = field(default_factory=dict)  # school part -> model part's text
    deletions: list[Key] = field(default_factory=list)  # school parts
    insertions: list[Insertion] = field(default_factory=list)  # in document order
    relabel: dict[Key, str] = field(default_factory=dict)  # school part -> its new number
    labels: dict[Key, str] = field(default_factory=dict)  # model part inserted -> its number
    conflicts: list[tuple[tuple[Key, ...], ModelChange]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Merge:
    """The outcome of a three-way merge: every model change with its decision, and the plan
    that applies the applied ones to the school's document."""

    base: Document
    model: Document
    school: Document
    changes: tuple[ModelChange, ...]
    plan: Plan
    kept_by_school: int  # school-only changes, kept as they are
    warnings: tuple[str, ...] = ()  # what looks wrong with the three files given

    def decided(self, decision: Decision) -> list[ModelChange]:
        return [c for c in self.changes if c.decision is decision]

    def to_dict(self) -> dict[str, object]:
        """The `policydiff.update/1` JSON: `applied`, `conflicts` and `left`, each a list of
        model changes with the base, model and school parts (id, label, text) or null."""
        return {
            "schema": "policydiff.update/1",
            "base": self.base.source,
            "model": self.model.source,
            "school": self.school.source,
            "applied": [c.to_dict() for c in self.decided(Decision.APPLIED)],
            "conflicts": [c.to_dict() for c in self.decided(Decision.CONFLICT)],
            "left": [c.to_dict() for c in self.decided(Decision.LEFT)],
            "already_made": [c.to_dict() for c in self.decided(Decision.NONE)],
            "kept_by_school": self.kept_by_school,
            "warnings": list(self.warnings),
        }


def parts(document: Document) -> list[Part]:
    """The body's headings and clauses in reading order (the title, headers and footers are
    not merged). A clause's key holds its position in `Document.clauses()` order, as
    `ClauseRef.position` does; a heading's, its section's id."""
    out: list[Part] = []
    position = 0
    for section in document.walk():
        body = section.part == BODY
        if body and section.title is not None and section.level > 0:
            out.append(Part(("heading", section.id), section.id, section.label, section.title,
                            len(out), section.title))  # fmt: skip
        for clause in section.clauses:
            if body:
                out.append(Part(("clause", position), clause.id, clause.label, clause.text,
                                len(out), section.title))  # fmt: skip
            position += 1
    return out


class _Pairs:
    """Which parts of the other side each base part became, from one comparison."""

    def __init__(self, comparison: Comparison, base: list[Part], other: list[Part]) -> None:
        self.by_key = {p.key: p for p in other}
        base_keys = {p.key for p in base}
        self.of: dict[Key, list[Key]] = {}
        self.origin: dict[Key, list[Key]] = {}  # other part -> base parts

        def pair(old: Key, new: Key) -> None:
            if old in base_keys and new in self.by_key:
                self.of.setdefault(old, []).append(new)
                self.origin.setdefault(new, []).append(old)

        for old_ref, new_ref in comparison.unchanged_pairs:
            pair(("clause", old_ref.position), ("clause", new_ref.position))
        for change in comparison.changes:
            for old_ref in change.old:
                for new_ref in change.new:
                    pair(("clause", old_ref.position), ("clause", new_ref.position))
        for section in comparison.sections:
            if section.old_id is not None and section.new_id is not None:
                pair(("heading", section.old_id), ("heading", section.new_id))
        order = {p.key: p.order for p in other}
        for keys in self.of.values():
            keys.sort(key=order.__getitem__)

    def counterparts(self, key: Key) -> tuple[Part, ...]:
        return tuple(self.by_key[k] for k in self.of.get(key, ()))


def _same(a: tuple[Part, ...], b: tuple[Part, ...]) -> bool:
    return comparable(" ".join(p.text for p in a)) == comparable(" ".join(p.text for p in b))


_REASONS = {
    Decision.APPLIED: "The school's policy had this as the model had it.",
    Decision.NONE: "The school's policy already says what the model now says.",
    Decision.LEFT: "The school's policy had left this out, so the model's change is not applied.",
}


def _decide(
    base: tuple[Part, ...],
    model: tuple[Part, ...],
    school: tuple[Part, ...],
    moved: bool,
    in_place: bool,
) -> tuple[Decision, str]:
    """The decision for one model change (base parts -> model parts) given the school's
    counterparts of the base parts. `moved`: the model moved them; `in_place`: the school's
    copy already stands where the model puts them."""
    if not base:
        return Decision.APPLIED, "The model added this."
    if not school:
        if not model:
            return Decision.NONE, _REASONS[Decision.NONE]
        return Decision.LEFT, _REASONS[Decision.LEFT]
    whole = len(school) == len(base)
    if model and _same(school, model) and (not moved or in_place or not _same(base, model)):
        return Decision.NONE, _REASONS[Decision.NONE]
    if whole and (_same(school, base) or (moved and _same(school, model))):
        return Decision.APPLIED, _REASONS[Decision.APPLIED]
    if len(school) < len(base):
        return Decision.CONFLICT, "The school's policy had left out part of this."
    return Decision.CONFLICT, "The school's policy had reworded this."


def merge(base: Document, model: Document, school: Document) -> Merge:
    """Decide every change the model made between `base` and `model` against the school's
    copy `school`, and plan the edits that apply the applied ones.

    `base`, `model`, `school`: documents as read. Returns a `Merge` (see the module's rules).
    Symmetric where it should be: with no model change, nothing is listed; a change the
    school made too is not a conflict.
    """
    base_parts, model_parts, school_parts = parts(base), parts(model), parts(school)
    to_model = compare(base, model)
    to_school = compare(base, school)
    model_pairs = _Pairs(to_model, base_parts, model_parts)
    school_pairs = _Pairs(to_school, base_parts, school_parts)
    base_by_key = {p.key: p for p in base_parts}
    model_by_key = {p.key: p for p in model_parts}
    school_added = {comparable(p.text) for p in school_parts if p.key not in school_pairs.origin}

    def school_of(keys: tuple[Key, ...]) -> tuple[Part, ...]:
        seen: dict[Key, Part] = {}
        for key in keys:
            for part in school_pairs.counterparts(key):
                seen.setdefault(part.key, part)
        return tuple(sorted(seen.values(), key=lambda p: p.order))

    # Every model change as (kind, base keys, model keys), in the model's order.
    found: list[tuple[str, tuple[Key, ...], tuple[Key, ...]]] = []
    olds: tuple[Key, ...]
    news: tuple[Key, ...]
    for change in to_model.changes:
        olds = tuple(("clause", r.position) for r in change.old if ("clause", r.position)
                     in base_by_key)  # fmt: skip
        news = tuple(("clause", r.position) for r in change.new if ("clause", r.position)
                     in model_by_key)  # fmt: skip
        if not olds and not news:
            continue
        kind = {ChangeKind.MODIFIED: "changed"}.get(change.kind, change.kind.value)
        if change.moved and change.kind in (ChangeKind.MODIFIED, ChangeKind.MOVED):
            kind = "moved"
        found.append((kind, olds, news))
    for section in to_model.sections:
        old: Key = ("heading", section.old_id)
        new: Key = ("heading", section.new_id)
        olds = (old,) if old in base_by_key else ()
        news = (new,) if new in model_by_key else ()
        if section.kind is SectionKind.UNCHANGED or not (olds or news):
            continue
        if section.kind is SectionKind.RENAMED and olds and news:
            if comparable(base_by_key[old].text) == comparable(model_by_key[new].text):
                continue
            kind = "heading renamed"
        else:
            kind = f"heading {section.kind.value}"
            if (
                section.kind is SectionKind.MOVED
                and olds
                and news
                and comparable(base_by_key[old].text) != comparable(model_by_key[new].text)
            ):
                kind = "heading moved"
        found.append((kind, olds, news))

    # A clause the comparison paired out of the model's order is a move, whatever it was
    # called: the clauses that keep their order are the longest run in order (as `diff`
    # finds moves); the rest must be moved in the school's copy too.
    flagged = {k for kind, _, news in found if kind in ("moved", "heading moved") for k in news}
    in_order = _in_order(base_parts, model_parts, model_pairs, flagged)
    for index, (kind, olds, news) in enumerate(found):
        if kind == "changed" and len(olds) == len(news) == 1 and news[0] not in in_order:
            found[index] = ("moved", olds, news)
    listed = {k for _, olds, _ in found for k in olds}
    for part in base_parts:
        news = tuple(model_pairs.of.get(part.key, ()))
        if part.key not in listed and len(news) == 1 and news[0] not in in_order:
            found.append(("moved" if part.key[0] == "clause" else "heading moved",
                          (part.key,), news))  # fmt: skip

    def first(item: tuple[str, tuple[Key, ...], tuple[Key, ...]]) -> tuple[int, int]:
        _, olds, news = item
        if news:
            return model_by_key[news[0]].order, 0
        # A removal: where its base part stood, among the model's parts before it.
        previous = [model_pairs.of[k][-1] for k in _before(base_parts, olds[0])
                    if model_pairs.of.get(k)]  # fmt: skip
        return (model_by_key[previous[-1]].order if previous else -1), 1

    found.sort(key=first)
    moving = {k for kind, _, news in found if kind in ("moved", "heading moved") for k in news}
    plan = Plan()
    changes: list[ModelChange] = []
    moved_model: set[Key] = set()  # model parts to place (added, or moved and applied)
    for kind, olds, news in found:
        b = tuple(base_by_key[k] for k in olds)
        m = tuple(model_by_key[k] for k in news)
        s = school_of(olds)
        if not olds and comparable(" ".join(p.text for p in m)) in school_added:
            decision, reason = Decision.NONE, _REASONS[Decision.NONE]
        else:
            moved = kind in ("moved", "heading moved")
            in_place = moved and _stands_as_in_model(
                news[0], s[0].key, model_parts, model_pairs, school_pairs, moving
            )
            decision, reason = _decide(b, m, s, moved, in_place)
        changes.append(ModelChange(kind, b, m, s, decision, reason))
        if decision is Decision.CONFLICT:
            plan.conflicts.append((tuple(p.key for p in s), changes[-1]))
        if decision is not Decision.APPLIED:
            continue
        if not olds or kind in ("moved", "heading moved"):
            plan.deletions.extend(p.key for p in s)
            moved_model.update(news)
        elif not news:
            plan.deletions.extend(p.key for p in s)
        else:
            # Changed, split or merged in place: the first school part takes the first model
            # part's words; further model parts follow it; further school parts go.
            plan.edits[s[0].key] = news[0]
            plan.deletions.extend(p.key for p in s[1:])
            moved_model.update(news[1:])
    _relabel(plan, model_pairs, school_pairs, base_parts, model_by_key)
    for key in plan.deletions:  # a clause removed is not renumbered
        plan.relabel.pop(key, None)
    prefixes = _prefixes(model_parts, model_pairs, school_pairs)
    _place(plan, model_parts, moved_model, model_pairs, school_pairs, set(plan.deletions), prefixes)
    _unique_numbers(plan, school_parts, model_by_key)
    warnings = _suspicions(base_parts, model_pairs, school_pairs, base, model)
    touched = {k for _, olds, _ in found for k in olds}
    kept = sum(
        1 for c in to_school.changes if not any(("clause", r.position) in touched for r in c.old)
    )
    return Merge(base, model, school, tuple(changes), plan, kept, warnings)


UNRELATED = 0.25  # below this share of the model's clauses kept, a file is not its copy
DOUBTFUL = 0.6  # below this share, the files are said to look wrongly chosen


class UnrelatedError(PolicydiffError):
    """The three files cannot be a model's two revisions and a school's copy of it."""


def _suspicions(
    base_parts: list[Part],
    model_pairs: _Pairs,
    school_pairs: _Pairs,
    base: Document,
    model: Document,
) -> tuple[str, ...]:
    """What looks wrong with the files given: a school's policy or a model revision that
    shares too little with the model's old revision (UnrelatedError when almost nothing), a
    model revision older than the base by the versions they state."""
    clauses = [p.key for p in base_parts if p.key[0] == "clause"]
    if len(clauses) < 4:
        return ()
    said: list[str] = []
    for what, pairs in (("the school's policy", school_pairs), ("the model's new revision",
                                                                   model_pairs)):  # fmt: skip
        share = sum(1 for k in clauses if pairs.of.get(k)) / len(clauses)
        if share < UNRELATED:
            raise UnrelatedError(
                f"{what} has almost none of the model's old revision in it ({share:.0%} of "
                "its clauses): check that the right files were given to --base, --model and "
                "as the school's policy"
            )
        if share < DOUBTFUL:
            said.append(
                f"{what} keeps only {share:.0%} of the model's old revision's clauses: check "
                "that the right files were given"
            )
    older = _version(model.metadata.version), _version(base.metadata.version)
    if older[0] is not None and older[1] is not None and older[0] < older[1]:
        said.append(
            f"the model's new revision states version {model.metadata.version} and its old "
            f"one {base.metadata.version}: were --base and --model given the wrong way round?"
        )
    return tuple(said)


def _version(text: str | None) -> tuple[int, ...] | None:
    found = re.findall(r"\d+", text or "")
    return tuple(int(x) for x in found[:3]) if found else None


def _unique_numbers(plan: Plan, school_parts: list[Part], model_by_key: dict[Key, Part]) -> None:
    """After a model clause is placed among the school's own typed numbers, the school's
    clauses that follow it in that section and now repeat its number move on by one (and so
    on down the section), as a clerk renumbers ("2.3" placed before the school's own "2.3"
    makes it "2.4")."""
    deleted = set(plan.deletions)
    after: dict[Key | None, list[Key]] = {}
    for insertion in plan.insertions:
        after.setdefault(insertion.after, []).append(insertion.model)
    sequence: list[tuple[bool, Key, str | None]] = []  # (inserted, key, label)
    for model_key in after.get(None, []):
        sequence.append(
            (True, model_key, plan.labels.get(model_key, model_by_key[model_key].label))
        )
    for part in school_parts:
        if part.key not in deleted:
            sequence.append((False, part.key, plan.relabel.get(part.key, part.label)))
        for model_key in after.get(part.key, []):
            label = plan.labels.get(model_key, model_by_key[model_key].label)
            sequence.append((True, model_key, label))
    last: dict[tuple[object, ...], int] = {}  # (kind, parent number) -> the last number in it
    for inserted, key, label in sequence:
        parsed = _numbers(label)
        if parsed is None or label is None:
            continue
        numbers, ending = parsed
        parent = (key[0], *numbers[:-1])  # (a heading's numbers are not a list's)
        if inserted:
            last[parent] = numbers[-1]
            continue
        if parent in last and numbers[-1] == last[parent]:
            numbers = [*numbers[:-1], last[parent] + 1]
            plan.relabel[key] = ".".join(map(str, numbers)) + ending
            last[parent] = numbers[-1]
        else:
            last.pop(parent, None)  # (a gap, or numbers going on as they were: nothing to do)


def _stands_as_in_model(
    model_key: Key,
    school_key: Key,
    model_parts: list[Part],
    model_pairs: _Pairs,
    school_pairs: _Pairs,
    moving: set[Key],
) -> bool:
    """Whether the school's part follows the school's copy of the model part before
    `model_key` (the school moved it as the model did). Model parts that moved with it (the
    heading of a section the model moved) are passed over: their school copies have not."""
    keys = [p.key for p in model_parts]
    school_order = school_pairs.by_key[school_key].order
    for earlier in reversed(keys[: keys.index(model_key)]):
        if earlier in moving:
            continue
        schools = [
            school_pairs.by_key[s].order
            for b in model_pairs.origin.get(earlier, [])
            for s in school_pairs.of.get(b, [])
        ]
        if schools:
            before = max(schools)
            between = [
                k
                for k, part in school_pairs.by_key.items()
                if before < part.order < school_order and k in school_pairs.origin
            ]
            return before < school_order and not between
    return not any(
        part.order < school_order and k in school_pairs.origin
        for k, part in school_pairs.by_key.items()
    )


def _in_order(
    base_parts: list[Part], model_parts: list[Part], pairs: _Pairs, moved: set[Key]
) -> set[Key]:
    """The model parts paired one to one with a base part that stand in the base's order: the
    longest such run (patience sorting, O(n log n)), among those the comparison did not
    already call `moved` (which of two swapped clauses moved is the comparison's call)."""
    import bisect

    base_order = {p.key: p.order for p in base_parts}
    sequence = [
        (base_order[origin[0]], part.key)
        for part in model_parts
        if len(origin := pairs.origin.get(part.key, [])) == 1
        and len(pairs.of.get(origin[0], [])) == 1
        and part.key not in moved
    ]
    tails: list[int] = []  # the smallest last base order of a run of each length
    tail_index: list[int] = []
    previous: list[int] = []
    for index, (order, _) in enumerate(sequence):
        at = bisect.bisect_left(tails, order)
        if at == len(tails):
            tails.append(order)
            tail_index.append(index)
        else:
            tails[at] = order
            tail_index[at] = index
        previous.append(tail_index[at - 1] if at else -1)
    kept: set[Key] = set()
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        kept.add(sequence[index][1])
        index = previous[index]
    return kept


def _before(base_parts: list[Part], key: Key) -> list[Key]:
    keys = [p.key for p in base_parts]
    return keys[: keys.index(key)]


_LABEL = re.compile(r"^(\d+(?:\.\d+)*)(\.?)$")


def _numbers(label: str | None) -> tuple[list[int], str] | None:
    """A typed number's parts and its ending: "7.2" -> ([7, 2], ""), "8." -> ([8], ".")."""
    found = _LABEL.match(label or "")
    if found is None:
        return None
    return [int(x) for x in found.group(1).split(".")], found.group(2)


def _shifted(base: str, model: str, school: str) -> str | None:
    """The school's number changed as the model changed the base's: the one part that changed,
    by as much, where the school's number has that part as the base had it ("7.7" -> "7.8" in
    the model makes the school's "8.7" "8.8")."""
    if base == school:
        return model
    b, m, s = _numbers(base), _numbers(model), _numbers(school)
    if b is None or m is None or s is None or not len(b[0]) == len(m[0]) == len(s[0]):
        return None
    differ = [k for k in range(len(b[0])) if b[0][k] != m[0][k]]
    if len(differ) != 1 or s[0][differ[0]] != b[0][differ[0]]:
        return None  # (the school numbers that part its own way: it is left as it is)
    numbers = list(s[0])
    numbers[differ[0]] += m[0][differ[0]] - b[0][differ[0]]
    return ".".join(map(str, numbers)) + s[1] if min(numbers) > 0 else None


def _relabel(
    plan: Plan,
    model_pairs: _Pairs,
    school_pairs: _Pairs,
    base_parts: list[Part],
    model_by_key: dict[Key, Part],
) -> None:
    """Typed clause numbers the model changed (a clause inserted before them), changed in the
    school's copy by as much, where its number still follows the base's."""
    for part in base_parts:
        models = model_pairs.of.get(part.key, [])
        schools = school_pairs.counterparts(part.key)
        if len(models) != 1 or len(schools) != 1 or part.label is None:
            continue
        new_label = model_by_key[models[0]].label
        school = schools[0]
        if not new_label or new_label == part.label or school.label is None:
            continue
        shifted = _shifted(part.label, new_label, school.label)
        if shifted is not None and shifted != school.label:
            plan.relabel[school.key] = shifted


def _new_label(
    label: str | None,
    anchor: tuple[str | None, str | None] | None,
    prefixes: dict[tuple[int, ...], tuple[int, ...]],
) -> str | None:
    """A typed number for a model clause placed in the school's copy, in the school's
    numbering: its section's number as the school numbers that section ("7.7" in the model's
    section 7, which is the school's 8, is "8.7"), else moved by as much as the clause it
    follows; None when it needs no change."""
    parsed = _numbers(label)
    if parsed is None or label is None:
        return None
    numbers, ending = parsed
    for k in range(len(numbers) - 1, 0, -1):
        school = prefixes.get(tuple(numbers[:k]))
        if school is not None:
            new = ".".join(map(str, (*school, *numbers[k:]))) + ending
            return new if new != label else None
    if anchor is not None and anchor[0] and anchor[1]:
        m, s = _numbers(anchor[0]), _numbers(anchor[1])
        if m is not None and s is not None and len(m[0]) == len(numbers) == len(s[0]):
            differ = [k for k in range(len(numbers)) if m[0][k] != s[0][k]]
            if len(differ) == 1:
                moved = list(numbers)
                moved[differ[0]] += s[0][differ[0]] - m[0][differ[0]]
                new = ".".join(map(str, moved)) + ending
                return new if new != label and min(moved) > 0 else None
    return None


def _prefixes(
    model_parts: list[Part], model_pairs: _Pairs, school_pairs: _Pairs
) -> dict[tuple[int, ...], tuple[int, ...]]:
    """How the school numbers the model's sections: model number prefix -> the school's, from
    the clauses both number with as many parts, by most votes."""
    from collections import Counter

    votes: dict[tuple[int, ...], Counter[tuple[int, ...]]] = {}
    for part in model_parts:
        model = _numbers(part.label)
        if model is None:
            continue
        for base in model_pairs.origin.get(part.key, []):
            for school_part in school_pairs.counterparts(base):
                school = _numbers(school_part.label)
                if school is None or len(school[0]) != len(model[0]):
                    continue
                for k in range(1, len(model[0])):
                    votes.setdefault(tuple(model[0][:k]), Counter())[tuple(school[0][:k])] += 1
    return {prefix: counter.most_common(1)[0][0] for prefix, counter in votes.items()}


def _place(
    plan: Plan,
    model_parts: list[Part],
    to_place: set[Key],
    model_pairs: _Pairs,
    school_pairs: _Pairs,
    deleted: set[Key],
    prefixes: dict[tuple[int, ...], tuple[int, ...]],
) -> None:
    """Where each model part to be inserted goes: after the school's copy of the model part
    before it, or after the part placed there before it."""
    placed: dict[Key, int] = {}  # model part -> its index in plan.insertions
    for index, part in enumerate(model_parts):
        if part.key not in to_place:
            continue
        anchor: Key | None = None
        chained: int | None = None
        labels: tuple[str | None, str | None] | None = None
        for earlier in reversed(model_parts[:index]):
            if earlier.key in placed:
                chained = placed[earlier.key]
                labels = (earlier.label, plan.labels.get(earlier.key, earlier.label))
                break
            bases = model_pairs.origin.get(earlier.key, [])
            schools = [s for b in bases for s in school_pairs.of.get(b, []) if s not in deleted]
            if schools:
                anchor = max(schools, key=lambda k: school_pairs.by_key[k].order)
                school_label = plan.relabel.get(anchor, school_pairs.by_key[anchor].label)
                labels = (earlier.label, school_label)
                break
        new_label = _new_label(part.label, labels, prefixes)
        if new_label is not None:
            plan.labels[part.key] = new_label
        if chained is not None:
            at = chained + 1
            insertion = Insertion(plan.insertions[chained].after, part.key)
        else:
            insertion = Insertion(anchor, part.key)
            at = len(plan.insertions)
        plan.insertions.insert(at, insertion)
        placed = {ins.model: k for k, ins in enumerate(plan.insertions)}
