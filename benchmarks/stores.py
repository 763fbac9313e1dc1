"""Large policy stores for the benchmark, written with `git fast-import` in the exact layout
policydiff writes (revision commits with their trailers, record commits appending to
record.json, annotated approval tags), so that building one of 19,200 revisions takes seconds,
not the half hour that as many `policydiff add` would. Seeded and cached.

A trust's store (issue #19): `schools` x `policies` x `revisions`, each policy's revisions a
year apart from September 2019, every one approved ten days after it takes effect except the
latest, which is a draft; one policy in ten states a next review already past.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import zipfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from benchmarks.generate import make_policy, mutate, write_docx
from policydiff import canonical
from policydiff.readers.docx import read_docx

IDENTITY = "policydiff <policydiff@localhost>"
NAMES = [
    "Safeguarding", "Child Protection", "Data Protection", "Online Safety", "Social Media",
    "Behaviour", "Anti-Bullying", "Attendance", "Admissions", "Uniform", "Charging and Remissions",
    "Complaints", "Whistleblowing", "Health and Safety", "First Aid", "Supporting Pupils with "
    "Medical Conditions", "SEND", "Accessibility", "Equality", "Relationships and Sex Education",
    "Staff Code of Conduct", "Staff Discipline", "Capability", "Grievance", "Pay", "Appraisal",
    "Sickness Absence", "Freedom of Information", "Records Retention", "CCTV", "Acceptable Use",
    "Remote Learning", "Lettings", "Visitors", "Educational Visits", "Exclusions", "Early Years",
    "Careers", "Curriculum", "Governors' Allowances",
]  # fmt: skip


def _variants(revisions: int, folder: Path, review: str | None) -> list[tuple[bytes, str]]:
    """`revisions` successive revisions of a 60-clause policy, stating `review` as their next
    review if given: (Word bytes, canonical model with the title and the source left as
    placeholders, filled in for each policy: the models carry each policy's own title, so
    `verify`, re-reading the shared Word files, would call them changed; the benchmark does
    not run it)."""
    parts = make_policy(60, seed=20261201)
    out = []
    for r in range(revisions):
        path = write_docx(parts, folder / f"variant-{r}.docx")
        if review is not None:
            path.write_bytes(_with_review(path.read_bytes(), review))
        document = read_docx(path).value
        named = replace(document, metadata=replace(document.metadata, title="\x00TITLE\x00"))
        text = canonical.dumps(replace(named, source="\x00SOURCE\x00"))
        out.append((path.read_bytes(), text))
        parts, _ = mutate(parts, seed=r)
    return out


def _with_review(data: bytes, stated: str) -> bytes:
    """The Word file with a last paragraph stating its next review."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                line = f"<w:p><w:r><w:t>Next review: {stated}</w:t></w:r></w:p>"
                content = content.replace(b"</w:body>", line.encode() + b"</w:body>")
            out.writestr(item, content)
    return buffer.getvalue()


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


