"""The nature of each change, for governors: substantive (it changes what people must do, by
when, who, or under which law) or editorial (it does not), with the reasons in words and one
plain sentence derived from the diff, never invented.

The rules are data (policies/lists/natures.toml): the words of duty and their strength, the
negations, the words of scope, the roles and bodies, the frequencies and the units numbers are
counted in, and the numbers written as words. A change is editorial only when every difference
is shown to be one of: punctuation, capitals or spacing; a spelling corrected; words put in
another order, none of them a word of duty, negation, number, scope or role; a name the policy
itself defines as the same thing ("the DSL" for "the Designated Safeguarding Lead"); a
cross-reference renumbered to follow its target. Anything else, and anything unsure, is
substantive.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from policydiff.diffing.changes import Change, ChangeKind, Comparison
from policydiff.model import Document
from policydiff.similarity import osa_distance
from policydiff.typography import comparable

SUBSTANTIVE = "substantive"
EDITORIAL = "editorial"
MAX_QUOTED = 30  # words of a clause quoted in a sentence
MAX_COMPARED = 4_000  # words of both sides, beyond which a clause is not read word by word

_WORD = re.compile(r"£|%|\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_REFERENCE_WORDS = frozenset(
    {"section", "sections", "paragraph", "paragraphs", "para", "clause", "clauses", "part",
     "appendix", "annex", "schedule", "see", "point", "item"}
)  # fmt: skip
_NAME = re.compile(
    r"\b(?:[A-Z][\w'’&-]*|\d{4})(?:\s+(?:of|and|for|in|on|the|to|[A-Z][\w'’&-]*|\(?\d{4}\)?"
    r"|\([A-Z][\w'’&-]*(?:\s+(?:of|and|for|in|on|the|to|[A-Z][\w'’&-]*))*\)))*"
)
# Where one name ends and the next begins: "the Education Act 1996 and the School Attendance
# Regulations" names two; "the Behaviour and Relationships Policy" one.
_TWO_NAMES = re.compile(r"(?:(?<=\d{4}\))|(?<=\d{4})|(?<=\bAct))\s+and\s+(?:the\s+)?(?=[A-Z(])")


@dataclass(frozen=True, slots=True)
class Nature:
    """A change's nature ("substantive" or "editorial"), why, and its sentence."""

    nature: str
    reasons: tuple[str, ...]
    sentence: str

    def as_json(self) -> dict[str, object]:
        return {"nature": self.nature, "reasons": list(self.reasons), "sentence": self.sentence}


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The rules of natures.toml, each phrase as its words."""

    duties: dict[tuple[str, ...], str]  # phrase -> what it makes a clause say
    duty_phrases: frozenset[tuple[str, ...]]
    strength: tuple[str, ...]  # strongest first
    negations: frozenset[tuple[str, ...]]
    scope: frozenset[tuple[str, ...]]
    roles: frozenset[tuple[str, ...]]
    frequencies: frozenset[tuple[str, ...]]
    units: frozenset[tuple[str, ...]]
    numbers: dict[str, str]  # "ten" -> "10"
    same: dict[tuple[str, ...], tuple[str, ...]]  # a way of writing something -> the first way

    @property
    def protected(self) -> frozenset[str]:
        """Every word of a rule: a word that cannot change, or move, editorially."""
        phrases = (*self.duties, *self.negations, *self.scope, *self.roles, *self.frequencies,
                   *self.units)  # fmt: skip
        return frozenset(w for phrase in phrases for w in phrase)


@functools.cache
def vocabulary() -> Vocabulary:
    """The built-in rules (policies/lists/natures.toml). Raises RuleFileError if unreadable."""
    from policydiff.rules.kinds import list_file

    data = tomllib.loads(list_file("natures.toml").read_text(encoding="utf-8"))

    def phrases(values: Iterable[str]) -> frozenset[tuple[str, ...]]:
        return frozenset(tuple(words(v, number_words={})) for v in values)

    duties = {tuple(words(k, number_words={})): str(v) for k, v in data["duties"].items()}
    return Vocabulary(
        duties=duties,
        duty_phrases=frozenset(duties),
        strength=tuple(data["strength"]),
        negations=phrases(data["negations"]),
        scope=phrases(data["scope"]),
        roles=phrases(data["roles"]),
        frequencies=phrases(data["frequencies"]["words"]),
        units=phrases(data["units"]["words"]),
        numbers={k: str(v) for k, v in data["numbers"].items()},
        same={
            tuple(words(variant, number_words={})): tuple(words(group[0], number_words={}))
            for group in data["same"]["groups"]
            for variant in group
        },
    )


def words(text: str, number_words: dict[str, str] | None = None) -> list[str]:
    """The words of `text`, casefolded, accents folded ("café" is "cafe"), numbers as digits
    ("ten" and "10" are "10", "1,000" is "1000", "£5.00" is "£5", "1st" is "1"), the curly
    apostrophe as the straight one; punctuation dropped."""
    table = vocabulary().numbers if number_words is None else number_words
    out: list[str] = []
    end = -1
    for found in _WORD.finditer(text):
        word = found.group().casefold().replace("’", "'")
        if word[0].isdigit():
            word = word.replace(",", "")
            if out and out[-1] == "£" and _PENCE.fullmatch(word):
                word = word.split(".")[0]
        elif word in _ORDINALS and out and out[-1][0].isdigit() and found.start() == end:
            end = found.end()
            continue  # ("1st September" is "1 September")
        elif not word.isascii():
            word = _unaccented(word)
        end = found.end()
        out.append(table.get(word, word))
    return out


_PENCE = re.compile(r"\d+\.0+")
_ORDINALS = frozenset({"st", "nd", "rd", "th"})


@functools.lru_cache(maxsize=4096)
def _unaccented(word: str) -> str:
    folded = unicodedata.normalize("NFKD", word)
    return "".join(c for c in folded if not unicodedata.combining(c))


@functools.lru_cache(maxsize=64)
def _index(phrases: frozenset[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The phrases by their first word, longest first."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(phrases, key=len, reverse=True):
        index.setdefault(phrase[0], []).append(phrase)
    return {k: tuple(v) for k, v in index.items()}


def _find(
    tokens: Sequence[str], phrases: frozenset[tuple[str, ...]]
) -> list[tuple[int, tuple[str, ...]]]:
    """(where, phrase) of each phrase found in `tokens`, left to right, the longest at a place;
    found phrases do not overlap. One pass over the words."""
    index = _index(phrases)
    found = []
    i = 0
    while i < len(tokens):
        for phrase in index.get(tokens[i], ()):
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                found.append((i, phrase))
                i += len(phrase)
                break
        else:
            i += 1
    return found


@functools.lru_cache(maxsize=64)
def _words_of(phrases: frozenset[tuple[str, ...]]) -> frozenset[str]:
    return frozenset(w for phrase in phrases for w in phrase)


def _count(tokens: Sequence[str], phrases: frozenset[tuple[str, ...]]) -> Counter[tuple[str, ...]]:
    return Counter(p for _, p in _find(tokens, phrases))


# -- what a document says about its own names and numbers --------------------------------------


_DEFINED = re.compile(
    r"([A-Z][\w'’-]*(?:\s+(?:of|and|for|the|in|on|[A-Z][\w'’-]*)){0,7})\s*\(\s*(?:the\s+)?"
    r"[“\"‘']?([A-Z][A-Za-z]{1,9}s?)[”\"’']?\s*\)"
)


_SMALL = frozenset({"of", "and", "for", "the", "in", "on"})


def aliases(*documents: Document) -> frozenset[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The names the documents define as the same thing, both ways round: "Designated
    Safeguarding Lead (DSL)" makes "dsl" and "designated safeguarding lead" one."""
    pairs: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
    for document in documents:
        for section in document.walk():
            for clause in section.clauses:
                if "(" not in clause.text:
                    continue  # (a definition names its short form in brackets)
                for long, short in _DEFINED.findall(clause.text):
                    long_words = tuple(words(long))
                    big = [w for w in long_words if w not in _SMALL]
                    short_name = short.casefold().rstrip("s")
                    # (the short name must be the initials of the long one's last words:
                    # "... the Designated Safeguarding Lead (DSL)")
                    if not big or not "".join(w[0] for w in big).endswith(short_name):
                        continue
                    first = big[-len(short_name)] if len(short_name) <= len(big) else big[0]
                    long_words = long_words[long_words.index(first) :]
                    pairs.add((long_words, (short.casefold(),)))
                    pairs.add(((short.casefold(),), long_words))
    return frozenset(pairs)


