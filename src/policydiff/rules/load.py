"""Rule profiles: TOML files, validated when loaded.

A profile has a name, a description, optionally `extends = "other"` (its rules come first; a
rule with the same id replaces the inherited one; `omit = [ids]` drops inherited rules that do
not apply to its kind of policy), and `[[rule]]` tables. Every rule has an
`id`, a `type`, a `severity` (error, warning, info) and a `message` written for a governor;
the other keys depend on the type (see RULE_KEYS). Unknown keys, missing keys and bad values
are reported with the file and line.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from policydiff.errors import RuleFileError
from policydiff.rules.patterns import Pattern, compile_linear


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class RuleType(StrEnum):
    REQUIRED_SECTION = "required-section"
    REQUIRED_PHRASE = "required-phrase"
    FORBIDDEN_PHRASE = "forbidden-phrase"
    OUTDATED_REFERENCE = "outdated-reference"
    REVIEW_DATE = "review-date"
    METADATA = "metadata"
    CROSS_REFERENCE = "cross-reference"
    STATUTORY_POLICY = "statutory-policy"  # policies/lists/statutory.toml's, not a profile's


COMMON_KEYS = {"id", "type", "severity", "message", "description"}
# type -> (required keys, optional keys)
RULE_KEYS: dict[RuleType, tuple[set[str], set[str]]] = {
    RuleType.REQUIRED_SECTION: ({"names"}, {"non_empty", "unless", "mentions"}),
    RuleType.REQUIRED_PHRASE: (set(), {"phrases", "patterns", "section"}),
    RuleType.FORBIDDEN_PHRASE: (set(), {"phrases", "patterns", "section"}),
    RuleType.OUTDATED_REFERENCE: ({"patterns", "replaced_by", "superseded", "source"}, set()),
    RuleType.REVIEW_DATE: (set(), {"missing_severity", "missing_message"}),
    RuleType.METADATA: ({"fields"}, set()),
    RuleType.CROSS_REFERENCE: (set(), set()),
}
METADATA_FIELDS = {"approved", "approved_by", "version", "next_review"}
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:[-.][a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    type: RuleType
    severity: Severity
    message: str
    description: str = ""
    names: tuple[str, ...] = ()  # required-section; also `section` of phrase rules
    non_empty: bool = False
    unless: tuple[str, ...] = ()  # required-section: titles that are not the section
    mentions: tuple[str, ...] = ()  # required-section: one of these must be in the section
    phrases: tuple[str, ...] = ()
    patterns: tuple[re.Pattern[str], ...] = ()  # as Python reads them: for their words
    section: tuple[str, ...] = ()
    replaced_by: str = ""
    superseded: date | None = None
    source: str = ""
    missing_severity: Severity = Severity.WARNING
    missing_message: str = ""
    matchers: tuple[Pattern, ...] = ()  # the same patterns, run by RE2 (rules/patterns.py)
    fields: tuple[str, ...] = ()
    origin: str = ""  # file:line it was declared at


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    description: str
    rules: tuple[Rule, ...]
    files: tuple[str, ...] = field(default=())


def builtin_dirs() -> list[Path]:
    """Where the built-in profiles live: policies/profiles in a checkout, or in the wheel."""
    here = Path(__file__).resolve()
    return [here.parents[3] / "policies" / "profiles", here.parent.parent / "profiles"]


def available() -> list[str]:
    names: set[str] = set()
    for folder in builtin_dirs():
        if folder.is_dir():
            names.update(p.stem for p in folder.glob("*.toml"))
    return sorted(names)


def _find(name: str) -> Path:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise RuleFileError(name, "is not a profile name (lower-case letters, digits, hyphens)")
    for folder in builtin_dirs():
        candidate = folder / f"{name}.toml"
        if candidate.is_file():
            return candidate
    raise RuleFileError(name, f"no such profile (there are: {', '.join(available())})")


MAX_EXTENDS = 10  # profiles in an `extends` chain


def load_profile(name: str | None = None, rules_file: Path | None = None) -> Profile:
    """The named built-in profile, or a profile file; the default profile when neither."""
    path = rules_file if rules_file is not None else _find(name or "default")
    return _load(path, seen=())


def _line_of(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None


def _load(path: Path, seen: tuple[str, ...]) -> Profile:
    where = str(path.resolve())  # ("a/../a.toml" is a.toml: a loop is seen however it is named)
    if where in seen:
        raise RuleFileError(where, "extends itself (through " + " -> ".join(seen) + ")")
    if len(seen) >= MAX_EXTENDS:
        raise RuleFileError(where, f"extends a chain of more than {MAX_EXTENDS} profiles")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise RuleFileError(where, f"cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise RuleFileError(where, "is not UTF-8 text: save it as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise RuleFileError(where, "nests arrays or tables deeper than a rule file needs") from None
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        raise RuleFileError(
            where, f"is not valid TOML ({error})", int(match.group(1)) if match else None
        ) from None
    unknown = set(data) - {"name", "description", "extends", "omit", "rule"}
    if unknown:
        key = sorted(unknown)[0]
        raise RuleFileError(where, f"unknown key '{key}'", _line_of(text, key))
    inherited: tuple[Rule, ...] = ()
    files: tuple[str, ...] = ()
    if "extends" in data:
        parent_name = data["extends"]
        if not isinstance(parent_name, str):
            raise RuleFileError(where, "'extends' must name a profile", _line_of(text, "extends"))
        sibling = path.parent / f"{parent_name}.toml"
        try:
            parent_path = sibling if sibling.is_file() else _find(parent_name)
        except RuleFileError as error:
            problem = str(error).split(": ", 1)[-1]
            raise RuleFileError(
                where, f"extends '{parent_name}': {problem}", _line_of(text, "extends")
            ) from None
        parent = _load(parent_path, (*seen, where))
        inherited, files = parent.rules, parent.files
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        raise RuleFileError(where, "rules are written as [[rule]] tables", _line_of(text, "rule"))
    own = [_rule(raw, where, text) for raw in raw_rules]
    counted = Counter(r.id for r in own)
    duplicate = next((i for i, n in counted.items() if n > 1), None)
    if duplicate:
        raise RuleFileError(
            where, f"rule id '{duplicate}' is used twice", _line_of(text, duplicate)
        )
    omitted = set(_strings(data["omit"], "omit", _failing(where))) if "omit" in data else set()
    unknown_ids = omitted - {r.id for r in inherited}
    if unknown_ids:
        name = sorted(unknown_ids)[0]
        raise RuleFileError(
            where, f"omits '{name}', which it does not inherit", _line_of(text, name)
        )
    replaced = {r.id for r in own} | omitted
    rules = tuple(r for r in inherited if r.id not in replaced) + tuple(own)
    return Profile(
        name=str(data.get("name", path.stem)),
        description=str(data.get("description", "")),
        rules=rules,
        files=(*files, where),
    )


MAX_MESSAGE = 1_000  # characters: a sentence or two for governors
# What a message may name, in braces: the words found and the facts of the rule's kind.
MESSAGE_FIELDS = frozenset({"found", "replaced_by", "superseded", "due", "today", "missing"})


def _check_message(message: str, fail: Any) -> None:
    """A message is text with named blanks ("{found}"), nothing a format string can do besides:
    no numbered blank, no attribute or index, no width or conversion ("{x:>900000000}" would
    format 900 million spaces)."""
    if len(message) > MAX_MESSAGE:
        raise fail(f"has a message longer than {MAX_MESSAGE:,} characters")
    try:
        fields = [
            (name, spec, conversion)
            for _, name, spec, conversion in string.Formatter().parse(message)
            if name is not None
        ]
    except ValueError as error:
        raise fail(
            f"has a message with unmatched braces ({error}): write {{{{ for a brace"
        ) from None
    for name, spec, conversion in fields:
        if name not in MESSAGE_FIELDS or spec or conversion:
            allowed = ", ".join("{" + f + "}" for f in sorted(MESSAGE_FIELDS))
            raise fail(f"has a message blank {{{name}}} it cannot fill: it may use {allowed}")


def _strings(value: Any, key: str, fail: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        raise fail(f"'{key}' must be a list of words or phrases")
    return tuple(v.strip() for v in value)


def _rule(raw: Any, where: str, text: str) -> Rule:
    if not isinstance(raw, dict):
        raise RuleFileError(where, "a rule must be a table")
    rule_id = raw.get("id")
    line = _line_of(text, f'"{rule_id}"') if isinstance(rule_id, str) else None

    def fail(problem: str) -> RuleFileError:
        return RuleFileError(where, f"rule {rule_id or '(no id)'}: {problem}", line)

    if not isinstance(rule_id, str) or not _ID.fullmatch(rule_id):
        raise fail("needs an id like 'required-section/definitions'")
    try:
        kind = RuleType(str(raw.get("type")))
    except ValueError:
        kind = None
    if kind not in RULE_KEYS:
        raise fail(f"type must be one of {', '.join(t.value for t in RULE_KEYS)}") from None
    required, optional = RULE_KEYS[kind]
    missing = (required | {"severity", "message"}) - set(raw)
    if missing:
        raise fail(f"is missing '{sorted(missing)[0]}'")
    unknown = set(raw) - COMMON_KEYS - required - optional
    if unknown:
        raise fail(f"has an unknown key '{sorted(unknown)[0]}' for a {kind.value} rule")
    try:
        severity = Severity(raw["severity"])
        missing_severity = Severity(raw.get("missing_severity", "warning"))
    except ValueError:
        raise fail("severity must be error, warning or info") from None
    if not isinstance(raw["message"], str) or not raw["message"].strip():
        raise fail("needs a message for governors")
    for key in ("message", "missing_message"):
        if isinstance(raw.get(key), str):
            _check_message(raw[key], fail)
    values: dict[str, Any] = {}
    if "names" in raw:
        values["names"] = _strings(raw["names"], "names", fail)
    if "unless" in raw:
        values["unless"] = _strings(raw["unless"], "unless", fail)
    if "mentions" in raw:
        values["mentions"] = _strings(raw["mentions"], "mentions", fail)
    if "section" in raw:
        values["section"] = _strings(raw["section"], "section", fail)
    if "phrases" in raw:
        values["phrases"] = _strings(raw["phrases"], "phrases", fail)
    if "patterns" in raw:
        written = _strings(raw["patterns"], "patterns", fail)
        try:
            values["patterns"] = tuple(re.compile(p, re.IGNORECASE) for p in written)
        except re.error as error:
            raise fail(f"a pattern is not a valid regular expression ({error})") from None
        for text in written:
            try:
                compiled = compile_linear(text)
            except ValueError as error:
                raise fail(
                    f"has a pattern policydiff does not run ({error}): back-references and "
                    "lookarounds can take hours on one long clause; write it without"
                ) from None
            values["matchers"] = (*values.get("matchers", ()), compiled)
    if kind in (RuleType.REQUIRED_PHRASE, RuleType.FORBIDDEN_PHRASE) and not (
        values.get("phrases") or values.get("patterns")
    ):
        raise fail("needs 'phrases' or 'patterns'")
    if "non_empty" in raw:
        if not isinstance(raw["non_empty"], bool):
            raise fail("'non_empty' must be true or false")
        values["non_empty"] = raw["non_empty"]
    if "superseded" in raw:
        if not isinstance(raw["superseded"], date):
            raise fail("'superseded' must be a date written as 2018-05-25")
        values["superseded"] = raw["superseded"]
    for key in ("replaced_by", "source", "missing_message", "description"):
        if key in raw:
            if not isinstance(raw[key], str):
                raise fail(f"'{key}' must be text")
            values[key] = raw[key]
    if "fields" in raw:
        chosen = _strings(raw["fields"], "fields", fail)
        bad = [f for f in chosen if f not in METADATA_FIELDS]
        if bad:
            raise fail(f"'{bad[0]}' is not one of {', '.join(sorted(METADATA_FIELDS))}")
        values["fields"] = chosen
    return Rule(
        id=rule_id,
        type=kind,
        severity=severity,
        message=raw["message"].strip(),
        missing_severity=missing_severity,
        origin=f"{where}:{line}" if line else where,
        **values,
    )


def _failing(where: str) -> Any:
    """A `fail` for a profile's own keys: a RuleFileError naming the file."""

    def fail(problem: str) -> RuleFileError:
        return RuleFileError(where, problem)

    return fail
