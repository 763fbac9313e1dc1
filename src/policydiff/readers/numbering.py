"""Word's automatic numbering, computed as Word shows it (ECMA-376 Part 1, 17.9).

`w:num` -> `w:abstractNum` (possibly through `w:numStyleLink` to a numbering style), per-level
start, number format, level text ("%1.%2"), restart rules, legal numbering and overrides.
Word keeps one set of counters per abstract definition, shared by every `w:num` over it (and
by every paragraph numbered through a style that names one of them). A `w:num` with a
`w:startOverride` (Word's Restart Numbering, or Set Numbering Value) resets the shared counter
of that level where the `w:num` is first used; paragraphs of the other `w:num`s then continue
from there (ECMA-376 Part 1, 17.9.26 lvlOverride and 17.9.27 startOverride; LibreOffice,
pandoc issue #8367 and docx4j's tests agree).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from functools import cache

from lxml import etree

from policydiff.readers.wordml import MC_NS, int_val, on, val, w


@dataclass(frozen=True, slots=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # w:lvlRestart: restart after this (1-based) level; 0 = never
    legal: bool = False  # w:isLgl: show every level in decimal
    style: str | None = None  # w:pStyle: a paragraph style that carries this level


_NO_LEVEL = Level()


@cache
def _placeholders(text: str) -> tuple[tuple[int, str], ...]:
    """The counters a level's text shows, by level: ((0, "%1"), (1, "%2")) for "%1.%2"."""
    return tuple((k, f"%{k + 1}") for k in range(9) if f"%{k + 1}" in text)


@dataclass(slots=True)
class _Num:
    abstract: str
    overrides: dict[int, Level] = field(default_factory=dict)
    starts: dict[int, int] = field(default_factory=dict)  # level -> w:startOverride value


_OFFICE = "http://schemas.microsoft.com/office/"
_ZERO_PADDED = re.compile(r"0+1\b")


def _number_format(element: etree._Element) -> str:
    """A level's w:numFmt. Word 2010 writes its custom formats ("001, 002, 003, ...") in an
    mc:Choice that needs w14, with a plain format as the mc:Fallback: the Choice is what Word
    shows. A custom format of zero-padded digits is kept as "decimalZero<width>"; any other
    custom format is shown in digits."""
    found = element.find(w("numFmt"))
    if found is None:
        for alternate in element.iter(f"{{{MC_NS}}}AlternateContent"):
            for branch in alternate:
                required = (branch.get("Requires") or "").split()
                office = all((branch.nsmap.get(x) or "").startswith(_OFFICE) for x in required)
                if branch.tag == f"{{{MC_NS}}}Fallback" or (required and office):
                    found = branch.find(w("numFmt"))
                    break
            if found is not None:
                break
    fmt = val(found, "decimal") or "decimal"
    if fmt == "custom" and found is not None:
        match = _ZERO_PADDED.match(found.get(w("format")) or "")
        return f"decimalZero{len(match.group())}" if match else "decimal"
    return fmt


def _level(element: etree._Element) -> Level:
    restart = element.find(w("lvlRestart"))
    return Level(
        start=int_val(element.find(w("start")), 1),
        fmt=_number_format(element),
        text=val(element.find(w("lvlText")), "") or "",
        restart=int_val(restart, 0) if restart is not None else None,
        legal=on(element.find(w("isLgl"))),
        style=val(element.find(w("pStyle"))),
    )


def _roman(number: int) -> str:
    numerals = (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    )  # fmt: skip
    out = []
    for value, numeral in numerals:
        count, number = divmod(number, value)
        out.append(numeral * count)
    return "".join(out)


def _letters(number: int) -> str:
    # Word repeats the letter: 1..26 = a..z, 27 = aa, 53 = aaa.
    if number <= 0:
        return str(number)
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


MAX_SPELLED = 32_767  # Word keeps a list's counter below this; past it, only digits are written


