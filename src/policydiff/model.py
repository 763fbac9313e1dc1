"""The document model: small, explicit, immutable. Standard library only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

BODY = "body"
CELL_SEPARATOR = " | "  # between a table row's cells in its text
# The titles of the sections that hold a document's page headers and footers (Section.part).
PAGE_TITLES = {"header": "Page header", "footer": "Page footer"}


class ClauseKind(StrEnum):
    """What a clause is, in Word's terms. The body's clauses are paragraphs, list items, table
    rows, text boxes and images; footnotes and endnotes hang on the clause that cites them
    (`Clause.notes`); headers and footers stand in their own sections (`Section.part`)."""

    PARAGRAPH = "paragraph"
    LIST_ITEM = "list item"
    TABLE_ROW = "table row"
    TEXT_BOX = "text box"
    IMAGE = "image"
    FOOTNOTE = "footnote"
    ENDNOTE = "endnote"
    HEADER = "header"
    FOOTER = "footer"


class ClauseExtras(NamedTuple):
    """What some clauses carry besides their text. Shared between clauses where equal (every
    top-level bullet has the same), so that a long policy stays small in memory and in the
    pickle that carries it between processes."""

    cells: tuple[str, ...] = ()  # a table row's cells as read; the text joins them with " | "
    level: int | None = None  # a list item's level in Word's numbering (0 = the outermost)
    bullet: bool = False  # a list item shown with a bullet, not a number
    notes: tuple[Clause, ...] = ()  # the footnotes and endnotes it cites, in reading order
    digest: str | None = None  # an image: SHA-256 of the picture's bytes (hex)
    part: str | None = None  # a header or footer: the pages it is on ("every page", ...)


class Clause(NamedTuple):
    """One paragraph, list item, table row, text box paragraph, image or note, with its label
    split from its text. (A named tuple: a handbook has tens of thousands, and a frozen
    dataclass is slower to build.)"""

    id: str  # "c" + a short hash of its text: the same clause keeps its id between revisions
    label: str | None  # what Word shows before the text ("4.2", "(b)"), or a typed number
    text: str  # as it reads: label removed, tracked changes accepted, white space folded;
    # an image's text is its alt text (empty when it has none)
    kind: ClauseKind
    extras: ClauseExtras | None = None  # cells, list level, bullet, notes, digest, pages

    @property
    def cells(self) -> tuple[str, ...]:
        """A table row's cells (empty for any other clause). Kept only where the text cannot
        give them back (a cell that itself holds " | "): a long policy's tables cost no more
        than their text."""
        if self.extras is not None and self.extras.cells:
            return self.extras.cells
        if self.kind is ClauseKind.TABLE_ROW:
            return tuple(self.text.split(CELL_SEPARATOR))
        return ()

    @property
    def level(self) -> int | None:
        """A list item's level (0 = outermost); None for any other clause."""
        return self.extras.level if self.extras is not None else None

    @property
    def bullet(self) -> bool:
        """Whether a list item is shown with a bullet."""
        return self.extras.bullet if self.extras is not None else False

    @property
    def notes(self) -> tuple[Clause, ...]:
        """The footnotes and endnotes the clause cites, in reading order."""
        return self.extras.notes if self.extras is not None else ()

    @property
    def digest(self) -> str | None:
        """An image's SHA-256 (hex); None for any other clause."""
        return self.extras.digest if self.extras is not None else None

    @property
    def part(self) -> str | None:
        """The pages a header or footer is on ("every page", "first page", ...)."""
        return self.extras.part if self.extras is not None else None


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the clauses under it (up to the next heading of any level)."""

    id: str
    title: str | None  # None for the untitled opening of a document
    level: int  # 0 for the untitled opening, 1 for a top-level heading, ...
    label: str | None
    clauses: tuple[Clause, ...]
    children: tuple[Section, ...] = ()
    part: str = BODY  # "body", or "header" / "footer" for the page headers and footers

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
    """A policy as read: its sections in reading order (the body's, then the page headers'
    and footers'), and what it contains that was not compared (`left_out`: ("chart", 1), ...,
    in the words of `LEFT_OUT`)."""

    source: str
    metadata: Metadata
    sections: tuple[Section, ...] = field(default=())
    left_out: tuple[tuple[str, int], ...] = ()

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


# What a document can contain that is not compared, as a governor would name it (one, many).
LEFT_OUT: dict[str, tuple[str, str]] = {
    "inserted": ("document inserted from another file", "documents inserted from other files"),
    "chart": ("chart", "charts"),
    "diagram": ("SmartArt diagram", "SmartArt diagrams"),
    "object": ("embedded object", "embedded objects"),
    "equation": ("equation", "equations"),
    "comment": ("comment", "comments"),
}


def left_out_sentence(left_out: tuple[tuple[str, int], ...]) -> str | None:
    """ "This document also contains 1 chart and 2 comments, which were not compared." for
    `(("chart", 1), ("comment", 2))`; None when nothing was left out. Comments are never
    policy text; the rest are parts of a policy that policydiff cannot read as text."""
    if not left_out:
        return None
    names = []
    for kind, count in left_out:
        one, many = LEFT_OUT.get(kind, (kind, kind + "s"))
        names.append(f"{count} {one if count == 1 else many}")
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    verb = "was" if sum(count for _, count in left_out) == 1 else "were"
    return f"This document also contains {listed}, which {verb} not compared."


def group_tables(clauses: tuple[Clause, ...]) -> list[Clause | list[Clause]]:
    """`clauses` in order, with each run of table rows gathered into one list: one table, as
    every output shows it."""
    out: list[Clause | list[Clause]] = []
    for clause in clauses:
        if clause.kind is ClauseKind.TABLE_ROW:
            last = out[-1] if out else None
            if isinstance(last, list):
                last.append(clause)
            else:
                out.append([clause])
        else:
            out.append(clause)
    return out