def label_map(comparison: Comparison) -> dict[str, str]:
    """Each old label's new one, for the clauses and sections the comparison paired: what a
    cross-reference to it should now read."""
    mapped: dict[str, str] = {}

    def add(old: str | None, new: str | None) -> None:
        if old and new:
            mapped.setdefault(_label(old), _label(new))

    for old, new in comparison.unchanged_pairs:
        add(old.label, new.label)
    for change in comparison.changes:
        if change.old and change.new:
            add(change.old[0].label, change.new[0].label)
    old_sections = {s.id: s for s in comparison.old.walk()}
    new_sections = {s.id: s for s in comparison.new.walk()}
    for section in comparison.sections:
        if section.old_id in old_sections and section.new_id in new_sections:
            before, after = old_sections[section.old_id], new_sections[section.new_id]
            add(before.label, after.label)
            was, now = _APPENDIX.match(before.title or ""), _APPENDIX.match(after.title or "")
            if was and now and was[1].casefold() == now[1].casefold():
                add(was[2], now[2])  # ("Appendix B" became "Appendix C")
    return mapped


_APPENDIX = re.compile(r"^\s*(appendix|annex|schedule)\s+([A-Z0-9]+)\b", re.IGNORECASE)


def _label(text: str) -> str:
    return text.strip().strip("().").casefold()


