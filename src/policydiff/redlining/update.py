"""The school's own Word document with a model policy's revision carried into it: every change
the merge applied is a tracked change (ECMA-376 Part 1, 17.13.5), so that the clerk accepts or
rejects each in Word, and every conflict a comment (17.13.4) holding the model's new text and
what changed in it. Accept All gives the merged policy; Reject All, the school's policy as it
was.

- a clause or heading the model reworded: its words marked inside the school's own runs;
- a clause the model added (or moved): the model's paragraph brought in after the school's
  copy of the clause before it, in the school's paragraph formatting where the two documents
  format that kind of clause alike (`redlining.port` maps styles and lists otherwise);
- a clause the model removed: its runs and paragraph mark deleted;
- a typed clause number the model changed: changed where the school's clause still had the
  model's old number.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from policydiff.diffing.merge import Decision, Insertion, Key, Merge, ModelChange, merge, parts
from policydiff.errors import PolicydiffError
from policydiff.readers.docx import Sources, read_docx, read_docx_sources
from policydiff.readers.wordml import w
from policydiff.redlining.comments import add_comment
from policydiff.redlining.marked import _block, _Unit, _units
from policydiff.redlining.marks import PPR, TBL, TR, Marker, P, own_runs
from policydiff.redlining.parts import OutputPackage
from policydiff.redlining.port import Porter
from policydiff.redlining.text import edit_words, paragraph_text
from policydiff.results import Level, Message, Result

AUTHOR = "policydiff"
_PSTYLE = w("pStyle")
_TC = w("tc")
_NUMPR = w("numPr")


@dataclass(frozen=True, slots=True)
class Updated:
    """The merge, and what the written document could not carry."""

    merge: Merge
    not_written: int  # applied changes the document could not show (none in a sound file)


def write_update(
    base: Path,
    model: Path,
    school: Path,
    output: Path,
    author: str = AUTHOR,
    when: datetime | None = None,
) -> Result[Updated]:
    """Merge the model's revision (`base` -> `model`, Word files) into the school's Word file
    `school` and write the school's document with the applied changes tracked and the
    conflicts commented to `output`. `author` names the revisions; `when` (default now, UTC)
    dates them. Returns the merge with the readers' notes. Raises ReadError for an unreadable
    file and PolicydiffError when `output` cannot be written."""
    when = when or datetime.now(UTC)
    base_read = read_docx(base)
    model_read, model_sources = read_docx_sources(model)
    try:
        school_read, school_sources = read_docx_sources(school)
    except BaseException:
        model_sources.package.close()
        raise
    try:
        if school_sources.package.settled:
            count = school_sources.package.settled
            raise PolicydiffError(
                f"{school.name} still has {count} tracked "
                f"{'change' if count == 1 else 'changes'} (an earlier update not yet "
                "reviewed?): accept or reject them in Word first (Review > Accept All, or "
                "Reject All), save it, and update that"
            )
        merged = merge(base_read.value, model_read.value, school_read.value)
        writer = _Writer(merged, model_sources, school_sources, author, when)
        missed = writer.run()
        writer.output.write(output)
    finally:
        model_sources.package.close()
        school_sources.package.close()
    messages = base_read.messages + model_read.messages + school_read.messages
    messages += tuple(Message(Level.WARNING, "update", w, school.name) for w in merged.warnings)
    if missed:
        messages += (
            Message(
                Level.WARNING,
                "update",
                f"{missed} applied {'change is' if missed == 1 else 'changes are'} not shown "
                "in the Word document (a part it could not mark): apply "
                f"{'it' if missed == 1 else 'them'} by hand",
                output.name,
            ),
        )
    return Result(Updated(merged, missed), messages)


def _styles_tree(sources: Sources, kind: str) -> etree._Element | None:
    rels = {r.type: r.target for r in sources.package.relationships(sources.main)}
    target = rels.get(kind)
    if target is None or not sources.package.has(target):
        return None
    return sources.package.xml(target)


def _properties(paragraph: etree._Element) -> bytes:
    """A paragraph's properties as compared between documents: style and list level, without
    Word's editing ids."""
    properties = paragraph.find(PPR)
    if properties is None:
        return b""
    kept = etree.Element(PPR)
    style = properties.find(_PSTYLE)
    if style is not None:
        kept.append(etree.fromstring(etree.tostring(style)))
    numbering = properties.find(_NUMPR)
    if numbering is not None:
        level = numbering.find(w("ilvl"))
        if level is not None:
            kept.append(etree.fromstring(etree.tostring(level)))
        kept.set("listed", "1")
    return etree.tostring(kept)


