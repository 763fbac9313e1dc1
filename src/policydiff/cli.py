"""The `policydiff` command line: arguments in, services called, results printed, exit codes.

Exit codes: 0 done (differences are not an error), 2 bad input (one line on stderr),
3 an internal error (a bug: run again with --debug for the traceback).
Heavy modules are imported inside the commands that need them, so `--help` stays quick.
Annotations here are evaluated (no `from __future__ import annotations`): Typer reads every
command's parameters at start-up, and evaluating them from strings cost a tenth of a small
diff's instructions.
"""

import os
import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO, TypeVar

import typer

from policydiff import __version__
from policydiff.typography import counted

if TYPE_CHECKING:
    from policydiff.rules.load import Rule
    from policydiff.store import Revision

app = typer.Typer(
    name="policydiff",
    help="Keep written policies under version control and see exactly what changed.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

T = TypeVar("T")
_debug = False


class DiffFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def _fail(message: str, code: int) -> typer.Exit:
    sys.stderr.write(f"policydiff: {message}\n")
    return typer.Exit(code)


def _run(action: Callable[[], T]) -> T:
    """Run a service; turn our errors into one line and exit 2, anything else into exit 3."""
    from policydiff.errors import PolicydiffError

    try:
        return action()
    except PolicydiffError as error:
        if _debug:
            raise
        raise _fail(str(error), 2) from None
    except (KeyboardInterrupt, typer.Exit, BrokenPipeError):
        raise  # (a closed pipe: `policydiff log | head`, ended quietly by __main__)
    except Exception as error:  # a bug: say so in one line, not a traceback
        if _debug:
            raise
        raise _fail(
            f"internal error ({type(error).__name__}: {error}); run again with --debug "
            "and report it",
            3,
        ) from None


@app.callback(invoke_without_command=True)
def main_options(
    context: typer.Context,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks (for developers).")
    ] = False,
    version: Annotated[bool, typer.Option("--version", help="Show the version and stop.")] = False,
) -> None:
    global _debug
    _debug = debug
    if version:
        typer.echo(f"policydiff {__version__}")
        raise typer.Exit(0)
    if context.invoked_subcommand is None:
        typer.echo(context.get_help())
        raise typer.Exit(0)


StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="The policy store (default: $POLICYDIFF_STORE, else ./policy-store).",
        show_default=False,
    ),
]


def _store(path: Path | None) -> Path:
    """The store named by --store, else $POLICYDIFF_STORE, else ./policy-store. Only a name:
    the store (and git) is opened by the commands that need it."""
    if path is not None:
        return path
    return Path(os.environ.get("POLICYDIFF_STORE") or "policy-store")


def _notes(messages: tuple[object, ...]) -> None:
    for message in messages:
        sys.stderr.write(f"note: {message}\n")


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    import re

    try:
        return date.fromisoformat(value)
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise _fail(f"{option} {value} is not a day of the calendar: check it", 2) from None
        raise _fail(f"{option} {value!r} is not a date: write it as YYYY-MM-DD", 2) from None


@app.command()
def diff(
    old: Annotated[
        str, typer.Argument(help="The earlier revision: a .docx or policy@version.", metavar="OLD")
    ],
    new: Annotated[
        str, typer.Argument(help="The later revision: a .docx or policy@version.", metavar="NEW")
    ],
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text for a person, json for a program.")
    ] = DiffFormat.TEXT,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of the screen."),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Compare two revisions of a policy clause by clause."""
    from policydiff import services

    result = _run(lambda: services.diff(old, new, _store(store)))
    _notes(result.messages)
    from policydiff import writers

    if output is None or output_format is not DiffFormat.TEXT:
        _emit(writers.diff(result.value, output_format.value, old, new), output, "the comparison")
    else:
        with _open_output(output) as handle:
            writers.diff(result.value, output_format.value, old, new, handle)
        _wrote("the comparison", output)


