"""Word-level changes marked inside a paragraph's own runs.

A paragraph's visible text is read run by run (each run cut to hold one piece of content);
the words of the old text and the new are aligned (`policydiff.diffing.inline.aligned_edits`);
runs are cut where an edit starts or ends; inserted words are wrapped in w:ins where they stand,
keeping their run's formatting, and deleted words come back from the old paragraph's runs, with
their formatting, in w:del. Several paragraphs can be marked as one text: a paragraph mark
inserted (a clause split in two) or deleted (clauses joined) is marked as Word marks it.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from policydiff.diffing.inline import Op, aligned_edits
from policydiff.readers.symbols import symbol_text
from policydiff.readers.wordml import w
from policydiff.redlining.marks import PPR, RPR, XML_SPACE, Marker, T, clone, own_runs

# A paragraph mark in the joined text of several paragraphs: one character no document holds
# (the last of Unicode's private use), which the word aligner takes as a word of its own.
BOUNDARY = "\U0010fffd"
_OBJECT = "\ufffc"  # a picture, text box or note reference: one "word" each

_FLDCHAR = w("fldChar")
_INSTRTEXT = w("instrText")
_VANISH = w("vanish")
_SPECVANISH = w("specVanish")
_PAGE_FIELDS = ("PAGE", "NUMPAGES", "SECTIONPAGES")
_SHOWN = {
    w("tab"): "\t", w("ptab"): "\t", w("br"): " ", w("cr"): " ", w("noBreakHyphen"): "-",
    w("softHyphen"): "\u00ad", w("drawing"): _OBJECT, w("pict"): _OBJECT, w("object"): _OBJECT,
    w("footnoteReference"): _OBJECT, w("endnoteReference"): _OBJECT,
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent": _OBJECT,
}  # fmt: skip
_SPLIT = "{urn:policydiff}split"  # where a deleted paragraph mark cuts a new paragraph


@dataclass(slots=True)
class _Piece:
    run: etree._Element | None  # None: a paragraph mark between two paragraphs
    start: int
    text: str
    cuttable: bool
    paragraph: int  # which of the paragraphs it stands in


def _one_content_each(paragraph: etree._Element) -> list[etree._Element]:
    """Cut the paragraph's runs so that each holds one piece of content (a text, a tab, a
    picture ...) after its properties; return them in order."""
    out: list[etree._Element] = []
    for run in own_runs(paragraph):
        out.append(run)
        content = [child for child in run if child.tag != RPR]
        if len(content) <= 1:
            continue
        properties = run.find(RPR)
        at = run
        for child in content[1:]:
            piece = etree.Element(run.tag)
            if properties is not None:
                piece.append(clone(properties))
            piece.append(child)
            at.addnext(piece)
            at = piece
            out.append(piece)
    return out


def _pieces(paragraphs: list[etree._Element]) -> list[_Piece]:
    """The paragraphs' visible text, run by run, with a mark between paragraphs."""
    pieces: list[_Piece] = []
    position = 0
    for index, paragraph in enumerate(paragraphs):
        if index:
            pieces.append(_Piece(None, position, BOUNDARY, False, index - 1))
            position += 1
        fields: list[list[str | bool]] = []  # [instruction, showing result]
        for run in _one_content_each(paragraph):
            text, cuttable = _shown(run, fields)
            pieces.append(_Piece(run, position, text, cuttable, index))
            position += len(text)
    return pieces


def _shown(run: etree._Element, fields: list[list[str | bool]]) -> tuple[str, bool]:
    """What a run shows, and whether it can be cut (a run of plain text)."""
    properties = run.find(RPR)
    hidden = False
    if properties is not None:
        vanish = properties.find(_VANISH)
        hidden = vanish is not None and vanish.get(w("val"), "true") not in ("0", "false", "off")
        hidden = hidden and properties.find(_SPECVANISH) is None
    for child in run:
        tag = child.tag
        if tag == RPR:
            continue
        if tag == _FLDCHAR:
            kind = child.get(w("fldCharType"))
            if kind == "begin":
                fields.append(["", False])
            elif kind == "separate" and fields:
                fields[-1][1] = True
            elif kind == "end" and fields:
                fields.pop()
            return "", False
        if tag == _INSTRTEXT:
            if fields:
                fields[-1][0] = str(fields[-1][0]) + (child.text or "")
            return "", False
        in_field = any(
            not showing or str(instruction).split()[:1] in ([p] for p in _PAGE_FIELDS)
            for instruction, showing in fields
        )
        if hidden or in_field:
            return "", False
        if tag == T:
            return child.text or "", True
        if tag == w("sym"):
            return symbol_text(child.get(w("font")), child.get(w("char"))) or _OBJECT, False
        return _SHOWN.get(tag, ""), False
    return "", False


