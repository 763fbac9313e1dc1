"""The JSON contracts of the document (`policydiff.document/1`, with the clause shape that the
diff's contract `policydiff.diff/1` shares), the store's log (`policydiff.log/1`) and blame
(`policydiff.blame/1`). The diff's is in diffing/export.py and the checks' in rules/export.py.
Fields are added, never changed: a clause always has id, label, kind and text; the rest appear
only where they say something.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from policydiff.model import Clause, ClauseKind, Document, Section, left_out_sentence

if TYPE_CHECKING:
    from policydiff.services import Blame
    from policydiff.store import Record, Revision

SCHEMA = "policydiff.document/1"


def clause_json(clause: Clause) -> dict[str, Any]:
    """One clause: {"id", "label", "kind", "text"}, plus "level" and "bullet" for a list item,
    "cells" for a table row, "digest" (SHA-256 hex) for an image, "part" (the pages) for a
    header or footer, and "notes" (each {"id", "label", "kind", "text"}) for the footnotes and
    endnotes it cites."""
    out: dict[str, Any] = {
        "id": clause.id,
        "label": clause.label,
        "kind": clause.kind.value,
        "text": clause.text,
    }
    if clause.kind is ClauseKind.LIST_ITEM:
        out["level"] = clause.level if clause.level is not None else 0
        out["bullet"] = clause.bullet
    if clause.cells:
        out["cells"] = list(clause.cells)
    if clause.digest is not None:
        out["digest"] = clause.digest
    if clause.part is not None:
        out["part"] = clause.part
    if clause.notes:
        out["notes"] = [
            {"id": n.id, "label": n.label, "kind": n.kind.value, "text": n.text}
            for n in clause.notes
        ]
    return out


def section_json(section: Section) -> dict[str, Any]:
    """One section, its clauses and its subsections; "part" is "body", "header" or "footer"."""
    return {
        "id": section.id,
        "title": section.title,
        "level": section.level,
        "label": section.label,
        "part": section.part,
        "clauses": [clause_json(c) for c in section.clauses],
        "sections": [section_json(child) for child in section.children],
    }


def document_json(document: Document, revision: dict[str, Any] | None) -> dict[str, Any]:
    """The whole document as read: `revision` is the store's record of it (None for a file
    read straight from disk, whose path is then given as "source")."""
    return {
        "schema": SCHEMA,
        "revision": revision,
        "source": document.source,
        "title": document.title,
        "metadata": asdict(document.metadata),
        "left_out": [{"kind": kind, "count": count} for kind, count in document.left_out],
        "left_out_sentence": left_out_sentence(document.left_out),
        "sections": [section_json(s) for s in document.sections],
    }


def log_json(
    revisions: list[Revision], records: dict[str, list[Record]] | None = None
) -> dict[str, Any]:
    """The store's revisions, newest first: the `policydiff.log/1` contract; with `records`
    (log --withdrawn), each policy's records, oldest first, under "records" (added)."""
    out: dict[str, Any] = {
        "schema": "policydiff.log/1",
        "revisions": [r.as_json() for r in revisions],
    }
    if records:
        out["records"] = {slug: [r.as_json() for r in rs] for slug, rs in records.items()}
    return out


def _brief(revision: Revision) -> dict[str, str]:
    return {
        "version": revision.version,
        "source": revision.source_name,
        "effective": revision.effective,
    }


def blame_json(revision: Revision, rows: list[Blame]) -> dict[str, Any]:
    """Where each clause of `revision` came from: the `policydiff.blame/1` contract."""
    return {
        "schema": "policydiff.blame/1",
        "revision": revision.as_json(),
        "clauses": [
            {
                "id": row.clause.id,
                "label": row.clause.label,
                "section": row.section.title,
                "text": row.clause.text,
                "introduced": row.introduced.version,
                "changed": row.changed.version,
                "introduced_in": _brief(row.introduced),
                "changed_in": _brief(row.changed),
            }
            for row in rows
        ],
    }
