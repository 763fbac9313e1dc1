"""What a governors' report says, computed once in Python; templates only loop and format.

`build_report` turns a comparison (and, where known, the store's record of both revisions and
the new revision's check) into a `Report`: plain-English summary sentences first, then only the
sections where something changed, each change with its words marked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from policydiff.diffing.changes import KINDS, Change, ChangeKind, Comparison, SectionKind
from policydiff.diffing.inline import Op, Span
from policydiff.diffing.nature import EDITORIAL, Nature, natures
from policydiff.diffing.references import references
from policydiff.model import BODY, PAGE_TITLES, ClauseKind, Document, Section, left_out_sentence
from policydiff.rules.checks import CheckResult
from policydiff.typography import comparable, counted


@dataclass(frozen=True, slots=True)
class Side:
    """One of the two revisions compared, as the reader of the report knows it."""

    name: str  # "version 3" or the file name
    source: str
    effective: str | None = None
    approval: str | None = None  # "approved by ... on ..." or None when not recorded


@dataclass(frozen=True, slots=True)
class NoteView:
    """A footnote or endnote of a changed, added or removed clause."""

    heading: str  # "Footnote 1", "Footnote 2 (added)", "Endnote i (changed)"
    op: str  # equal (shown with its clause), insert, delete, modified
    spans: tuple[Span, ...]  # its words, marked where they changed


@dataclass(frozen=True, slots=True)
class ChangeView:
    kind: str  # added, removed, modified, moved, split, merged
    heading: str  # "Changed", "Added", "Split into 2 clauses" ...
    label: str | None
    moved_from: str | None  # the section it came from, when it moved between sections
    spans: tuple[Span, ...]  # words marked, for changed, split and merged clauses
    old_texts: tuple[str, ...]
    new_texts: tuple[str, ...]
    shape: str = "paragraph"  # the clause kind: paragraph, list item, table row, image ...
    cells: tuple[tuple[Span, ...], ...] = ()  # a table row: each cell's words, marked
    level: int = 0  # a list item's level (0 = outermost)
    bullet: bool = False  # a list item with a bullet
    notes: tuple[NoteView, ...] = ()
    note: str | None = None  # a sentence a governor needs that the words cannot show
    nature: str = "substantive"  # or "editorial" (diffing/nature.py)
    sentence: str = ""  # the change in one plain sentence, from the diff
    reasons: tuple[str, ...] = ()  # why it is of its nature


@dataclass(frozen=True, slots=True)
class SectionView:
    title: str
    status: str | None  # "new section", "removed", "renamed (was ...)", "moved" or None
    changes: tuple[ChangeView, ...]


@dataclass(frozen=True, slots=True)
class FindingView:
    severity: str
    message: str
    where: str | None


@dataclass(frozen=True, slots=True)
class CheckView:
    passed: bool
    profile: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True, slots=True)
class SignOff:
    by: str | None = None
    date: str | None = None
    minute: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    old: Side
    new: Side
    summary: tuple[str, ...]
    counts: dict[str, int]
    sections: tuple[SectionView, ...]
    unchanged_sections: tuple[str, ...]
    generated: str
    check: CheckView | None = None
    signoff: SignOff = field(default_factory=SignOff)
    reason: str | None = None  # the clerk's reason for the new revision, where given
    # The editorial changes (wording only), each with its section's title: listed after the
    # sections, which hold the substantive ones.
    editorial: tuple[tuple[str, ChangeView], ...] = ()
    # Cross-references that point to another clause than they did, or to none: "4.5 (Stage
    # two): 'paragraph 4.3' pointed to ..., which this revision removed".
    references: tuple[str, ...] = ()


def _titles(items: list[str]) -> str:
    quoted = [f"“{t}”" for t in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def summary_sentences(comparison: Comparison) -> tuple[str, ...]:
    """The changes in plain English, most important first."""
    counts = comparison.counts()
    parts = [
        counted(counts[kind.value], KINDS[kind].one, KINDS[kind].many)
        for kind in (ChangeKind.MODIFIED, ChangeKind.ADDED, ChangeKind.REMOVED, ChangeKind.MOVED)
        if counts[kind.value]
    ]
    splits = [c for c in comparison.changes if c.kind is ChangeKind.SPLIT]
    merges = [c for c in comparison.changes if c.kind is ChangeKind.MERGED]
    if splits:
        pieces = sum(len(c.new) for c in splits)
        parts.append(f"{counted(len(splits), 'clause was', 'clauses were')} split into {pieces}")
    if merges:
        pieces = sum(len(c.old) for c in merges)
        parts.append(f"{pieces} clauses were joined into {len(merges)}")
    sentences = []
    if parts:
        text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        sentences.append(text[0].upper() + text[1:] + ".")
    else:
        sentences.append("No clause was changed, added or removed.")
    by_kind: dict[SectionKind, list[str]] = {}
    furniture = {
        s.id: s.part
        for document in (comparison.old, comparison.new)
        for s in document.sections
        if s.part != BODY
    }
    page_parts: list[str] = []
    for s in comparison.sections:
        part = furniture.get(s.new_id or s.old_id or "")
        if part is not None:  # a page header or footer that came or went
            if s.kind is SectionKind.ADDED:
                page_parts.append(f"The page {part} is new.")
            elif s.kind is SectionKind.REMOVED:
                page_parts.append(f"The page {part} was taken out.")
            continue
        by_kind.setdefault(s.kind, []).append(s.new or s.old or "the opening")
    renamed = [
        f"“{s.old}” is now “{s.new}”"
        if s.old
        else f"the opening, which had no heading, is now “{s.new}”"
        for s in comparison.sections
        if s.kind is SectionKind.RENAMED
    ]
    if renamed:
        sentences.append(
            counted(len(renamed), "section was renamed", "sections were renamed")
            + ": "
            + "; ".join(renamed)
            + "."
        )
    if by_kind.get(SectionKind.ADDED):
        added = by_kind[SectionKind.ADDED]
        sentences.append(f"New {'section' if len(added) == 1 else 'sections'}: {_titles(added)}.")
    if by_kind.get(SectionKind.REMOVED):
        removed = by_kind[SectionKind.REMOVED]
        sentences.append(
            f"{'Section' if len(removed) == 1 else 'Sections'} taken out: {_titles(removed)}."
        )
    if by_kind.get(SectionKind.MOVED):
        moved = by_kind[SectionKind.MOVED]
        sentences.append(f"{'Section' if len(moved) == 1 else 'Sections'} moved: {_titles(moved)}.")
    title_change = title_changed(comparison)
    if title_change is not None:
        sentences.insert(1, "The policy's title is now “{1}”; it was “{0}”.".format(*title_change))
    sentences.extend(page_parts)
    if comparison.renumbered:
        sentences.append(
            counted(comparison.renumbered, "clause has a new number", "clauses have new numbers")
            + "; their words are the same."
        )
    sentences.append(
        counted(comparison.unchanged, "clause is unchanged.", "clauses are unchanged.")
    )
    sentences.extend(left_out_sentences(comparison))
    return tuple(sentences)


def title_changed(comparison: Comparison) -> tuple[str, str] | None:
    """(old, new) when the policy's own title (its Title-styled first line, or the document's
    title property) reads differently; None when it does not, or either side has none."""
    old, new = comparison.old.title, comparison.new.title
    if old and new and comparable(" ".join(old.split())) != comparable(" ".join(new.split())):
        return old, new
    return None


def change_section(became: dict[str, str], change: Change) -> tuple[str, str]:
    """Where a change is shown: ("new", id) of the section it stands in, or for a removal the
    section its old one became (`became`: old section id -> new, from `sections_became`);
    ("old", id) when that section is gone too."""
    if change.new:
        return "new", change.new[0].section_id
    old_id = change.old[0].section_id
    return ("new", became[old_id]) if old_id in became else ("old", old_id)


def sections_became(comparison: Comparison) -> dict[str, str]:
    """Old section id -> the new section it became, for every section both revisions have."""
    return {s.old_id: s.new_id for s in comparison.sections if s.old_id and s.new_id}


def section_names(document: Document) -> dict[str, str]:
    """Section id -> the name a reader knows it by: its title, with the titles above it where
    the document uses the same title twice ("STAFF › General"); "The opening" for the text
    before the first heading."""
    counts = Counter(s.title for s in document.walk())
    names: dict[str, str] = {}

    def visit(section: Section, above: tuple[str, ...]) -> None:
        title = section.title or "The opening"
        if section.title and counts[section.title] > 1 and above:
            title = " › ".join((*above, section.title))
        names[section.id] = title
        for child in section.children:
            visit(child, (*above, section.title) if section.title else above)

    for top in document.sections:
        visit(top, ())
    return names


def left_out_sentences(comparison: Comparison) -> tuple[str, ...]:
    """What either revision contains that was not compared (charts, SmartArt, embedded
    objects, comments), said once when both hold the same."""
    old, new = comparison.old.left_out, comparison.new.left_out
    if old == new:
        sentence = left_out_sentence(new)
        return (sentence.replace("This document", "Each revision"),) if sentence else ()
    out = []
    for side, left_out in (("The earlier revision", old), ("The new revision", new)):
        sentence = left_out_sentence(left_out)
        if sentence:
            out.append(sentence.replace("This document", side))
    return tuple(out)


_PAGE_TITLES = tuple(PAGE_TITLES.values())


def split_cells(spans: tuple[Span, ...], separator: str = " | ") -> tuple[tuple[Span, ...], ...]:
    """A table row's marked words cut into its cells at each cell separator (" | ")."""
    cells: list[list[Span]] = [[]]
    for span in spans:
        pieces = span.text.split(separator)
        for k, piece in enumerate(pieces):
            if k:
                cells.append([])
            if piece:
                cells[-1].append(Span(span.op, piece))
    return tuple(tuple(cell) for cell in cells)