def _cut(pieces: list[_Piece], positions: set[int]) -> list[_Piece]:
    """Cut text runs where an edit begins or ends (each part a run of the same formatting)."""
    out: list[_Piece] = []
    for piece in pieces:
        end = piece.start + len(piece.text)
        cuts = sorted(p for p in positions if piece.start < p < end) if piece.cuttable else []
        if not cuts or piece.run is None:
            out.append(piece)
            continue
        run, start, text = piece.run, piece.start, piece.text
        bounds = [start, *cuts, end]
        runs = [run]
        for _ in cuts:
            twin = clone(run)
            runs[-1].addnext(twin)
            runs.append(twin)
        for k, part in enumerate(runs):
            a, b = bounds[k] - start, bounds[k + 1] - start
            _set_text(part, text[a:b])
            out.append(_Piece(part, bounds[k], text[a:b], True, piece.paragraph))
    return out


def _set_text(run: etree._Element, text: str) -> None:
    node = run.find(T)
    if node is not None:
        node.text = text
        node.set(XML_SPACE, "preserve")


def mark_words(
    new: list[etree._Element],
    old: list[etree._Element],
    marker: Marker,
    show_deleted: bool = True,
    inserted: str = "ins",
) -> bool:
    """Mark, inside the runs of the `new` paragraphs (in a tree), how their words differ
    from the `old` paragraphs' (copies already fit for the new document; their runs are
    moved into `new` where words were deleted). Returns whether any mark was made.

    `show_deleted` False leaves deletions out (the new place of a moved clause, whose old
    words are shown where it was); `inserted` is "ins", or "moveTo" for such a clause.
    """
    new_pieces = _pieces(new)
    old_pieces = _pieces(old)
    new_text = "".join(p.text for p in new_pieces)
    old_text = "".join(p.text for p in old_pieces)
    edits = aligned_edits(old_text, new_text)
    cuts_old: set[int] = set()
    cuts_new: set[int] = set()
    i = j = 0
    for _, a, b in edits:
        i, j = i + a, j + b
        cuts_old.add(i)
        cuts_new.add(j)
    new_pieces = _cut(new_pieces, cuts_new)
    old_pieces = _cut(old_pieces, cuts_old)
    marked = False
    to_insert: list[etree._Element] = []
    to_delete: list[etree._Element] = []
    i = j = 0
    kn = ko = 0
    for op, a, b in edits:
        if op is Op.EQUAL:
            while kn < len(new_pieces) and new_pieces[kn].start < j + b:
                kn += 1
            while ko < len(old_pieces) and old_pieces[ko].start < i + a:
                ko += 1
        elif op is Op.INSERT:
            while kn < len(new_pieces) and new_pieces[kn].start < j + b:
                piece = new_pieces[kn]
                if piece.run is None:
                    marker.mark_paragraph(new[piece.paragraph], "ins")
                    marked = True
                elif piece.text or j < piece.start:
                    to_insert.append(piece.run)
                kn += 1
        else:
            gone: list[_Piece] = []
            while ko < len(old_pieces) and old_pieces[ko].start < i + a:
                piece = old_pieces[ko]
                if piece.run is None or piece.text or i < piece.start:
                    gone.append(piece)
                ko += 1
            if show_deleted and gone:
                _put_back(gone, new, new_pieces, kn, to_delete)
        i, j = i + a, j + b
    if to_insert:
        marker.wrap(to_insert, inserted)
        marked = True
    if to_delete:
        marker.wrap(to_delete, "del")
        marked = True
    if _split_at_deleted_marks(new, old, marker):
        marked = True
    return marked


