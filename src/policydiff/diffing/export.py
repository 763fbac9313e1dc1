"""The diff as JSON: the `policydiff.diff/1` contract (add fields freely, change none)."""

from __future__ import annotations

from typing import Any

from policydiff.contracts import clause_json
from policydiff.diffing.changes import ChangeKind, ClauseRef, Comparison, NoteChange
from policydiff.diffing.nature import natures
from policydiff.diffing.references import references

SCHEMA = "policydiff.diff/1"


def _clause(ref: ClauseRef) -> dict[str, Any]:
    return {**clause_json(ref.clause), "section": ref.section}


def _note(change: NoteChange) -> dict[str, Any]:
    note = change.new or change.old
    assert note is not None
    return {
        "op": change.kind.value,
        "kind": note.kind.value,
        "old": None if change.old is None else {"label": change.old.label, "text": change.old.text},
        "new": None if change.new is None else {"label": change.new.label, "text": change.new.text},
        "inline": [{"op": s.op.value, "text": s.text} for s in change.inline],
    }


def to_json(comparison: Comparison, old_source: str, new_source: str) -> dict[str, Any]:
    old, new = comparison.old, comparison.new
    counts = comparison.counts()
    natures_by_change = natures(comparison)  # (nature, reasons, sentence: added to the contract)
    return {
        "schema": SCHEMA,
        "old": {
            "source": old_source,
            "title": old.title,
            "clauses": sum(len(s.clauses) for s in old.walk()),
            "version": old.metadata.version,
            "left_out": [{"kind": k, "count": n} for k, n in old.left_out],
        },
        "new": {
            "source": new_source,
            "title": new.title,
            "clauses": sum(len(s.clauses) for s in new.walk()),
            "version": new.metadata.version,
            "left_out": [{"kind": k, "count": n} for k, n in new.left_out],
        },
        "summary": {**counts, "renumbered": comparison.renumbered},
        "sections": [
            {"kind": s.kind.value, "old": s.old, "new": s.new} for s in comparison.sections
        ],
        # (added: cross-references that point to another clause than they did, or to none)
        "references": [r.as_json() for r in references(comparison)],
        "changes": [
            {
                "kind": c.kind.value,
                **natures_by_change[k].as_json(),
                "moved": c.moved,
                "old": [_clause(r) for r in c.old],
                "new": [_clause(r) for r in c.new],
                **(
                    {"inline": [{"op": s.op.value, "text": s.text} for s in c.inline]}
                    if c.kind is not ChangeKind.MOVED and c.inline
                    else {}
                ),
                **({"notes": [_note(n) for n in c.notes]} if c.notes else {}),
                **({"image_replaced": True} if c.image_replaced else {}),
            }
            for k, c in enumerate(comparison.changes)
        ],
    }
