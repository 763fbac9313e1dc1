"""Every output of every result, written in one place: the command line only picks the format.

For each kind of result (a comparison, the store's log, a document, a blame, check results,
the governors' report, the annual changelog) a table maps each format to its writer. A writer
returns the text to write; the terminal's writers print instead (Rich decides colour by where
the text goes) and return None. The JSON contracts themselves are built in one module each:
diffing/export.py, rules/export.py and contracts.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from policydiff.annual import Changelog
    from policydiff.diffing.changes import Comparison
    from policydiff.diffing.merge import Merge
    from policydiff.drift import Drift
    from policydiff.model import Document
    from policydiff.reporting import Report
    from policydiff.rules.checks import CheckResult
    from policydiff.rules.load import Profile
    from policydiff.services import Blame
    from policydiff.status import PolicyStatus
    from policydiff.store import Record, Revision


def as_json(data: object, indent: int | None = 1) -> str:
    """JSON as policydiff writes it: UTF-8 as it is, a line break at the end."""
    return json.dumps(data, ensure_ascii=False, indent=indent) + "\n"


def _check(fmt: str, formats: Iterable[str]) -> None:
    """Refuse a format the result has no writer for (PolicydiffError)."""
    if fmt not in formats:
        from policydiff.errors import PolicydiffError

        raise PolicydiffError(f"no {fmt} output here: choose {', '.join(formats)}")


def _pick(table: dict[str, Callable[..., str | None]], fmt: str) -> Callable[..., str | None]:
    _check(fmt, table)
    return table[fmt]


# -- a comparison ----------------------------------------------------------------------------


def _diff_text(comparison: Comparison, old: str, new: str, file: TextIO | None) -> None:
    from policydiff.terminal import print_comparison

    print_comparison(comparison, file)


def _diff_json(comparison: Comparison, old: str, new: str, file: TextIO | None) -> str:
    # A handbook's diff runs to megabytes: written without indentation, which Python's C
    # encoder cannot do (4 x slower). A program reads it; jq shows it to a person.
    return as_json(comparison.to_dict(old, new), indent=None)


DIFF: dict[str, Callable[..., str | None]] = {"text": _diff_text, "json": _diff_json}


def diff(
    comparison: Comparison, fmt: str, old: str, new: str, file: TextIO | None = None
) -> str | None:
    """The comparison of `old` with `new` (as the user named them) as text or JSON."""
    return _pick(DIFF, fmt)(comparison, old, new, file)


# -- the store -------------------------------------------------------------------------------


def _log_text(revisions: list[Revision], records: dict[str, list[Record]]) -> None:
    from policydiff.terminal import print_log

    print_log(revisions, records)


def _log_json(revisions: list[Revision], records: dict[str, list[Record]]) -> str:
    from policydiff.contracts import log_json

    return as_json(log_json(revisions, records))


LOG: dict[str, Callable[..., str | None]] = {"text": _log_text, "json": _log_json}


def log(
    revisions: list[Revision], fmt: str, records: dict[str, list[Record]] | None = None
) -> str | None:
    """The store's revisions, newest first; with `records`, each policy's record trail."""
    return _pick(LOG, fmt)(revisions, records or {})


# -- the clerk's status screen ---------------------------------------------------------------


def _status_text(policies: list[PolicyStatus], today: str) -> None:
    from policydiff.terminal import print_status

    print_status(policies, today)


def _status_json(policies: list[PolicyStatus], today: str) -> str:
    from policydiff.status import SCHEMA

    return as_json({"schema": SCHEMA, "today": today, "policies": [p.as_json() for p in policies]})


STATUS: dict[str, Callable[..., str | None]] = {"text": _status_text, "json": _status_json}


def status(policies: list[PolicyStatus], today: str, fmt: str) -> str | None:
    """Every policy's status (`policydiff.status/1` in JSON)."""
    return _pick(STATUS, fmt)(policies, today)


def _show_text(revision: Revision | None, document: Document) -> str:
    from policydiff.terminal import document_text

    return document_text(revision, document)


def _show_md(revision: Revision | None, document: Document) -> str:
    from policydiff.terminal import document_markdown

    return document_markdown(revision, document)


def _show_json(revision: Revision | None, document: Document) -> str:
    from policydiff.contracts import document_json

    return as_json(document_json(document, None if revision is None else revision.as_json()))


SHOW: dict[str, Callable[..., str | None]] = {
    "text": _show_text,
    "md": _show_md,
    "json": _show_json,
}


def show(revision: Revision | None, document: Document, fmt: str) -> str | None:
    """How a document reads (a stored revision's, or a file's when `revision` is None)."""
    return _pick(SHOW, fmt)(revision, document)


def _blame_text(revision: Revision, rows: list[Blame]) -> None:
    from policydiff.terminal import print_blame

    print_blame(revision, rows)


def _blame_json(revision: Revision, rows: list[Blame]) -> str:
    from policydiff.contracts import blame_json

    return as_json(blame_json(revision, rows))


BLAME: dict[str, Callable[..., str | None]] = {"text": _blame_text, "json": _blame_json}


def blame(revision: Revision, rows: list[Blame], fmt: str) -> str | None:
    """Where each clause of a revision came from."""
    return _pick(BLAME, fmt)(revision, rows)


# -- checks ----------------------------------------------------------------------------------


def _check_text(results: list[CheckResult], profiles: list[Profile]) -> str:
    from policydiff.terminal import check_text

    return check_text(results, profiles)


