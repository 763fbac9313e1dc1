"""The redline's package: the new document's package copied part for part, with the parts the
redline marked written from their trees, and the parts it adds (pictures brought back from the
old document, the comment holding the governors' summary) with their relationships and
content types (ECMA-376 Part 2, Open Packaging Conventions)."""

from __future__ import annotations

import os
import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from policydiff.errors import PolicydiffError
from policydiff.readers.package import REL_NS, STRICT_TO_TRANSITIONAL, Package

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CONTENT_TYPES = "[Content_Types].xml"
RELATIONSHIP_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_IMAGE_TYPES = {
    "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
    "bmp": "image/bmp", "tif": "image/tiff", "tiff": "image/tiff", "emf": "image/x-emf",
    "wmf": "image/x-wmf", "svg": "image/svg+xml",
}  # fmt: skip


def rels_name(part: str) -> str:
    """The relationships part of `part` ("word/document.xml" -> "word/_rels/document.xml.rels")."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


class OutputPackage:
    """The new document's package, to be written with some parts changed or added."""

    def __init__(self, source: Package) -> None:
        self.source = source
        self.changed: set[str] = set()  # parts whose tree (in source.trees) is written back
        self.added: dict[str, bytes] = {}
        self._types: etree._Element | None = None
        self._count = 0

    def tree(self, part: str) -> etree._Element:
        """The tree of `part`, to be changed (it is written back)."""
        self.changed.add(part)
        return self.source.xml(part)

    def _rels(self, part: str) -> etree._Element:
        name = rels_name(part)
        if self.source.has(name):
            return self.tree(name)
        if name not in self.source.trees:
            self.source.trees[name] = etree.Element(
                f"{{{REL_NS}}}Relationships",
                nsmap={None: REL_NS},  # type: ignore[dict-item]  # (lxml: None is the default)
            )
        self.changed.add(name)
        return self.source.trees[name]

    def relate(self, part: str, kind: str, target: str, external: bool = False) -> str:
        """Add a relationship of type `kind` ("image", "hyperlink", "comments") from `part`
        to `target` (a part name, or an address when `external`); return its r:id."""
        rels = self._rels(part)
        taken = {rel.get("Id") for rel in rels}
        number = len(taken) + 1
        while f"rIdPd{number}" in taken:
            number += 1
        rel_id = f"rIdPd{number}"
        element = etree.SubElement(rels, f"{{{REL_NS}}}Relationship")
        element.set("Id", rel_id)
        element.set("Type", RELATIONSHIP_TYPES + kind)
        if external:
            element.set("Target", target)
            element.set("TargetMode", "External")
        else:
            element.set("Target", posixpath.relpath(target, posixpath.dirname(part)))
        return rel_id

    def add_media(self, data: bytes, extension: str) -> str | None:
        """Add a picture's bytes as a new part; its name, or None for a kind of file a
        Word package does not hold as a picture."""
        extension = extension.lower()
        if extension not in _IMAGE_TYPES:
            return None
        self._count += 1
        name = f"word/media/policydiff-earlier-{self._count}.{extension}"
        while self.source.has(name) or name in self.added:
            self._count += 1
            name = f"word/media/policydiff-earlier-{self._count}.{extension}"
        self.added[name] = data
        self._default_type(extension, _IMAGE_TYPES[extension])
        return name

    def declare(self, name: str, content_type: str) -> None:
        """Give the part `name` (written from its tree) its content type."""
        types = self._content_types()
        override = etree.SubElement(types, f"{{{CT_NS}}}Override")
        override.set("PartName", "/" + name)
        override.set("ContentType", content_type)

    def _content_types(self) -> etree._Element:
        if self._types is None:
            self._types = self.tree(CONTENT_TYPES)
        return self._types

    def _default_type(self, extension: str, content_type: str) -> None:
        types = self._content_types()
        for default in types.iter(f"{{{CT_NS}}}Default"):
            if (default.get("Extension") or "").lower() == extension:
                return
        element = etree.Element(f"{{{CT_NS}}}Default")
        element.set("Extension", extension)
        element.set("ContentType", content_type)
        types.insert(0, element)

    def _xml(self, root: etree._Element) -> bytes:
        """A part's tree as XML, in Strict OOXML's names again for a Strict package (its
        trees were read through the transitional names)."""
        data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        if self.source.strict:
            for strict, transitional in STRICT_TO_TRANSITIONAL:
                data = data.replace(transitional, strict)
        return data

    def write(self, path: Path) -> None:
        """Write the package to `path`: each part of the new document in its order, changed
        ones from their trees, then the added ones. Raises PolicydiffError when the file
        cannot be written."""
        archive = self.source._zip
        # Written beside the target and put in its place whole: a redline is never left
        # half-written, and a file that was there is replaced only by a complete one.
        partial = path.with_name(f".{path.name}.policydiff-partial")
        try:
            # zlib's fastest level: a third of the time of its default, the XML a tenth larger
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
                for info in archive.infolist():
                    name = info.filename
                    if name in self.changed:
                        out.writestr(name, self._xml(self.source.trees[name]))
                    elif name not in self.added:
                        with archive.open(info) as src, out.open(name, "w") as dst:
                            while chunk := src.read(1024 * 1024):
                                dst.write(chunk)
                for name in sorted(self.changed - set(archive.namelist())):
                    out.writestr(name, self._xml(self.source.trees[name]))
                for name, data in self.added.items():
                    out.writestr(name, data)
            os.replace(partial, path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise PolicydiffError(f"cannot write {path}: {error.strerror}") from None