_NOTE_OPS = {
    ChangeKind.ADDED: ("insert", "added"),
    ChangeKind.REMOVED: ("delete", "taken out"),
    ChangeKind.MODIFIED: ("modified", "changed"),
}


def _note_views(change: Change) -> tuple[NoteView, ...]:
    if change.notes:
        views = []
        for n in change.notes:
            op, word = _NOTE_OPS[n.kind]
            note = n.new or n.old
            assert note is not None
            if n.kind is ChangeKind.MODIFIED:
                spans = n.inline
            else:
                spans = (Span(Op.INSERT if n.new else Op.DELETE, note.text),)
            views.append(
                NoteView(f"{note.kind.value.capitalize()} {note.label or '*'} ({word})", op, spans)
            )
        return tuple(views)
    op = {ChangeKind.ADDED: Op.INSERT, ChangeKind.REMOVED: Op.DELETE}.get(change.kind, Op.EQUAL)
    refs = change.new or change.old
    return tuple(
        NoteView(f"{n.kind.value.capitalize()} {n.label or '*'}", op.value, (Span(op, n.text),))
        for r in refs
        for n in r.clause.notes
    )


def view(change: Change, nature: Nature | None = None) -> ChangeView:
    """How one change is shown in every output: its heading, shape, marked words, notes and,
    given its `nature`, whether it is substantive and its sentence."""
    if change.kind is ChangeKind.SPLIT:
        heading = f"Split into {len(change.new)} clauses"
    elif change.kind is ChangeKind.MERGED:
        heading = f"Made by joining {len(change.old)} clauses"
    else:
        heading = KINDS[change.kind].heading
        if change.kind is ChangeKind.MODIFIED and change.moved:
            heading = "Changed and moved"
    labels = [r.label for r in (change.new or change.old) if r.label]
    moved_from = None
    if (
        change.moved
        and change.old
        and change.new
        and change.old[0].section != change.new[0].section
    ):
        moved_from = change.old[0].section or "the opening"
    ref = (change.new or change.old)[0]
    shape = ref.kind
    cells: tuple[tuple[Span, ...], ...] = ()
    if shape is ClauseKind.TABLE_ROW and len(change.old) + len(change.new) <= 2:
        if change.kind is ChangeKind.MODIFIED:
            cells = split_cells(change.inline)
        else:
            op = Op.DELETE if change.kind is ChangeKind.REMOVED else Op.INSERT
            if change.kind is ChangeKind.MOVED:
                op = Op.EQUAL
            cells = tuple((Span(op, c),) for c in (ref.clause.cells or (ref.text,)))
    note = None
    if change.image_replaced:
        note = "The picture was replaced" + (
            f"; its description is the same (“{ref.text}”)." if ref.text else "."
        )
    elif shape is ClauseKind.IMAGE and change.kind in (ChangeKind.ADDED, ChangeKind.REMOVED):
        described = f" (“{ref.text}”)" if ref.text else " (it has no description)"
        note = f"A picture{described} was {'added' if change.new else 'taken out'}."
    elif change.notes and change.inline and all(s.op is Op.EQUAL for s in change.inline):
        note = "The clause's words are the same; its notes changed."
    return ChangeView(
        kind=change.kind.value,
        heading=heading,
        label=", ".join(labels) or None,
        moved_from=moved_from,
        spans=change.inline,
        old_texts=tuple(r.text for r in change.old),
        new_texts=tuple(r.text for r in change.new),
        shape=shape.value,
        cells=cells,
        level=ref.clause.level or 0,
        bullet=ref.clause.bullet,
        notes=_note_views(change),
        note=note,
        nature=nature.nature if nature is not None else "substantive",
        sentence=_shown_sentence(nature),
        reasons=nature.reasons if nature is not None else (),
    )


