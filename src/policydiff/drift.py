"""How a school's policy departs from the model it was made from, clause by clause: what the
school added, removed, reworded or moved, and how much it keeps as the model says. Pure: built
from a comparison of the model (old side) with the school's policy (new side); printed by
`writers`. Page headers and footers are the school's own and not counted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from policydiff.diffing.changes import ChangeKind, ClauseRef, Comparison
from policydiff.diffing.inline import Span
from policydiff.model import ClauseKind
from policydiff.typography import counted

SCHEMA = "policydiff.drift/1"
_FURNITURE = (ClauseKind.HEADER, ClauseKind.FOOTER)
# What each kind of change is when the old side is the model and the new the school's copy.
LOCAL = {
    ChangeKind.ADDED: "added locally",
    ChangeKind.REMOVED: "removed locally",
    ChangeKind.MODIFIED: "reworded locally",
    ChangeKind.MOVED: "moved locally",
    ChangeKind.SPLIT: "split locally",
    ChangeKind.MERGED: "joined locally",
}


@dataclass(frozen=True, slots=True)
class DriftClause:
    """One departure from the model: its kind (a value of `LOCAL`), the section it stands in
    (the school's; the model's for a removal), the clauses on each side as (label, text), and
    the words changed (reworded clauses)."""

    kind: str
    section: str | None
    model: tuple[tuple[str | None, str], ...]
    school: tuple[tuple[str | None, str], ...]
    spans: tuple[Span, ...]

    def to_dict(self) -> dict[str, Any]:
        def side(items: tuple[tuple[str | None, str], ...]) -> list[dict[str, Any]]:
            return [{"label": label, "text": text} for label, text in items]

        return {
            "kind": self.kind,
            "section": self.section,
            "model": side(self.model),
            "school": side(self.school),
            "inline": [{"op": s.op.value, "text": s.text} for s in self.spans],
        }


@dataclass(frozen=True, slots=True)
class Drift:
    """The school's policy against its model: `counts` of clauses kept as the model says,
    reworded, added, removed and moved locally; each departure in the school's order."""

    school: str
    model: str
    school_title: str
    model_title: str
    counts: dict[str, int]
    clauses: tuple[DriftClause, ...]

    @property
    def summary(self) -> str:
        """The drift in one plain sentence."""
        c = self.counts
        of_model = c["kept"] + c["reworded"] + c["removed"] + c["moved"]
        said = (
            f"Of the model's {counted(of_model, 'clause')}, the school's policy keeps "
            f"{c['kept'] + c['moved']} as the model says"
        )
        if c["moved"]:
            said += f" ({c['moved']} of them moved)"
        said += f", rewords {c['reworded']} and has removed {c['removed']}"
        return said + f"; it adds {counted(c['added'], 'clause')} of its own."

    def to_dict(self) -> dict[str, Any]:
        """The `policydiff.drift/1` JSON."""
        return {
            "schema": SCHEMA,
            "school": {"source": self.school, "title": self.school_title},
            "model": {"source": self.model, "title": self.model_title},
            "counts": dict(self.counts),
            "summary": self.summary,
            "clauses": [c.to_dict() for c in self.clauses],
        }


def _sides(refs: tuple[ClauseRef, ...]) -> tuple[tuple[str | None, str], ...]:
    return tuple((r.label, r.text) for r in refs if r.kind not in _FURNITURE)


def build_drift(comparison: Comparison, school: str, model: str) -> Drift:
    """The drift of the school's policy (`comparison.new`) from its model (`comparison.old`);
    `school` and `model` name the two (a file or a store REF)."""
    counts = {"kept": 0, "reworded": 0, "added": 0, "removed": 0, "moved": 0}
    counts["kept"] = sum(1 for a, _ in comparison.unchanged_pairs if a.kind not in _FURNITURE)
    clauses: list[tuple[int, DriftClause]] = []
    for change in comparison.changes:
        refs = change.new or change.old
        if all(r.kind in _FURNITURE for r in refs):
            continue
        kind = ChangeKind.MOVED if change.moved and change.kind is ChangeKind.MOVED else change.kind
        name = LOCAL[kind]
        if kind is ChangeKind.ADDED:
            counts["added"] += len(change.new)
        elif kind is ChangeKind.REMOVED:
            counts["removed"] += len(change.old)
        elif kind is ChangeKind.MOVED:
            counts["moved"] += 1
        else:
            counts["reworded"] += len(change.old)
        # in the school's order; a removal where the model had it
        at = change.new[0].position if change.new else change.old[0].position
        spans = change.inline if kind is ChangeKind.MODIFIED else ()
        clause = DriftClause(
            name, refs[0].section, _sides(change.old), _sides(change.new), tuple(spans)
        )
        clauses.append((at, clause))
    clauses.sort(key=lambda item: item[0])
    return Drift(
        school,
        model,
        comparison.new.title or school,
        comparison.old.title or model,
        counts,
        tuple(c for _, c in clauses),
    )