# -- one change --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Context:
    aliases: frozenset[tuple[tuple[str, ...], tuple[str, ...]]]
    labels: dict[str, str]


def natures(comparison: Comparison) -> tuple[Nature, ...]:
    """The nature of each of `comparison.changes`, in order."""
    context = Context(aliases(comparison.old, comparison.new), label_map(comparison))
    return tuple(nature(change, context) for change in comparison.changes)


def nature(change: Change, context: Context) -> Nature:
    """One change's nature, reasons and sentence."""
    old = " ".join(r.text for r in change.old)
    new = " ".join(r.text for r in change.new)
    if change.kind is ChangeKind.ADDED:
        return Nature(SUBSTANTIVE, ("a clause was added",), _added(new))
    if change.kind is ChangeKind.REMOVED:
        return Nature(
            SUBSTANTIVE, ("a clause was removed",), f"A clause is removed: {_quote(old)}."
        )
    if change.image_replaced:
        return Nature(SUBSTANTIVE, ("the picture was replaced",), "A picture is replaced.")
    found = _compare(old, new, context)
    notes = [
        _compare(n.old.text if n.old else "", n.new.text if n.new else "", context)
        for n in change.notes
    ]
    if change.kind is ChangeKind.MOVED and found.nature == EDITORIAL:
        old_section, new_section = change.old[0].section, change.new[0].section
        if old_section != new_section:
            return Nature(
                SUBSTANTIVE,
                ("the clause moved to another section",),
                f"The clause {_quote(new)} moves from '{old_section or 'the opening'}' to "
                f"'{new_section or 'the opening'}'.",
            )
        where = new_section or "the opening"
        return Nature(
            EDITORIAL,
            ("moved within its section, its words unchanged",),
            f"The clause {_quote(new)} moves within '{where}'.",
        )
    if any(n.nature == SUBSTANTIVE for n in notes):
        first = next(n for n in notes if n.nature == SUBSTANTIVE)
        if found.nature == EDITORIAL:
            return Nature(SUBSTANTIVE, ("a footnote changed", *first.reasons), first.sentence)
    if change.kind in (ChangeKind.SPLIT, ChangeKind.MERGED) and found.nature == EDITORIAL:
        parts = (
            "split into separate clauses" if change.kind is ChangeKind.SPLIT else "joined into one"
        )
        return Nature(EDITORIAL, (f"{parts}, the words unchanged", *found.reasons),
                      f"The clause {_quote(old)} is {parts}.")  # fmt: skip
    return found


def _rewrite(tokens: list[str], written: dict[tuple[str, ...], tuple[str, ...]]) -> list[str]:
    """`tokens` with each phrase of `written` (its keys) written as its value."""
    if not written:
        return tokens
    out: list[str] = []
    found = dict(_find(tokens, frozenset(written)))
    i = 0
    while i < len(tokens):
        if i in found:
            out.extend(written[found[i]])
            i += len(found[i])
        else:
            out.append(tokens[i])
            i += 1
    return out


def _canonical(tokens: list[str], vocab: Vocabulary) -> list[str]:
    """`tokens` with each way of writing a thing (`same`) written the first way."""
    return _rewrite(tokens, vocab.same)


def _short_names(tokens: list[str], context: Context) -> list[str]:
    """`tokens` with each name the policy defines written in its short form ("designated
    safeguarding lead" -> "dsl")."""
    return _rewrite(
        tokens, {long: short for long, short in context.aliases if len(long) > len(short)}
    )


def _follow_references(a: list[str], b: list[str], context: Context) -> list[str]:
    """`a` with each cross-reference ("section 4.2") renumbered as its target was, where `b`
    has the new number there: what the old words say in the new numbering."""
    out = list(a)
    for i in range(1, len(a)):
        if a[i - 1] in _REFERENCE_WORDS and a[i] in context.labels:
            renumbered = context.labels[a[i]]
            if renumbered != a[i] and renumbered in b:
                out[i] = renumbered
    return out


