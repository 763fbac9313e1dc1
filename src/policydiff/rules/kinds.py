"""Which profile checks which policy: chosen by data, not by whoever runs `check`.

In order: the store's own `profiles.toml` (a policy's short name, then a phrase of its title),
then the built-in phrases of `policies/lists/kinds.toml` ("Data Protection" -> data-protection,
"Safeguarding" -> safeguarding, "Admissions" -> school-policy ...), then "default". Title
phrases match as section names do (rules/checks.py `title_match`). Both files are TOML:

    [policies]              # a policy's short name -> profile
    "social-media" = "social-media"

    [titles]                # a phrase of its title -> profile, the first that matches
    "online safety" = "social-media"
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from policydiff.errors import RuleFileError
from policydiff.rules.checks import TITLE_TYPOS, title_match
from policydiff.rules.load import Profile, available, load_profile

PROFILES_FILE = "profiles.toml"  # in the store, written by `policydiff profile`
DEFAULT = "default"


@dataclass(frozen=True, slots=True)
class Mapping:
    """Policies (short name -> profile) and title phrases (phrase -> profile, in order)."""

    policies: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)

    def to_toml(self) -> str:
        """The mapping as the store's profiles.toml, with a header saying what it is."""
        lines = [
            "# Which rule profile checks which policy (written by 'policydiff profile').",
            "# A policy's own line comes first, then the first title phrase its title holds,",
            "# then policydiff's built-in phrases; the rest are checked by the default profile.",
            "",
            "[policies]",
            *(f"{_quoted(k)} = {_quoted(v)}" for k, v in self.policies.items()),
            "",
            "[titles]",
            *(f"{_quoted(k)} = {_quoted(v)}" for k, v in self.titles.items()),
        ]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class Choice:
    profile: str
    why: str  # "set for this policy in the store", "its title has 'data protection'", ...


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse(text: str, where: str) -> Mapping:
    """A mapping from the text of a profiles file (`where` names it in errors).

    Raises RuleFileError when it is not TOML of the shape above or names a profile that does
    not exist."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RuleFileError(where, f"is not valid TOML ({error})") from None
    unknown = set(data) - {"policies", "titles"}
    if unknown:
        raise RuleFileError(
            where, f"unknown table '{sorted(unknown)[0]}': use [policies], [titles]"
        )
    known = set(available())
    tables: list[dict[str, str]] = []
    for key in ("policies", "titles"):
        table = data.get(key, {})
        if not isinstance(table, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in table.items()
        ):
            raise RuleFileError(where, f"[{key}] must map names to profile names")
        wrong = next((v for v in table.values() if v not in known), None)
        if wrong is not None:
            raise RuleFileError(
                where,
                f"names the profile '{wrong}', which does not exist ({', '.join(sorted(known))})",
            )
        tables.append(dict(table))
    return Mapping(tables[0], tables[1])


def builtin_lists() -> list[Path]:
    """Where the built-in lists live: policies/lists in a checkout, or in the wheel."""
    here = Path(__file__).resolve()
    return [here.parents[3] / "policies" / "lists", here.parent.parent / "lists"]


def list_file(name: str) -> Path:
    """The built-in list `name` (e.g. "kinds.toml"). Raises RuleFileError when missing."""
    for folder in builtin_lists():
        if (folder / name).is_file():
            return folder / name
    raise RuleFileError(name, "is missing from this installation of policydiff")


@functools.cache
def builtin() -> Mapping:
    """The built-in title phrases (policies/lists/kinds.toml)."""
    path = list_file("kinds.toml")
    return parse(path.read_text(encoding="utf-8"), str(path))


def choose(slug: str | None, title: str | None, store: Mapping | None = None) -> Choice:
    """The profile for a policy named `slug` (None for a file not in the store) with the
    title `title`, and why: the store's mapping first, then the built-in title phrases."""
    if store is not None and slug is not None and slug in store.policies:
        return Choice(store.policies[slug], "set for this policy in the store's profiles.toml")
    for mapping, whose in ((store, "the store's profiles.toml"), (builtin(), "policydiff's list")):
        if mapping is None:
            continue
        phrase = title_match(title, mapping.titles, typos=TITLE_TYPOS)
        if phrase is not None:
            return Choice(mapping.titles[phrase], f"its title has '{phrase}' ({whose})")
    return Choice(DEFAULT, "no kind of policy recognised in its title")


class Chooser:
    """Chooses the profile for each policy checked in one run and loads each profile once.

    `mapping` is the store's profiles.toml text ("" for none; `where` names it in errors);
    `fixed`, a profile chosen by whoever runs the check, is used for every policy, said to be
    `fixed_why`. Raises RuleFileError for a profiles file or profile that cannot be used."""

    def __init__(
        self, mapping: str = "", where: str = PROFILES_FILE, fixed: Profile | None = None,
        fixed_why: str = "",
    ) -> None:  # fmt: skip
        self.mapping = parse(mapping, where) if mapping.strip() and fixed is None else None
        self.fixed = Choice(fixed.name, fixed_why) if fixed is not None else None
        self.loaded: dict[str, Profile] = {fixed.name: fixed} if fixed is not None else {}

    def choose(self, slug: str | None, title: str | None) -> tuple[Profile, str]:
        """The profile for the policy `slug` (None for a file) titled `title`, and why."""
        choice = self.fixed or choose(slug, title, self.mapping)
        if choice.profile not in self.loaded:
            self.loaded[choice.profile] = load_profile(choice.profile)
        return self.loaded[choice.profile], choice.why

    @property
    def used(self) -> list[Profile]:
        """The profiles chosen so far, each once, in the order first chosen."""
        return list(self.loaded.values())