@app.command()
def init(
    shared: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Start from the store the clerks share (a folder or git URL), to keep in step "
            "with 'policydiff sync'.",
        ),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Create a policy store (a git repository); harmless when it exists."""
    from policydiff import services

    path = _store(store)
    created = _run(lambda: services.init_store(path, shared))
    if not created:
        typer.echo(f"{path} is already a policy store")
    elif shared:
        typer.echo(f"Created a policy store at {path}, a copy of the shared store at {shared}")
    else:
        typer.echo(f"Created a policy store at {path}")


@app.command()
def sync(
    shared: Annotated[
        str | None,
        typer.Option(
            "--shared",
            help="The store the clerks share: a folder or git URL (given once; remembered).",
        ),
    ] = None,
    set_aside: Annotated[
        list[str] | None,
        typer.Option(
            "--set-aside",
            help="A policy both clerks added to: set this store's additions aside (kept, not "
            "erased) and take the shared store's.",
        ),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Take what other clerks added to the shared store, and send what you added."""
    from policydiff import services

    done = _run(lambda: services.sync(_store(store), shared, set_aside or []))
    typer.echo(
        f"In step with the shared store at {done.shared}: took "
        f"{counted(done.pulled, 'change')} other clerks made, sent {done.pushed} of yours."
    )
    for ref in done.set_aside:
        slug = ref.rsplit("/", 1)[-1].rsplit("-", 1)[0]
        typer.echo(
            f"Your additions to {slug} are set aside, not erased: they stay in this store's "
            f"history. See what the shared store holds with 'policydiff log {slug}'; add "
            "again any revision of yours still wanted (from its Word file), and record any "
            "approval again with 'policydiff approve'."
        )


@app.command("add")
def ingest(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Word files (.docx), or folders of them, in any order.", metavar="FILES..."
        ),
    ],
    policy: Annotated[
        str, typer.Option("--policy", "-p", help="The policy's short name, e.g. social-media.")
    ],
    version: Annotated[
        str | None,
        typer.Option(
            "--version",
            help="Version label (default: the version the policy states, else the next number).",
        ),
    ] = None,
    day: Annotated[
        str | None,
        typer.Option(
            "--date", help="Date it takes effect, YYYY-MM-DD (default: the document's own)."
        ),
    ] = None,
    message: Annotated[
        str | None,
        typer.Option(
            "--message", "-m", help="Why it changed, in a sentence: it leads the governors' report."
        ),
    ] = None,
    older: Annotated[
        bool,
        typer.Option(
            "--older", help="Adding past revisions: accept dates before the latest revision's."
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be added, and add nothing.")
    ] = False,
    renamed: Annotated[
        bool, typer.Option("--renamed", help="The policy's title has changed: accept the new one.")
    ] = False,
    new_policy: Annotated[
        bool,
        typer.Option(
            "--new-policy",
            help="POLICY is a new policy, though its name or title is like one's in the store.",
        ),
    ] = False,
    store: StoreOption = None,
) -> None:
    """Add new drafts or revisions of a policy to the store."""
    from policydiff import services

    effective = _date(day, "--date")
    said: list[str] = []

    def say(item: services.Ingested) -> None:
        plan = item.planned
        if item.same_as is not None:
            line = (
                f"{item.source.name} is already {item.same_as.slug} version "
                f"{item.same_as.version}: nothing added"
            )
        elif plan is not None and plan.same_as_planned:
            line = f"{item.source.name} is the same file as another given: nothing added"
        elif item.revision is None and plan is not None:
            line = (
                f"Would add {plan.slug} version {plan.version} from {item.source.name} "
                f"(effective {plan.effective.isoformat()})"
            )
        elif item.revision is not None:
            r = item.revision
            line = (
                f"Added {r.slug} version {r.version} from {r.source_name} (effective {r.effective})"
            )
            said.append(line)
        else:
            return
        if plan is not None and plan.why and item.same_as is None:
            line += f"; named {plan.version} because {plan.why}"
        typer.echo(line)
        sys.stdout.flush()

    try:
        result = _run(
            lambda: services.ingest(
                _store(store), files, policy, version, effective, message, say, older, dry_run,
                renamed, new_policy,
            )
        )  # fmt: skip
    except KeyboardInterrupt:
        listed = f"{counted(len(said), 'revision')} listed above" if said else "none listed"
        raise _fail(
            f"interrupted ({listed}; one more may have been stored as it stopped): "
            f"'policydiff log {policy}' shows what the store holds; add the files again to "
            "add the rest (those already stored are recognised)",
            130,
        ) from None
    _notes(result.messages)
    if dry_run:
        typer.echo("(a dry run: nothing was added)")


app.command("ingest", hidden=True, help="The former name of 'add'.")(ingest)


class LogFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


@app.command()
def log(
    policy: Annotated[
        str | None, typer.Argument(help="One policy (default: all).", metavar="POLICY")
    ] = None,
    output_format: Annotated[LogFormat, typer.Option("--format", "-f")] = LogFormat.TEXT,
    withdrawn: Annotated[
        bool,
        typer.Option(
            "--withdrawn",
            help="Include what was withdrawn or corrected: every approval, correction and "
            "withdrawal, as recorded.",
        ),
    ] = False,
    store: StoreOption = None,
) -> None:
    """List revisions, newest first, with their approval and the clerk's note."""
    from policydiff import services, writers

    revisions, records = _run(lambda: services.log(_store(store), policy, withdrawn))
    _emit(writers.log(revisions, output_format.value, records), None)


class ShowFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MD = "md"


@app.command()
def show(
    ref: Annotated[
        str,
        typer.Argument(
            help="A Word file (.docx), or a stored revision: policy@version, @latest, @approved ..."
        ),
    ],
    output_format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.TEXT,
    source: Annotated[
        bool,
        typer.Option(
            "--original", "--source", help="Write the Word file as it was added (with -o FILE)."
        ),
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    store: StoreOption = None,
) -> None:
    """Show how policydiff reads a Word file or a stored revision, or write out the original.

    Lists its sections, numbers, lists, tables, notes, headers and footers, and what was left out.
    """
    from policydiff import services

    from_file = ref.lower().endswith(".docx") or Path(ref).is_file()
    if source and from_file:
        raise _fail(
            "--original writes a stored revision's Word file as it was added: give policy@version",
            2,
        )
    if source:
        if output is None:
            raise _fail("--original writes a Word file: say where with -o FILE", 2)
        _output_folder(output)
        stored, data = _run(lambda: services.source(_store(store), ref))
        try:
            output.write_bytes(data)
        except OSError as error:
            raise _fail(f"cannot write {output}: {error.strerror}", 2) from None
        typer.echo(f"Wrote {stored.ref} ({stored.source_name}) to {output}")
        return
    from policydiff import writers

    revision: Revision | None = None
    if from_file:  # a Word file: how policydiff reads it, before it goes into the store
        result = _run(lambda: services.read_docx(ref))
        _notes(result.messages)
        document = result.value
    else:
        revision, document = _run(lambda: services.show(_store(store), ref))
    _emit(writers.show(revision, document, output_format.value), output, "how it reads")


@app.command()
def approve(
    ref: Annotated[
        str, typer.Argument(help="The revision approved: policy@version.", metavar="POLICY@VERSION")
    ],
    by: Annotated[str, typer.Option("--by", help="Who approved it, e.g. 'Full Governing Body'.")],
    day: Annotated[
        str | None, typer.Option("--date", help="The meeting's date, YYYY-MM-DD.")
    ] = None,
    today: Annotated[
        bool, typer.Option("--today", help="It was approved today (instead of --date).")
    ] = False,
    minute: Annotated[str | None, typer.Option("--minute", help="The minute reference.")] = None,
    despite_check: Annotated[
        bool,
        typer.Option(
            "--despite-check",
            help="Approve a revision that fails its check; the failures are recorded with it.",
        ),
    ] = False,
    correct: Annotated[
        bool,
        typer.Option("--correct", help="Correct the approval recorded (say why with --reason)."),
    ] = False,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why it is corrected, for the record.")
    ] = None,
    store: StoreOption = None,
) -> None:
    """Record that the governors approved a revision, with the meeting's date and minute."""
    from policydiff import services

    when = _date(day, "--date")
    if when is not None and today:
        raise _fail("give --date or --today, not both", 2)
    if when is None and not today:
        raise _fail(
            "say when it was approved: --date YYYY-MM-DD (the meeting's date), or --today",
            2,
        )
    if correct and not (reason and reason.strip()):
        raise _fail("say why the approval is corrected with --reason, for the record", 2)
    if reason and not correct:
        raise _fail("--reason goes with --correct", 2)
    day_approved = when or date.today()
    revision = _run(
        lambda: services.approve(
            _store(store), ref, by, day_approved, minute, despite_check, reason if correct else None
        )
    )
    assert revision.approval is not None
    typer.echo(
        ("Corrected: " if correct else "Recorded: ")
        + f"{revision.slug} version {revision.version} {revision.approval.describe()}"
        + (" despite its check" if revision.approval.despite else "")
    )