def _compare(old: str, new: str, context: Context) -> Nature:
    """The nature of a clause's words changing from `old` to `new`."""
    vocab = vocabulary()
    a, b = _canonical(words(old), vocab), _canonical(words(new), vocab)
    followed = _follow_references(a, b, context)
    reasons = ("a cross-reference renumbered to follow its target",) if followed != a else ()
    a = followed
    shortened_a, shortened_b = _short_names(a, context), _short_names(b, context)
    if (shortened_a, shortened_b) != (a, b) and shortened_a == shortened_b:
        reasons = (*reasons, "a name replaced by the one the policy defines as the same")
        a, b = shortened_a, shortened_b
    if len(a) + len(b) <= MAX_COMPARED:
        corrected, why = _respelled_words(a, b, vocab.protected, old, new)
        if why:
            a, reasons = corrected, (*reasons, *why)
    if len(a) + len(b) > MAX_COMPARED:  # (word by word, a long clause takes quadratic time)
        if a == b:
            return Nature(EDITORIAL, ("only punctuation, capitals or spacing changed",),
                          "Only punctuation, capitals or spacing change.")  # fmt: skip
        return _compare_sentences(old, new, context, len(b))
    if a == b:
        if not reasons and words(old, number_words={}) != words(new, number_words={}):
            reasons = ("the same thing written another way (a number in figures or words, "
                       "'each term' for 'every term')",)  # fmt: skip
        reasons = reasons or ("only punctuation, capitals or spacing changed",)
        return Nature(EDITORIAL, reasons, reasons[0][0].upper() + reasons[0][1:] + ".")
    substantive = _substantive(a, b, old, new, vocab)
    if substantive is not None:
        return substantive
    editorial = _editorial(a, b, vocab, context, old, new)
    if editorial is not None:
        editorial = (*reasons, *editorial)
        return Nature(EDITORIAL, editorial, _editorial_sentence(editorial, a, b))
    return Nature(SUBSTANTIVE, ("the wording changed",), _window_sentence(old, new) + ".")


_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+(?=\S)")


def _compare_sentences(old: str, new: str, context: Context, length: int) -> Nature:
    """The nature of a long clause's change, read sentence by sentence: the sentences that
    changed, each stretch of them compared word by word (a clause of thousands of words with
    three edits is said as those edits); a stretch itself too long to read word by word is
    said to be rewritten."""
    before, after = _SENTENCE_END.split(old), _SENTENCE_END.split(new)
    matcher = SequenceMatcher(
        None, [comparable(x) for x in before], [comparable(x) for x in after], autojunk=False
    )
    found: list[Nature] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        gone, came = " ".join(before[i1:i2]), " ".join(after[j1:j2])
        if len(gone.split()) + len(came.split()) > MAX_COMPARED:
            return Nature(
                SUBSTANTIVE,
                ("a long clause was rewritten",),
                f"The clause of {length:,} words is rewritten in many places: the marked words "
                "show where.",
            )
        found.append(_compare(gone, came, context))
    if not found:
        return Nature(EDITORIAL, ("only punctuation, capitals or spacing changed",),
                      "Only punctuation, capitals or spacing change.")  # fmt: skip
    reasons = tuple(dict.fromkeys(r for n in found for r in n.reasons))
    weighty = [n for n in found if n.nature == SUBSTANTIVE]
    if not weighty:
        return Nature(EDITORIAL, reasons, found[0].sentence)
    sentence = " ".join(n.sentence for n in weighty[:3])
    if len(weighty) > 3:
        sentence += f" It changes in {len(weighty) - 3} more places: the marked words show where."
    return Nature(
        SUBSTANTIVE, tuple(dict.fromkeys(r for n in weighty for r in n.reasons)), sentence
    )