def _shown_sentence(nature: Nature | None) -> str:
    """The change's sentence, where the report needs it: not one that only quotes the clause
    added, removed or moved, nor one as long as the marked words themselves."""
    if nature is None:
        return ""
    said = nature.sentence
    if said.startswith(("A new clause: '", "A clause is removed", "The clause '")):
        return ""
    if len(said.split()) <= 30:
        return said
    # Too long to stand beside the marked words: its quotes go (the marked words show them),
    # what it says of them stays ("'...' becomes '...': this is now a requirement.").
    _, quoted, meaning = said.rpartition("': ")
    if quoted and meaning and len(meaning.split()) <= 30:
        return meaning[0].upper() + meaning[1:]
    return ""


def _nature_sentence(
    groups: dict[tuple[str, str], list[ChangeView]],
    editorial: list[tuple[tuple[str, str], ChangeView]],
) -> tuple[str, ...]:
    """ "3 changes are of substance (shown first, each in a sentence); 2 are of wording only
    (listed at the end)." """
    substantive = sum(len(v) for v in groups.values())
    if not substantive and not editorial:
        return ()
    said = f"{counted(substantive, 'change is', 'changes are')} of substance"
    said += " (shown first, each said in a sentence)" if substantive else ""
    if editorial:
        said += f"; {counted(len(editorial), 'is', 'are')} of wording only (listed at the end)"
    return (said[0].upper() + said[1:] + ".",)