def _put_back(
    gone: list[_Piece],
    new: list[etree._Element],
    new_pieces: list[_Piece],
    at: int,
    to_delete: list[etree._Element],
) -> None:
    """Put the deleted old pieces where they stood: before the new piece `at`, or at the
    end of the paragraph it follows when `at` is a paragraph mark or the end."""
    following = new_pieces[at] if at < len(new_pieces) else None
    things: list[etree._Element] = []
    for piece in gone:
        if piece.run is None:
            split = etree.Element(_SPLIT)
            split.set("old", str(piece.paragraph))
            things.append(split)
        else:
            things.append(piece.run)
            to_delete.append(piece.run)
    if following is not None and following.run is not None:
        for thing in things:
            following.run.addprevious(thing)
        return
    paragraph = new[following.paragraph if following is not None else len(new) - 1]
    last = next(
        (p.run for p in reversed(new_pieces[:at]) if p.run is not None and
         p.paragraph == (following.paragraph if following is not None else len(new) - 1)),
        None,
    )  # fmt: skip
    for thing in things:
        if last is not None:
            last.addnext(thing)
            last = thing
        else:
            paragraph.append(thing)


def _split_at_deleted_marks(
    new: list[etree._Element], old: list[etree._Element], marker: Marker
) -> bool:
    """Where an old paragraph mark was deleted (clauses joined), cut the new paragraph there:
    what comes before goes into a paragraph of its own, with the old paragraph's properties
    and its mark deleted, so that Reject All gives the old paragraphs back."""
    done = False
    for paragraph in new:
        for split in list(paragraph.iter(_SPLIT)):
            old_index = int(split.get("old") or 0)
            while split.getparent() is not paragraph and split.getparent() is not None:
                holder = split.getparent()
                assert holder is not None
                holder.remove(split)
                holder.addnext(split)
            before = etree.Element(paragraph.tag)
            source = old[old_index].find(PPR) if old_index < len(old) else None
            if source is not None:
                before.append(clone(source))
            for child in list(paragraph):
                if child is split:
                    break
                if child.tag != PPR:
                    before.append(child)
            paragraph.remove(split)
            paragraph.addprevious(before)
            marker.mark_paragraph(before, "del")
            done = True
    return done


def paragraph_text(paragraph: etree._Element) -> str:
    """What a paragraph shows, as the redline reads it run by run."""
    return "".join(piece.text for piece in _pieces([paragraph]))


def edit_words(paragraph: etree._Element, target: str, marker: Marker) -> bool:
    """Make the paragraph (in a tree) read `target`, as tracked changes inside its own runs:
    words no longer there are deleted where they stand (w:del), new words inserted (w:ins) in
    the formatting of the run before them (or after, at the start). Accept All gives
    `target`; Reject All, the paragraph as it was. Returns whether any mark was made."""
    pieces = _pieces([paragraph])
    text = "".join(p.text for p in pieces)
    edits = aligned_edits(text, target)
    cuts: set[int] = set()
    i = 0
    for _, a, _ in edits:
        cuts.add(i)
        i += a
    pieces = _cut(pieces, cuts)
    to_delete: list[etree._Element] = []
    inserted: list[etree._Element] = []
    i = j = k = 0
    for op, a, b in edits:
        if op is Op.EQUAL:
            while k < len(pieces) and pieces[k].start < i + a:
                k += 1
        elif op is Op.DELETE:
            while k < len(pieces) and pieces[k].start < i + a:
                piece = pieces[k]
                if piece.run is not None and (piece.text or i < piece.start):
                    to_delete.append(piece.run)
                k += 1
        else:
            run = _new_run(target[j : j + b], pieces, k)
            following = pieces[k].run if k < len(pieces) else None
            if following is not None:
                following.addprevious(run)
            else:
                last = next((p.run for p in reversed(pieces) if p.run is not None), None)
                if last is not None:
                    last.addnext(run)
                else:
                    paragraph.append(run)
            inserted.append(run)
        i, j = i + a, j + b
    if to_delete:
        marker.wrap(to_delete, "del")
    if inserted:
        marker.wrap(inserted, "ins")
    return bool(to_delete or inserted)


def _new_run(text: str, pieces: list[_Piece], at: int) -> etree._Element:
    """A run of `text` formatted as the text run before position `at` (or the first after)."""
    like = next((p.run for p in reversed(pieces[:at]) if p.run is not None and p.cuttable), None)
    if like is None:
        like = next((p.run for p in pieces[at:] if p.run is not None and p.cuttable), None)
    run = etree.Element(w("r"))
    properties = like.find(RPR) if like is not None else None
    if properties is not None:
        run.append(clone(properties))
    node = etree.SubElement(run, T)
    node.text = text
    node.set(XML_SPACE, "preserve")
    return run
