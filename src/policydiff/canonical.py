"""The model as canonical text: one line per section and per clause, tab-separated, so that
`git diff` on a store reads well, and parsed back into exactly the same Document.

    policydiff-model	1
    source	2016.docx
    meta	title	Social Media Policy
    section	s1a2b3c4d	1		SOCIAL MEDIA DEFINITION
    clause	c0f1e2d3c	paragraph	4.2	Social media technologies take on ...

Texts, titles and labels are white-space folded by the reader, so they hold no tabs or line
breaks; an empty field is "none" (an untitled opening, a clause without a label).
"""

from __future__ import annotations

from dataclasses import fields

from policydiff.errors import PolicydiffError
from policydiff.model import ClauseKind, Document, Metadata
from policydiff.outline import SectionBuilder

HEADER = "policydiff-model\t1"
_META = [f.name for f in fields(Metadata)]


def _clean(value: str) -> str:
    return " ".join(value.split())


def dumps(document: Document) -> str:
    lines = [HEADER, f"source\t{_clean(document.source)}"]
    for name in _META:
        value = getattr(document.metadata, name)
        if value is not None:
            lines.append(f"meta\t{name}\t{_clean(value)}")
    for section in document.walk():
        lines.append(
            f"section\t{section.id}\t{section.level}\t{section.label or ''}\t{section.title or ''}"
        )
        for clause in section.clauses:
            lines.append(
                f"clause\t{clause.id}\t{clause.kind.value}\t{clause.label or ''}\t{clause.text}"
            )
    return "\n".join(lines) + "\n"


def loads(text: str) -> Document:
    """Parse canonical text back into a Document; raises PolicydiffError if it is not one."""
    lines = text.splitlines()
    if not lines or lines[0] != HEADER:
        raise PolicydiffError("a stored policy model is not in the policydiff-model 1 format")
    source = ""
    meta: dict[str, str] = {}
    builder = SectionBuilder()
    for number, line in enumerate(lines[1:], start=2):
        parts = line.split("\t")
        try:
            if parts[0] == "source":
                source = parts[1]
            elif parts[0] == "meta" and parts[1] in _META:
                meta[parts[1]] = parts[2]
            elif parts[0] == "section":
                _, sid, level, label, title = parts
                if int(level) == 0:
                    continue  # the untitled opening: its clauses follow
                builder.heading(title, int(level), label or None, id=sid)
            elif parts[0] == "clause":
                _, cid, kind, label, clause_text = parts
                builder.clause(label or None, clause_text, ClauseKind(kind), id=cid)
            else:
                raise ValueError(parts[0])
        except (ValueError, IndexError):
            raise PolicydiffError(f"a stored policy model is damaged at line {number}") from None
    return Document(source, Metadata(**meta), builder.finish())
