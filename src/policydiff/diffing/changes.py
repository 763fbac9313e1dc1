"""The change model: what a comparison of two revisions reports, and one table of what each
kind of change means, how it is counted and how it is worded (`KINDS`). A new kind touches this
module and the stage of the aligner that finds it; every output reads its words from here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from policydiff.diffing.inline import Span
from policydiff.model import Clause, ClauseKind, Document


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    MODIFIED = "modified"
    MOVED = "moved"
    SPLIT = "split"
    MERGED = "merged"


class SectionKind(StrEnum):
    UNCHANGED = "unchanged"
    RENAMED = "renamed"
    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"


class ClauseRef(NamedTuple):
    """A clause as the diff sees it: where it stands, and what it says. (A named tuple: tens
    of thousands are made per comparison, and a frozen dataclass is three times slower to
    build.)"""

    position: int  # where it stands in the revision's reading order
    id: str
    label: str | None
    section_id: str
    section: str | None
    text: str
    kind: ClauseKind
    clause: Clause  # the clause itself: its cells, list level, notes, image digest


class NoteChange(NamedTuple):
    """A footnote or endnote added, removed or changed on a clause."""

    kind: ChangeKind  # ADDED, REMOVED or MODIFIED
    old: Clause | None
    new: Clause | None
    inline: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    old: tuple[ClauseRef, ...]
    new: tuple[ClauseRef, ...]
    moved: bool = False
    inline: tuple[Span, ...] = ()
    notes: tuple[NoteChange, ...] = ()  # of a modified clause: its notes that changed

    @property
    def image_replaced(self) -> bool:
        """A picture whose bytes changed (its alt text may not have)."""
        return (
            self.kind is ChangeKind.MODIFIED
            and self.old[0].kind is ClauseKind.IMAGE
            and self.new[0].kind is ClauseKind.IMAGE
            and self.old[0].clause.digest != self.new[0].clause.digest
        )


@dataclass(frozen=True, slots=True)
class SectionChange:
    kind: SectionKind
    old: str | None
    new: str | None
    old_id: str | None
    new_id: str | None


@dataclass(frozen=True, slots=True)
class Comparison:
    old: Document
    new: Document
    changes: tuple[Change, ...]
    sections: tuple[SectionChange, ...]
    unchanged: int
    renumbered: int  # unchanged clauses whose label changed
    unchanged_pairs: tuple[tuple[ClauseRef, ClauseRef], ...] = ()

    def counts(self) -> dict[str, int]:
        """How many changes of each kind ("added": 2 ...) and clauses "unchanged"."""
        counts = Counter(c.kind.value for c in self.changes)
        out = {kind.value: counts.get(kind.value, 0) for kind in ChangeKind}
        out["unchanged"] = self.unchanged
        return out

    @property
    def summary(self) -> tuple[str, ...]:
        """The governors' summary: plain-English sentences, as every report opens
        ("2 clauses were changed.", ...)."""
        from policydiff.reporting import summary_sentences

        return summary_sentences(self)

    def to_dict(
        self, old_source: str | None = None, new_source: str | None = None
    ) -> dict[str, Any]:
        """The comparison as the `policydiff.diff/1` JSON contract (what `policydiff diff
        --format json` prints), naming each side by `old_source`/`new_source` (default: the
        documents' own sources)."""
        from policydiff.diffing.export import to_json

        return to_json(
            self,
            self.old.source if old_source is None else old_source,
            self.new.source if new_source is None else new_source,
        )


@dataclass(frozen=True, slots=True)
class KindInfo:
    """What a kind of change means and how every output words it."""

    meaning: str  # for the README and a reader of the JSON
    heading: str  # before the change in every report: "Changed"
    one: str  # in the governors' summary, for one: "clause was changed"
    many: str  # ... for several: "clauses were changed"
    short: str  # in the one-line count: "changed"


KINDS: dict[ChangeKind, KindInfo] = {
    ChangeKind.MODIFIED: KindInfo(
        "the same clause, its words changed (rewritten in its place, however heavily)",
        "Changed", "clause was changed", "clauses were changed", "changed",
    ),
    ChangeKind.ADDED: KindInfo(
        "a clause the earlier revision did not have", "Added", "clause was added",
        "clauses were added", "added",
    ),
    ChangeKind.REMOVED: KindInfo(
        "a clause the new revision no longer has", "Removed", "clause was removed",
        "clauses were removed", "removed",
    ),
    ChangeKind.MOVED: KindInfo(
        "the same words in another section, or out of order in their own",
        "Moved", "clause was moved", "clauses were moved", "moved",
    ),
    ChangeKind.SPLIT: KindInfo(
        "one clause became two or more (a piece may be reworded)", "Split",
        "clause was split", "clauses were split", "split",
    ),
    ChangeKind.MERGED: KindInfo(
        "two or more clauses became one (with or without an edit)", "Merged",
        "set of clauses was joined", "sets of clauses were joined", "merged",
    ),
}  # fmt: skip