@app.command()
def withdraw(
    ref: Annotated[
        str, typer.Argument(help="The revision: policy@version.", metavar="POLICY@VERSION")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why, for the record.")],
    approval: Annotated[
        bool, typer.Option("--approval", help="Withdraw only its approval, not the revision.")
    ] = False,
    store: StoreOption = None,
) -> None:
    """Withdraw a revision added by mistake, or only its approval, with the reason.

    It stays in the history with the reason; it is no longer listed, in force or named by @latest.
    """
    from policydiff import services

    revision = _run(lambda: services.withdraw(_store(store), ref, reason, approval))
    typer.echo(
        f"Withdrawn: {'the approval of ' if approval else ''}{revision.slug} version "
        f"{revision.version} ({' '.join(reason.split())})"
    )


@app.command("clauses")
def blame(
    ref: Annotated[
        str, typer.Argument(help="A revision: policy@version.", metavar="POLICY@VERSION")
    ],
    output_format: Annotated[LogFormat, typer.Option("--format", "-f")] = LogFormat.TEXT,
    store: StoreOption = None,
) -> None:
    """For every clause: the version that introduced it and the one that last changed it."""
    from policydiff import services, writers

    revision, rows = _run(lambda: services.blame(_store(store), ref))
    _emit(writers.blame(revision, rows, output_format.value), None)


app.command("blame", hidden=True, help="The former name of 'clauses'.")(blame)


class SchoolType(StrEnum):
    MAINTAINED = "maintained"
    ACADEMY = "academy"


class CheckFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"


@app.command()
def check(
    targets: Annotated[
        list[str] | None,
        typer.Argument(
            help="Policies to check: .docx files or policy@version.", metavar="POLICIES..."
        ),
    ] = None,
    all_policies: Annotated[
        bool, typer.Option("--all", help="The latest revision of every policy in the store.")
    ] = False,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            help="Check every policy against this profile (default: each policy's own, from "
            "its title or 'policydiff profile').",
        ),
    ] = None,
    rules_file: Annotated[
        Path | None, typer.Option("--rules", help="A rule profile file (TOML).")
    ] = None,
    today: Annotated[
        str | None,
        typer.Option("--today", help="Judge as of this day (laws, review dates), YYYY-MM-DD."),
    ] = None,
    statutory: Annotated[
        bool,
        typer.Option(
            "--statutory",
            help="With --all: also name the statutory policies the store lacks, or that are "
            "past their review cycle (the DfE's list).",
        ),
    ] = False,
    school_type: Annotated[
        SchoolType | None,
        typer.Option("--school-type", help="Which statutory list applies (default: both's)."),
    ] = None,
    output_format: Annotated[CheckFormat, typer.Option("--format", "-f")] = CheckFormat.TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    store: StoreOption = None,
) -> None:
    """Check policies against rules: required sections, current law, review dates.

    Exit 0 when no error-level finding, 1 when any, 2 for bad input."""
    from policydiff import services, writers

    if profile is not None and rules_file is not None:
        raise _fail("use --profile or --rules, not both", 2)
    day = _date(today, "--today")
    if school_type is not None and not statutory:
        raise _fail("--school-type goes with --statutory", 2)
    listed = (school_type.value if school_type else "any") if statutory else None
    result = _run(
        lambda: services.check(
            _store(store), targets or [], all_policies, profile, rules_file, day, listed
        )
    )
    _notes(result.messages)
    checked = result.value
    text = writers.check(checked.results, checked.profiles, output_format.value)
    _emit(text, output, "the check's findings")
    if not all(r.passed for r in checked.results):
        raise typer.Exit(1)