def _substantive(
    a: list[str], b: list[str], old: str, new: str, vocab: Vocabulary
) -> Nature | None:
    """The first rule that shows the change is substantive, with its reasons, else None."""
    reasons: list[str] = []
    sentence = ""
    count_a, count_b = Counter(a), Counter(b)
    differ = set((count_a - count_b) + (count_b - count_a))  # (a rule reads only these words)

    def changed(phrases: frozenset[tuple[str, ...]]) -> bool:
        if not differ & _words_of(phrases):
            return False
        return _count(a, phrases) != _count(b, phrases)

    old_duties = [vocab.duties[p] for _, p in _find(a, vocab.duty_phrases)]
    new_duties = [vocab.duties[p] for _, p in _find(b, vocab.duty_phrases)]
    if differ & _words_of(vocab.duty_phrases) and Counter(old_duties) != Counter(new_duties):
        reasons.append("the strength of a duty changed")
        sentence = _duty_sentence(a, b, old, new, vocab)
    if changed(vocab.negations):
        reasons.append("a 'not' was added or removed")
        if _negated_duties(a, vocab) != _negated_duties(b, vocab):
            said = ": the duty is turned around."
        else:
            more = sum(_count(b, vocab.negations).values()) > sum(
                _count(a, vocab.negations).values()
            )
            said = f", {'adding' if more else 'taking out'} a 'not': check what it now says."
        sentence = sentence or _window_sentence(old, new) + said
    numbers_a = Counter(w for w in a if w[0].isdigit())
    numbers_b = Counter(w for w in b if w[0].isdigit())
    names_old, names_new = _names(old), _names(new)
    renamed = names_old != names_new and not _respelled(
        names_old - names_new, names_new - names_old
    )
    if numbers_a != numbers_b:
        reasons.append("a number, date, amount or time changed")
        in_names = set((numbers_a - numbers_b) + (numbers_b - numbers_a)) <= {
            w for name in (names_old - names_new) + (names_new - names_old) for w in words(name)
        }
        if renamed and in_names:  # (the year of an Act or an edition: the name says it)
            sentence = sentence or _name_sentence(names_old, names_new, old, new)
        sentence = sentence or _number_sentence(a, b, old, new)
    for label, phrases in (
        ("a unit changed (days, weeks, school days, working days ...)", vocab.units),
        ("how often or how soon changed", vocab.frequencies),
        ("who does it changed (a role or body)", vocab.roles),
        ("who or how many it applies to changed", vocab.scope),
    ):
        if phrases is vocab.scope:
            scoped_a, scoped_b = _of_people(a, vocab), _of_people(b, vocab)
            if _count(scoped_a, phrases) == _count(scoped_b, phrases):
                continue
        if changed(phrases):
            reasons.append(label)
            sentence = sentence or _window_sentence(old, new) + "."
    if renamed:
        reasons.append("a named law, guidance, document, person or body changed")
        sentence = sentence or _name_sentence(names_old, names_new, old, new)
    if not reasons:
        return None
    return Nature(SUBSTANTIVE, tuple(reasons), sentence)


_TIMES = frozenset({"year", "years", "term", "terms", "week", "weeks", "month", "months", "day",
                    "days", "time", "times", "occasion", "session", "sessions"})  # fmt: skip


def _of_people(tokens: list[str], vocab: Vocabulary) -> list[str]:
    """`tokens` without the scope words that count time, not people ("every two years",
    "each term", "at least 3 days"): those are a frequency or a number, read by their own
    rules."""
    out: list[str] = []
    for i, word in enumerate(tokens):
        following = tokens[i + 1 : i + 3]
        if word in ("every", "each", "all", "any", "some", "no") and following and (
            following[0][0].isdigit() or following[0] in _TIMES or (
                len(following) > 1 and following[0] in vocab.numbers.values()
                and following[1] in _TIMES)
        ):  # fmt: skip
            continue
        out.append(word)
    return out


def _negated_duties(tokens: list[str], vocab: Vocabulary) -> Counter[tuple[str, ...]]:
    """The duties said with a negation straight after them ("must not", "should never")."""
    found: Counter[tuple[str, ...]] = Counter()
    for at, phrase in _find(tokens, vocab.duty_phrases):
        after = tokens[at + len(phrase) : at + len(phrase) + 2]
        if any(after[: len(n)] == list(n) for n in vocab.negations):
            found[phrase] += 1
    return found


def _editorial(
    a: list[str], b: list[str], vocab: Vocabulary, context: Context, old: str = "", new: str = ""
) -> tuple[str, ...] | None:
    """Why every difference between `a` and `b` is editorial, or None when one is not."""
    protected = vocab.protected
    if Counter(a) == Counter(b):
        block = _moved_block(a, b, lambda piece: _reads(piece, vocab))
        if block and not _reads(block, vocab):
            return ("a phrase moved within the sentence, none of its words changing the meaning",)
        return None  # (two words swapped, "start" and "end", change what it says)
    reasons: list[str] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        gone, came = tuple(a[i1:i2]), tuple(b[j1:j2])
        if (gone, came) in context.aliases:
            reasons.append("a name replaced by the one the policy defines as the same")
        elif _renumbered(gone, came, a[i1 - 1] if i1 else "", context):
            reasons.append("a cross-reference renumbered to follow its target")
        elif _spelling(gone, came, protected) and _written_lower(gone, old, came, new):
            reasons.append("a spelling corrected")
        else:
            return None
    return tuple(dict.fromkeys(reasons))


MAX_ORDERED = 80  # words: a longer clause's reordering is not looked at (substantive)


def _reads(piece: Sequence[str], vocab: Vocabulary) -> bool:
    """Whether a rule reads these words: they hold a number or a whole phrase of a rule (a
    duty, a negation, a scope word, a role, a frequency, a unit)."""
    if any(w[0].isdigit() for w in piece):
        return True
    tokens = list(piece)
    return any(
        _find(tokens, phrases)
        for phrases in (vocab.duty_phrases, vocab.negations, vocab.scope, vocab.roles,
                        vocab.frequencies, vocab.units)
    )  # fmt: skip


