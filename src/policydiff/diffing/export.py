"""The diff as JSON: the `policydiff.diff/1` contract (add fields freely, change none)."""

from __future__ import annotations

from typing import Any

from policydiff.diffing.align import ChangeKind, ClauseRef, Comparison

SCHEMA = "policydiff.diff/1"


def _clause(ref: ClauseRef) -> dict[str, Any]:
    return {
        "id": ref.id,
        "label": ref.label,
        "section": ref.section,
        "text": ref.text,
        "kind": ref.kind.value,
    }


def to_json(comparison: Comparison, old_source: str, new_source: str) -> dict[str, Any]:
    old, new = comparison.old, comparison.new
    counts = comparison.counts()
    return {
        "schema": SCHEMA,
        "old": {
            "source": old_source,
            "title": old.title,
            "clauses": sum(len(s.clauses) for s in old.walk()),
            "version": old.metadata.version,
        },
        "new": {
            "source": new_source,
            "title": new.title,
            "clauses": sum(len(s.clauses) for s in new.walk()),
            "version": new.metadata.version,
        },
        "summary": {**counts, "renumbered": comparison.renumbered},
        "sections": [
            {"kind": s.kind.value, "old": s.old, "new": s.new} for s in comparison.sections
        ],
        "changes": [
            {
                "kind": c.kind.value,
                "moved": c.moved,
                "old": [_clause(r) for r in c.old],
                "new": [_clause(r) for r in c.new],
                **(
                    {"inline": [{"op": s.op.value, "text": s.text} for s in c.inline]}
                    if c.kind is not ChangeKind.MOVED and c.inline
                    else {}
                ),
            }
            for c in comparison.changes
        ],
    }