class _Writer:
    def __init__(
        self, merged: Merge, model: Sources, school: Sources, author: str, when: datetime
    ) -> None:
        self.merged = merged
        self.model = model
        self.school = school
        self.output = OutputPackage(school.package)
        self.marker = Marker(author, when, list(school.package.trees.values()))
        self.porter = Porter(
            model.package,
            _styles_tree(model, "styles"),
            _styles_tree(school, "styles"),
            _styles_tree(school, "numbering"),
            self.output,
        )
        self.school_units = {u.key: u for u in _units(merged.school, school)}
        self.model_units = {u.key: u for u in _units(merged.model, model)}
        self.missed = 0
        self.model_labels = {p.key: p.label for p in parts(merged.model)}

    @staticmethod
    def _element(units: dict[Key, _Unit], key: Key | None) -> etree._Element | None:
        unit = units.get(key) if key is not None else None
        if unit is None or not unit.sources or unit.story != "body":
            return None
        return _block(unit.sources[0])

    def run(self) -> int:
        plan = self.merged.plan
        school_parts = {p.key: p for p in parts(self.merged.school)}
        model_parts = {p.key: p for p in parts(self.merged.model)}
        for key in sorted(set(plan.edits) | set(plan.relabel), key=lambda k: school_parts[k].order):
            element = self._element(self.school_units, key)
            if element is not None and element.tag == TR and key in plan.edits:
                source = self._element(self.model_units, plan.edits[key])
                if source is None or not self._edit_row(element, source):
                    self.missed += 1
                continue
            if element is None or element.tag != P:
                self.missed += 1
                continue
            part = school_parts[key]
            shown = paragraph_text(element)
            label = part.label or ""
            typed = bool(label) and shown.lstrip().startswith(label)
            prefix = shown[: len(shown) - len(shown.lstrip()) + len(label)] if typed else ""
            rest = shown[len(prefix) :]
            if typed:
                gap = rest[: len(rest) - len(rest.lstrip())]
                prefix, rest = prefix + gap, rest[len(gap) :]
            if key in plan.relabel and typed:
                prefix = prefix.replace(label, plan.relabel[key], 1)
            if key in plan.edits:
                rest = model_parts[plan.edits[key]].text
            self.output.changed.add(self.school.main)
            edit_words(element, prefix + rest, self.marker)
        for key in plan.deletions:
            element = self._element(self.school_units, key)
            if element is None:
                self.missed += 1
                continue
            self._delete(element)
        self._insert(plan.insertions)
        for keys, change in plan.conflicts:
            self._comment(keys, _conflict_sentences(change))
        self._summary()
        return self.missed

    def _edit_row(self, row: etree._Element, source: etree._Element) -> bool:
        """Make a table row's cells read as the model's row does, cell by cell; False when
        the two rows do not have the same cells."""
        cells, model_cells = row.findall(_TC), source.findall(_TC)
        if len(cells) != len(model_cells):
            return False
        for cell, model_cell in zip(cells, model_cells, strict=True):
            paragraphs = cell.findall(P)
            target = " ".join(paragraph_text(p) for p in model_cell.findall(P)).strip()
            if not paragraphs or " ".join(paragraph_text(p) for p in paragraphs).strip() == target:
                continue
            self.output.changed.add(self.school.main)
            edit_words(paragraphs[0], target, self.marker)
            for extra in paragraphs[1:]:
                self._delete(extra)
        return True

    def _delete(self, element: etree._Element) -> None:
        self.output.changed.add(self.school.main)
        if element.tag == P:
            self.marker.wrap(own_runs(element), "del")
            self.marker.mark_paragraph(element, "del")
        elif element.tag == TR:
            self.marker.mark_row(element, "del")
            for paragraph in element.iter(P):
                self.marker.wrap(own_runs(paragraph), "del")

    def _insert(self, insertions: list[Insertion]) -> None:
        last: dict[Key | None, etree._Element] = {}
        body = self.school.package.xml(self.school.main).find(w("body"))
        first_unit = next(
            (
                _block(u.sources[0])
                for u in self.school_units.values()
                if u.sources and u.story == "body" and u.key[0] != "title"
            ),
            None,
        )
        for insertion in insertions:
            source = self._element(self.model_units, insertion.model)
            if source is None or body is None:
                self.missed += 1
                continue
            copy = self.porter.port(source, self.model.main, self.school.main)
            at = last.get(insertion.after)
            anchor = self._element(self.school_units, insertion.after)
            if copy.tag == P and anchor is not None and anchor.tag == P:
                self._school_format(copy, source, insertion.model, anchor)
            new_label = self.merged.plan.labels.get(insertion.model)
            old_label = self.model_labels.get(insertion.model)
            if new_label and old_label:
                _retype(copy, old_label, new_label)
            placed = self._place(copy, source, at, anchor, first_unit, body)
            self._mark_inserted(copy)
            last[insertion.after] = placed

    def _school_format(
        self, copy: etree._Element, source: etree._Element, key: Key, anchor: etree._Element
    ) -> None:
        """Give an inserted paragraph the school's paragraph properties where the model formats
        it as it formats the clause it follows (a list item after a list item)."""
        model_keys = list(self.model_units)
        index = model_keys.index(key)
        before = next(
            (
                element
                for k in reversed(model_keys[:index])
                if (element := self._element(self.model_units, k)) is not None
            ),
            None,
        )
        if before is None or before.tag != P or _properties(before) != _properties(source):
            return
        school_properties = anchor.find(PPR)
        own = copy.find(PPR)
        if own is not None:
            copy.remove(own)
        if school_properties is not None:
            fresh = etree.fromstring(etree.tostring(school_properties))
            for child in list(fresh):
                if child.tag in (w("rPr"), w("sectPr"), w("pPrChange")):
                    fresh.remove(child)
            copy.insert(0, fresh)

    def _place(
        self,
        copy: etree._Element,
        source: etree._Element,
        at: etree._Element | None,
        anchor: etree._Element | None,
        first_unit: etree._Element | None,
        body: etree._Element,
    ) -> etree._Element:
        placed = copy
        target = at if at is not None else anchor
        if copy.tag == TR and (target is None or target.tag != TR):
            table = etree.Element(TBL)
            model_table = next(source.iterancestors(TBL), None)
            if model_table is not None:
                for tag in ("tblPr", "tblGrid"):
                    found = model_table.find(w(tag))
                    if found is not None:
                        table.append(self.porter.port(found, self.model.main, self.school.main))
            if table.find(w("tblPr")) is None:
                table.insert(0, etree.Element(w("tblPr")))
            table.append(copy)
            placed = table
        elif copy.tag == P and target is not None and target.tag == TR:
            target = next(target.iterancestors(TBL), target)
        if target is not None:
            target.addnext(placed)
        elif first_unit is not None:
            first = first_unit
            if first.tag == TR:
                first = next(first.iterancestors(TBL), first)
            first.addprevious(placed)
        else:
            body.insert(0, placed)
        self.output.changed.add(self.school.main)
        return copy

    def _mark_inserted(self, element: etree._Element) -> None:
        if element.tag == P:
            self.marker.wrap(own_runs(element), "ins")
            self.marker.mark_paragraph(element, "ins")
        elif element.tag == TR:
            self.marker.mark_row(element, "ins")
            for paragraph in element.iter(P):
                self.marker.wrap(own_runs(paragraph), "ins")

    def _comment(self, keys: tuple[Key, ...], sentences: list[str]) -> None:
        elements = [e for k in keys if (e := self._element(self.school_units, k)) is not None]
        paragraphs = [next(e.iter(P), None) if e.tag != P else e for e in elements]
        found = [p for p in paragraphs if p is not None]
        if not found:
            self.missed += 1
            return
        add_comment(
            self.school.package,
            self.school.main,
            self.output,
            self.marker,
            found[0],
            found[-1],
            sentences,
        )
        self.output.changed.add(self.school.main)

    def _summary(self) -> None:
        body = self.school.package.xml(self.school.main).find(w("body"))
        first = next(body.iter(P), None) if body is not None else None
        if first is None:
            return
        add_comment(
            self.school.package,
            self.school.main,
            self.output,
            self.marker,
            first,
            first,
            summary_sentences(self.merged),
        )
        self.output.changed.add(self.school.main)