def _check_json(results: list[CheckResult], profiles: list[Profile]) -> str:
    from policydiff.rules.export import to_json

    return as_json(to_json(results, profiles))


def _check_sarif(results: list[CheckResult], profiles: list[Profile]) -> str:
    from policydiff.rules.export import to_sarif

    return as_json(to_sarif(results, profiles))


def _check_junit(results: list[CheckResult], profiles: list[Profile]) -> str:
    from policydiff.rules.export import to_junit

    return to_junit(results, profiles)


CHECK: dict[str, Callable[..., str | None]] = {
    "text": _check_text,
    "json": _check_json,
    "sarif": _check_sarif,
    "junit": _check_junit,
}


def check(results: list[CheckResult], profiles: list[Profile], fmt: str) -> str | None:
    """Check results as text, JSON, SARIF (code-scanning tools) or JUnit XML (CI servers);
    `profiles` are those the results were checked against, each once."""
    return _pick(CHECK, fmt)(results, profiles)


# -- the governors' report and the annual update ---------------------------------------------


def _template(name: str, context: dict[str, Any], template_dir: Path | None) -> str:
    from policydiff.render import render

    return render(name, context, template_dir)


def report(built: Report, fmt: str, template_dir: Path | None = None) -> str:
    """The governors' report as one HTML page or as Markdown (the Word redline is written by
    policydiff.redlining, from the two files themselves)."""
    _check(fmt, ("html", "md"))
    return _template(f"report.{fmt}.j2", {"report": built}, template_dir)


def changelog(log: Changelog, fmt: str, template_dir: Path | None = None) -> str:
    """The clerk's annual update as Markdown or HTML."""
    _check(fmt, ("md", "html"))
    return _template(f"changelog.{fmt}.j2", {"log": log}, template_dir)


def _update_text(merged: Merge) -> str:
    from policydiff.diffing.merge import Decision, ModelChange
    from policydiff.redlining.update import what_changed
    from policydiff.typography import counted

    def short(text: str, limit: int = 100) -> str:
        return text if len(text) <= limit else text[: limit - 1] + "\u2026"

    def said(change: ModelChange) -> str:
        side = change.school or change.base or change.model
        label = side[0].label if side else None
        text = " ".join(p.text for p in side)
        line = f"  {change.kind}: {label + ' ' if label else ''}\u201c{short(text)}\u201d"
        base = " ".join(p.text for p in change.base)
        model = " ".join(p.text for p in change.model)
        if change.base and change.model and base != model:
            line += "\n      " + what_changed(base, model)
        if change.kind in ("moved", "heading moved") and change.model:
            where = change.model[0].section
            line += (
                f"\n      moved to \u201c{where}\u201d" if where else "\n      moved to the opening"
            )
        return line

    applied = merged.decided(Decision.APPLIED)
    conflicts = merged.decided(Decision.CONFLICT)
    left = merged.decided(Decision.LEFT)
    made = merged.decided(Decision.NONE)
    lines = [
        f"Update of {merged.school.source} from the model's revision "
        f"{merged.base.source} -> {merged.model.source}",
        f"{counted(len(applied), 'model change')} applied (tracked, to accept or reject in Word); "
        f"{counted(len(conflicts), 'conflict')}; {len(left)} left out; "
        f"{len(made)} already made in the school's policy",
    ]
    lines += [f"Warning: {w}" for w in merged.warnings]
    sections = (
        ("Applied", applied),
        (
            "Conflicts: clauses the school had reworded (its text kept; each has a comment "
            "in the Word document with the model's new text)",
            conflicts,
        ),
        ("Left: clauses the school had left out, so the model's change is not applied", left),
        ("Already made: the school's policy already says what the model now says", made),
    )
    for title, items in sections:
        if items:
            lines += ["", f"{title}:"] + [said(c) for c in items]
    return "\n".join(lines) + "\n"


def _update_json(merged: Merge) -> str:
    return as_json(merged.to_dict())


def update(merged: Merge, fmt: str) -> str:
    """The update's account: text for the clerk, or the `policydiff.update/1` JSON."""
    return _pick({"text": _update_text, "json": _update_json}, fmt)(merged) or ""


def _drift_text(drift: Drift, template_dir: Path | None = None) -> str:
    lines = [
        f"{drift.school_title}: how it departs from its model, {drift.model_title}",
        drift.summary,
    ]
    for clause in drift.clauses:
        where = f" (in {clause.section})" if clause.section else ""
        lines.append("")
        lines.append(f"{clause.kind.capitalize()}{where}:")
        if clause.spans:
            text = "".join(
                s.text
                if s.op.value == "equal"
                else f"[{'+' if s.op.value == 'insert' else '-'}{s.text}]"
                for s in clause.spans
            )
            lines.append(f"  {text}")
        else:
            for label, text in clause.school or clause.model:
                lines.append(f"  {label + ' ' if label else ''}{text}")
    if drift.clauses:
        lines += ["", "[-words] are the model's, taken out; [+words] are the school's own."]
    return "\n".join(lines) + "\n"


def drift(drift: Drift, fmt: str, template_dir: Path | None = None) -> str:
    """How a school's policy departs from its model: text, JSON (`policydiff.drift/1`),
    Markdown or one HTML page."""
    _check(fmt, ("text", "json", "md", "html"))
    if fmt == "text":
        return _drift_text(drift)
    if fmt == "json":
        return as_json(drift.to_dict())
    return _template(f"drift.{fmt}.j2", {"drift": drift}, template_dir)
