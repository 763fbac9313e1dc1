"""Revision pairs with ground truth: a policy, an edited copy, both written as real .docx.

A seeded mutator edits a policy the way a clerk does (words changed, clauses added, removed,
moved, split and merged, a section renamed or moved) and records every change in the same
form as `shared/corpus/bartons/*.truth.json`. The writer lays the policy out as real school
policies are laid out: bold capitalised lines, Word heading styles with automatic numbering, or
typed clause numbers that shift when a clause is added; the new revision can carry its edits as
unaccepted tracked changes, and its clauses can sit in content controls.
"""

from __future__ import annotations

import copy
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from policydiff.diffing.inline import Op, inline_diff
from policydiff.model import Document as PolicyDocument

LAYOUTS = ("caps", "styled", "typed")

NEW_SENTENCES = [
    "Staff must complete online safety training every September before working with pupils.",
    "The headteacher reviews a sample of school social media posts each half term.",
    "Parents are reminded of this policy in the first newsletter of each school year.",
    "Any breach involving pupil data is reported to the Data Protection Officer within a day.",
    "Volunteers receive a copy of this policy during their induction meeting.",
    "Passwords for school accounts are changed when a member of staff leaves the school.",
    "Governors receive an annual report on incidents recorded under this policy.",
    "The school keeps a register of official accounts and the staff who manage them.",
    "Photographs of pupils are only published where a parent has given written consent.",
    "Concerns about online bullying are recorded on the school's safeguarding system.",
]
EXTRA_WORDS = ["promptly", "in writing", "at all times", "where possible", "without delay"]


@dataclass
class Clause:
    text: str
    old: str | None = None  # the text in the old revision, when this clause was edited
    status: str = "same"  # same | modified | added | removed (kept only for tracked changes)


@dataclass
class Section:
    title: str
    clauses: list[Clause] = field(default_factory=list)


Policy = list[Section]


def policy_from_seed(text: str) -> Policy:
    """A policy from plain text: ALL-CAPS lines are headings; bullets and lines are clauses."""
    policy: Policy = [Section("")]
    for line in text.splitlines():
        line = " ".join(line.replace("•", " ").replace("[bookmark: _GoBack]", "").split())
        if not line:
            continue
        letters = [c for c in line if c.isalpha()]
        if letters and all(c.isupper() for c in letters) and len(line.split()) <= 8:
            policy.append(Section(line))
        else:
            policy[-1].clauses.append(Clause(line))
    return [s for s in policy if s.clauses or s.title]


def policy_from_document(document: PolicyDocument) -> Policy:
    """A policy from a document read by policydiff (nested sections flattened, labels dropped)."""
    policy: Policy = []
    for section in document.walk():
        clauses = [Clause(c.text) for c in section.clauses]
        title = section.title or ""
        if policy and (len(title.split()) > 8 or title.endswith((":", ";", ","))):
            # A long heading is not the kind a policy has: keep its words as a clause.
            policy[-1].clauses.extend([Clause(title), *clauses])
        else:
            policy.append(Section(title, clauses))
    return [s for s in policy if s.clauses or s.title]


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.;:])\s+(?=[A-Z])", text)


