"""Jinja2 rendering (the only jinja2 import). Templates live in `templates/` at the top of the
project (a school copies them and passes `--template-dir`); the built-ins stay reachable as
`default:NAME`."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
)
from markupsafe import Markup

from policydiff.errors import PolicydiffError


def builtin_templates() -> Path:
    here = Path(__file__).resolve()
    for candidate in (here.parents[2] / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise PolicydiffError("policydiff's own templates are missing: reinstall policydiff")


_MD_SPECIAL = re.compile(r"([\\`*_~\[\]<>#|])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def md_escape(text: str | None) -> str:
    """Text as Markdown shows it literally (no stray emphasis, links or HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", _CONTROL.sub("", text or ""))


def _no_control(value: Any) -> Any:
    if isinstance(value, Markup):  # already rendered (a macro's output): cleaned as it was made
        return value
    return _CONTROL.sub("", value) if isinstance(value, str) else value


def _escapes(name: str | None) -> bool:
    return name is None or not name.endswith((".md.j2", ".md", ".txt.j2"))


def environment(template_dir: Path | None = None) -> Environment:
    """The Jinja environment for the built-in templates, and a folder's that override them;
    one per folder, kept, so that each template is compiled once (publishing 2,400 pages
    compiled two templates 2,400 times: 40 of its 49 s)."""
    if template_dir is not None and not template_dir.is_dir():
        raise PolicydiffError(f"the template folder {template_dir} does not exist")
    return _environment(None if template_dir is None else template_dir.resolve())


@functools.cache
def _environment(template_dir: Path | None) -> Environment:
    builtin = FileSystemLoader(str(builtin_templates()))
    loaders: list[Any] = []
    if template_dir is not None:
        loaders.append(FileSystemLoader(str(template_dir)))
    loaders += [builtin, PrefixLoader({"default": builtin}, delimiter=":")]
    env = Environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        # Escape everything but Markdown templates: a macro file (_macros.j2) renders HTML too.
        autoescape=_escapes,
        keep_trailing_newline=True,
        finalize=_no_control,  # every value printed, whatever the template does
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_escape
    # The white space before and after marked words stays outside the marks ("a ~~b~~ c").
    env.filters["lead"] = lambda text: text[: len(text) - len(text.lstrip())]
    env.filters["tail"] = lambda text: text[len(text.rstrip()) :]
    env.filters["clean"] = lambda text: _CONTROL.sub("", text or "")
    env.filters["day"] = written_day
    return env


def written_day(value: object) -> str:
    """A date (or an ISO 8601 date string) as a school writes it, "12 March 2024"; anything
    else as it is."""
    from datetime import date

    from policydiff.facts import long_date

    if isinstance(value, date):
        return long_date(value)
    text = str(value or "")
    try:
        return long_date(date.fromisoformat(text[:10])) + text[10:] if len(text) >= 10 else text
    except ValueError:
        return text


def render(name: str, context: dict[str, Any], template_dir: Path | None = None) -> str:
    try:
        return environment(template_dir).get_template(name).render(**context)
    except TemplateError as error:
        raise PolicydiffError(f"the template {name} could not be used: {error}") from None