@app.command()
def profile(
    policy: Annotated[
        str | None,
        typer.Argument(
            help="The policy's short name (or, with --title, a phrase).", metavar="POLICY"
        ),
    ] = None,
    profile_name: Annotated[
        str | None,
        typer.Argument(
            metavar="PROFILE", help="The profile to check it by ('none' drops the setting)."
        ),
    ] = None,
    title: Annotated[
        bool,
        typer.Option("--title", help="POLICY is a phrase: every policy whose title has it."),
    ] = False,
    store: StoreOption = None,
) -> None:
    """Say which rule profile checks a policy, or list which profile checks each policy."""
    from policydiff import services

    if profile_name is None:
        if title:
            raise _fail("say which profile: policydiff profile --title PHRASE PROFILE", 2)
        rows = _run(lambda: services.profiles(_store(store), policy))
        for slug, title_text, chosen, why in rows:
            typer.echo(f"{slug} ({title_text}): {chosen} ({why})")
        return
    if policy is None:
        raise _fail("say which policy: policydiff profile POLICY PROFILE", 2)
    named = policy
    what = _run(lambda: services.set_profile(_store(store), named, profile_name, by_title=title))
    typer.echo(what)
    for slug, title_text, chosen, why in _run(lambda: services.profiles(_store(store))):
        if _set_by(why, named, title):
            typer.echo(f"  {slug} ({title_text}): now {chosen}")


def _set_by(why: str, policy: str, title: bool) -> bool:
    """Whether a policy's profile was chosen by the setting just made."""
    if title:
        return f"'{' '.join(policy.split())}' (the store's" in why
    return why.startswith("set for this policy")


@app.command()
def rules(
    profile: Annotated[str | None, typer.Option("--profile", help="A built-in profile.")] = None,
    rules_file: Annotated[
        Path | None, typer.Option("--rules", help="A rule profile file (TOML).")
    ] = None,
) -> None:
    """List the rules of a profile with their ids."""
    from policydiff.rules.load import available, load_profile

    chosen = _run(lambda: load_profile(profile, rules_file))
    typer.echo(f"Profile {chosen.name}: {chosen.description}")
    typer.echo(f"(profiles: {', '.join(available())})")
    for rule in chosen.rules:
        typer.echo(f"  {rule.severity.value:<8} {rule.id}")
        typer.echo(f"           {_example(rule)}")


def _example(rule: "Rule") -> str:
    """A rule's message as a person reads it: what the rule knows filled in (the law that
    replaced one, and when), the rest said in brackets ("[the date it was due]")."""
    from policydiff.facts import long_date

    known = {
        "replaced_by": rule.replaced_by or "[the law that replaced it]",
        "superseded": long_date(rule.superseded) if rule.superseded else "[the date]",
        "found": "[what the policy says]",
        "due": "[the date it was due]",
        "today": "[the day it is checked]",
        "missing": "[what is missing]",
    }
    text = rule.message
    for blank, words in known.items():
        text = text.replace("{" + blank + "}", words)
    return text


class ReportFormat(StrEnum):
    HTML = "html"
    MD = "md"
    DOCX = "docx"


@app.command()
def report(
    targets: Annotated[
        list[str],
        typer.Argument(
            help="OLD NEW (.docx files or policy@version), or one policy name.",
            metavar="REVISIONS...",
        ),
    ],
    output_format: Annotated[ReportFormat, typer.Option("--format", "-f")] = ReportFormat.HTML,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    template_dir: Annotated[
        Path | None, typer.Option("--template-dir", help="Your own copies of the templates.")
    ] = None,
    today: Annotated[str | None, typer.Option("--today", help="For the review-date check.")] = None,
    author: Annotated[
        str, typer.Option("--author", help="The name on the Word redline's tracked changes.")
    ] = "policydiff",
    store: StoreOption = None,
) -> None:
    """The governors' report: what changed, in plain English, with the words marked."""
    from policydiff import services

    day = _date(today, "--today")
    if output_format is ReportFormat.DOCX:
        if output is None:
            raise _fail("a Word report must go to a file: say where with -o FILE", 2)
        where = output
        _output_folder(where)
        marked = _run(lambda: services.redline(_store(store), targets, where, author, day))
        _notes(marked.messages)
        typer.echo(f"Wrote the Word redline to {output}")
        return
    result = _run(lambda: services.report(_store(store), targets, day))
    _notes(result.messages)
    built, _ = result.value
    from policydiff import writers

    if output is None and output_format is ReportFormat.HTML and sys.stdout.isatty():
        raise _fail("the report is a web page: say where to write it with -o report.html", 2)
    text = _run(lambda: writers.report(built, output_format.value, template_dir))
    _write(text, output, "the report")