def mutate(policy: Policy, rng: random.Random) -> tuple[Policy, list[dict[str, Any]]]:
    """An edited copy of `policy` and the ground truth of every edit."""
    new = copy.deepcopy(policy)
    truth: list[dict[str, Any]] = []

    def untouched(min_words: int = 0) -> list[tuple[Section, Clause]]:
        return [
            (s, c)
            for s in new
            for c in s.clauses
            if c.status == "same"
            and c.old is None
            and len(c.text.split()) >= min_words
            and " | " not in c.text
        ]

    def pick(min_words: int = 0) -> tuple[Section, Clause] | None:
        options = untouched(min_words)
        return rng.choice(options) if options else None

    for _ in range(rng.randint(2, 4)):
        chosen = pick(8)
        if chosen is None:
            break
        section, clause = chosen
        words = clause.text.split()
        k = rng.randrange(1, len(words) - 1)
        if rng.random() < 0.5:
            words.insert(k, rng.choice(EXTRA_WORDS))
        else:
            words[k] = rng.choice(["staff", "governors", "pupils", "parents", "leaders"])
        edited = " ".join(words)
        if edited != clause.text:
            clause.old, clause.text, clause.status = clause.text, edited, "modified"
            truth.append({"kind": "modified", "section": section.title or None,
                          "old": clause.old, "new": edited})  # fmt: skip

    removed = pick(4)
    if removed is not None:
        section, clause = removed
        clause.status = "removed"
        truth.append({"kind": "removed", "section": section.title or None, "old": clause.text})

    moved = pick(6)
    others = [s for s in new if moved is not None and s is not moved[0] and s.title]
    if moved is not None and others:
        source, clause = moved
        target = rng.choice(others)
        source.clauses.remove(clause)
        target.clauses.insert(rng.randint(0, len(target.clauses)), clause)
        clause.status = "moved"
        truth.append({"kind": "moved", "old_section": source.title or None,
                      "section": target.title, "old": clause.text, "new": clause.text})  # fmt: skip

    splittable = [(s, c) for s, c in untouched(10) if len(_sentences(c.text)) >= 2]
    if splittable and rng.random() < 0.7:
        section, clause = rng.choice(splittable)
        parts = _sentences(clause.text)
        cut = rng.randint(1, len(parts) - 1)
        first, second = " ".join(parts[:cut]), " ".join(parts[cut:])
        k = section.clauses.index(clause)
        section.clauses[k : k + 1] = [Clause(first, status="split"), Clause(second, status="split")]
        truth.append({"kind": "split", "section": section.title or None, "old": clause.text,
                      "new": [first, second]})  # fmt: skip

    merges = [
        (s, k)
        for s in new
        for k in range(len(s.clauses) - 1)
        if all(
            c.status == "same" and c.old is None and " | " not in c.text
            for c in s.clauses[k : k + 2]
        )
    ]
    if merges and rng.random() < 0.7:
        section, k = rng.choice(merges)
        a, b = section.clauses[k], section.clauses[k + 1]
        section.clauses[k : k + 2] = [Clause(f"{a.text} {b.text}", status="merged")]
        truth.append({"kind": "merged", "section": section.title or None,
                      "old": [a.text, b.text], "new": f"{a.text} {b.text}"})  # fmt: skip

    for _ in range(rng.randint(1, 2)):
        section = rng.choice(new)
        sentence = rng.choice([s for s in NEW_SENTENCES if s not in str(truth)])
        section.clauses.insert(
            rng.randint(0, len(section.clauses)), Clause(sentence, status="added")
        )
        truth.append({"kind": "added", "section": section.title or None, "new": sentence})

    titled = [s for s in new if s.title]
    if titled and rng.random() < 0.6:
        section = rng.choice(titled)
        old_title = section.title
        section.title = old_title + (" AND REPORTING" if old_title.isupper() else " and reporting")
        truth.append({"kind": "section-renamed", "old": old_title, "new": section.title})

    if len(titled) >= 3 and rng.random() < 0.5:
        section = rng.choice(titled)
        new.remove(section)
        spots = [k for k in range(1, len(new) + 1) if new[k - 1] is not section]
        new.insert(rng.choice(spots), section)
        truth.append({"kind": "section-moved", "old": section.title, "new": section.title})
    return new, truth


# -- writing .docx --------------------------------------------------------------------------


def _run(paragraph: Paragraph, text: str, bold: bool = False) -> Any:
    run = paragraph.add_run(text)
    run.bold = bold or None
    return run._r


def _tracked(tag: str, element: Any, rid: list[int]) -> Any:
    wrapper = OxmlElement(tag)
    rid[0] += 1
    wrapper.set(qn("w:id"), str(rid[0]))
    wrapper.set(qn("w:author"), "Clerk")
    wrapper.set(qn("w:date"), "2025-01-01T00:00:00Z")
    if element is not None:
        wrapper.append(element)
    return wrapper


def _deleted_run(paragraph: Paragraph, text: str) -> Any:
    r = _run(paragraph, text)
    t = r.find(qn("w:t"))
    t.tag = qn("w:delText")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def _mark_paragraph(paragraph: Paragraph, tag: str, rid: list[int]) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.append(rpr)
    rpr.append(_tracked(tag, None, rid))


def _clause_paragraph(
    document: Any, clause: Clause, style: str | None, prefix: str, tracked: bool, sdt: bool,
    rid: list[int],
) -> None:  # fmt: skip
    paragraph = document.add_paragraph(style=style)
    p = paragraph._p
    if prefix and clause.status == "removed":
        p.append(_tracked("w:del", _deleted_run(paragraph, prefix), rid))
    elif prefix:
        p.append(_run(paragraph, prefix))
    runs: list[Any] = []
    if tracked and clause.status == "modified" and clause.old is not None:
        for span in inline_diff(clause.old, clause.text):
            if span.op is Op.EQUAL:
                runs.append(_run(paragraph, span.text))
            elif span.op is Op.INSERT:
                runs.append(_tracked("w:ins", _run(paragraph, span.text), rid))
            else:
                runs.append(_tracked("w:del", _deleted_run(paragraph, span.text), rid))
    elif tracked and clause.status in ("added", "removed"):
        tag = "w:ins" if clause.status == "added" else "w:del"
        run = (
            _run(paragraph, clause.text) if tag == "w:ins" else _deleted_run(paragraph, clause.text)
        )
        runs.append(_tracked(tag, run, rid))
        _mark_paragraph(paragraph, tag, rid)
    else:
        runs.append(_run(paragraph, clause.text))
    if sdt:
        control = OxmlElement("w:sdt")
        control.append(OxmlElement("w:sdtPr"))
        content = OxmlElement("w:sdtContent")
        control.append(content)
        for run in runs:
            content.append(run)
        p.append(control)
    else:
        for run in runs:
            p.append(run)


