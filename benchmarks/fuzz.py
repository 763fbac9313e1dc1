"""`make fuzz`: mutate the real corpus and check the reader never fails with a traceback.

Every input either reads or is refused with a ReadError. Mutations work at two depths: the raw
bytes of the .docx (flips, cuts, duplicated spans) and the XML inside it (the document,
numbering and styles parts re-zipped after byte-level edits), which reaches the reader's
deeper code. An input that raises anything else is saved under benchmarks/fuzz-failures/.

usage: python -m benchmarks.fuzz [INPUTS] [SEED]
"""

from __future__ import annotations

import copy
import io
import random
import sys
import time
import traceback
import zipfile
from pathlib import Path

from lxml import etree

from policydiff.errors import ReadError
from policydiff.readers.docx import read_docx

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
FAILURES = ROOT / "benchmarks" / "fuzz-failures"
PARTS = ("word/document.xml", "word/numbering.xml", "word/styles.xml")
TOKENS = [b"<w:p>", b"</w:p>", b'w:val="', b"<w:ins>", b"<w:del>", b"<w:fldChar w:fldCharType=\"begin\"/>",
          b"<w:numPr><w:ilvl w:val=\"x\"/><w:numId w:val=\"1\"/></w:numPr>", b"&amp;", b"\x00", b"\xff",
          b'w:ilvl="99999999999"', b'<w:lvlText w:val="%1%9%0"/>', b"<w:sdt><w:sdtContent>"]  # fmt: skip


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if not out:
            break
        choice = rng.random()
        at = rng.randrange(len(out))
        if choice < 0.4:
            out[at] = rng.randrange(256)
        elif choice < 0.6:
            del out[at : at + rng.randint(1, 64)]
        elif choice < 0.8:
            span = out[at : at + rng.randint(1, 64)]
            out[at:at] = span
        else:
            out[at:at] = rng.choice(TOKENS)
    return bytes(out)


WEIRD = ["x", "-1", "0", "99999999999", "", "%1%2%3%4%5%6%7%8%9", "bullet", "none", "true", "9"]


def mutate_tree(xml: bytes, rng: random.Random) -> bytes:
    """Well-formed but wrong: odd attribute values, elements copied, dropped or moved."""
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    elements = list(root.iter())
    for _ in range(rng.randint(1, 6)):
        element = rng.choice(elements)
        choice = rng.random()
        if choice < 0.4 and element.attrib:
            key = rng.choice(list(element.attrib))
            element.set(key, rng.choice(WEIRD))
        elif choice < 0.6 and element.getparent() is not None:
            element.addnext(copy.deepcopy(element))
        elif choice < 0.8 and element.getparent() is not None:
            element.getparent().remove(element)
            elements = list(root.iter())
        else:
            other = rng.choice(elements)
            if (
                other is not element
                and element not in other.iterancestors()
                and element.getparent() is not None
            ):
                other.append(element)
    return etree.tostring(root)


def mutate_inside(data: bytes, rng: random.Random) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {i.filename: source.read(i.filename) for i in source.infolist()}
    targets = [p for p in PARTS if p in parts]
    if not targets:
        return mutate_bytes(data, rng)
    name = rng.choice(targets)
    try:
        parts[name] = (
            mutate_tree(parts[name], rng) if rng.random() < 0.7 else mutate_bytes(parts[name], rng)
        )
    except etree.XMLSyntaxError:
        parts[name] = mutate_bytes(parts[name], rng)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for part, content in parts.items():
            target.writestr(part, content)
    return buffer.getvalue()


def main() -> int:
    inputs = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = random.Random(seed)
    seeds = [p.read_bytes() for p in sorted(CORPUS.rglob("*.docx")) if p.stat().st_size < 400_000]
    seeds = [s for s in seeds if zipfile.is_zipfile(io.BytesIO(s))]
    FAILURES.mkdir(parents=True, exist_ok=True)
    scratch = FAILURES / "current.docx"
    started = time.monotonic()
    read = refused = failed = 0
    for number in range(inputs):
        base = rng.choice(seeds)
        data = mutate_inside(base, rng) if rng.random() < 0.7 else mutate_bytes(base, rng)
        scratch.write_bytes(data)
        try:
            read_docx(scratch)
            read += 1
        except ReadError as error:
            refused += 1
            assert "\n" not in str(error)  # noqa: PT017 - not a test: the fuzzer's own check
        except Exception:  # noqa: BLE001 - the point is to catch anything else
            failed += 1
            kept = FAILURES / f"failure-{seed}-{number}.docx"
            kept.write_bytes(data)
            print(f"{kept}: {traceback.format_exc().strip().splitlines()[-1]}")
    scratch.unlink(missing_ok=True)
    seconds = time.monotonic() - started
    print(
        f"{inputs} inputs in {seconds:.0f} s: {read} read, {refused} refused in one line, {failed} tracebacks"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
