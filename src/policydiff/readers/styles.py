"""Paragraph styles resolved once from styles.xml (following basedOn), not per paragraph."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from policydiff.readers.wordml import int_val, on, val, w

_HEADING_NAME = re.compile(r"heading\s*([1-9])", re.IGNORECASE)
_TOC_NAME = re.compile(r"(toc\s*\d|toc heading|table of contents|table of figures)", re.I)


@dataclass(frozen=True, slots=True)
class ParagraphStyle:
    """What the reader needs to know about a paragraph style, inheritance applied."""

    heading_level: int | None = None  # 1-9 for headings (by name or outline level)
    title: bool = False
    toc: bool = False
    list_style: bool = False  # "List Bullet", "List Number", "List Paragraph", ...
    num_id: str | None = None
    ilvl: int | None = None
    bold: bool = False
    caps: bool = False


_PLAIN = ParagraphStyle()


@dataclass(frozen=True, slots=True)
class _Raw:
    name: str
    based_on: str | None
    outline: int | None
    num_id: str | None
    ilvl: int | None
    bold: bool | None
    caps: bool | None


class Styles:
    def __init__(self, root: etree._Element | None) -> None:
        self._raw: dict[str, _Raw] = {}
        self._resolved: dict[str, ParagraphStyle] = {}
        self.default_paragraph: str | None = None
        self.numbering_styles: dict[str, str] = {}  # numbering style id -> its numId
        if root is None:
            return
        for style in root.iter(w("style")):
            style_id = style.get(w("styleId"))
            if style_id is None:
                continue
            kind = style.get(w("type"))
            ppr = style.find(w("pPr"))
            num_pr = ppr.find(w("numPr")) if ppr is not None else None
            num_id = val(num_pr.find(w("numId"))) if num_pr is not None else None
            if kind == "numbering":
                if num_id is not None:
                    self.numbering_styles[style_id] = num_id
                continue
            if kind != "paragraph":
                continue
            if on(style.find(w("default"))) or style.get(w("default")) in {"1", "true"}:
                self.default_paragraph = style_id
            rpr = style.find(w("rPr"))
            outline = ppr.find(w("outlineLvl")) if ppr is not None else None
            self._raw[style_id] = _Raw(
                name=val(style.find(w("name")), style_id) or style_id,
                based_on=val(style.find(w("basedOn"))),
                outline=int_val(outline, 9) if outline is not None else None,
                num_id=num_id,
                ilvl=int_val(num_pr.find(w("ilvl")), 0)
                if num_pr is not None and num_pr.find(w("ilvl")) is not None
                else None,
                bold=on(rpr.find(w("b")))
                if rpr is not None and rpr.find(w("b")) is not None
                else None,
                caps=on(rpr.find(w("caps")))
                if rpr is not None and rpr.find(w("caps")) is not None
                else None,
            )

    def paragraph(self, style_id: str | None) -> ParagraphStyle:
        """The resolved style of a paragraph (its own, or the default paragraph style)."""
        key = style_id if style_id in self._raw else self.default_paragraph
        if key is None:
            return _PLAIN
        cached = self._resolved.get(key)
        if cached is None:
            cached = self._resolve(key)
        return cached

    def has_headings(self) -> bool:
        return any(self.paragraph(sid).heading_level for sid in self._raw)

    def _resolve(self, style_id: str) -> ParagraphStyle:
        """Resolve a style and the chain of styles it is based on, from the first one already
        resolved (or the chain's root) down: a loop, or a chain thousands of styles long, is
        walked once, without recursion."""
        chain: list[str] = []
        seen: set[str] = set()
        at: str | None = style_id
        while at is not None and at in self._raw and at not in seen and at not in self._resolved:
            chain.append(at)
            seen.add(at)
            at = self._raw[at].based_on
        parent = self._resolved.get(at, ParagraphStyle()) if at is not None else ParagraphStyle()
        for sid in reversed(chain):
            parent = self._resolved[sid] = self._derive(self._raw[sid], parent)
        return self._resolved[style_id]

    def _derive(self, raw: _Raw, parent: ParagraphStyle) -> ParagraphStyle:
        """A style from its own settings over its parent's."""
        name = raw.name.strip()
        heading = parent.heading_level
        match = _HEADING_NAME.fullmatch(name)
        if match:
            heading = int(match.group(1))
        elif raw.outline is not None:
            heading = raw.outline + 1 if raw.outline < 9 else None
        title = name.lower() == "title" or (parent.title and heading is None)
        return ParagraphStyle(
            heading_level=heading,
            title=title,
            toc=bool(_TOC_NAME.match(name)) or parent.toc,
            list_style=name.lower().startswith("list") or parent.list_style,
            num_id=raw.num_id if raw.num_id is not None else parent.num_id,
            ilvl=raw.ilvl if raw.ilvl is not None else parent.ilvl,
            bold=raw.bold if raw.bold is not None else parent.bold,
            caps=raw.caps if raw.caps is not None else parent.caps,
        )