def write_policy(
    policy: Policy, path: Path, layout: str, *, tracked: bool = False, sdt: bool = False
) -> Path:
    """Write `policy` as a .docx in one of LAYOUTS. Removed clauses appear only when tracked."""
    document = docx.Document()
    rid = [0]
    number = 0
    for section in policy:
        if section.title:
            number += 1
            if layout == "styled":
                document.add_heading(section.title.title(), level=1)
            elif layout == "typed":
                heading = document.add_paragraph()
                _run(heading, f"{number}. {section.title.title()}", bold=True)
            else:
                heading = document.add_paragraph()
                _run(heading, section.title.upper(), bold=True)
        sub = 0
        table = None
        for clause in section.clauses:
            if clause.status == "removed" and not tracked:
                continue
            if " | " in clause.text:
                # A row of a table (a document-control table, say): written as one.
                cells = clause.text.split(" | ")
                if table is None or len(table.columns) != len(cells):
                    table = document.add_table(rows=0, cols=len(cells))
                for cell, text in zip(table.add_row().cells, cells, strict=True):
                    cell.text = text
                continue
            table = None
            prefix, style = "", None
            if layout == "typed":
                if clause.status != "removed":
                    sub += 1
                prefix = f"{number}.{sub} " if section.title else f"{sub}. "
            elif layout == "styled" and section.title:
                style = "List Number"
            elif layout == "caps" and len(clause.text.split()) < 30:
                style = "List Bullet"
            _clause_paragraph(document, clause, style, prefix, tracked, sdt, rid)
    document.save(str(path))
    return path


def titled(truth: list[dict[str, Any]], layout: str) -> list[dict[str, Any]]:
    """The truth with section titles as the layout writes them."""

    def shown(title: str | None) -> str | None:
        if not title:
            return None
        return title.title() if layout in ("styled", "typed") else title.upper()

    out = []
    for change in truth:
        change = dict(change)
        for key in ("section", "old_section"):
            if key in change:
                change[key] = shown(change[key])
        if change["kind"].startswith("section-"):
            change["old"], change["new"] = shown(change["old"]), shown(change["new"])
        out.append(change)
    return out


def make_pair(
    policy: Policy,
    folder: Path,
    seed: int,
    layout: str,
    *,
    tracked: bool = False,
    sdt: bool = False,
) -> dict[str, Any]:
    """Write old.docx, new.docx and truth.json into `folder`; return the truth."""
    folder.mkdir(parents=True, exist_ok=True)
    new, truth = mutate(policy, random.Random(seed))
    write_policy(policy, folder / "old.docx", layout)
    write_policy(new, folder / "new.docx", layout, tracked=tracked, sdt=sdt)
    record = {"changes": titled(truth, layout), "layout": layout, "tracked": tracked, "sdt": sdt}
    (folder / "truth.json").write_text(json.dumps(record, indent=1, ensure_ascii=False))
    return record


# -- scoring (the rules of shared/tools/score_diff.py) ---------------------------------------


def fold(text: str | None) -> str | None:
    if text is None:
        return None
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(a, b)
    text = re.sub(r"\s*\|\s*", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^\(?([0-9]+(\.[0-9]+)*|[a-z]|[ivx]+)[.)]?\s+", "", text)


def score(report: dict[str, Any], truth: dict[str, Any]) -> tuple[float, float, list[str]]:
    """Precision, recall and the misses of a `policydiff.diff/1` report against the truth."""

    def side(value: Any) -> tuple[str | None, ...]:
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        return tuple(sorted(fold(x["text"] if isinstance(x, dict) else x) or "" for x in items))

    want = [
        (t["kind"], side(t.get("old")), side(t.get("new")))
        for t in truth["changes"]
        if not t["kind"].startswith("section-")
    ]
    got = []
    for c in report["changes"]:
        kind, old, new = c["kind"], side(c["old"]), side(c["new"])
        if kind == "modified" and c.get("moved") and old == new:
            kind = "moved"
        got.append((kind, old, new))
    left = list(got)
    hit, notes = 0, []
    for w in want:
        if w in left:
            left.remove(w)
            hit += 1
        else:
            notes.append(f"missed {w[0]}: {(w[1] or w[2])[0]!r:.70}")
    notes += [f"extra {k}: {(o or n)[0]!r:.70}" for k, o, n in left]
    renames_want = {(fold(t["old"]), fold(t["new"])) for t in truth["changes"]
                    if t["kind"] == "section-renamed"}  # fmt: skip
    renames_got = {(fold(s["old"]), fold(s["new"])) for s in report["sections"]
                   if s["kind"] == "renamed"}  # fmt: skip
    notes += [f"missed rename {r}" for r in renames_want - renames_got]
    total = len(want) + len(renames_want)
    recall = (hit + len(renames_want & renames_got)) / total if total else 1.0
    precision = hit / len(got) if got else (1.0 if not want else 0.0)
    return precision, recall, notes
