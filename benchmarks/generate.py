"""Long, realistic policy pairs for the benchmark, with ground truth. Seeded and cached.

A policy of N clauses: numbered capitalised headings, typed clause numbers ("3.2 ") in some
sections, Word's own bullets and numbered lists in others (numbering.xml, as Word writes the
List Bullet style and a numbered list), a two-column table now and then. The new revision
changes 3% of clauses, moves 1%, adds 1%, removes 1%, splits two, merges two and renames a
section, the mix the issue measures the peers on. Written straight to WordprocessingML (python-docx grows
quadratically on 20,000 paragraphs).
"""

from __future__ import annotations

import json
import random
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

SIZES = (50, 2_000, 20_000)
WORDS = [
    "staff",
    "pupils",
    "governors",
    "parents",
    "carers",
    "school",
    "trust",
    "leaders",
    "volunteers",
    "visitors",
    "policy",
    "data",
    "records",
    "devices",
    "accounts",
    "online",
    "report",
    "concern",
    "safeguarding",
    "lead",
    "officer",
    "headteacher",
    "must",
    "should",
    "may",
    "will",
    "not",
    "always",
    "never",
    "promptly",
    "securely",
    "within",
    "days",
    "term",
    "year",
    "review",
    "approve",
    "record",
    "share",
    "store",
    "delete",
    "retain",
    "protect",
    "disclose",
    "consent",
    "request",
    "inform",
    "training",
    "induction",
    "meeting",
    "incident",
    "breach",
    "complaint",
    "procedure",
    "guidance",
    "law",
    "access",
    "personal",
    "sensitive",
    "confidential",
    "information",
    "systems",
    "email",
    "website",
    "images",
    "video",
    "messages",
    "passwords",
    "premises",
    "lessons",
    "trips",
    "clubs",
    "contractors",
    "agencies",
    "local",
    "authority",
    "the",
    "a",
    "an",
    "and",
    "or",
    "of",
    "to",
    "in",
    "on",
    "for",
    "with",
    "by",
    "at",
    "from",
    "under",
    "before",
    "after",
    "during",
    "each",
    "every",
]
TITLE_WORDS = [
    "Purpose",
    "Scope",
    "Roles",
    "Responsibilities",
    "Definitions",
    "Training",
    "Reporting",
    "Records",
    "Security",
    "Access",
    "Retention",
    "Disposal",
    "Monitoring",
    "Review",
    "Complaints",
    "Consent",
    "Devices",
    "Images",
    "Email",
    "Safeguarding",
    "Conduct",
    "Visitors",
    "Contractors",
    "Equality",
    "Breaches",
    "Sanctions",
    "Communication",
]


@dataclass
class Item:
    text: str
    kind: str = "paragraph"  # paragraph | bullet | numbered (a Word list) | row


@dataclass
class Part:
    title: str
    numbered: bool
    items: list[Item] = field(default_factory=list)


def _sentence(rng: random.Random, low: int = 12, high: int = 34) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    text = " ".join(words)
    # Two sentences now and then, so that a split has a place to fall.
    if len(words) > 20 and rng.random() < 0.5:
        cut = len(text) // 2
        cut = text.index(" ", cut)
        text = text[:cut] + ". " + text[cut + 1].upper() + text[cut + 2 :]
    return text[0].upper() + text[1:] + "."


def make_policy(clauses: int, seed: int) -> list[Part]:
    rng = random.Random(seed)
    parts: list[Part] = []
    made = 0
    while made < clauses:
        title = " ".join(rng.sample(TITLE_WORDS, rng.randint(1, 3))).upper()
        part = Part(
            f"{title} {len(parts) + 1}" if rng.random() < 0.3 else title, rng.random() < 0.5
        )
        size = min(rng.randint(6, 24), clauses - made)
        style = rng.random()
        for _ in range(size):
            if style < 0.1:
                item = Item(
                    f"{rng.choice(TITLE_WORDS)} {rng.randint(1, 999)} | {_sentence(rng, 4, 10)}",
                    "row",
                )
            elif style < 0.35:
                item = Item(_sentence(rng), "bullet")
            elif style < 0.6:
                item = Item(_sentence(rng), "numbered")
            else:
                item = Item(_sentence(rng))
            part.items.append(item)
        made += size
        parts.append(part)
    return parts