def _moved_block(
    a: list[str], b: list[str], read: Callable[[tuple[str, ...]], bool] = lambda piece: False
) -> tuple[str, ...] | None:
    """The phrase of two words or more whose move, as one piece, turns `a` into `b` ("in an
    emergency, staff must call 999" -> "staff must call 999 in an emergency"), one no rule
    `read`s where there is one (a move of "long hair must be tied back" after "for safety
    reasons" is the move of "for safety reasons" before it); None when no single phrase does
    (two words swapped)."""
    n = len(a)
    if n > MAX_ORDERED:
        return None
    first: tuple[str, ...] | None = None
    for i in range(n):
        for j in range(i + 2, n + 1):
            rest = a[:i] + a[j:]
            piece = a[i:j]
            for k in range(len(rest) + 1):
                if k != i and rest[:k] + piece + rest[k:] == b:
                    if not read(tuple(piece)):
                        return tuple(piece)
                    first = first or tuple(piece)
    return first


def _respelled_words(
    a: list[str], b: list[str], protected: frozenset[str], old: str, new: str
) -> tuple[list[str], tuple[str, ...]]:
    """`a` with each word that `b` only respells written as `b` writes it: a spelling
    corrected ("posible" -> "possible"), or a word joined, split or hyphenated ("resits",
    "re-sits"); and why. Done before any rule reads the words, so that a rule's phrase
    misspelled ("as soon as posible") is not taken for the phrase changed."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    out: list[str] = []
    why: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        gone, came = tuple(a[i1:i2]), tuple(b[j1:j2])
        if (
            op == "replace"
            and "".join(gone) == "".join(came)
            and all(w.isalpha() for w in gone + came)  # ("1-2 days" is not "12 days")
            and not (set(gone) | set(came)) & protected
        ):
            out.extend(came)
            why.append("only punctuation, capitals or spacing changed")
        elif (
            op == "replace"
            and _spelling(gone, came, protected)
            and _written_lower(gone, old, came, new)
        ):
            out.extend(came)
            why.append("a spelling corrected")
        else:
            out.extend(gone)
    return out, tuple(dict.fromkeys(why))


def _renumbered(
    gone: tuple[str, ...], came: tuple[str, ...], before: str, context: Context
) -> bool:
    if len(gone) != len(came) or not gone or before not in _REFERENCE_WORDS:
        return False
    old_label, new_label = ".".join(gone), ".".join(came)
    return context.labels.get(_label(old_label)) == _label(new_label)


def _written_lower(gone: tuple[str, ...], old: str, came: tuple[str, ...], new: str) -> bool:
    """Whether the words are written in lower case where they stand: a capital marks a name
    ("Mrs Smyth" -> "Mrs Smith" changes who), which is not respelled editorially."""
    return all(re.search(rf"\b{re.escape(w)}\b", old) for w in gone) and all(
        re.search(rf"\b{re.escape(w)}\b", new) for w in came
    )


def _spelling(gone: tuple[str, ...], came: tuple[str, ...], protected: frozenset[str]) -> bool:
    """Each word respelled: the same first letter, at most two letters different, in a word of
    four letters or more, none of them a word a rule reads; and a correction, not another
    word: the old spelling is not an English word and the new one is ("recieve" ->
    "receive"), or the two are the British and American spellings of one word ("organise",
    "organize"). "signed" -> "sighted" is two words, so not a respelling."""
    if len(gone) != len(came) or not gone:
        return False
    for x, y in zip(gone, came, strict=True):
        if x in protected or not (x.isalpha() and y.isalpha()):
            return False
        if x[0] != y[0] or min(len(x), len(y)) < 4:
            return False
        if osa_distance(x, y, score_cutoff=2) > 2:
            return False
        if not (_variants(x) & _variants(y)) and (_known(x) or not _known(y)):
            return False
    return True


# British spellings and their American forms, for the word list (pyspellchecker's English is
# American): "behaviour" is known as "behavior".
_BRITISH = (("isation", "ization"), ("ise", "ize"), ("yse", "yze"), ("our", "or"),
            ("tre", "ter"), ("ogue", "og"), ("ence", "ense"), ("lled", "led"), ("lling", "ling"),
            ("amme", "am"), ("ae", "e"), ("oe", "e"))  # fmt: skip


def _variants(word: str) -> frozenset[str]:
    """The word and its American forms."""
    found = {word}
    for british, american in _BRITISH:
        if british in word:
            found.add(word.replace(british, american))
    return frozenset(found)


def _known(word: str) -> bool:
    """Whether `word` (or its American form) is an English word."""
    english = _english()
    return any(w in english for w in _variants(word))


@functools.cache
def _english() -> Any:
    """pyspellchecker's English word list (loaded once, when a respelling is first judged)."""
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1)


