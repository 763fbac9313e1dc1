"""The document model: small, explicit, immutable. Standard library only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class ClauseKind(StrEnum):
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list item"
    TABLE_ROW = "table row"


class Clause(NamedTuple):
    """One paragraph, list item or table row, with its label split from its text. (A named
    tuple: a handbook has tens of thousands, and a frozen dataclass is slower to build.)"""

    id: str  # "c" + a short hash of its text: the same clause keeps its id between revisions
    label: str | None  # what Word shows before the text ("4.2", "(b)"), or a typed number
    text: str  # as it reads: label removed, tracked changes accepted, white space folded
    kind: ClauseKind


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the clauses under it (up to the next heading of any level)."""

    id: str
    title: str | None  # None for the untitled opening of a document
    level: int  # 0 for the untitled opening, 1 for a top-level heading, ...
    label: str | None
    clauses: tuple[Clause, ...]
    children: tuple[Section, ...] = ()

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True, slots=True)
class Metadata:
    """Facts about a document: from its properties and from what it says about itself."""

    title: str | None = None
    author: str | None = None
    created: str | None = None
    modified: str | None = None
    revision: str | None = None
    header: str | None = None
    footer: str | None = None
    version: str | None = None  # as the document states it ("4.0")
    approved: str | None = None  # approval date as written ("12 March 2024")
    approved_by: str | None = None
    next_review: str | None = None  # as written ("March 2025")


@dataclass(frozen=True, slots=True)
class Document:
    source: str
    metadata: Metadata
    sections: tuple[Section, ...] = field(default=())

    def walk(self) -> Iterator[Section]:
        """Every section, depth first, in reading order."""
        for section in self.sections:
            yield from section.walk()

    def clauses(self) -> Iterator[tuple[Section, Clause]]:
        """Every clause in reading order, with the section it stands in."""
        for section in self.walk():
            for clause in section.clauses:
                yield section, clause

    @property
    def title(self) -> str | None:
        return self.metadata.title
