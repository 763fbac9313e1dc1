"""Facts a policy states about itself: version, approval, next review. Pure; no I/O.

Read from document-control tables, footers, headers and the text, in that order of trust.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache

_DATE = (
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\.?,?\s+\d{4}"  # 12 March 2024
    r"|[A-Z][a-z]+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"  # March 12, 2024
    r"|\d{4}-\d{2}-\d{2}"  # 2024-03-12
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"  # 12/03/2024
    r"|\d{1,2}/\d{4}"  # 09/2025
    r"|(?:Spring|Summer|Autumn|Winter|[A-Z][a-z]+)\s+(?:[Tt]erm\s+)?\d{4}"  # March 2024
    r"|(?:[Aa]cademic\s+year\s+)?\d{4}\s*[/\-\u2013]\s*\d{2}(?:\d{2})?\b"  # 2024/25
    r"|[A-Z][a-z]{2,8}\.?[\s\-']+\d{2}\b"  # Sept 24, Sep-24
    r"|\d{4})"
)
_SEP = r"\s*(?:[:|\-–]\s*)?"


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """The facts' patterns, compiled when first needed (a hundredth of a second). Every
    repetition that can run over a body's text is bounded ({0,120}: a name or a date, not a
    paragraph), so a line repeating "approved by x " 10,000 times is searched in linear time
    (unbounded, it took 40 s)."""
    return {
        "version": re.compile(
            r"\bversion(?:\s+(?:no\.?|number))?" + _SEP + r"(v?\d+(?:\.\d+)*[a-z]?)", re.I
        ),
        "approved": re.compile(
            r"\b(?:date\s+(?:of\s+)?approv(?:ed|al)|approv(?:ed|al)\s+date|approved(?:\s+on)?)"
            + _SEP
            + r"(?:by\s+[^|,·]{0,120}?\s+on\s+)?("
            + _DATE
            + r")",
            re.I,
        ),
        "approved_by": re.compile(
            r"\bapproved\s+by" + _SEP + r"([A-Za-z][^|·\n]{0,120}?)\s*(?:$|[|·]|\s+on\s)", re.I
        ),
        "next_review": re.compile(
            r"\b(?:(?:date\s+of\s+)?next\s+review(?:\s+date)?(?:\s+due)?|review\s+date|review\s+due"
            r"|to\s+be\s+reviewed(?:\s+(?:by|in|on))?|reviewed?\s+by)" + _SEP + r"(" + _DATE + r")",
            re.I,
        ),
    }


_CLUES = ("version", "approv", "review")
_REVIEWED = re.compile(
    r"\b(?:last\s+)?reviewed(?:\s+(?:on|in))?" + _SEP + r"(" + _DATE + r")", re.I
)


def find_reviewed(texts: Iterable[str]) -> str | None:
    """The date a policy says it was last reviewed ("Reviewed February 2024 – next review
    February 2025" gives "February 2024"), as written; None when it says none."""
    for text in texts:
        if "review" not in text.lower():
            continue
        match = _REVIEWED.search(text)
        if match:
            return match.group(1).strip()
    return None


def find_facts(texts: Iterable[str]) -> dict[str, str]:
    """The first version, approval date, approving body and next review date stated."""
    found: dict[str, str] = {}
    patterns = _patterns()
    for text in texts:
        lowered = text.lower()
        if not any(word in lowered for word in _CLUES):
            continue  # most clauses mention none of these: skip the regular expressions
        for name, pattern in patterns.items():
            if name in found:
                continue
            match = pattern.search(text)
            if match and match.group(1).strip():
                found[name] = match.group(1).strip()
        if len(found) == len(patterns):
            break
    return found


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )  # fmt: skip
    for name in names
}
_TERMS = ("autumn", "spring", "summer")