@app.command()
def update(
    school: Annotated[
        str,
        typer.Argument(
            help="The school's policy: a .docx, policy@version, or a stored policy's name "
            "(then its model's revisions come from the store).",
            metavar="SCHOOL",
        ),
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="Where to write the school's updated policy (.docx)."),
    ],
    base: Annotated[
        str | None,
        typer.Option(
            "--base", help="The model's revision the school's policy was made from (.docx or REF)."
        ),
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="The model's new revision (.docx or REF).")
    ] = None,
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="text for a person, json for a program.")
    ] = DiffFormat.TEXT,
    author: Annotated[
        str, typer.Option("--author", help="The name on the tracked changes and comments.")
    ] = "policydiff",
    store: StoreOption = None,
) -> None:
    """Carry a model policy's new revision into the school's own copy: each change the model
    made is a tracked change where the school kept the model's clause, a comment where the
    school had changed it, and listed where the school had left it out."""
    from policydiff import services, writers

    if output.is_dir() or output.suffix.lower() != ".docx":
        raise _fail(
            f"the updated policy is a Word file: give -o a file name ending .docx, not {output}", 2
        )
    _output_folder(output)
    from_store = base is None and model is None
    if from_store and (Path(school).exists() or "@" in school):
        raise _fail("say which model revisions to merge with --base MODEL_OLD --model MODEL_NEW", 2)
    if (base is None) != (model is None):
        raise _fail("give both --base (the model's old revision) and --model (its new one)", 2)
    named = school
    sides = (
        _run(lambda: services.model_update(_store(store), named))
        if from_store
        else (str(base), str(model), school)
    )
    result = _run(lambda: services.update(_store(store), *sides, output, author))
    _notes(result.messages)
    sys.stdout.write(writers.update(result.value, output_format.value))
    said = f"Wrote the school's policy with the model's changes tracked to {output}"
    if output_format is DiffFormat.TEXT:
        typer.echo(said)
        if from_store:
            typer.echo(
                "When the changes are accepted or rejected in Word, add it and record the "
                f"model's version it now follows:\n  policydiff add {output} --policy {school}\n"
                f"  policydiff follow {school} {sides[1]}"
            )
    else:
        sys.stderr.write(said + "\n")


class DriftFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MD = "md"
    HTML = "html"


@app.command()
def drift(
    school: Annotated[
        str,
        typer.Argument(help="The school's policy: a .docx or policy@version.", metavar="SCHOOL"),
    ],
    model: Annotated[
        str, typer.Argument(help="Its model: a .docx or policy@version.", metavar="MODEL")
    ],
    output_format: Annotated[
        DriftFormat,
        typer.Option("--format", "-f", help="text, json, md (Markdown) or html (one page)."),
    ] = DriftFormat.TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    template_dir: Annotated[
        Path | None, typer.Option("--template-dir", help="Your own copies of the templates.")
    ] = None,
    store: StoreOption = None,
) -> None:
    """How the school's policy departs from its model, clause by clause: added, removed,
    reworded and moved locally, and how much is kept as the model says."""
    from policydiff import services, writers

    result = _run(lambda: services.drift(_store(store), school, model))
    _notes(result.messages)
    if output is None and output_format is DriftFormat.HTML and sys.stdout.isatty():
        raise _fail("the drift is a web page: say where to write it with -o drift.html", 2)
    text = _run(lambda: writers.drift(result.value, output_format.value, template_dir))
    _write(text, output, "the drift")


@app.command()
def follow(
    policy: Annotated[str, typer.Argument(help="The school's policy (its short name).")],
    model: Annotated[
        str,
        typer.Argument(
            help="The model's revision it was made or last updated from: policy@version.",
            metavar="MODEL@VERSION",
        ),
    ],
    store: StoreOption = None,
) -> None:
    """Record which model policy (another policy in the store, e.g. the trust's) a policy
    follows, and the model's version it was made or last updated from."""
    from policydiff import services

    typer.echo(_run(lambda: services.follow(_store(store), policy, model)))


class AnnualFormat(StrEnum):
    MD = "md"
    HTML = "html"