# -- sentences ---------------------------------------------------------------------------------


def _quote(text: str) -> str:
    said = text.rstrip(" .").split()
    clipped = " ".join(said[:MAX_QUOTED]) + (" ..." if len(said) > MAX_QUOTED else "")
    return f"'{clipped}'"


_VERBS = {
    "a requirement": "requires {who} to",
    "an expectation": "expects {who} to",
    "an encouragement": "encourages {who} to",
    "a permission": "allows {who} to",
}
_NOT_VERBS = {"a requirement": "forbids {who} to", "an expectation": "expects {who} not to"}
# (a duty in a subordinate clause is not the clause's own: "Any concern that a pupil may be at
# risk ... must be reported")
_SUBORDINATE = frozenset({"that", "which", "who", "whom", "whose", "if", "when", "where",
                          "whether", "unless", "because", "although", "while"})  # fmt: skip


def _added(text: str) -> str:
    """ "A new clause requires staff to report concerns ..." where the clause says who must,
    should or may do what; else the clause quoted."""
    vocab = vocabulary()
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    tokens = words(text)
    duties = _find(tokens, vocab.duty_phrases)
    for at, phrase in duties:
        said = vocab.duties[phrase]
        if at == 0 or len(spans) != len(tokens) or _SUBORDINATE & set(tokens[:at]):
            continue
        end = at + len(phrase)
        negated = tokens[end : end + 1] == ["not"]
        verb = (_NOT_VERBS if negated else _VERBS).get(said)
        subject = text[: spans[at][0]].strip(" ,:;")
        rest = text[spans[end - 1 + negated][1] :].strip(" ,:;")
        later = [p for k, p in duties if k > at]
        if verb is None or not rest or len(subject.split()) > 8 or later or "," in subject:
            break
        subject = _sentence_case(subject)
        rest = rest.rstrip(".")
        return f"A new clause {verb.format(who=subject)} {_clip(rest)}."
    return f"A new clause: {_quote(text)}."


def _sentence_case(subject: str) -> str:
    """ "Staff" -> "staff", "Personal mobile phones" -> "personal mobile phones"; names and
    acronyms as written ("Bartons Primary School", "The DSL" -> "the DSL")."""
    parts = subject.split()
    first = parts[0]
    common = first.casefold() in _COMMON_STARTS
    named = len(parts) > 1 and parts[1][:1].isupper() and not common
    if first[:1].isupper() and first[1:2].islower() and not named:
        return subject[0].lower() + subject[1:]
    return subject


_COMMON_STARTS = frozenset(
    {"the", "a", "an", "all", "any", "each", "every", "staff", "pupils", "parents", "carers",
     "governors", "teachers", "students", "children", "visitors", "volunteers", "members",
     "employees", "everyone", "no", "only", "some", "this", "these", "those", "our", "their"}
)  # fmt: skip


def _changed_window(old: str, new: str, after: int = 1) -> tuple[str, str]:
    """The smallest stretch of words that differs, with a word before it and `after` words
    after it, in each text as written."""
    a, b = old.split(), new.split()
    matcher = SequenceMatcher(None, [w.casefold() for w in a], [w.casefold() for w in b],
                              autojunk=False)  # fmt: skip
    codes = [c for c in matcher.get_opcodes() if c[0] != "equal"]
    if not codes:
        return old, new
    i1, j1 = codes[0][1], codes[0][3]
    i2, j2 = codes[-1][2], codes[-1][4]
    i1, j1 = max(0, i1 - 1), max(0, j1 - 1)
    i2, j2 = min(len(a), i2 + after), min(len(b), j2 + after)
    return " ".join(a[i1:i2]).strip(".,;:"), " ".join(b[j1:j2]).strip(".,;:")


def _window_sentence(old: str, new: str, after: int = 1) -> str:
    gone, came = _changed_window(old, new, after)
    return f"'{_clip(gone)}' becomes '{_clip(came)}'"


def _clip(text: str) -> str:
    said = text.split()
    return " ".join(said[:MAX_QUOTED]) + (" ..." if len(said) > MAX_QUOTED else "")


def _duty_sentence(a: list[str], b: list[str], old: str, new: str, vocab: Vocabulary) -> str:
    old_found = [vocab.duties[p] for _, p in _find(a, vocab.duty_phrases)]
    new_found = [vocab.duties[p] for _, p in _find(b, vocab.duty_phrases)]
    window = _window_sentence(old, new)
    if Counter(old_found).keys() == Counter(new_found).keys() and old_found and new_found:
        kind = old_found[0]
        if len(new_found) > len(old_found):
            return f"{window}: it adds {kind}."
        return f"{window}: it drops {kind}."
    if len(old_found) == len(new_found) == 1 or (old_found and new_found):
        was, now = old_found[0], new_found[0]
        for x, y in zip(old_found, new_found, strict=False):
            if x != y:
                was, now = x, y
                break
        order = vocab.strength
        if was == now:
            return f"{window}: a duty's words change."
        if order.index(now) < order.index(was):
            return f"{window}: this is now {now}, not {was}."
        return f"{window}: this is now {now}, no longer {was}."
    if new_found:
        return f"{window}: this is now {new_found[0]}."
    return f"{window}: this is no longer {old_found[0]}."