def easter(year: int) -> date:
    """Easter Sunday of `year` in the Gregorian calendar (the anonymous Gregorian algorithm,
    "Meeus/Jones/Butcher")."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def term(name: str, year: int) -> tuple[date, date]:
    """The first and last day of an English school term of `year`, as the clerk's "by the
    autumn term 2025" means it: autumn from 1 September to 31 December; spring from 1 January
    to the Easter holiday (the Thursday before Easter Sunday) or 31 March, whichever is later;
    summer from the day after to 31 July. (Term dates differ by local authority by a few days;
    a review "due in the spring term" is due by its end, whatever the exact day.)"""
    spring_end = max(date(year, 3, 31), easter(year) - timedelta(days=3))
    return {
        "autumn": (date(year, 9, 1), date(year, 12, 31)),
        "spring": (date(year, 1, 1), spring_end),
        "summer": (spring_end + timedelta(days=1), date(year, 7, 31)),
    }[name]


def long_date(day: date) -> str:
    """ "5 March 2025", as a school writes a date (no leading zero; written without the
    platform-dependent "%-d", which Windows's strftime does not know)."""
    return f"{day.day} {day:%B %Y}"


def parse_date(text: str | None) -> date | None:
    """A date as a school writes it: "12 March 2024", "March 2024" (its first day),
    "2024-03-12", "12/03/2024" (day first, as in the UK), "09/2025", "Autumn 2024" (the
    term's first day)."""
    period = parse_period(text)
    return period[0] if period else None


def parse_period(text: str | None) -> tuple[date, date] | None:
    """The first and last day a written date covers: "12 March 2024" is one day, "March 2024"
    and "03/2024" and "Sept 24" the whole month, "Autumn term 2024" the whole term (`term`),
    "2024/25" the academic year (1 September to 31 August), "2025" the whole year. Numbers
    are read day first, as in the UK."""
    if not text:
        return None
    value = text.strip().lower().replace(",", " ")
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = date.fromisoformat(value)
            return day, day
        match = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})", value)
        if match:
            d, m, y = (int(g) for g in match.groups())
            day = date(y + 2000 if y < 100 else y, m, d)
            return day, day
        match = re.fullmatch(r"(\d{1,2})/(\d{4})", value)
        if match:
            start = date(int(match.group(2)), int(match.group(1)), 1)
            return start, _month_end(start)
        # an academic year: "2024/25", "2024-2025", "academic year 2024-25" (September to August)
        match = re.fullmatch(r"(?:academic\s+year\s+)?(\d{4})\s*[/\-\u2013]\s*(\d{2}|\d{4})", value)
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            if second % 100 == (first + 1) % 100:
                return date(first, 9, 1), date(first + 1, 8, 31)
        # a month and a two-figure year: "Sept 24", "Sep-24", "March '25"
        match = re.fullmatch(r"([a-z]+)\.?[\s\-']+(\d{2})", value)
        if match and match.group(1) in _MONTHS:
            start = date(2000 + int(match.group(2)), _MONTHS[match.group(1)], 1)
            return start, _month_end(start)
        words = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", value).replace(".", " ").split()
        words = [w for w in words if w != "term"]
        if len(words) == 3 and words[0].isdigit() and words[1] in _MONTHS and words[2].isdigit():
            day = date(int(words[2]), _MONTHS[words[1]], int(words[0]))
            return day, day
        if len(words) == 3 and words[0] in _MONTHS and words[1].isdigit() and words[2].isdigit():
            day = date(int(words[2]), _MONTHS[words[0]], int(words[1]))
            return day, day
        if len(words) == 2 and words[1].isdigit():
            if words[0] in _TERMS:
                return term(words[0], int(words[1]))
            if words[0] in _MONTHS:
                start = date(int(words[1]), _MONTHS[words[0]], 1)
                return start, _month_end(start)
        if len(words) == 1 and re.fullmatch(r"\d{4}", words[0]):
            year = int(words[0])
            return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None
    return None


def _month_end(start: date) -> date:
    following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return following - timedelta(days=1)