@app.command()
def changelog(
    since: Annotated[
        str | None, typer.Option("--since", help="From this day, YYYY-MM-DD (default: a year ago).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="To this day, YYYY-MM-DD (default: today).")
    ] = None,
    output_format: Annotated[AnnualFormat, typer.Option("--format", "-f")] = AnnualFormat.MD,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    template_dir: Annotated[Path | None, typer.Option("--template-dir")] = None,
    store: StoreOption = None,
) -> None:
    """The clerk's annual update: what changed, what was approved, which reviews are due."""
    from policydiff import services, writers

    start, end = _date(since, "--since"), _date(until, "--until")
    log = _run(lambda: services.changelog(_store(store), start, end))
    text = _run(lambda: writers.changelog(log, output_format.value, template_dir))
    _write(text, output, "the annual update")


@app.command()
def status(
    output_format: Annotated[LogFormat, typer.Option("--format", "-f")] = LogFormat.TEXT,
    today: Annotated[
        str | None, typer.Option("--today", help="Judge as of this day, YYYY-MM-DD.")
    ] = None,
    store: StoreOption = None,
) -> None:
    """One screen for the clerk: each policy's version in force, draft, next review and check.

    Overdue reviews are shown in red, reviews due this term in amber.
    """
    from policydiff import services, writers

    day = _date(today, "--today") or date.today()
    policies = _run(lambda: services.status(_store(store), day))
    _emit(writers.status(policies, day.isoformat(), output_format.value), None)


@app.command()
def publish(
    out: Annotated[Path, typer.Option("--out", help="The folder to write the website pages into.")],
    template_dir: Annotated[Path | None, typer.Option("--template-dir")] = None,
    store: StoreOption = None,
) -> None:
    """Write the current approved policies as a static website (no server needed)."""
    from policydiff import services

    _output_folder(out, folder=True)
    pages, unpublished = _run(lambda: services.publish(_store(store), out, template_dir))
    typer.echo(f"Wrote {counted(len(pages), 'page')} to {out} (open {out / 'index.html'})")
    for title in unpublished:
        typer.echo(f"Not published: {title} has no approved revision yet")


@app.command()
def verify(
    against: Annotated[
        str | None,
        typer.Option(
            "--against",
            help="A copy of the store (a folder or git URL, such as where it is backed up) "
            "whose history and approvals must all be in this one.",
        ),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Check that nothing in the store was changed, dropped or forged.

    Every stored Word file must be as it was added, and the history and approvals as policydiff
    recorded them.
    """
    from policydiff import services

    checked, problems = _run(lambda: services.verify(_store(store), against))
    for problem in problems:
        sys.stderr.write(f"problem: {problem}\n")
    if problems:
        raise _fail(
            f"{counted(len(problems), 'problem')} found in {counted(checked, 'revision')}", 1
        )
    typer.echo(
        f"All {counted(checked, 'revision')} check out: each Word file is as it was added and "
        "reads as it did; the history and approvals are as policydiff recorded them"
        + (f", and hold everything in the copy at {against}." if against else ".")
    )


def _open_output(path: Path) -> TextIO:
    _output_folder(path)
    try:
        return path.open("w", encoding="utf-8")
    except OSError as error:
        raise _fail(f"cannot write {path}: {error.strerror}", 2) from None


def _output_folder(path: Path, folder: bool = False) -> None:
    """Exit 2, saying so, when the folder `path` is to be written in does not exist, or is
    inside a policy store (whose folder only policydiff writes). With `folder`, `path` is
    itself the folder written into."""
    from policydiff.store import FORMAT_FILE

    parent = path if folder else path.parent
    if not folder and not parent.is_dir():
        raise _fail(f"cannot write {path}: the folder {parent} does not exist", 2)
    for above in (parent.resolve(), *parent.resolve().parents):
        if (above / FORMAT_FILE).is_file() and (above / ".git").exists():
            raise _fail(
                f"cannot write {path}: it is inside the policy store at {above}, whose folder "
                "only policydiff writes; choose a folder outside it",
                2,
            )


def _emit(text: str | None, output: Path | None, what: str = "it") -> None:
    """Write what a writer returned (a terminal writer has printed already: None)."""
    if text is not None:
        _write(text, output, what)


def _write(text: str, output: Path | None, what: str = "it") -> None:
    """Write `text` to the screen, or to `output` and say so in a line naming `what` was
    written ("the comparison", "the report")."""
    if output is None:
        sys.stdout.write(text)
        return
    with _open_output(output) as handle:
        handle.write(text)
    _wrote(what, output)


def _wrote(what: str, output: Path) -> None:
    typer.echo(f"Wrote {what} to {output}")
