"""The Word redline as Word's Compare makes it: the new document's own package, with each change
marked where it stands (ECMA-376 Part 1, 17.13.5 revisions).

- a changed clause: its words marked inside its own runs (`redlining.text`);
- an added clause: its runs and its paragraph mark inserted; an added row, a tracked row;
- a removed clause: the old paragraph or row brought back where it stood (`redlining.port`),
  its runs and mark deleted;
- a moved clause: w:moveFrom at its old place and w:moveTo at its new one, under range marks
  of one name; its changed words inserted at the new place;
- a split or a join: the paragraph marks inserted or deleted, with the words;
- headings, the title, headers, footers and footnotes the same way, in their own parts.

Each change of the comparison is anchored by a hidden bookmark "_PolicydiffChange<n>" (so a
count of the report's changes can be checked against the document), and the governors'
summary is a comment on the first paragraph, which neither Accept All nor Reject All touches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, cast

from lxml import etree

from policydiff.diffing.align import flatten
from policydiff.diffing.changes import Change, ChangeKind, Comparison, SectionKind
from policydiff.model import BODY, Document
from policydiff.readers.docx import Sources
from policydiff.readers.wordml import W_NS, row_cells, table_rows, w
from policydiff.redlining.comments import add_comment
from policydiff.redlining.marks import PPR, TBL, TR, Marker, P, clone, own_runs
from policydiff.redlining.parts import OutputPackage
from policydiff.redlining.port import Porter
from policydiff.redlining.text import mark_words
from policydiff.reporting import Report
from policydiff.typography import comparable

_TXBX = w("txbxContent")
_BODY = w("body")
_SECTPR = w("sectPr")
_NOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"
BOOKMARK = "_PolicydiffChange"
_SUMMARY_OPENING = "What changed, from"
_REASON_OPENING = "Why it changed:"

Key = tuple[str, object]  # ("title", None), ("heading", section id), ("clause", position)


class _Unit(NamedTuple):
    """A title, heading or clause, with where it was read from (a header's clause: every
    header part that prints the same words)."""

    key: Key
    sources: tuple[etree._Element, ...]
    story: str  # "body", or the furniture section's id


@dataclass(slots=True)
class _Back:
    """An old unit to bring back: deleted, or moved away from here."""

    how: str  # "del" or "moveFrom"
    move: str | None = None  # the move's name


@dataclass(slots=True)
class MarkedNotes:
    """What the redline could not carry over, for the person who asked for it."""

    lists_dropped: int = 0
    pictures_dropped: int = 0
    not_placed: int = 0


def _copies(source: object) -> tuple[etree._Element, ...]:
    """A Block.source as a tuple of elements (one, or a header's copies)."""
    if source is None:
        return ()
    if source.__class__ is tuple:
        return cast("tuple[etree._Element, ...]", source)
    return (cast("etree._Element", source),)


def _units(document: Document, sources: Sources) -> list[_Unit]:
    """Title, headings and clauses in reading order, with where each was read from."""
    origins = sources.origins
    units: list[_Unit] = []
    if origins.title:
        units.append(_Unit(("title", None), _copies(origins.title[0]), BODY))
    position = 0
    for section in document.walk():
        story = BODY if section.part == BODY else section.id
        if section.id in origins.headings:
            units.append(
                _Unit(("heading", section.id), _copies(origins.headings[section.id]), story)
            )
        make = _Unit._make
        for k in range(position, position + len(section.clauses)):
            units.append(make((("clause", k), _copies(origins.clauses[k]), story)))
        position += len(section.clauses)
    return units


def _block(element: etree._Element) -> etree._Element:
    """The paragraph or row an element (a picture) stands in."""
    if element.tag in (P, TR):
        return element
    for ancestor in element.iterancestors(P):
        return ancestor
    return element


def _out_of_text_boxes(element: etree._Element) -> etree._Element:
    """The body paragraph holding a text box's paragraph (itself, when not in one)."""
    box = next(element.iterancestors(_TXBX), None)
    while box is not None:
        outer = next(box.iterancestors(P), None)
        if outer is None:
            break
        element = outer
        box = next(element.iterancestors(_TXBX), None)
    return element


_NOTE_REFERENCES = {w("footnoteReference"): "footnote", w("endnoteReference"): "endnote"}


def _xpath(root: etree._Element, path: str) -> list[object]:
    found = root.xpath(path)
    return list(found) if isinstance(found, list) else []


def _index(items: tuple[object, ...], item: object) -> int | None:
    """Where `item` is in `items`, by identity, else by equality."""
    for k, x in enumerate(items):
        if x is item:
            return k
    return items.index(item) if item in items else None


def _words_of(element: etree._Element) -> str:
    """The text of a note, folded as the comparison folds it."""
    return comparable(" ".join(t.text or "" for t in element.iter(w("t"))))


def _shape(unit: _Unit) -> str:
    """A table row, or a paragraph (a picture is one)."""
    return "row" if unit.sources[0].tag == TR else "paragraph"


def _run_of(element: etree._Element) -> etree._Element:
    return next(element.iterancestors(w("r")), element)


def _shape_of(blocks: list[etree._Element]) -> list[object]:
    """Paragraphs, and tables by their rows' numbers of cells: what must agree for two
    containers to be marked block by block."""
    return ["p" if b.tag == P else [len(row_cells(row)) for row in table_rows(b)] for b in blocks]


class _Redline:
    def __init__(
        self,
        comparison: Comparison,
        old: Sources,
        new: Sources,
        author: str,
        when: datetime,
    ) -> None:
        self.comparison = comparison
        self.old = old
        self.new = new
        self.output = OutputPackage(new.package)
        self.marker = Marker(author, when, list(new.package.trees.values()))
        self.notes = MarkedNotes()
        self.old_parts = {id(root): name for name, root in old.package.trees.items()}
        self.new_parts = {id(root): name for name, root in new.package.trees.items()}
        old_rels = {r.type: r.target for r in old.package.relationships(old.main)}
        new_rels = {r.type: r.target for r in new.package.relationships(new.main)}

        def tree(
            package_sources: Sources, rels: dict[str, str], kind: str
        ) -> etree._Element | None:
            target = rels.get(kind)
            if target is None or not package_sources.package.has(target):
                return None
            return package_sources.package.xml(target)

        self.porter = Porter(
            old.package,
            tree(old, old_rels, "styles"),
            tree(new, new_rels, "styles"),
            tree(new, new_rels, "numbering"),
            self.output,
        )
        self.note_parts = {
            (side, kind): target
            for side, rels in (("old", old_rels), ("new", new_rels))
            for kind in ("footnotes", "endnotes")
            if (target := rels.get(kind)) is not None
            and (old if side == "old" else new).package.has(target)
        }
        self.porter.next_drawing = 1 + max(
            (
                int(v)
                for root in new.package.trees.values()
                for v in map(str, _xpath(root, "//*[local-name()='docPr']/@id"))
                if v.isdigit()
            ),
            default=0,
        )
        self.note_ids: dict[tuple[str, str], str] = {}  # ("footnote", old id) -> new id
        self.porter.note_id = self._note_id
        self.old_units = _units(comparison.old, old)
        self.new_units = _units(comparison.new, new)
        self.old_by_key = {u.key: u for u in self.old_units}
        self.new_by_key = {u.key: u for u in self.new_units}
        self.new_sources = {id(s) for u in self.new_units for s in u.sources}
        self.in_place: dict[Key, Key] = {}  # old unit -> the new unit that stands for it
        self.back: dict[Key, _Back] = {}  # old units to bring back
        self.brought: dict[Key, list[etree._Element]] = {}  # ... and their copies, placed
        self.first_mark: dict[int, tuple[Key, str]] = {}  # change -> where its bookmark goes

    # -- helpers --------------------------------------------------------------------------------

    def _part(self, element: etree._Element, new: bool) -> str:
        root = element.getroottree().getroot()
        parts = self.new_parts if new else self.old_parts
        return parts.get(id(root), self.new.main if new else self.old.main)

    def _port(self, element: etree._Element, like: etree._Element | None) -> etree._Element:
        """A copy of an old element fit for the new part that `like` stands in."""
        new_part = self._part(like, True) if like is not None else self.new.main
        return self.porter.port(element, self._part(element, False), new_part)

    def _touch(self, element: etree._Element) -> None:
        self.output.changed.add(self._part(element, True))

    def _insert_all(self, element: etree._Element) -> None:
        """Mark a whole new paragraph, row or picture inserted."""
        self._touch(element)
        if element.tag == P:
            self.marker.wrap(own_runs(element), "ins")
            self.marker.mark_paragraph(element, "ins")
        elif element.tag == TR:
            self.marker.mark_row(element, "ins")
            for paragraph in element.iter(P):
                self.marker.wrap(own_runs(paragraph), "ins")
        else:
            run = _run_of(element)
            holder = run.getparent()
            if holder is not None and holder.tag != w("ins"):
                self.marker.wrap([run], "ins")

    def _delete_all(self, element: etree._Element, how: str = "del") -> None:
        """Mark a whole brought-back paragraph or row deleted (or moved away)."""
        if element.tag == P:
            self.marker.wrap(own_runs(element), how)
            self.marker.mark_paragraph(element, how)
        elif element.tag == TR:
            self.marker.mark_row(element, "del")
            for paragraph in element.iter(P):
                self.marker.wrap(own_runs(paragraph), "del")

    # -- the plan -------------------------------------------------------------------------------

    # -- footnotes and endnotes -----------------------------------------------------------------

    def _notes_tree(self, side: str, kind: str) -> etree._Element | None:
        target = self.note_parts.get((side, kind + "s"))
        if target is None:
            return None
        package = (self.old if side == "old" else self.new).package
        return package.xml(target)

    @staticmethod
    def _note(tree: etree._Element | None, kind: str, note_id: str) -> etree._Element | None:
        if tree is None:
            return None
        return next((n for n in tree.iter(w(kind)) if n.get(w("id")) == note_id), None)

    def _pair_notes(self) -> None:
        """Each note of a clause that stayed the same clause, paired with the note it became
        (the comparison's note changes, else the same words), by the references that cite
        them; a note whose words changed is marked inside the notes part."""
        if not any(side == "new" for side, _ in self.note_parts):
            return
        old_refs_by = flatten(self.comparison.old)
        new_refs_by = flatten(self.comparison.new)
        pairs: list[tuple[int, int, Change | None]] = [
            (a.position, b.position, None) for a, b in self.comparison.unchanged_pairs
        ]
        pairs += [
            (c.old[0].position, c.new[0].position, c)
            for c in self.comparison.changes
            if len(c.old) == len(c.new) == 1
        ]
        for a, b, change in pairs:
            old_clause, new_clause = old_refs_by[a].clause, new_refs_by[b].clause
            if not old_clause.notes and not new_clause.notes:
                continue
            old = self.old_by_key[("clause", a)].sources
            new = self.new_by_key[("clause", b)].sources
            if not old or not new:
                continue
            old_refs, new_refs = self._cited("old", old[0]), self._cited("new", new[0])
            if len(old_refs) != len(old_clause.notes) or len(new_refs) != len(new_clause.notes):
                continue  # (a reference the reader did not count: leave the notes be)
            matched: list[tuple[int, int]] = []
            for note_change in () if change is None else change.notes:
                if note_change.old is not None and note_change.new is not None:
                    i = _index(old_clause.notes, note_change.old)
                    j = _index(new_clause.notes, note_change.new)
                    if i is not None and j is not None:
                        matched.append((i, j))
            free = [j for j in range(len(new_clause.notes)) if j not in {m[1] for m in matched}]
            for i, note in enumerate(old_clause.notes):
                if any(m[0] == i for m in matched):
                    continue
                same = next(
                    (
                        j
                        for j in free
                        if new_clause.notes[j].kind is note.kind
                        and comparable(new_clause.notes[j].text) == comparable(note.text)
                    ),
                    None,
                )
                if same is not None:
                    free.remove(same)
                    matched.append((i, same))
            for i, j in matched:
                self._pair_note(old_refs[i], new_refs[j])

    def _cited(self, side: str, element: etree._Element) -> list[etree._Element]:
        """The note references in a clause's paragraph or row whose note exists, in order."""
        out = []
        for reference in element.iter(*_NOTE_REFERENCES):
            kind = _NOTE_REFERENCES[reference.tag]
            note_id = reference.get(w("id"), "")
            if self._note(self._notes_tree(side, kind), kind, note_id) is not None:
                out.append(reference)
        return out

    def _pair_note(self, old_ref: etree._Element, new_ref: etree._Element) -> None:
        if old_ref.tag != new_ref.tag:
            return
        kind = _NOTE_REFERENCES[old_ref.tag]
        old_id, new_id = old_ref.get(w("id"), ""), new_ref.get(w("id"), "")
        if (kind, old_id) in self.note_ids:
            return
        self.note_ids[kind, old_id] = new_id
        old_note = self._note(self._notes_tree("old", kind), kind, old_id)
        new_note = self._note(self._notes_tree("new", kind), kind, new_id)
        if old_note is None or new_note is None or _words_of(old_note) == _words_of(new_note):
            return
        self._touch(new_note)
        self._blocks_words(new_note, self._port(old_note, new_note))

    def _blocks_words(self, new: etree._Element, old: etree._Element) -> None:
        """Mark how the content of a container (a note, a table cell) changed, `old` being a
        ported copy: paragraph by paragraph and, where both hold tables of the same shape,
        row by row and cell by cell inside them; otherwise the old content deleted before the
        new content, inserted."""
        new_blocks = [b for b in new if b.tag in (P, TBL)]
        old_blocks = [b for b in old if b.tag in (P, TBL)]
        if not any(b.tag == TBL for b in new_blocks + old_blocks):
            mark_words(new_blocks, old_blocks, self.marker)
            return
        if _shape_of(new_blocks) == _shape_of(old_blocks):
            k = 0
            while k < len(new_blocks):
                if new_blocks[k].tag == TBL:
                    rows = zip(table_rows(new_blocks[k]), table_rows(old_blocks[k]), strict=True)
                    for new_row, old_row in rows:
                        cells = zip(row_cells(new_row), row_cells(old_row), strict=True)
                        for new_cell, old_cell in cells:
                            self._blocks_words(new_cell, old_cell)
                    k += 1
                    continue
                end = k
                while end < len(new_blocks) and new_blocks[end].tag == P:
                    end += 1
                mark_words(new_blocks[k:end], old_blocks[k:end], self.marker)
                k = end
            return
        for k, block in enumerate(new_blocks):
            if block.tag == TBL:
                for row in block.iter(TR):
                    self._insert_all(row)
            else:
                self.marker.wrap(own_runs(block), "ins")
                if k < len(new_blocks) - 1:  # (a note or cell keeps its last paragraph mark)
                    self.marker.mark_paragraph(block, "ins")
        first = new_blocks[0] if new_blocks else None
        for block in old_blocks:
            if block.tag == TBL:
                for row in block.iter(TR):
                    self._delete_all(row)
            else:
                self._delete_all(block)
            if first is not None:
                first.addprevious(block)
            else:
                new.append(block)

    def _note_id(self, kind: str, old_id: str) -> str | None:
        """The new id for an old note cited by something brought back: its pair, or a copy
        of the old note added to the new notes part with its words deleted."""
        found = self.note_ids.get((kind, old_id))
        if found is not None:
            return found
        old_note = self._note(self._notes_tree("old", kind), kind, old_id)
        if old_note is None:
            return None
        tree = self._notes_tree("new", kind)
        if tree is None:
            tree = self._add_notes_part(kind)
        taken = [int(v) for n in tree.iter(w(kind)) if (v := n.get(w("id"), "")).isdigit()]
        new_id = str(max(taken, default=0) + 1)
        self.note_ids[kind, old_id] = new_id  # (before porting: a note cites no note)
        target = self.note_parts[("new", kind + "s")]
        copy = self.porter.port(old_note, self._part(old_note, False), target)
        copy.set(w("id"), new_id)
        for paragraph in copy.iter(P):
            self.marker.wrap(own_runs(paragraph), "del")
        tree.append(copy)
        self.output.changed.add(target)
        return new_id

    def _add_notes_part(self, kind: str) -> etree._Element:
        """A footnotes (or endnotes) part for a new document that has none, to hold the old
        notes brought back: the old part's separators, nothing else."""
        old_root = self._notes_tree("old", kind)
        root = etree.Element(w(kind + "s"), nsmap={"w": W_NS})
        for note in () if old_root is None else old_root.iter(w(kind)):
            if note.get(w("type")) in ("separator", "continuationSeparator"):
                root.append(clone(note))
        target = f"word/{kind}s.xml"
        self.new.package.trees[target] = root
        self.output.changed.add(target)
        self.output.declare(target, _NOTES_TYPE.format(kind=kind + "s"))
        self.output.relate(self.new.main, kind + "s", target)
        self.note_parts["new", kind + "s"] = target
        return root

    def run(self, report: Report) -> MarkedNotes:
        self._clear_earlier_redline()
        # A section moved whole: its heading and clauses are moves, not clauses in place.
        self.moved_sections = {
            s.old_id for s in self.comparison.sections if s.kind is SectionKind.MOVED
        }
        self._pair_notes()
        self._title()
        self._sections()
        for n, change in enumerate(self.comparison.changes):
            self._change(n, change)
        for a, b in self.comparison.unchanged_pairs:
            old, new = (
                self.old_by_key[("clause", a.position)],
                self.new_by_key[("clause", b.position)],
            )
            if a.section_id in self.moved_sections and self._movable([old], [new]):
                self._move([old], [new], words=False)
            elif old.sources and new.sources and _shape(old) != _shape(new):
                # the same words, now in a table (or out of one): Reject All must give the
                # old shape back, so the old is deleted and the new inserted
                self._replace([old], [new])
            else:
                self.in_place[old.key] = new.key
        self._bring_back()
        self._bookmarks()
        self._summary(report)
        self.notes.lists_dropped = self.porter.dropped_lists
        self.notes.pictures_dropped = self.porter.dropped_pictures
        return self.notes

    def _title(self) -> None:
        old = self.old_by_key.get(("title", None))
        new = self.new_by_key.get(("title", None))
        if old is None or new is None or not old.sources or not new.sources:
            if new is not None and new.sources:  # a title given
                self._insert_all(new.sources[0])
            if old is not None and old.sources:  # a title taken away
                self.back[old.key] = _Back("del")
            return
        self.in_place[old.key] = new.key
        if self.comparison.old.title != self.comparison.new.title:
            self._words(new.sources[0], [old.sources[0]])

    def _words(
        self,
        new: etree._Element,
        old: list[etree._Element],
        show_deleted: bool = True,
        inserted: str = "ins",
    ) -> bool:
        copies = [self._port(o, new) for o in old]
        self._touch(new)
        return mark_words([new], copies, self.marker, show_deleted, inserted)

    def _sections(self) -> None:
        for change in self.comparison.sections:
            old = self.old_by_key.get(("heading", change.old_id))
            new = self.new_by_key.get(("heading", change.new_id))
            if change.kind in (SectionKind.UNCHANGED, SectionKind.RENAMED):
                if old is None or new is None:  # a heading given to an untitled opening
                    for element in () if new is None else new.sources:
                        self._insert_all(element)
                    if old is not None:
                        self.back[old.key] = _Back("del")
                    continue
                self.in_place[old.key] = new.key
                if change.kind is SectionKind.RENAMED and old.sources and new.sources:
                    self._words(new.sources[0], [old.sources[0]])
                continue
            moved = change.kind is SectionKind.MOVED and old is not None and new is not None
            if moved and old is not None and new is not None and self._movable([old], [new]):
                self._move([old], [new], words=change.old != change.new)
                continue
            if new is not None and change.kind in (SectionKind.ADDED, SectionKind.MOVED):
                for element in new.sources:
                    self._insert_all(element)
            if old is not None and change.kind in (SectionKind.REMOVED, SectionKind.MOVED):
                self.back[old.key] = _Back("del")

    def _change(self, n: int, change: Change) -> None:
        olds = [self.old_by_key[("clause", r.position)] for r in change.old]
        news = [self.new_by_key[("clause", r.position)] for r in change.new]
        old_elements = [u.sources[0] for u in olds if u.sources]
        new_elements = [u.sources[0] for u in news if u.sources]
        if news:
            self.first_mark[n] = (news[0].key, "new")
        elif olds:
            self.first_mark[n] = (olds[0].key, "old")
        all_paragraphs = all(e.tag == P for e in old_elements + new_elements)
        if change.kind is ChangeKind.ADDED:
            for unit in news:
                for element in unit.sources:
                    self._insert_all(element)
            return
        if change.kind is ChangeKind.REMOVED:
            for unit in olds:
                self.back[unit.key] = _Back("del")
            return
        moved = change.moved or change.kind is ChangeKind.MOVED
        if moved or any(r.section_id in self.moved_sections for r in change.old):
            if self._movable(olds, news):
                self._move(olds, news, words=True)
                return
            self._replace(olds, news)
            return
        # modified, split or merged, in place
        if all_paragraphs and old_elements and new_elements:
            for unit in news:
                self._touch(unit.sources[0])
            for k in range(max(len(u.sources) for u in news)):
                targets = self._with_between([u.sources[min(k, len(u.sources) - 1)] for u in news])
                copies = [self._port(e, targets[0]) for e in old_elements]
                mark_words(targets, copies, self.marker)
            for unit in olds:
                self.in_place[unit.key] = news[-1].key
            return
        if len(olds) == len(news) == 1 and old_elements and new_elements:
            old_e, new_e = old_elements[0], new_elements[0]
            if old_e.tag == TR and new_e.tag == TR and self._row_words(new_e, old_e):
                self.in_place[olds[0].key] = news[0].key
                return
            if old_e.tag not in (P, TR) and new_e.tag not in (P, TR):  # a picture
                self._picture(olds[0], news[0])
                return
        self._replace(olds, news)

    def _with_between(self, paragraphs: list[etree._Element]) -> list[etree._Element]:
        """The paragraphs of a split clause with the empty ones between them (a blank line,
        a page break), whose marks are inserted too, or Reject All would leave them apart."""
        out = paragraphs[:1]
        for following in paragraphs[1:]:
            between: list[etree._Element] = []
            at = out[-1].getnext()
            while at is not None and at is not following and at.tag == P:
                if id(at) in self.new_sources:
                    break
                between.append(at)
                at = at.getnext()
            if at is following:
                out.extend(between)
            out.append(following)
        return out

    def _clear_earlier_redline(self) -> None:
        """A new revision made from an earlier redline (its changes accepted) still holds that
        redline's hidden bookmarks and summary comment: they go, so that each one in this
        redline is this comparison's."""
        removed: set[str] = set()
        comments = None
        rels = {r.type: r.target for r in self.new.package.relationships(self.new.main)}
        target = rels.get("comments")
        if target is not None and self.new.package.has(target):
            comments = self.new.package.xml(target)
            for comment in list(comments.iter(w("comment"))):
                text = "".join(t.text or "" for t in comment.iter(w("t")))
                if text.startswith((_SUMMARY_OPENING, _REASON_OPENING)) and (
                    comment.get(w("author")) == self.marker.author
                    or text.startswith(_SUMMARY_OPENING)
                ):
                    removed.add(comment.get(w("id"), ""))
                    comments.remove(comment)
                    self.output.changed.add(target)
        for name, root in list(self.new.package.trees.items()):
            starts = [
                b
                for b in root.iter(w("bookmarkStart"))
                if (b.get(w("name")) or "").startswith(BOOKMARK)
            ]
            ids = {b.get(w("id")) for b in starts}
            gone = starts + [b for b in root.iter(w("bookmarkEnd")) if b.get(w("id")) in ids]
            if removed:
                for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
                    gone += [c for c in root.iter(w(tag)) if c.get(w("id")) in removed]
            for element in gone:
                holder = element.getparent()
                if holder is None:
                    continue
                if element.tag == w("commentReference") and holder.tag == w("r"):
                    element, holder = holder, holder.getparent()
                    if holder is None:
                        continue
                holder.remove(element)
                self.output.changed.add(name)

    def _replace(self, olds: list[_Unit], news: list[_Unit]) -> None:
        """The old units deleted where they stood, the new ones inserted."""
        for unit in olds:
            self.back[unit.key] = _Back("del")
        for unit in news:
            for element in unit.sources:
                self._insert_all(element)

    def _picture(self, old: _Unit, new: _Unit) -> None:
        """A picture replaced (or its alt text changed): the old one deleted before the new
        one, which is inserted."""
        for element in new.sources:
            run = _run_of(element)
            copy = self._port(_run_of(old.sources[0]), run)
            self._touch(run)
            self._insert_all(element)
            holder = run.getparent()
            anchor = holder if holder is not None and holder.tag == w("ins") else run
            anchor.addprevious(copy)
            if copy.tag == w("r"):
                self.marker.wrap([copy], "del")
        self.in_place[old.key] = new.key

    def _row_words(self, new: etree._Element, old: etree._Element) -> bool:
        """A changed table row: the words of each cell marked, cell by cell (False when the
        rows have different numbers of cells, which is marked as a row replaced)."""
        copy = self._port(old, new)
        new_cells, old_cells = row_cells(new), row_cells(copy)
        if len(new_cells) != len(old_cells):
            return False
        self._touch(new)
        for a, b in zip(new_cells, old_cells, strict=True):
            self._blocks_words(a, b)
        return True

    @staticmethod
    def _movable(olds: list[_Unit], news: list[_Unit]) -> bool:
        """Word's move markup pairs one paragraph with one paragraph."""
        return (
            len(olds) == len(news) == 1
            and len(olds[0].sources) == len(news[0].sources) == 1
            and olds[0].sources[0].tag == P
            and news[0].sources[0].tag == P
        )

    def _move(self, olds: list[_Unit], news: list[_Unit], words: bool) -> None:
        """A paragraph moved: w:moveFrom where it was (brought back), w:moveTo where it is,
        under range marks of one name; with `words`, its new words inserted."""
        self.marker.moves += 1
        name = f"policydiffMove{self.marker.moves}"
        self.back[olds[0].key] = _Back("moveFrom", name)
        element = news[0].sources[0]
        self._touch(element)
        if words:
            copies = [self._port(olds[0].sources[0], element)]
            mark_words([element], copies, self.marker, show_deleted=False)
        rest = [r for r in own_runs(element) if r.getparent() is not None]
        self.marker.wrap(rest, "moveTo")
        self.marker.mark_paragraph(element, "moveTo")
        self._range(element, "moveTo", name)

    def _range(self, paragraph: etree._Element, tag: str, name: str) -> None:
        start, end = self.marker.range_marks(tag, name)
        properties = paragraph.find(PPR)
        paragraph.insert(0 if properties is None else paragraph.index(properties) + 1, start)
        paragraph.append(end)

    # -- bringing old units back ----------------------------------------------------------------

    def _bring_back(self) -> None:
        """Each old unit to bring back goes after the new place of the nearest unit before it
        (in its own story: the body, a header, a footer) that stayed where it was."""
        last_kept: dict[str, Key] = {}
        after: dict[int, etree._Element] = {}  # id(anchor) -> what was last put after it
        tables: dict[int, tuple[etree._Element, etree._Element]] = {}  # rows brought back
        firsts: dict[str, etree._Element | None] = {}  # the top of each story, before any
        whole: dict[int, list[etree._Element]] = {}  # id(old element) -> its copies, placed
        for unit in self.old_units:
            if unit.key in self.in_place:
                last_kept[unit.story] = self.in_place[unit.key]
                continue
            back = self.back.get(unit.key)
            if back is None or not unit.sources:
                continue
            holder = next((a for a in unit.sources[0].iterancestors() if id(a) in whole), None)
            if holder is not None:  # a text box or picture in a paragraph brought back whole
                self.brought[unit.key] = whole[id(holder)]
                continue
            anchor_key = last_kept.get(unit.story)
            anchors = self.new_by_key[anchor_key].sources if anchor_key is not None else ()
            placed: list[etree._Element] = []
            if not anchors:
                if unit.story not in firsts:
                    firsts[unit.story] = self._first_of_story(unit.story)
                first = firsts[unit.story]
                if first is None:
                    self.notes.not_placed += 1
                    continue
                placed.append(self._place_before(unit, first, back))
            else:
                for anchor in anchors:
                    placed.append(self._place_after(unit, anchor, back, after, tables))
            self.brought[unit.key] = placed
            whole[id(unit.sources[0])] = placed

    def _first_of_story(self, story: str) -> etree._Element | None:
        for unit in self.new_units:
            if unit.story == story and unit.sources:
                element = _out_of_text_boxes(_block(unit.sources[0]))
                if story == BODY:
                    # the top of the body: before its first block
                    for ancestor in element.iterancestors():
                        holder = ancestor.getparent()
                        if holder is not None and holder.tag == _BODY:
                            return ancestor
                    return element
                return element
        if story == BODY:
            body = self.new.package.xml(self.new.main).find(_BODY)
            if body is not None and len(body):
                return body[0]
        return None

    def _copy(self, unit: _Unit, like: etree._Element, back: _Back) -> etree._Element:
        source = unit.sources[0]
        if source.tag in (P, TR):
            copy = self._port(source, like)
        else:  # a picture: its run, in a paragraph of its own
            copy = etree.Element(P)
            copy.append(self._port(_run_of(source), like))
        self._delete_all(copy, back.how)
        if back.how == "moveFrom" and back.move is not None and copy.tag == P:
            self._range(copy, "moveFrom", back.move)
        return copy

    def _place_before(self, unit: _Unit, first: etree._Element, back: _Back) -> etree._Element:
        copy = self._copy(unit, first, back)
        if copy.tag == TR and first.tag != TR:
            copy = self._table_for(unit.sources[0], copy)
        elif copy.tag == P and first.tag == TR:
            first = next(first.iterancestors(TBL), first)
        first.addprevious(copy)
        self._touch(copy)
        return copy

    def _place_after(
        self,
        unit: _Unit,
        anchor: etree._Element,
        back: _Back,
        after: dict[int, etree._Element],
        tables: dict[int, tuple[etree._Element, etree._Element]],
    ) -> etree._Element:
        anchor = _block(anchor)
        source = unit.sources[0]
        if source.tag == TR or next(source.iterancestors(_TXBX), None) is None:
            anchor = _out_of_text_boxes(anchor)  # only a text box's paragraph goes in one
        at = after.get(id(anchor), anchor)
        copy = self._copy(unit, anchor, back)
        if copy.tag == TR:
            if at.tag == TR:
                at.addnext(copy)
            else:
                old_table = next(unit.sources[0].iterancestors(TBL), None)
                wrapper = tables.get(id(at))
                if wrapper is not None and wrapper[0] is old_table:
                    wrapper[1].append(copy)
                    self._touch(copy)
                    return copy
                table = self._table_for(unit.sources[0], copy)
                if at.tag == TR:
                    at = next(at.iterancestors(TBL), at)
                at.addnext(table)
                if old_table is not None:
                    tables[id(table)] = (old_table, table)
                after[id(anchor)] = table
                self._touch(copy)
                return copy
        else:
            if at.tag == TR:
                at = next(at.iterancestors(TBL), at)
            at.addnext(copy)
        after[id(anchor)] = copy
        self._touch(copy)
        return copy

    def _table_for(self, old_row: etree._Element, row: etree._Element) -> etree._Element:
        """A table to hold a brought-back row where the new document has none: the old
        table's properties and grid, ported."""
        table = etree.Element(TBL)
        old_table = next(old_row.iterancestors(TBL), None)
        if old_table is not None:
            for tag in ("tblPr", "tblGrid"):
                found = old_table.find(w(tag))
                if found is not None:
                    table.append(self._port(found, None))
        if table.find(w("tblPr")) is None:
            table.insert(0, etree.Element(w("tblPr")))
        table.append(row)
        return table

    # -- bookmarks and the summary --------------------------------------------------------------

    def _bookmarks(self) -> None:
        for n, (key, side) in sorted(self.first_mark.items()):
            if side == "new":
                unit = self.new_by_key[key]
                element = unit.sources[0] if unit.sources else None
            else:
                placed = self.brought.get(key)
                element = placed[0] if placed else None
            if element is None:
                continue
            paragraph = _block(element)
            if paragraph.tag == TR:
                paragraph = next(paragraph.iter(P), paragraph)
            if paragraph.tag != P:
                continue
            self._touch(paragraph)
            self.marker.bookmark(paragraph, f"{BOOKMARK}{n + 1}")

    def _summary(self, report: Report) -> None:
        """The governors' summary as a Word comment on the first paragraph of the body."""
        body = self.new.package.xml(self.new.main).find(_BODY)
        if body is None:
            return
        first = next((p for p in body.iter(P)), None)
        if first is None:
            return
        sentences = [f"{_SUMMARY_OPENING} {report.old.name} to {report.new.name}:"]
        if report.reason:
            sentences.insert(0, f"{_REASON_OPENING} {report.reason}")
        sentences += list(report.summary) or ["No clause changed."]
        add_comment(
            self.new.package, self.new.main, self.output, self.marker, first, first, sentences
        )
        self._touch(first)


def _safe(text: str) -> str:
    return "".join(c for c in text if c in "\t\n\r" or c >= " ")


def mark_changes(
    comparison: Comparison,
    report: Report,
    old: Sources,
    new: Sources,
    author: str,
    when: datetime,
) -> tuple[OutputPackage, MarkedNotes]:
    """Mark every change of `comparison` in the new document's trees (read by
    `read_docx_sources`, the same reading the comparison was made from); return the package
    to write and what could not be carried over."""
    redline = _Redline(comparison, old, new, author, when)
    notes = redline.run(report)
    return redline.output, notes