def format_number(number: int, fmt: str) -> str:
    """One counter (`number`) as Word writes it in the given w:numFmt (ECMA-376 Part 1,
    17.18.59 ST_NumberFormat): "iv" for 4 in lowerRoman, "d" in lowerLetter. A counter past
    MAX_SPELLED (a crafted w:start of 10^20, say) is written in digits, so that no label can
    grow without bound."""
    if not -MAX_SPELLED <= number <= MAX_SPELLED:
        return str(number) if abs(number) < 10**30 else "…"
    if fmt == "decimalZero":
        return f"{number:02d}"
    if fmt.startswith("decimalZero") and fmt[11:].isdigit():  # a custom "001, 002, ..."
        return f"{number:0{min(int(fmt[11:]), 9)}d}"
    if fmt in {"lowerLetter", "upperLetter"}:
        text = _letters(number)
        return text.upper() if fmt == "upperLetter" else text
    if fmt in {"lowerRoman", "upperRoman"}:
        text = _roman(number) if number > 0 else str(number)
        return text.upper() if fmt == "upperRoman" else text
    if fmt == "ordinal":
        return _ordinal(number)
    if fmt == "chicago" and number > 0:  # *, †, ‡, §, then doubled: **, ††, ...
        return "*†‡§"[(number - 1) % 4] * ((number - 1) // 4 + 1)
    if fmt == "decimalEnclosedParen":
        return f"({number})"
    if fmt in {"none", "bullet"}:
        return ""
    return str(number)  # decimal and every format we do not spell out


class Numbering:
    """Hands out labels for numbered paragraphs in reading order."""

    def __init__(self, root: etree._Element | None, numbering_styles: dict[str, str]) -> None:
        self._abstract: dict[str, dict[int, Level]] = {}
        self._style_link: dict[str, str] = {}
        self._nums: dict[str, _Num] = {}
        self._numbering_styles = numbering_styles
        self._effective: dict[str, dict[int, Level]] = {}  # num id -> its levels, overridden
        self._counters: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()
        if root is None:
            return
        for abstract in root.iter(w("abstractNum")):
            aid = abstract.get(w("abstractNumId"))
            if aid is None:
                continue
            levels = {int_val_attr(lvl): _level(lvl) for lvl in abstract.iter(w("lvl"))}
            self._abstract[aid] = levels
            link = val(abstract.find(w("numStyleLink")))
            if link:
                self._style_link[aid] = link
        for num in root.iter(w("num")):
            num_id = num.get(w("numId"))
            aid = val(num.find(w("abstractNumId")))
            if num_id is None or aid is None:
                continue
            entry = _Num(abstract=aid)
            for override in num.iter(w("lvlOverride")):
                ilvl = int_val_attr(override)
                lvl = override.find(w("lvl"))
                base = _level(lvl) if lvl is not None else None
                start = override.find(w("startOverride"))
                if start is not None:
                    start_value = int_val(start, 1)
                    entry.starts[ilvl] = start_value
                    if base is None:
                        base = replace(self._levels(aid).get(ilvl, Level()), start=start_value)
                    else:
                        base = replace(base, start=start_value)
                if base is not None:
                    entry.overrides[ilvl] = base
            self._nums[num_id] = entry

    def fork(self) -> Numbering:
        """The same definitions with counters of their own, from the start: for a story other
        than the body (the footnotes, a header), whose lists must not move the body's numbers."""
        forked = copy.copy(self)
        forked._counters, forked._started = {}, set()
        return forked

    def _levels(self, aid: str, depth: int = 0) -> dict[int, Level]:
        link = self._style_link.get(aid)
        if link is not None and depth < 5:
            num_id = self._numbering_styles.get(link)
            target = self._nums.get(num_id) if num_id is not None else None
            if target is not None and target.abstract != aid:
                return self._levels(target.abstract, depth + 1)
        return self._abstract.get(aid, {})

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        """The level whose w:pStyle names `style_id`, for numbering that comes from a style."""
        num = self._nums.get(num_id)
        if num is None:
            return None
        for ilvl, level in self._levels(num.abstract).items():
            if level.style == style_id:
                return ilvl
        return None

    def label(self, num_id: str, ilvl: int) -> tuple[str | None, bool] | None:
        """Advance the list and return (label, is_bullet), or None when not numbered at all."""
        num = self._nums.get(num_id)
        if num is None or num_id == "0":
            return None
        levels = self._effective.get(num_id)
        if levels is None:  # worked out once per list, not once per numbered paragraph
            levels = self._effective[num_id] = {**self._levels(num.abstract), **num.overrides}
        level = levels.get(ilvl)
        if level is None:
            return None
        counters = self._counters.setdefault(num.abstract, {})
        if num.starts and num_id not in self._started:
            # Restart Numbering: where this w:num is first used, its levels start again.
            self._started.add(num_id)
            for restarted, start in num.starts.items():
                counters[restarted] = start - 1
                for deeper in [k for k in counters if k > restarted]:
                    del counters[deeper]
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels.get(deeper, _NO_LEVEL).restart
            # Default: a level restarts after any shallower level. lvlRestart=N restarts it only
            # after levels 1..N (1-based); lvlRestart=0 never restarts it.
            if restart is None or ilvl < restart:
                del counters[deeper]
        if level.fmt == "bullet":
            return None, True
        text = level.text
        for k, token in _placeholders(text):
            shown = levels.get(k, _NO_LEVEL)
            value = counters.get(k, shown.start)
            fmt = "decimal" if level.legal and shown.fmt != "decimalZero" else shown.fmt
            text = text.replace(token, format_number(value, fmt))
        text = " ".join(text.split())
        return (text or None), False


def int_val_attr(lvl: etree._Element) -> int:
    try:
        return int(lvl.get(w("ilvl"), "0"))
    except ValueError:
        return 0
