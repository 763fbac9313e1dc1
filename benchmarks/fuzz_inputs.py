"""`make fuzz`, second part (issue #18): list numbering and rule files made at random.

- numbering: random list definitions (starts from 0 to 10^20, every number format Word has
  and some it has not, level texts of many %n, overrides) on numbered paragraphs: each file
  reads, or is refused in one line, in under a second;
- rule files: random TOML of rules (messages with any blanks, patterns of any pieces, extends,
  deep arrays, bytes that are not UTF-8): each loads and checks the sample policy in under a
  second, or is refused with a RuleFileError.
Anything else (a traceback, a slow input) is saved under benchmarks/fuzz-failures/.

usage: python -m benchmarks.fuzz_inputs [INPUTS] [SEED]
"""

from __future__ import annotations

import random
import sys
import time
import traceback
from datetime import date
from pathlib import Path

from policydiff.errors import ReadError, RuleFileError
from policydiff.readers.docx import read_docx
from policydiff.rules.checks import check
from policydiff.rules.load import load_profile
from tests.builders import p, write_docx

ROOT = Path(__file__).resolve().parents[1]
FAILURES = ROOT / "benchmarks" / "fuzz-failures"
SAMPLE = ROOT / "policies" / "social-media" / "2024.docx"
SLOW = 1.0  # seconds: any one input slower than this is a finding
FORMATS = ["decimal", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman", "bullet",
           "decimalZero", "ordinal", "cardinalText", "ordinalText", "chicago", "none",
           "decimalEnclosedCircle", "hex", "nonsense", ""]  # fmt: skip
STARTS = [0, 1, 2, 26, 27, 3999, 4000, 32767, 32768, 2**31 - 1, 2**31, 2**63, 10**18, 10**20, -1]


def numbering_file(rng: random.Random, path: Path) -> Path:
    levels = "".join(
        f'<w:lvl w:ilvl="{k}"><w:start w:val="{rng.choice(STARTS)}"/>'
        f'<w:numFmt w:val="{rng.choice(FORMATS)}"/>'
        f'<w:lvlText w:val="{"".join(rng.choice(["%1", "%2", "%9", ".", "(", "%"]) for _ in range(rng.choice([1, 3, 50, 3000])))}"/>'
        "</w:lvl>"
        for k in range(rng.randint(1, 9))
    )
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{rng.randint(0, 9)}"><w:startOverride w:val="{rng.choice(STARTS)}"/></w:lvlOverride>'
        for _ in range(rng.randint(0, 2))
    )
    definitions = (
        f'<w:abstractNum w:abstractNumId="0">{levels}</w:abstractNum>'
        f'<w:num w:numId="1"><w:abstractNumId w:val="0"/>{overrides}</w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>'
    )
    body = "".join(
        p(f"Item {k}", num=(rng.choice([1, 2, 3]), rng.randint(0, 10)))
        for k in range(rng.randint(1, 30))
    )
    return write_docx(path, body, numbering=definitions)


MESSAGES = ["Add it", "{found}", "{0}", "{found:>999999}", "{found!r}", "{found.x}", "{", "}",
            "{{literal}}", "{due} {today}", "{missing}", "é" * 10, "x" * 2000]  # fmt: skip
PIECES = ["a", "(a+)+", "$", "\\\\s+", "(?=x)", "\\\\1", "[", ")", "data", "protection", ".*",
          "(?i)", "\\\\b", "{2,}", "|", "é"]  # fmt: skip


def rule_file(rng: random.Random, path: Path) -> Path:
    rules = []
    for k in range(rng.randint(0, 4)):
        kind = rng.choice(["required-section", "forbidden-phrase", "required-phrase", "x"])
        pattern = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6)))
        rules.append(
            f'[[rule]]\nid = "{kind}/r{k}"\ntype = "{kind}"\nseverity = "{rng.choice(["error", "info", "x"])}"\n'
            f'names = ["definitions"]\npatterns = ["{pattern}"]\n'
            f'message = "{rng.choice(MESSAGES)} {rng.choice(MESSAGES)}"\n'
        )
    text = "".join(rules)
    if rng.random() < 0.1:
        text = (
            'extends = "'
            + rng.choice(
                ["default", path.stem, "../" + path.parent.name + "/" + path.stem, "missing"]
            )
            + '"\n'
            + text
        )
    if rng.random() < 0.05:
        depth = rng.choice([10, 1000, 5000])
        text += "x = " + "[" * depth + "]" * depth + "\n"
    data = text.encode("utf-8")
    if rng.random() < 0.05:
        data = text.encode("latin-1", "replace") + b"\xe9\xff"
    path.write_bytes(data)
    return path


def main() -> int:
    inputs = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = random.Random(seed)
    FAILURES.mkdir(parents=True, exist_ok=True)
    sample = read_docx(SAMPLE).value
    found = 0
    for name in ("numbering", "rule files"):
        started = time.monotonic()
        done = refused = 0
        for number in range(inputs):
            path = FAILURES / ("current.docx" if name == "numbering" else "current.toml")
            begun = time.monotonic()
            try:
                if name == "numbering":
                    read_docx(numbering_file(rng, path))
                else:
                    profile = load_profile(rules_file=rule_file(rng, path))
                    check("sample", sample, profile, date(2026, 12, 1), date(2024, 3, 1))
                done += 1
            except (ReadError, RuleFileError) as error:
                refused += 1
                assert "\n" not in str(error)  # noqa: PT017 - not a test: the fuzzer's own check
            except Exception:  # noqa: BLE001 - the point is to catch anything else
                found += 1
                kept = FAILURES / f"{name.replace(' ', '-')}-{seed}-{number}{path.suffix}"
                kept.write_bytes(path.read_bytes())
                print(f"{kept}: {traceback.format_exc().strip().splitlines()[-1]}")
                continue
            if time.monotonic() - begun > SLOW:
                found += 1
                kept = FAILURES / f"{name.replace(' ', '-')}-slow-{seed}-{number}{path.suffix}"
                kept.write_bytes(path.read_bytes())
                print(f"{kept}: {time.monotonic() - begun:.1f} s")
        seconds = time.monotonic() - started
        print(
            f"{name}: {inputs} inputs in {seconds:.0f} s: {done} read, {refused} refused in one line"
        )
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
