"""The clerk's year (#19): adding drafts without duplicates or disorder, one version number,
approvals that need a date and pass their check (or say they did not), and mistakes corrected
or withdrawn with a reason, on a real store through the real command."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.test_store import git, run

ALL = ["2016.docx", "2019.docx", "2024.docx", "2025-draft.docx"]


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    assert run(path, "init")[0] == 0
    return path


def versions(store: Path, *args: str) -> list[str]:
    code, out, err = run(store, "log", *args, "--format", "json")
    assert code == 0, err
    return [r["version"] for r in json.loads(out)["revisions"]]


def add(store: Path, *args: str) -> tuple[int, str, str]:
    return run(store, "add", *args, "--policy", "social-media")


def test_a_revision_is_named_by_the_version_it_states(store: Path) -> None:
    assert add(store, *(str(SAMPLES / n) for n in ALL))[0] == 0
    assert versions(store) == ["4.1", "4.0", "2", "1"]  # 2016 and 2019 state none
    assert run(store, "show", "social-media@4.0")[0] == 0


def test_the_same_file_again_is_not_added_whatever_revision_it_is(store: Path) -> None:
    assert add(store, *(str(SAMPLES / n) for n in ALL))[0] == 0
    head = git(store, "rev-parse", "HEAD")
    code, out, _ = add(store, str(SAMPLES / "2016.docx"), str(SAMPLES / "2024.docx"))
    assert code == 0
    assert "2016.docx is already social-media version 1: nothing added" in out
    assert "2024.docx is already social-media version 4.0: nothing added" in out
    assert git(store, "rev-parse", "HEAD") == head


def test_an_older_file_is_refused_unless_it_is_history_then_placed_in_date_order(
    store: Path,
) -> None:
    assert add(store, str(SAMPLES / "2024.docx"))[0] == 0
    code, _, err = add(store, str(SAMPLES / "2019.docx"))
    assert code == 2
    assert "before its latest revision" in err
    assert "--older" in err
    assert versions(store) == ["4.0"]
    assert add(store, str(SAMPLES / "2019.docx"), "--older")[0] == 0
    # in date order (4.0 is still the latest), named by its date rather than a number that
    # would come after 4.0's
    assert versions(store) == ["4.0", "2019-03-11"]
    assert run(store, "show", "social-media@latest", "--format", "json")[1].count("4.0") >= 1


def test_a_folder_is_added_in_the_order_of_its_dates_with_a_dry_run_first(
    store: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "My Policies" / "Social Media"  # (a path with spaces)
    folder.mkdir(parents=True)
    for name in ALL:  # copied under names that sort in the wrong order
        shutil.copy(SAMPLES / name, folder / f"z {9 - ALL.index(name)} {name}")
    (folder / "~$z 9 2016.docx").write_bytes(b"Word's owner file")
    code, out, _ = add(store, str(folder), "--dry-run")
    assert code == 0
    assert out.splitlines()[0].startswith("Would add social-media version 1 from z 9 2016.docx")
    assert "nothing was added" in out
    assert versions(store) == []
    assert add(store, str(folder))[0] == 0
    assert versions(store) == ["4.1", "4.0", "2", "1"]


def test_an_approval_needs_its_date_and_never_one_in_the_future(store: Path) -> None:
    assert add(store, str(SAMPLES / "2024.docx"))[0] == 0
    code, _, err = run(store, "approve", "social-media@4.0", "--by", "FGB")
    assert code == 2
    assert "--date" in err
    assert "--today" in err
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    code, _, err = run(store, "approve", "social-media@4.0", "--by", "FGB", "--date", tomorrow)
    assert code == 2
    assert "in the future" in err
    code, _, err = run(
        store, "approve", "social-media@4.0", "--by", "FGB", "--today", "--despite-check"
    )  # fmt: skip  (its review date has passed by now)
    assert code == 0, err


def test_approving_a_revision_that_fails_its_check_needs_despite_check_and_records_it(
    store: Path,
) -> None:
    assert add(store, str(SAMPLES / "2025-draft.docx"))[0] == 0
    code, _, err = run(store, "approve", "social-media@4.1", "--by", "FGB", "--date", "2025-06-01")
    assert code == 2
    assert "fails its check" in err
    assert "--despite-check" in err
    code, out, _ = run(store, "approve", "social-media@4.1", "--by", "FGB", "--date",
                       "2025-06-01", "--despite-check")  # fmt: skip
    assert code == 0
    assert "despite its check" in out
    _, log, _ = run(store, "log", "--format", "json")
    approved = json.loads(log)["revisions"][0]["approved"]
    assert approved["despite_check"].startswith("4 check errors")
    assert run(store, "verify")[0] == 0  # the tag carries it too


def test_a_wrong_approval_is_corrected_with_a_reason_and_both_stay_recorded(
    store: Path,
) -> None:
    assert add(store, str(SAMPLES / "2024.docx"))[0] == 0
    assert run(store, "approve", "social-media@4.0", "--by", "FGB", "--date", "2024-03-21")[0] == 0
    code, _, err = run(store, "approve", "social-media@4.0", "--by", "FGB", "--date", "2024-03-12")
    assert code == 2
    assert "--correct" in err
    code, _, err = run(store, "approve", "social-media@4.0", "--by", "FGB", "--date",
                       "2024-03-12", "--correct")  # fmt: skip
    assert code == 2
    assert "--reason" in err
    code, out, _ = run(store, "approve", "social-media@4.0", "--by", "Full Governing Body",
                       "--date", "2024-03-12", "--minute", "FGB 24/17", "--correct",
                       "--reason", "the date was mistyped")  # fmt: skip
    assert code == 0
    assert out.startswith("Corrected:")
    approved = json.loads(run(store, "log", "--format", "json")[1])["revisions"][0]["approved"]
    assert (approved["date"], approved["corrected"]) == ("2024-03-12", "the date was mistyped")
    record = json.loads((store / "social-media" / "record.json").read_text())
    assert [r["approved_on"] for r in record] == ["2024-03-21", "2024-03-12"]  # nothing erased
    assert run(store, "show", "social-media@2024-03-15")[0] == 0  # in force from the 12th
    assert run(store, "verify")[0] == 0  # the tag was moved to match


def test_a_revision_added_by_mistake_is_withdrawn_with_its_approval_and_kept(
    store: Path,
) -> None:
    assert add(store, *(str(SAMPLES / n) for n in ALL[:3]))[0] == 0
    assert run(store, "approve", "social-media@4.0", "--by", "FGB", "--date", "2024-03-12")[0] == 0
    code, _, err = run(store, "withdraw", "social-media@4.0")
    assert code == 2  # (a reason is required)
    code, out, _ = run(store, "withdraw", "social-media@4.0", "--reason", "the wrong school's file")
    assert code == 0, out
    assert versions(store) == ["2", "1"]
    _, out, _ = run(store, "log", "--format", "json", "--withdrawn")
    withdrawn = [r for r in json.loads(out)["revisions"] if r["withdrawn"]]
    assert [(r["version"], r["withdrawn"]) for r in withdrawn] == [
        ("4.0", "the wrong school's file")
    ]
    assert run(store, "show", "social-media@approved")[0] == 2  # its approval went with it
    assert git(store, "tag", "--list") == ""
    assert run(store, "verify")[0] == 0
    # the same file can be added again (a withdrawn revision is not "already stored")
    assert add(store, str(SAMPLES / "2024.docx"))[0] == 0
    assert versions(store)[0] == "4.0"  # (a withdrawn label may be used again)


def test_only_an_approval_can_be_withdrawn(store: Path) -> None:
    assert add(store, str(SAMPLES / "2024.docx"))[0] == 0
    assert run(store, "approve", "social-media@4.0", "--by", "FGB", "--date", "2024-03-12")[0] == 0
    code, _, _ = run(store, "withdraw", "social-media@4.0", "--approval", "--reason",
                     "approved at a meeting that was not quorate")  # fmt: skip
    assert code == 0
    _, out, _ = run(store, "log", "--format", "json")
    revision = json.loads(out)["revisions"][0]
    assert (revision["version"], revision["approved"]) == ("4.0", None)
    assert run(store, "verify")[0] == 0
    again = run(store, "approve", "social-media@4.0", "--by", "FGB", "--date", "2024-04-02")
    assert again[0] == 0, again[2]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["log", "social-medai"], "did you mean 'social-media'?"),
        (["show", "social-medai@latest"], "did you mean 'social-media'?"),
        (["show", "social-media@4.2"], "did you mean '4.1'?"),
        (["log", "uniform"], "it holds 1: social-media"),
    ],
)
def test_a_name_mistyped_says_what_it_may_have_meant(
    store: Path, args: list[str], words: str
) -> None:
    assert add(store, *(str(SAMPLES / n) for n in ALL))[0] == 0
    code, _, err = run(store, *args)
    assert code == 2
    assert words in err
    assert len(err.strip().splitlines()) == 1


def test_the_clerks_note_is_kept_and_shown_in_the_log(store: Path) -> None:
    code, _, _ = add(
        store, str(SAMPLES / "2024.docx"), "-m", "Updated for AI tools and the\nnew code of conduct"
    )
    assert code == 0
    _, out, _ = run(store, "log", "--format", "json")
    assert json.loads(out)["revisions"][0]["note"] == (
        "Updated for AI tools and the new code of conduct"
    )


def test_the_clerks_reason_leads_the_governors_report_and_the_annual_update(
    store: Path, tmp_path: Path
) -> None:
    assert add(store, *(str(SAMPLES / n) for n in ALL[:3]))[0] == 0
    reason = "Annual review: AI tools, and the new staff code of conduct"
    assert add(store, str(SAMPLES / "2025-draft.docx"), "-m", reason)[0] == 0
    code, md, _ = run(store, "report", "social-media", "--format", "md")
    assert code == 0
    assert md.index("## Why it changed") < md.index("## Summary")
    assert reason in md
    html = tmp_path / "r.html"
    assert run(store, "report", "social-media", "-o", str(html))[0] == 0
    assert reason in html.read_text()
    _, log, _ = run(store, "changelog", "--since", "2025-01-01", "--until", "2025-08-31")
    assert f"a draft, not yet approved: _{reason}_" in log


def test_status_shows_each_policy_in_force_waiting_due_and_checked(store: Path) -> None:
    assert add(store, *(str(SAMPLES / n) for n in ALL))[0] == 0
    assert (
        run(store, "add", str(SAMPLES / "2019.docx"), "-p", "online-safety", "--new-policy")[0] == 0
    )
    assert run(store, "approve", "social-media@4.0", "--by", "FGB", "--date", "2024-03-12")[0] == 0
    by_day = {}
    for day in ("2024-06-01", "2025-03-01", "2025-06-01"):
        code, out, err = run(store, "status", "--today", day, "--format", "json")
        assert code == 0, err
        by_day[day] = {p["policy"]: p for p in json.loads(out)["policies"]}
    social = by_day["2025-03-01"]["social-media"]
    assert social["in_force"]["version"] == "4.0"
    assert social["draft"]["version"] == "4.1"
    assert social["next_review"] == "March 2025"  # (as the version in force states it)
    assert [by_day[d]["social-media"]["review"] for d in by_day] == [
        "ok",
        "due this term",
        "overdue",
    ]
    assert social["check_passed"] is False  # the draft lacks two required sections
    other = by_day["2025-03-01"]["online-safety"]
    assert (other["in_force"], other["draft"]["version"], other["review"]) == (
        None,
        "1",
        "no review date",
    )
    # as of a past day: only what had been added or taken effect by then, approvals made by then
    for day, in_force, draft in (("2024-03-01", None, "2"), ("2024-03-20", "4.0", None)):
        code, out, err = run(store, "status", "--today", day, "--format", "json")
        then = {p["policy"]: p for p in json.loads(out)["policies"]}["social-media"]
        assert (then["in_force"] or {}).get("version") == in_force, day
        assert (then["draft"] or {}).get("version") == draft, day
    code, text, _ = run(store, "status", "--today", "2025-06-01")
    assert code == 0
    assert "OVERDUE (due by 31 March 2025)" in text
    assert "2 policies: 1 overdue for review" in text


def test_the_school_term_a_day_falls_in() -> None:
    from policydiff.status import term_end

    assert term_end(date(2025, 10, 1)) == date(2025, 12, 31)
    assert term_end(date(2025, 2, 10)) == date(2025, 4, 17)  # Easter 2025: 20 April
    assert term_end(date(2025, 5, 1)) == date(2025, 7, 31)
    assert term_end(date(2025, 8, 10)) == date(2025, 12, 31)  # (the holiday: autumn ahead)


def test_a_file_of_another_policy_is_refused_unless_the_policy_was_renamed(
    store: Path, tmp_path: Path
) -> None:
    from tests.builders import heading_styles, p, write_docx

    assert add(store, str(SAMPLES / "2024.docx"))[0] == 0
    body = p("Equality and Diversity Policy", style="Title") + p("Everyone is treated fairly.")
    other = write_docx(tmp_path / "equality.docx", body, styles=heading_styles())
    code, _, err = add(store, str(other), "--date", "2025-01-01")
    assert code == 2
    assert "is titled 'Equality and Diversity Policy', but social-media is" in err
    assert add(store, str(other), "--date", "2025-01-01", "--renamed")[0] == 0


def test_approval_dates_that_cannot_be_right_are_refused(store: Path) -> None:
    assert add(store, str(SAMPLES / "2024.docx"))[0] == 0
    for args, words in (
        (["--date", "1999-01-01"], "more than a year before"),
        (["--date", "2024-02-30"], "is not a day of the calendar"),
        (["--date", "2024-03-12", "--today"], "not both"),
    ):
        code, _, err = run(store, "approve", "social-media@4.0", "--by", "FGB", *args)
        assert code == 2
        assert words in err


def test_rules_are_listed_in_words_not_blanks() -> None:
    from typer.testing import CliRunner

    from policydiff.cli import app

    out = CliRunner().invoke(app, ["rules"]).stdout
    assert "{" not in out
    assert "replaced on 25 May 2018 by the Data Protection Act 2018" in out


def test_a_batch_with_another_policys_file_adds_nothing_and_names_the_file(
    store: Path, tmp_path: Path
) -> None:
    """Files of two different policies in one `add` (both called old.docx, say): refused before
    anything is written, the message naming the file as given."""
    from docx import Document as Word

    files = []
    for folder, title in (
        ("a", "Equality and Diversity Policy"),
        ("b", "Health and Safety Policy"),
    ):
        word = Word()
        word.add_heading(title, 0)
        word.add_paragraph("Text of the policy.")
        (tmp_path / folder).mkdir()
        word.save(str(tmp_path / folder / "old.docx"))
        files.append(str(tmp_path / folder / "old.docx"))
    code, _, err = add(store, *files)
    assert code == 2
    assert f"{files[1]}: this file is titled 'Health and Safety Policy'" in err
    assert "nothing was added" in err
    assert run(store, "log", "--format", "json")[1].count('"version"') == 0


def test_an_interrupted_batch_says_what_it_added_and_the_store_agrees(store: Path) -> None:
    """Ctrl-C part way through adding several files: each revision was announced as it was
    added, the interruption says how many, and the store holds exactly those."""
    import os
    import signal
    import subprocess

    from tests.test_sync import POLICYDIFF

    proc = subprocess.Popen(
        [POLICYDIFF, "add", *(str(SAMPLES / n) for n in ALL), "-p", "social-media",
         "--store", str(store)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    first = proc.stdout.readline()  # (announced as soon as it is stored)
    assert first.startswith("Added social-media version 1 ")
    os.kill(proc.pid, signal.SIGINT)
    rest, err = proc.communicate(timeout=60)
    announced = [line for line in [first, *rest.splitlines()] if line.startswith("Added")]
    if proc.returncode == 0:  # (it finished before the signal landed)
        assert len(announced) == len(ALL)
    else:
        assert proc.returncode == 130
        assert f"interrupted ({len(announced)} revision" in err
        assert "one more may have been stored" in err
        assert len(err.strip().splitlines()) == 1
    # (what was announced is stored; at most the one being written as it stopped besides)
    assert len(announced) <= len(versions(store)) <= len(announced) + 1
    assert run(store, "verify")[0] == 0


def test_log_withdrawn_shows_every_approval_correction_and_withdrawal(store: Path) -> None:
    assert add(store, str(SAMPLES / "2016.docx"), str(SAMPLES / "2019.docx"))[0] == 0
    steps = [
        ["approve", "social-media@2", "--by", "FGB", "--date", "2019-03-20", "--despite-check"],
        ["approve", "social-media@2", "--by", "FGB", "--date", "2019-03-12", "--correct",
         "--reason", "typed the wrong meeting date", "--despite-check"],
        ["withdraw", "social-media@2", "--approval", "--reason", "the meeting was not quorate"],
    ]  # fmt: skip
    for step in steps:
        code, _, err = run(store, *step)
        assert code == 0, err
    code, out, _ = run(store, "log", "--withdrawn")
    lines = [line.strip() for line in out.splitlines()]
    trail = lines[lines.index("Its record, oldest first (nothing is erased):") + 1 :]
    assert trail[0].startswith("version 2: approved by FGB on 20 March 2019")
    assert "approval corrected to: approved by FGB on 12 March 2019" in trail[1]
    assert "because typed the wrong meeting date" in trail[1]
    assert "approval withdrawn, because the meeting was not quorate" in trail[2]
    records = json.loads(run(store, "log", "--withdrawn", "--format", "json")[1])["records"]
    kinds = [(r["kind"], r["corrects"]) for r in records["social-media"]]
    assert kinds == [("approval", False), ("approval", True), ("approval withdrawn", False)]
    assert "records" not in json.loads(run(store, "log", "--format", "json")[1])


def test_a_draft_still_stating_a_taken_version_is_named_apart_and_says_why(
    store: Path, tmp_path: Path
) -> None:
    from docx import Document as Word

    draft = tmp_path / "draft.docx"
    word = Word(str(SAMPLES / "2024.docx"))  # (states Version 4.0)
    word.add_paragraph("A sentence added for next year.")
    word.save(str(draft))
    assert add(store, str(SAMPLES / "2024.docx"))[0] == 0
    code, out, _ = add(store, str(draft), "--date", "2025-11-01")
    assert code == 0
    assert "Added social-media version 4.0-2 from draft.docx" in out
    assert "because the file still states version 4.0, which social-media already has" in out
    assert "(from 2024.docx)" in out


def test_a_withdrawn_revisions_label_can_be_used_again(store: Path) -> None:
    assert add(store, str(SAMPLES / "2024.docx"))[0] == 0
    assert run(store, "withdraw", "social-media@4.0", "--reason", "wrong policy")[0] == 0
    code, out, _ = add(store, str(SAMPLES / "2024.docx"))
    assert code == 0
    assert "Added social-media version 4.0 from 2024.docx" in out
    approved = run(store, "approve", "social-media@4.0", "--by", "FGB", "--date", "2024-03-20",
                   "--despite-check")  # fmt: skip
    assert approved[0] == 0, approved[2]
    assert versions(store) == ["4.0"]
    assert versions(store, "--withdrawn") == ["4.0", "4.0"]
    assert run(store, "verify")[0] == 0


@pytest.mark.parametrize(
    ("slug", "said"),
    [
        ("social-meda", "did you mean 'social-media'?"),  # a typo of a name held
        ("staff-online-conduct", "the store has 'Social Media Policy' as social-media"),
    ],
)
def test_a_new_name_like_a_policy_held_is_refused_until_said_to_be_new(
    store: Path, slug: str, said: str
) -> None:
    assert add(store, str(SAMPLES / "2019.docx"))[0] == 0
    code, _, err = run(store, "add", str(SAMPLES / "2024.docx"), "-p", slug)
    assert code == 2
    assert said in err
    assert "--new-policy" in err
    assert run(store, "add", str(SAMPLES / "2024.docx"), "-p", slug, "--new-policy")[0] == 0


def test_in_the_summer_holiday_a_review_due_by_christmas_is_due_next_term() -> None:
    from policydiff.status import PolicyStatus, describe_due

    status = PolicyStatus("p", "P", None, None, "December 2025", date(2025, 12, 31),
                          "due this term", ())  # fmt: skip
    assert describe_due(status, date(2025, 8, 15)) == "due next term (by 31 December 2025)"
    assert describe_due(status, date(2025, 10, 1)) == "due this term (by 31 December 2025)"


def test_one_answer_to_which_version_is_in_force(store: Path, tmp_path: Path) -> None:
    """Approving an older revision after a newer one does not put it back in force: status,
    show POLICY@DATE and the published pages agree."""
    assert add(store, str(SAMPLES / "2016.docx"), str(SAMPLES / "2019.docx"))[0] == 0
    for version, day in (("2", "2019-03-20"), ("1", "2020-01-01")):
        approved = run(store, "approve", f"social-media@{version}", "--by", "FGB", "--date", day,
                       "--despite-check")  # fmt: skip
        assert approved[0] == 0, approved[2]
    code, out, _ = run(store, "status", "--today", "2020-06-01", "--format", "json")
    (policy,) = json.loads(out)["policies"]
    assert policy["in_force"]["version"] == "2"
    code, out, _ = run(store, "show", "social-media@2020-06-01", "--format", "json")
    assert json.loads(out)["revision"]["version"] == "2"
    site = tmp_path / "site"
    assert run(store, "publish", "--out", str(site))[0] == 0
    assert "Version 2," in (site / "social-media.html").read_text()
