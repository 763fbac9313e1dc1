"""Paragraphs -> sections and clauses: headings, labels, typed numbers. Pure; no I/O.

Real policies rarely use heading styles, so when a document has none, short bold or capitalised
paragraphs (and typed numbers with a short title, "3. Data protection") are taken as headings.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from hashlib import sha1
from typing import NamedTuple

from policydiff.model import BODY, CELL_SEPARATOR, Clause, ClauseExtras, ClauseKind, Section


class Block(NamedTuple):
    """One paragraph or table row as the reader found it, before the outline is known. (A
    named tuple: one is made per paragraph, and a frozen dataclass is slower to build.)"""

    text: str  # white space folded, automatic label not included
    kind: ClauseKind = ClauseKind.PARAGRAPH
    label: str | None = None  # Word's automatic number as shown ("4.2", "(b)")
    bullet: bool = False
    ilvl: int | None = None  # list level, when numbered
    heading_level: int | None = None  # from the paragraph style or outline level
    bold: bool = False  # every visible character is bold
    caps: bool = False  # formatted as capitals (w:caps), whatever was typed
    cells: tuple[str, ...] = ()  # a table row's cells
    notes: tuple[Clause, ...] = ()  # the footnotes and endnotes the paragraph cites
    digest: str | None = None  # an image's SHA-256
    source: object = None  # the w:p, w:tr or picture it was read from (for the Word redline)


class Origins(NamedTuple):
    """Where each clause and heading of a document was read from: what the Word redline
    marks. Filled by `build_sections` when asked."""

    clauses: list[object]  # each clause's Block.source, in reading order
    headings: dict[str, object]  # a section's id -> its heading's Block.source
    title: list[object]  # the source of the document's title, when it has one


# A typed number at the start of a paragraph: "3.", "3.1", "3.1.2", "(3)", "3)", "(a)", "a)",
# "a.", "(iv)", "iv.", or a bare number followed by a tab. A year ("1998 saw ...", "2018.") is
# not a label; long handbooks number past 999 sections ("1139.5").
_TYPED_LABEL = re.compile(
    r"""^(?P<label>
        \(\d{1,3}\) | \d{1,3}\)
      | \d{1,4}(?:\.\d{1,3})+\.?
      | (?!(?:19|20)\d\d\.)\d{1,4}\.
      | \d{1,3}(?=\t)
      | \([a-zA-Z]\) | [a-zA-Z][.)]
      | \((?:[ivxlcdm]{1,6}|[IVXLCDM]{1,6})\) | (?:[ivxlcdm]{1,6}|[IVXLCDM]{1,6})[.)]
    )[\s\u00a0]+(?=\S)""",
    re.VERBOSE,
)
# A typed bullet: a mark ("•Staff", "• Staff") or a dash or star and a space ("- Staff").
_BULLET_MARKS, _BULLET_DASHES = "•◦▪‣●○■□➢✓·", "-–*"
_BULLET_CHARACTERS = _BULLET_MARKS + _BULLET_DASHES
_TYPED_BULLET = re.compile(
    rf"^(?:[{re.escape(_BULLET_MARKS)}]\s*|[{re.escape(_BULLET_DASHES)}]\s+)(?=\S)"
)
_DECIMAL_LABEL = re.compile(r"^\(?(\d{1,4}(?:\.\d{1,3})*)\.?\)?$")
_SENTENCE_END = (".", ":", ";", ",", "?", "!")
# (A tuple, not a set: `in` then compares by identity, where a set would hash each member
# through Enum.__hash__, a Python call.)
_MAY_HEAD = (ClauseKind.PARAGRAPH, ClauseKind.LIST_ITEM)  # a text box is not a heading

MAX_HEADING_WORDS = 12  # a heuristic heading is a short line, not a sentence
MAX_HEADING_CHARS = 100
MAX_STOP_HEADING_WORDS = 6  # "RIGHT TO CONVERT." is a heading; a sentence is not
# A paragraph in a heading style that runs longer than this, or that is a sentence longer than
# a heading, is a clause with a run-in heading ("1. General. The voting rights ...") as legal
# templates write them: compare it as a clause.
MAX_STYLE_HEADING_WORDS = 30


def fold(text: str) -> str:
    """White space folded to single spaces (non-breaking spaces and tabs included)."""
    # Most text is folded already, and most is ASCII, whose white space besides the space is
    # the nine control characters searched for below (each search a fast scan; together a
    # fifth of str.isprintable(), which looks every character up: 6% of reading a file).
    # Elsewhere every white space character but the space is unprintable, so one scan tells.
    if text.isascii():
        folded = not (
            "\t" in text or "\n" in text or "\r" in text or "\x0b" in text or "\x0c" in text
            or "\x1c" in text or "\x1d" in text or "\x1e" in text or "\x1f" in text
        )  # fmt: skip
    else:
        folded = text.isprintable()
    if folded and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def words(text: str) -> int:
    """How many words a folded text has."""
    return text.count(" ") + 1 if text else 0


def split_typed_label(text: str) -> tuple[str | None, str]:
    """("3.1", "Staff must ...") from "3.1 Staff must ..."; (None, text) when there is none."""
    first = text[:1]
    if first.isalpha() and "." not in text[1:8] and ")" not in text[1:8]:
        return None, text  # prose: a letter label ("a.", "iv)") closes within seven characters
    if not (first.isalnum() or first == "("):
        return None, text
    match = _TYPED_LABEL.match(text)
    if match is None:
        return None, text
    return match.group("label"), text[match.end() :]


def strip_typed_bullet(text: str) -> tuple[bool, str]:
    if text[:1] not in _BULLET_CHARACTERS:
        return False, text
    match = _TYPED_BULLET.match(text)
    if match is None:
        return False, text
    return True, text[match.end() :]


def _has_caps_words(text: str) -> bool:
    if not text.isupper():  # a lower-case letter, or no cased letter at all
        return False
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _heading_candidate(block: Block, label: str | None, text: str) -> str | None:
    """Why this block could be a heading in a document without heading styles, or None."""
    if block.kind not in _MAY_HEAD or block.bullet:
        return None
    if len(text) > MAX_HEADING_CHARS or words(text) > MAX_HEADING_WORDS:
        return None
    if not any(c.isalpha() for c in text):
        return None
    capitals = block.caps or _has_caps_words(text)
    numbered = bool(_DECIMAL_LABEL.match(label or block.label or "")) and text[:1].isupper()
    if text.endswith(_SENTENCE_END):
        # A run-in heading in capitals, or in bold after a number, may end with a full stop
        # ("RIGHT TO CONVERT.", "4. Right to convert."); a short sentence does not count.
        short = words(text) <= MAX_STOP_HEADING_WORDS
        if not (text.endswith(".") and short and (capitals or (numbered and block.bold))):
            return None
    if capitals:
        return "caps"
    if block.bold:
        return "bold"
    if numbered and words(text) <= MAX_STOP_HEADING_WORDS:
        return "numbered"
    return None


def _depth(label: str | None) -> int | None:
    if label is None:
        return None
    match = _DECIMAL_LABEL.match(label)
    return match.group(1).count(".") + 1 if match else None


def build_sections(blocks: list[Block], origins: Origins | None = None) -> tuple[Section, ...]:
    """Group blocks into nested sections, by heading styles and, where a document sets its
    headings by hand (bold or capitals), by the look of its lines. With `origins`, record
    where each clause and heading came from (in the order `Document.walk` gives them)."""
    prepared: list[tuple[Block, str | None, str, str | None]] = []
    for block in blocks:
        text = block.text
        bullet, text = strip_typed_bullet(text)
        label = block.label
        if label is None and not bullet:
            label, text = split_typed_label(text)
        if not text and block.kind is not ClauseKind.IMAGE and not block.notes:
            continue  # block text is folded, and so is what follows a label
        if bullet:
            block = block._replace(text=text, kind=ClauseKind.LIST_ITEM, label=None, bullet=True)
        if block.heading_level is not None:
            count = words(text)
            sentence = text.endswith(_SENTENCE_END) and count > MAX_HEADING_WORDS
            if count > MAX_STYLE_HEADING_WORDS or sentence:
                block = block._replace(heading_level=None)
        reason = None
        if block.heading_level is None and len(text) <= MAX_HEADING_CHARS:  # (most are longer)
            reason = _heading_candidate(block, label, text)
        prepared.append((block, label, text, reason))

    # A heading introduces something longer than itself: "NINE" in a list of number words is
    # not a heading. Look at the next block that is not itself a candidate.
    # A typed number heads a section only when what follows is numbered deeper or not at all
    # ("3. Data protection" then "3.1 ..."; but "6.5 Staff room" then "6.6 ..." are items).
    # (Only candidates are measured: what follows them is looked at when one is met.)
    following: tuple[str, str | None] = ("", None)  # text and label of that next block
    for k in range(len(prepared) - 1, -1, -1):
        block, label, text, reason = prepared[k]
        if reason is not None:
            next_text, next_label = following
            too_short = not next_text.endswith(_SENTENCE_END) and words(next_text) <= words(text)
            next_depth = _depth(next_label)
            depth = _depth(label)
            same_level = (
                reason == "numbered"
                and next_depth is not None
                and depth is not None
                and next_depth <= depth
            )
            if too_short or same_level:
                prepared[k] = (block, label, text, None)
                reason = None
        if reason is None and block.kind is not ClauseKind.IMAGE:
            following = (text, label)

    # Headings set by hand count when the document has no heading styles, or when they
    # outnumber the styled ones (a policy whose only Heading 1 is its name, say): then they
    # nest below the styled headings.
    styled = [p[0].heading_level for p in prepared if p[0].heading_level is not None]
    reasons = Counter(p[3] for p in prepared)
    by_hand = len(prepared) - reasons[None]
    if styled and by_hand <= max(1, len(styled)):
        prepared = [(b, label, text, None) for b, label, text, _ in prepared]
        reasons = Counter()
    offset = max(styled, default=0)

    has_caps = reasons["caps"] > 0
    builder = SectionBuilder()
    for block, label, text, reason in prepared:
        level: int | None = block.heading_level
        if level is None and reason is not None:
            level = _depth(label) if label else None
            if level is None and block.ilvl is not None:
                level = block.ilvl + 1
            if level is None:
                level = 2 if reason == "bold" and has_caps else 1
            level += offset
        if origins is not None:
            if level is None or block.notes:
                origins.clauses.append(block.source)
            if level is not None:
                origins.headings[builder.next_id(text)] = block.source
        if level is not None:
            builder.heading(text, level, label)
            if block.notes:  # a note cited in a heading: it stands first in its section
                builder.clause(None, "", ClauseKind.PARAGRAPH, notes=block.notes)
        elif block.kind is ClauseKind.PARAGRAPH and not block.notes:
            builder.clause(label, text, ClauseKind.PARAGRAPH)  # (most clauses: the quick way)
        elif block.kind is ClauseKind.LIST_ITEM:
            level = block.ilvl if block.ilvl is not None else 0
            builder.clause(label, text, block.kind, None, (), level, block.bullet, block.notes)
        else:
            builder.clause(
                label, text, block.kind, None, block.cells, None, False, block.notes, block.digest
            )
    return builder.finish()


# A list item's extras, one per (level, bullet): shared by every such item.
_LIST_EXTRAS: dict[tuple[int | None, bool], ClauseExtras] = {}


class SectionBuilder:
    """Builds the section tree from headings and clauses in reading order.

    Ids are stable: a short hash of the clause text (or section title), so that an unchanged
    clause keeps its id from one revision to the next and a stored revision diffs well.
    """

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}
        self._stack: list[_Open] = [_Open("s0", None, 0, None)]
        self._top: list[Section] = []

    def _id(self, prefix: str, text: str) -> str:
        base = prefix + sha1(text.encode()).hexdigest()[:8]
        if base not in self._seen:  # (nearly always: a text repeated is rare)
            self._seen[base] = 1
            return base
        self._seen[base] += 1
        return f"{base}-{self._seen[base]}"

    def next_id(self, title: str) -> str:
        """The id `heading(title, ...)` will give its section."""
        base = "s" + sha1(title.encode()).hexdigest()[:8]
        seen = self._seen.get(base)
        return base if seen is None else f"{base}-{seen + 1}"

    def heading(
        self, title: str, level: int, label: str | None, id: str | None = None, part: str = BODY
    ) -> None:
        while len(self._stack) > 1 and self._stack[-1].level >= level:
            self._close()
        self._stack.append(_Open(id or self._id("s", title), title, level, label, part))

    def clause(
        self,
        label: str | None,
        text: str,
        kind: ClauseKind,
        id: str | None = None,
        cells: tuple[str, ...] = (),
        level: int | None = None,
        bullet: bool = False,
        notes: tuple[Clause, ...] = (),
        digest: str | None = None,
        part: str | None = None,
    ) -> None:
        """Add a clause to the open section. Its id is a hash of its text (of an image's
        digest too), numbered on when the same text comes again."""
        if id is None:
            id = self._id("c", text if digest is None else f"{text}\0{digest}")
        extras = None
        if cells and tuple(text.split(CELL_SEPARATOR)) == cells:
            cells = ()  # the text gives them back
        if cells or notes or digest or part:
            extras = ClauseExtras(cells, level, bullet, notes, digest, part)
        elif level is not None or bullet:
            extras = _LIST_EXTRAS.get((level, bullet))
            if extras is None:
                extras = _LIST_EXTRAS[level, bullet] = ClauseExtras((), level, bullet)
        self._stack[-1].clauses.append(Clause(id, label, text, kind, extras))

    def _close(self) -> None:
        done = self._stack.pop().freeze()
        if len(self._stack) > 1:
            self._stack[-1].children.append(done)
        else:
            self._top.append(done)

    def finish(self) -> tuple[Section, ...]:
        while len(self._stack) > 1:
            self._close()
        opening = self._stack[0].freeze()
        return ((opening,) if opening.clauses else ()) + tuple(self._top)


@dataclass(slots=True)
class _Open:
    id: str
    title: str | None
    level: int
    label: str | None
    part: str = BODY
    clauses: list[Clause] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    def freeze(self) -> Section:
        return Section(
            self.id,
            self.title,
            self.level,
            self.label,
            tuple(self.clauses),
            tuple(self.children),
            self.part,
        )