def make_store(folder: Path, schools: int, policies: int, revisions: int) -> Path:
    """A store of `schools` x `policies` policies of `revisions` revisions each (cached)."""
    path = folder / f"trust-{schools}x{policies}x{revisions}"
    if (path / ".git").exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    plain = _variants(revisions, folder, None)
    stale = _variants(revisions, folder, "March 2020")
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    for key, value in (("user.name", "policydiff"), ("user.email", "policydiff@localhost"),
                       ("core.autocrlf", "false"), ("gc.auto", "0")):  # fmt: skip
        subprocess.run(["git", "-C", str(path), "config", key, value], check=True)
    read_marks, write_marks = os.pipe()
    importer = subprocess.Popen(
        ["git", "-C", str(path), "fast-import", "--quiet", f"--cat-blob-fd={write_marks}"],
        stdin=subprocess.PIPE, pass_fds=(write_marks,),
    )  # fmt: skip
    os.close(write_marks)
    answers = os.fdopen(read_marks, "rb")
    assert importer.stdin is not None
    stream = importer.stdin
    mark = 0
    when = 1_700_000_000

    def data(payload: bytes) -> None:
        stream.write(b"data %d\n" % len(payload) + payload + b"\n")

    def commit(message: str, files: dict[str, bytes | int], parent: int | None) -> int:
        nonlocal mark, when
        mark += 1
        when += 60
        stream.write(f"commit refs/heads/main\nmark :{mark}\n".encode())
        stream.write(
            f"author {IDENTITY} {when} +0000\ncommitter {IDENTITY} {when} +0000\n".encode()
        )
        data(message.encode())
        if parent is not None:
            stream.write(f"from :{parent}\n".encode())
        for name, content in files.items():
            if isinstance(content, int):
                stream.write(f"M 100644 :{content} {name}\n".encode())
            else:
                stream.write(f"M 100644 inline {name}\n".encode())
                data(content)
        stream.write(b"\n")
        return mark

    def blob(payload: bytes) -> int:
        nonlocal mark
        mark += 1
        stream.write(f"blob\nmark :{mark}\n".encode())
        data(payload)
        return mark

    def sha(of: int) -> str:
        stream.write(f"get-mark :{of}\n".encode())
        stream.flush()
        return answers.readline().decode().strip()

    marker = json.dumps({"format": 2, "created_by": "policydiff"}, indent=1) + "\n"
    head = commit("Create the policy store\n", {"policydiff-store.json": marker.encode()}, None)
    sources = {(r, False): blob(plain[r][0]) for r in range(revisions)}
    sources |= {(r, True): blob(stale[r][0]) for r in range(revisions)}
    records: dict[str, list[dict[str, str]]] = {}
    slugs = [
        (f"s{s:02d}-{_slug(NAMES[p % len(NAMES)])}-{p}", NAMES[p % len(NAMES)] + " Policy",
         p % 10 == 0)
        for s in range(schools) for p in range(policies)
    ]  # fmt: skip
    models: dict[tuple[str, int, bool], int] = {}
    for r in range(revisions):
        effective = date(2019 + r, 9, 1)
        for slug, title, overdue in slugs:
            model_key = (title, r, overdue)
            variant = (stale if overdue else plain)[r]
            if model_key not in models:
                models[model_key] = blob(
                    variant[1].replace("\x00TITLE\x00", title)
                    .replace("\x00SOURCE\x00", f"{r + 1}.docx").encode()
                )  # fmt: skip
            raw = variant[0]
            digest = hashlib.sha256(raw).hexdigest()
            stamp = f"{effective.isoformat()}T09:00:00+00:00"
            trailers = {"Policy": slug, "Version": str(r + 1), "Title": title,
                        "Effective-Date": effective.isoformat(), "Source": f"{r + 1}.docx",
                        "Source-SHA256": digest, "Ingested": stamp}  # fmt: skip
            meta = {"policy": slug, "title": title, "version": str(r + 1),
                    "effective": effective.isoformat(), "source": f"{r + 1}.docx",
                    "sha256": digest, "ingested": stamp, "warnings": [], "stated": {}}  # fmt: skip
            head = commit(
                f"Add {title} version {r + 1}\n\n"
                + "".join(f"{k}: {v}\n" for k, v in trailers.items()),
                {f"{slug}/policy.txt": models[model_key],
                 f"{slug}/meta.json": (json.dumps(meta, indent=1) + "\n").encode(),
                 f"{slug}/source.docx": sources[r, overdue]},
                head,
            )  # fmt: skip
            if r == revisions - 1:
                continue  # the latest: a draft
            revision = sha(head)
            approved = (effective + timedelta(days=10)).isoformat()
            fields = {"Policy": slug, "Revision": str(r + 1), "Revision-Commit": revision,
                      "Record": "approval", "Approved-By": "Full Governing Body",
                      "Approved-On": approved, "Recorded": stamp}  # fmt: skip
            records.setdefault(slug, []).append(
                {k.lower().replace("-", "_"): v for k, v in fields.items()}
            )
            head = commit(
                f"Approve {slug} version {r + 1}\n\n"
                + "".join(f"{k}: {v}\n" for k, v in fields.items()),
                {f"{slug}/record.json": (json.dumps(records[slug], indent=1) + "\n").encode()},
                head,
            )
            stream.write(f"tag {slug}/v{r + 1}\nfrom {revision}\n".encode())
            stream.write(f"tagger {IDENTITY} {when} +0000\n".encode())
            data(
                f"Approve {slug} version {r + 1}\n\nApproved-By: Full Governing Body\n"
                f"Approved-On: {approved}\n".encode()
            )
    stream.close()
    assert importer.wait() == 0
    answers.close()
    subprocess.run(["git", "-C", str(path), "reset", "-q", "--hard", "main"], check=True)
    return path
