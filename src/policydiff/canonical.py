"""The model as canonical text: one line per section, per clause and per note, tab-separated,
so that `git diff` on a store reads well, and parsed back into exactly the same Document.

    policydiff-model	2
    source	2016.docx
    meta	title	Social Media Policy
    left-out	chart	1
    section	s1a2b3c4d	1		SOCIAL MEDIA DEFINITION	body
    clause	c0f1e2d3c	paragraph	4.2				Social media technologies take on ...
    note	n9e8d7c6b	footnote	1		See the Staff Code of Conduct (2023).

A clause line gives its id, kind, label, list level, "bullet" for a bulleted list item, an
image's digest, the pages a header or footer is on, and last its text. A table row's cells are
its text split at " | "; a row whose cells cannot be found that way (a cell that holds " | ")
is followed by a line of its cells. The notes a clause cites follow it (id, kind, label, a
digest of any pictures in it, text). Texts, titles and labels are white-space folded by the
reader, so they hold no tabs or line breaks; an empty field is "" (an untitled opening, a
clause without a label). Format 1 (no levels, notes, images, headers or footers) is still
read.
"""

from __future__ import annotations

from dataclasses import fields

from policydiff.errors import PolicydiffError
from policydiff.model import BODY, Clause, ClauseExtras, ClauseKind, Document, Metadata
from policydiff.outline import SectionBuilder

HEADER = "policydiff-model\t2"
_FORMATS = {"policydiff-model\t1": 1, HEADER: 2}
_META = [f.name for f in fields(Metadata)]


def _clean(value: str) -> str:
    return " ".join(value.split())


def dumps(document: Document) -> str:
    """The canonical text of `document` (format 2)."""
    lines = [HEADER, f"source\t{_clean(document.source)}"]
    for name in _META:
        value = getattr(document.metadata, name)
        if value is not None:
            lines.append(f"meta\t{name}\t{_clean(value)}")
    for kind, count in document.left_out:
        lines.append(f"left-out\t{kind}\t{count}")
    for section in document.walk():
        lines.append(
            f"section\t{section.id}\t{section.level}\t{section.label or ''}\t"
            f"{section.title or ''}\t{section.part}"
        )
        for clause in section.clauses:
            level = "" if clause.level is None else str(clause.level)
            lines.append(
                f"clause\t{clause.id}\t{clause.kind.value}\t{clause.label or ''}\t{level}\t"
                f"{'bullet' if clause.bullet else ''}\t{clause.digest or ''}\t"
                f"{clause.part or ''}\t{clause.text}"
            )
            if clause.extras is not None and clause.extras.cells:
                lines.append("cells\t" + "\t".join(clause.extras.cells))  # a cell holds " | "
            for note in clause.notes:
                lines.append(
                    f"note\t{note.id}\t{note.kind.value}\t{note.label or ''}\t"
                    f"{note.digest or ''}\t{note.text}"
                )
    return "\n".join(lines) + "\n"


def loads(text: str) -> Document:
    """Parse canonical text (format 1 or 2) back into a Document.

    Raises PolicydiffError, naming the line, when the text is not a stored model.
    """
    lines = text.splitlines()
    version = _FORMATS.get(lines[0]) if lines else None
    if version is None:
        raise PolicydiffError("a stored policy model is not in the policydiff-model format")
    source = ""
    meta: dict[str, str] = {}
    left_out: list[tuple[str, int]] = []
    builder = SectionBuilder()
    pending: tuple[str, str | None, str, ClauseKind, dict[str, object]] | None = None
    notes: list[Clause] = []

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            cid, label, clause_text, kind, extra = pending
            builder.clause(label, clause_text, kind, id=cid, notes=tuple(notes), **extra)  # type: ignore[arg-type]
            notes.clear()
            pending = None

    for number, line in enumerate(lines[1:], start=2):
        parts = line.split("\t")
        try:
            if parts[0] not in ("note", "cells"):
                flush()
            if parts[0] == "source":
                source = parts[1]
            elif parts[0] == "meta" and parts[1] in _META:
                meta[parts[1]] = parts[2]
            elif parts[0] == "left-out" and version >= 2:
                left_out.append((parts[1], int(parts[2])))
            elif parts[0] == "section":
                if version == 1:
                    _, sid, level, label, title = parts
                    part = BODY
                else:
                    _, sid, level, label, title, part = parts
                if int(level) == 0:
                    continue  # the untitled opening: its clauses follow
                builder.heading(title, int(level), label or None, id=sid, part=part)
            elif parts[0] == "clause":
                extra: dict[str, object] = {}
                if version == 1:
                    _, cid, kind, label, clause_text = parts
                else:
                    _, cid, kind, label, level, bullet, digest, pages, clause_text = parts
                    extra = {
                        "level": int(level) if level else None,
                        "bullet": bullet == "bullet",
                        "digest": digest or None,
                        "part": pages or None,
                    }
                clause_kind = ClauseKind(kind)
                pending = (cid, label or None, clause_text, clause_kind, extra)
            elif parts[0] == "cells" and pending is not None:
                pending[4]["cells"] = tuple(parts[1:])
            elif parts[0] == "note" and pending is not None:
                _, nid, kind, label, digest, note_text = parts
                extras = ClauseExtras(digest=digest) if digest else None
                notes.append(Clause(nid, label or None, note_text, ClauseKind(kind), extras))
            else:
                raise ValueError(parts[0])
        except (ValueError, IndexError):
            raise PolicydiffError(f"a stored policy model is damaged at line {number}") from None
    flush()
    return Document(source, Metadata(**meta), builder.finish(), tuple(left_out))