def mutate(parts: list[Part], seed: int) -> tuple[list[Part], list[dict[str, Any]]]:
    """The edited revision and the ground truth, in the shape of shared/corpus truth files."""
    rng = random.Random(seed + 1)
    total = sum(len(p.items) for p in parts)
    n = {"modify": max(1, total * 3 // 100), "move": max(1, total // 100),
         "add": max(1, total // 100), "remove": max(1, total // 100)}  # fmt: skip
    places = [
        (k, i) for k, p in enumerate(parts) for i, it in enumerate(p.items) if it.kind != "row"
    ]
    rng.shuffle(places)
    plan: dict[tuple[int, int], str] = {}
    for op, count in n.items():
        if op == "add":
            continue
        for _ in range(count):
            if places:
                plan[places.pop()] = op
    splittable = [pl for pl in places if ". " in parts[pl[0]].items[pl[1]].text]
    for pl in splittable[:2]:
        plan[pl] = "split"
        places.remove(pl)
    merges = 0
    for k, i in list(places):
        if merges == 2:
            break
        if (k, i + 1) in places and parts[k].items[i + 1].kind != "row":
            plan[(k, i)] = "merge-head"
            plan[(k, i + 1)] = "merge-tail"
            places.remove((k, i))
            places.remove((k, i + 1))
            merges += 1

    truth: list[dict[str, Any]] = []
    new: list[Part] = [Part(p.title, p.numbered) for p in parts]
    moving: list[tuple[str, Item]] = []
    for k, part in enumerate(parts):
        items = part.items
        i = 0
        while i < len(items):
            item, op = items[i], plan.get((k, i), "keep")
            if op == "keep":
                new[k].items.append(Item(item.text, item.kind))
            elif op == "modify":
                words = item.text[:-1].split()
                j = rng.randrange(1, len(words))
                words[j] = rng.choice([w for w in WORDS if w != words[j]])
                text = " ".join(words) + "."
                new[k].items.append(Item(text, item.kind))
                truth.append(
                    {"kind": "modified", "section": part.title, "old": item.text, "new": text}
                )
            elif op == "remove":
                truth.append({"kind": "removed", "section": part.title, "old": item.text})
            elif op == "move":
                moving.append((part.title, item))
            elif op == "split":
                first, second = item.text.split(". ", 1)
                new[k].items += [Item(first + ".", item.kind), Item(second, item.kind)]
                truth.append({"kind": "split", "section": part.title, "old": item.text,
                              "new": [first + ".", second]})  # fmt: skip
            elif op == "merge-head":
                tail = items[i + 1]
                joined = f"{item.text} {tail.text}"
                new[k].items.append(Item(joined, item.kind))
                truth.append({"kind": "merged", "section": part.title,
                              "old": [item.text, tail.text], "new": joined})  # fmt: skip
                i += 1
            i += 1
    for old_title, item in moving:
        target = rng.choice(new)
        target.items.insert(rng.randint(0, len(target.items)), Item(item.text, item.kind))
        truth.append({"kind": "moved", "old_section": old_title, "section": target.title,
                      "old": item.text, "new": item.text})  # fmt: skip
    for _ in range(n["add"]):
        target = rng.choice(new)
        text = _sentence(rng)
        target.items.insert(rng.randint(0, len(target.items)), Item(text))
        truth.append({"kind": "added", "section": target.title, "new": text})
    renamed = rng.choice(new)
    truth.append(
        {"kind": "section-renamed", "old": renamed.title, "new": renamed.title + " AND REPORTING"}
    )
    renamed.title += " AND REPORTING"
    return new, truth


def _p(text: str, bold: bool = False, kind: str = "paragraph") -> str:
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    ppr = {
        "bullet": '<w:pPr><w:pStyle w:val="ListBullet"/></w:pPr>',  # numbered by its style
        "numbered": '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr></w:pPr>',
    }.get(kind, "")
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _write_package(
    path: Path, parts: dict[str, str], relationships: tuple[tuple[str, str, str], ...]
) -> Path:
    """A Word package of `parts` (name -> XML), the main document related to the others by
    (id, type, target)."""
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    rels = "".join(
        f'<Relationship Id="{rid}" Type="{office}/{kind}" Target="{target}"/>'
        for rid, kind, target in relationships
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{main}"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
            f'Type="{office}/officeDocument" Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/_rels/document.xml.rels", f'<Relationships xmlns="{pkg}">{rels}</Relationships>'
        )
        for name, xml in parts.items():
            archive.writestr(name, xml)
    return path


def write_docx(parts: list[Part], path: Path) -> Path:
    body: list[str] = []
    for number, part in enumerate(parts, start=1):
        body.append(_p(f"{number}. {part.title}", bold=True))
        rows: list[str] = []
        sub = 0
        for item in part.items:
            if item.kind == "row":
                cells = "".join(f"<w:tc>{_p(c)}</w:tc>" for c in item.text.split(" | "))
                rows.append(f"<w:tr>{cells}</w:tr>")
                continue
            if rows:
                body.append("<w:tbl>" + "".join(rows) + "</w:tbl>")
                rows = []
            sub += 1
            prefix = f"{number}.{sub} " if part.numbered and item.kind == "paragraph" else ""
            body.append(_p(prefix + item.text, kind=item.kind))
        if rows:
            body.append("<w:tbl>" + "".join(rows) + "</w:tbl>")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{w}"><w:body>{"".join(body)}</w:body></w:document>'
    styles = (
        f'<w:styles xmlns:w="{w}"><w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
        '<w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="ListBullet">'
        '<w:name w:val="List Bullet"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>'
        "</w:style></w:styles>"
    )
    numbering = (
        f'<w:numbering xmlns:w="{w}">'
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>'
        '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>'
    )
    return _write_package(
        path,
        {"word/document.xml": document, "word/styles.xml": styles, "word/numbering.xml": numbering},
        (("rId1", "styles", "styles.xml"), ("rId2", "numbering", "numbering.xml")),
    )


def make_pair(clauses: int, folder: Path, seed: int = 20261125) -> Path:
    """old.docx, new.docx and truth.json for a pair of `clauses` clauses, made once."""
    folder = folder / f"pair-{clauses}"
    if (folder / "truth.json").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    old = make_policy(clauses, seed)
    new, truth = mutate(old, seed)
    write_docx(old, folder / "old.docx")
    write_docx(new, folder / "new.docx")
    (folder / "truth.json").write_text(json.dumps({"changes": truth}, indent=1))
    return folder


def make_triple(clauses: int, folder: Path, seed: int = 20261201) -> Path:
    """base.docx (a model policy of `clauses` clauses), model.docx (its next revision) and
    school.docx (a school's copy with its own changes, made from the base), made once."""
    folder = folder / f"triple-{clauses}"
    if (folder / "school.docx").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    base = make_policy(clauses, seed)
    write_docx(base, folder / "base.docx")
    write_docx(mutate(base, seed)[0], folder / "model.docx")
    write_docx(mutate(base, seed + 7)[0], folder / "school.docx")
    return folder


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/data")
    for size in SIZES:
        print(make_pair(size, target))


def write_rich_docx(parts: list[Part], path: Path) -> Path:
    """The same policy with what real policies also contain: every fifth paragraph in a text
    box (a modern wps box with its VML fallback, as Word writes it), every tenth citing a
    footnote, and a page header and footer."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    ns = (
        f'xmlns:w="{w}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"'
    )
    body: list[str] = []
    notes: list[str] = []
    count = 0
    for number, part in enumerate(parts, start=1):
        body.append(_p(f"{number}. {part.title}", bold=True))
        for item in part.items:
            count += 1
            text = escape(item.text)
            if count % 5 == 0:
                box = f'<w:txbxContent><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:txbxContent>'
                body.append(
                    '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
                    f'<wp:docPr id="{count}" name="Text Box"/><a:graphic><a:graphicData '
                    'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
                    f"<wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></a:graphicData></a:graphic>"
                    "</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape>"
                    f"<v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>"
                    "</mc:AlternateContent></w:r></w:p>"
                )
            elif count % 10 == 1:
                note = len(notes) + 1
                notes.append(
                    f'<w:footnote w:id="{note}"><w:p><w:r><w:t>See section {number} of the '
                    f"staff handbook, note {note}.</w:t></w:r></w:p></w:footnote>"
                )
                body.append(
                    f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r><w:r>'
                    f'<w:footnoteReference w:id="{note}"/></w:r></w:p>'
                )
            else:
                body.append(_p(item.text))
    sect = (
        '<w:sectPr><w:headerReference w:type="default" r:id="rId3"/>'
        '<w:footerReference w:type="default" r:id="rId4"/></w:sectPr>'
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {ns}><w:body>'
        f"{''.join(body)}{sect}</w:body></w:document>"
    )
    return _write_package(
        path,
        {
            "word/document.xml": document,
            "word/footnotes.xml": f'<w:footnotes xmlns:w="{w}">{"".join(notes)}</w:footnotes>',
            "word/header1.xml": f'<w:hdr xmlns:w="{w}">{_p("Staff handbook")}</w:hdr>',
            "word/footer1.xml": f'<w:ftr xmlns:w="{w}">{_p("Next review: September 2026")}</w:ftr>',
        },
        (
            ("rId2", "footnotes", "footnotes.xml"),
            ("rId3", "header", "header1.xml"),
            ("rId4", "footer", "footer1.xml"),
        ),
    )


def make_rich(clauses: int, folder: Path, seed: int = 20261125) -> Path:
    """A policy of about `clauses` clauses with text boxes, footnotes, a header and a footer."""
    path = folder / f"rich-{clauses}.docx"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        write_rich_docx(make_policy(clauses, seed), path)
    return path


def make_worst_cases(folder: Path, seed: int = 20261130) -> dict[str, tuple[Path, Path]]:
    """The inputs of issue #15 that cost most, as (old, new) Word files: two unrelated
    10,000-clause documents; 10,000 identical clauses with one changed; 200,000 short paragraphs
    in one section; 100,000 clauses in one section with every 100th rewritten (each a slot to
    weigh); one clause of 16,000 words with every third changed."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)

    def write(name: str, paragraphs: list[str]) -> Path:
        path = folder / f"{name}.docx"
        if not path.exists():
            _write_package(path, {"word/document.xml": _document(paragraphs)}, ())
        return path

    cases: dict[str, tuple[Path, Path]] = {}
    cases["two unrelated documents, 10,000 clauses each"] = (
        write("unrelated-old", [_sentence(rng) for _ in range(10_000)]),
        write("unrelated-new", [_sentence(rng) for _ in range(10_000)]),
    )
    same = "Staff must report every concern to the designated safeguarding lead the same day."
    cases["10,000 identical clauses, one changed"] = (
        write("identical-old", [same] * 10_000),
        write(
            "identical-new",
            [same] * 5_000 + [same.replace("same day", "next day")] + [same] * 4_999,
        ),
    )
    rules = [f"Rule {k} applies to every pupil." for k in range(200_000)]
    changed = [r if k % 997 else r.replace("every", "each") for k, r in enumerate(rules)]
    cases["200,000 short paragraphs in one section"] = (
        write("short-old", ["RULES", *rules]),
        write("short-new", ["RULES", *changed]),
    )
    rules = [f"Rule {k} applies to every pupil in year {k % 7}." for k in range(100_000)]
    replaced = [
        r if k % 100 else f"Visitors meet pupils at reception desk {k}."
        for k, r in enumerate(rules)
    ]  # (each new clause shares a word with the one it replaced: a slot to weigh, every time)
    cases["100,000 clauses in one section, every 100th rewritten"] = (
        write("slots-old", ["RULES", *rules]),
        write("slots-new", ["RULES", *replaced]),
    )
    words = [rng.choice(WORDS) for _ in range(16_000)]
    edited = [w if k % 3 else rng.choice(WORDS) for k, w in enumerate(words)]
    cases["one clause of 16,000 words, every third word changed"] = (
        write("long-clause-old", [" ".join(words) + "."]),
        write("long-clause-new", [" ".join(edited) + "."]),
    )
    return cases


def _document(paragraphs: list[str]) -> str:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(_p(text) for text in paragraphs)
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
    )