def _retype(paragraph: etree._Element, old: str, new: str) -> None:
    """Change the typed number `old` at the start of a paragraph's text to `new`."""
    for node in paragraph.iter(w("t")):
        text = node.text or ""
        if not text.strip():
            continue
        if text.lstrip().startswith(old):
            node.text = text.replace(old, new, 1)
        return


def _quote(text: str, limit: int = 300) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "\u2026"
    return f"\u201c{shown}\u201d"


def what_changed(old: str, new: str) -> str:
    """The model's change to one clause in a sentence: the words removed and added."""
    a, b = old.split(), new.split()
    removed: list[str] = []
    added: list[str] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("replace", "delete"):
            removed.append(" ".join(a[i1:i2]))
        if op in ("replace", "insert"):
            added.append(" ".join(b[j1:j2]))
    parts = []
    if removed:
        parts.append("removes " + ", ".join(_quote(r, 120) for r in removed))
    if added:
        parts.append("adds " + ", ".join(_quote(x, 120) for x in added))
    return "The model " + " and ".join(parts) + "." if parts else "The model changes nothing."


def _conflict_sentences(change: ModelChange) -> list[str]:
    """A conflict's comment: what the model did to a clause the school had changed."""
    base = " ".join(p.text for p in change.base)
    model = " ".join(p.text for p in change.model)
    if not change.model:
        return [
            "The model's new revision removes this clause, which your policy had reworded. "
            "Your text is kept: delete it here if the school agrees.",
            f"The model's old text was: {_quote(base)}",
        ]
    return [
        "The model's new revision changes this clause, which your policy had reworded. "
        "Your text is kept: decide whether to take the model's change.",
        f"The model's new text: {_quote(model)}",
        what_changed(base, model),
    ]


def summary_sentences(merged: Merge) -> list[str]:
    """The comment on the first paragraph: what the update did, in plain English."""
    applied = len(merged.decided(Decision.APPLIED))
    conflicts = len(merged.decided(Decision.CONFLICT))
    left = len(merged.decided(Decision.LEFT))
    model = merged.model.title or "the model"
    sentences = [
        f"Update from {model}: {applied} of the model's changes "
        f"{'is' if applied == 1 else 'are'} applied as tracked changes, to accept or reject.",
    ]
    if conflicts:
        sentences.append(
            f"{conflicts} "
            f"{'change touches a clause' if conflicts == 1 else 'changes touch clauses'}"
            " your policy had reworded: each has a comment with the model's new text."
        )
    if left:
        sentences.append(
            f"{left} {'change is' if left == 1 else 'changes are'} not applied, because your "
            "policy had left those clauses out (policydiff update lists them)."
        )
    return sentences