def _check_view(result: CheckResult, profile: str) -> CheckView:
    findings = tuple(
        FindingView(
            f.severity.value, f.message, " / ".join(x for x in (f.section, f.label) if x) or None
        )
        for f in result.findings
        if f.severity.value != "info"
    )
    return CheckView(result.passed, profile, findings)


def build_report(
    comparison: Comparison,
    old: Side,
    new: Side,
    check: CheckResult | None = None,
    profile: str = "default",
    signoff: SignOff | None = None,
    today: date | None = None,
    reason: str | None = None,
) -> Report:
    new_names, old_names = section_names(comparison.new), section_names(comparison.old)
    status: dict[tuple[str, str], str] = {}  # (side, section id) -> what happened to it
    for s in comparison.sections:
        if s.kind is SectionKind.ADDED and s.new_id:
            status["new", s.new_id] = "new" if s.new in _PAGE_TITLES else "new section"
        elif s.kind is SectionKind.REMOVED and s.old_id:
            status["old", s.old_id] = "taken out"
        elif s.kind is SectionKind.RENAMED and s.new_id:
            status["new", s.new_id] = f"renamed; it was “{s.old}”" if s.old else "now has a title"
        elif s.kind is SectionKind.MOVED and s.new_id:
            status["new", s.new_id] = "moved"
    # Changes grouped by the section they stand in (the new one; the old for a removal), by id:
    # two sections of one title ("STAFF › General", "PUPILS › General") stay two.
    groups: dict[tuple[str, str], list[ChangeView]] = {}
    editorial_keys: list[tuple[tuple[str, str], ChangeView]] = []
    became = sections_became(comparison)
    for change, nature in zip(comparison.changes, natures(comparison), strict=True):
        change_view = view(change, nature)
        key = change_section(became, change)
        if change_view.nature == EDITORIAL:  # (listed by its sentence, whatever it quotes)
            editorial_keys.append((key, replace(change_view, sentence=nature.sentence)))
        else:
            groups.setdefault(key, []).append(change_view)
    keys = list(groups)
    for key in status:  # sections renamed, moved or added with no clause change of their own
        if key not in groups:
            keys.append(key)

    def name(key: tuple[str, str]) -> str:
        return (new_names if key[0] == "new" else old_names).get(key[1], "The opening")

    sections = tuple(SectionView(name(k), status.get(k), tuple(groups.get(k, ()))) for k in keys)
    shown = {k[1] for k in (*keys, *(k for k, _ in editorial_keys)) if k[0] == "new"}
    unchanged = tuple(
        new_names.get(s.new_id, s.new)
        for s in comparison.sections
        if s.new and s.new_id and s.kind is SectionKind.UNCHANGED and s.new_id not in shown
    )
    title = comparison.new.title or comparison.old.title or "Policy"
    return Report(
        title=title,
        old=old,
        new=new,
        summary=(*summary_sentences(comparison), *_nature_sentence(groups, editorial_keys)),
        counts={**comparison.counts(), "renumbered": comparison.renumbered},
        sections=sections,
        unchanged_sections=unchanged,
        generated=(today or date.today()).isoformat(),
        check=_check_view(check, profile) if check is not None else None,
        signoff=signoff or SignOff(),
        reason=reason,
        editorial=tuple((name(k), v) for k, v in editorial_keys),
        references=tuple(
            f"{r.label or 'A clause'} ({r.section or 'the opening'}): {r.problem}"
            + (f"; it should probably read {r.should_read}" if r.should_read else "")
            for r in references(comparison)
        ),
    )