def _number_sentence(a: list[str], b: list[str], old: str, new: str) -> str:
    """ "'within 10 school days' becomes 'within 15 school days'": the number with the two
    words after it (its unit)."""
    return _window_sentence(old, new, after=2) + "."


_DATE_NAME = re.compile(
    r"(?:\d{1,2}\s+)?(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Spring|Summer|Autumn)(?:\s+[Tt]erm)?\s+\d{4}"
)


def _names(text: str) -> Counter[str]:
    """The names a clause uses: runs of capitalised words of two or more words, or with a
    year, or acronyms ("Data Protection Act 2018", "KCSIE", "Keeping Children Safe in
    Education"); the first word of a sentence alone is not one."""
    found: Counter[str] = Counter()
    for match in _NAME.finditer(text):
        for name in _TWO_NAMES.split(match.group(0)):
            _add_name(name, found)
    return found


_PART_NAME = re.compile(
    r"(?:Appendix|Annex|Schedule|Section|Paragraph|Part|Clause)\s+[A-Z0-9][\w.]*"
)


def _add_name(name: str, found: Counter[str]) -> None:
    """Count one name found by `_NAME`, without connecting words or unmatched brackets at
    its ends; a date or a lone capitalised word is not a name."""
    name = name.strip()
    while name.split() and name.split()[-1] in ("of", "and", "for", "in", "on", "the", "to"):
        name = name.rsplit(" ", 1)[0]
    while name.startswith("(") and name.count("(") > name.count(")"):
        name = name[1:].strip()
    while name.endswith(")") and name.count(")") > name.count("("):
        name = name[:-1].strip()
    while name.endswith("(") or name.startswith(")"):
        name = name.strip("()").strip()
    parts = name.split()
    if _PART_NAME.fullmatch(name):
        return  # ("Appendix B", "Section 4": a cross-reference, read by its own rule)
    if _DATE_NAME.fullmatch(name):
        return  # ("March 2024", "12 March 2024": a date, read as a number)
    if len(parts) >= 2 or any(c.isdigit() for c in name) or (name.isupper() and len(name) > 1):
        found[" ".join(parts)] += 1


def _respelled(gone: Counter[str], came: Counter[str]) -> bool:
    """Whether the names that differ are the same names respelled ("Eduction" corrected)."""
    olds, news = sorted(gone.elements()), sorted(came.elements())
    if len(olds) != len(news):
        return False
    for x, y in zip(olds, news, strict=True):
        a, b = tuple(words(x)), tuple(words(y))
        if a != b and not _spelling(
            tuple(w for w, v in zip(a, b, strict=False) if w != v),
            tuple(v for w, v in zip(a, b, strict=False) if w != v),
            frozenset(),
        ):
            return False
        if len(a) != len(b):
            return False
    return True


# A name of a law, guidance or document (not a person's or a code's): what "the reference to
# the ... is updated to the ..." is said of.
_DOCUMENTISH = re.compile(
    r"\b(?:Act|Regulations?|Guidance|Education|Code|Framework|Policy|Order|Directive|"
    r"Convention|Standards?|Protocol)\b|\b(?:19|20)\d{2}\b"
)


def _name_sentence(old: Counter[str], new: Counter[str], old_text: str, new_text: str) -> str:
    gone, came = list((old - new).elements()), list((new - old).elements())
    if gone and came and all(_DOCUMENTISH.search(g) for g in gone):
        was = " and the ".join(g.removeprefix("the ") for g in dict.fromkeys(gone))
        now = " and the ".join(c.removeprefix("the ") for c in dict.fromkeys(came))
        if len(gone) == 1:
            return f"The reference to the {was} is updated to the {now}."
        return f"The references to the {was} are updated to the {now}."
    if came and not gone and all(_DOCUMENTISH.search(c) for c in came):
        added = " and the ".join(c.removeprefix("the ") for c in dict.fromkeys(came))
        return f"A reference to the {added} is added."
    if came and not gone:
        return f"{_window_sentence(old_text, new_text)}: it now names {', '.join(came)}."
    return _window_sentence(old_text, new_text) + "."


def _editorial_sentence(reasons: tuple[str, ...], a: list[str], b: list[str]) -> str:
    return reasons[0][0].upper() + reasons[0][1:] + "."
