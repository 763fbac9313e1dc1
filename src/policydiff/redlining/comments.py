"""Word comments written into a document's package (ECMA-376 Part 1, 17.13.4): the comments
part made when the document has none, each comment anchored on a range of paragraphs."""

from __future__ import annotations

from lxml import etree

from policydiff.readers.package import Package
from policydiff.readers.wordml import W_NS, w
from policydiff.redlining.marks import PPR, XML_SPACE, Marker, P
from policydiff.redlining.parts import OutputPackage

COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"


def _safe(text: str) -> str:
    """`text` without the control characters XML cannot hold."""
    return "".join(c for c in text if c in "\t\n\r" or c >= " ")


def add_comment(
    package: Package,
    main: str,
    output: OutputPackage,
    marker: Marker,
    first: etree._Element,
    last: etree._Element,
    sentences: list[str],
    initials: str = "PD",
) -> None:
    """Add a comment by `marker`'s author, one paragraph per sentence, on the paragraphs from
    `first` to `last` (w:p elements of the main part `main`, `last` not before `first`).
    Neither Accept All nor Reject All touches it."""
    comment_id = marker.new_id()
    rels = {r.type: r.target for r in package.relationships(main)}
    target = rels.get("comments")
    if target is not None and (package.has(target) or target in package.trees):
        comments = output.tree(target) if package.has(target) else package.trees[target]
    else:
        target = "word/comments.xml"
        comments = etree.Element(w("comments"), nsmap={"w": W_NS})
        package.trees[target] = comments
        output.changed.add(target)
        output.declare(target, COMMENTS_TYPE)
        output.relate(main, "comments", target)
    comment = etree.SubElement(comments, w("comment"))
    comment.set(w("id"), comment_id)
    comment.set(w("author"), marker.author)
    comment.set(w("date"), marker.date)
    comment.set(w("initials"), initials)
    for sentence in sentences:
        paragraph = etree.SubElement(comment, P)
        run = etree.SubElement(paragraph, w("r"))
        text = etree.SubElement(run, w("t"))
        text.text = _safe(sentence)
        text.set(XML_SPACE, "preserve")
    start = etree.Element(w("commentRangeStart"))
    start.set(w("id"), comment_id)
    end = etree.Element(w("commentRangeEnd"))
    end.set(w("id"), comment_id)
    reference = etree.Element(w("r"))
    etree.SubElement(reference, w("commentReference")).set(w("id"), comment_id)
    properties = first.find(PPR)
    first.insert(0 if properties is None else first.index(properties) + 1, start)
    last.append(end)
    last.append(reference)
