"""Open a .docx package safely: say plainly what a file is when it is not a Word document.

Every part is read with a bound on its inflated size, XML is parsed without entities, DTDs or
network, and Strict OOXML namespaces are mapped onto the transitional ones the reader knows.
"""

from __future__ import annotations

import hashlib
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from policydiff.errors import ReadError

MAX_PART_BYTES = 64 * 1024 * 1024  # no real policy's document.xml comes near this
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # everything the reader inflates from one file
MAX_DIGEST_BYTES = 64 * 1024 * 1024  # a picture hashed whole; a larger one by its CRC-32
MAX_OLE_SCAN_BYTES = 32 * 1024 * 1024
# Tags in one part: the bytes bound is not a memory bound (63 MiB of empty paragraphs is 11
# million elements, 1.4 GB in lxml). A 20,000-clause handbook has 200,000 tags; a document of
# 200,000 one-line paragraphs 1.2 million.
MAX_TAGS = 2_000_000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")

REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
# Strict OOXML uses other namespace names for the same vocabulary.
STRICT_TO_TRANSITIONAL = (
    (
        b"http://purl.oclc.org/ooxml/wordprocessingml/main",
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    ),
)

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)


@dataclass(frozen=True, slots=True)
class Relationship:
    type: str  # the last segment of the relationship type: "officeDocument", "styles", ...
    target: str  # the part name inside the package, or an external address
    external: bool
    id: str = ""  # its r:id, by which the part's XML names it


class Package:
    """A .docx opened for reading, with bounded reads of its parts."""

    def __init__(self, path: Path, archive: zipfile.ZipFile, settle: bool = False) -> None:
        self.path = path
        self._zip = archive
        # For the Word redline: each part's tree parsed once and kept, its own tracked changes
        # accepted (the trees the reader reads are the ones the redline marks and writes).
        self.settle = settle
        self.trees: dict[str, etree._Element] = {}
        self.settled = 0  # tracked changes accepted in those trees
        self.strict = False  # the package is Strict OOXML (read through transitional names)
        self._names = {info.filename: info for info in archive.infolist()}
        self._inflated = 0
        self._hashed = 0  # bytes of pictures hashed: past MAX_TOTAL_BYTES, named by CRC-32

    def close(self) -> None:
        self._zip.close()

    def has(self, name: str) -> bool:
        return name in self._names

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = self._names.get(name)
        if info is None:
            raise ReadError(str(self.path), f"is missing its part {name}: re-save it in Word")
        return info

    def _chunks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The part's bytes, unpacked a MiB at a time; a damaged part is a ReadError."""
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(1024 * 1024):
                    yield chunk
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error):
            raise ReadError(
                str(self.path), f"is damaged: {info.filename} cannot be unpacked; copy it again"
            ) from None
        except NotImplementedError:
            raise ReadError(
                str(self.path),
                f"uses a compression method policydiff cannot unpack ({info.filename})",
            ) from None

    def read(self, name: str) -> bytes:
        """The bytes of the part `name`, refused past MAX_PART_BYTES (or MAX_TOTAL_BYTES for
        the whole package) as a likely zip bomb. Raises ReadError."""
        info = self._info(name)
        if info.file_size > MAX_PART_BYTES:
            raise self._bomb()
        chunks: list[bytes] = []
        size = 0
        for chunk in self._chunks(info):
            size += len(chunk)
            self._inflated += len(chunk)
            if size > MAX_PART_BYTES or self._inflated > MAX_TOTAL_BYTES:
                raise self._bomb()
            chunks.append(chunk)
        return b"".join(chunks)

    def digest(self, name: str) -> str:
        """SHA-256 (hex) of the part `name` (a picture), read in pieces, never held whole.

        Pictures are not counted against the limit on inflated XML. One larger than
        MAX_DIGEST_BYTES unpacked (a zip bomb dressed as a picture), or any once
        MAX_TOTAL_BYTES of pictures were hashed, is named instead by the zip directory's
        CRC-32 and size, "crc32:<hex>:<bytes>", which change with its bytes just the same.
        Raises ReadError when the part is damaged.
        """
        info = self._info(name)
        by_crc = f"crc32:{info.CRC:08x}:{info.file_size}"
        if info.file_size > MAX_DIGEST_BYTES or self._hashed > MAX_TOTAL_BYTES:
            return by_crc
        digest = hashlib.sha256()
        size = 0
        for chunk in self._chunks(info):
            size += len(chunk)
            self._hashed += len(chunk)
            if size > MAX_DIGEST_BYTES:  # the directory understated it
                return by_crc
            digest.update(chunk)
        return digest.hexdigest()

    def xml(self, name: str) -> etree._Element:
        """The part `name` parsed (kept and settled when the package was opened to settle).
        Raises ReadError for a DTD, broken XML or XML past lxml's limits."""
        if self.settle:
            tree = self.trees.get(name)
            if tree is None:
                tree = self.trees[name] = self._parse(name)
                if not name.endswith(".rels"):
                    from policydiff.readers.revisions import accept_revisions

                    self.settled += accept_revisions(tree)
            return tree
        return self._parse(name)

    def _parse(self, name: str) -> etree._Element:
        data = self.read(name)
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise self._dtd()
        if data.count(b"<") > MAX_TAGS:  # (counts in any encoding: "<" is one byte or "<\0")
            raise ReadError(
                str(self.path),
                f"has more markup in {name} than any real policy (over {MAX_TAGS:,} tags): "
                "refusing it",
            )
        for strict, transitional in STRICT_TO_TRANSITIONAL:
            if strict in data:
                self.strict = True
                data = data.replace(strict, transitional)
        try:
            root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as error:
            reason = str(error.msg or "")
            if "depth" in reason.lower() or "resource limit" in reason.lower():
                # lxml's limits without huge_tree: 256 levels of nesting, 10 MB in one text.
                raise ReadError(
                    str(self.path),
                    f"has more in {name} than policydiff reads: its elements nest deeper than "
                    "256 levels (text boxes in text boxes?) or one piece of text is over 10 MB",
                ) from None
            raise ReadError(
                str(self.path),
                f"is damaged: {name} cannot be read (broken XML at line {error.lineno}); "
                "re-save it in Word",
            ) from None
        info = root.getroottree().docinfo  # (a DTD in UTF-16 passes the bytes check above)
        if info.internalDTD is not None or info.externalDTD is not None:
            raise self._dtd()
        return root

    def _dtd(self) -> ReadError:
        return ReadError(
            str(self.path),
            "contains a document type declaration, which Word never writes: refusing it as unsafe",
        )

    def relationships(self, part: str) -> list[Relationship]:
        """The relationships of `part` ("" for the package itself)."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(rels_name):
            return []
        rels: list[Relationship] = []
        for rel in self.xml(rels_name).iter(f"{{{REL_NS}}}Relationship"):
            rel_type = (rel.get("Type") or "").rsplit("/", 1)[-1]
            target = rel.get("Target") or ""
            external = rel.get("TargetMode") == "External"
            if not external:
                if target.startswith("/"):
                    target = target.lstrip("/")
                else:
                    target = posixpath.normpath(posixpath.join(folder, target))
            rels.append(Relationship(rel_type, target, external, rel.get("Id") or ""))
        return rels

    def _bomb(self) -> ReadError:
        return ReadError(
            str(self.path),
            f"expands to more than {MAX_PART_BYTES // (1024 * 1024)} MiB when unpacked: "
            "refusing it as a likely zip bomb",
        )


def open_package(path: Path, settle: bool = False) -> Package:
    """Open `path` as a Word package, or raise ReadError saying what the file really is.
    With `settle`, each part is parsed once, kept in `Package.trees`, and its tracked changes
    accepted."""
    name = str(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise ReadError(name, "does not exist") from None
    except IsADirectoryError:
        raise ReadError(name, "is a folder, not a Word document") from None
    except OSError as error:
        raise ReadError(name, f"cannot be opened ({error.strerror})") from None
    if not head:
        raise ReadError(name, "is empty (0 bytes): copy it again from where it came from")
    if head.startswith(OLE_MAGIC):
        with path.open("rb") as handle:
            body = handle.read(MAX_OLE_SCAN_BYTES)
        if ENCRYPTION_INFO in body:
            raise ReadError(
                name, "is password-protected: remove the password in Word and try again"
            )
        raise ReadError(name, "is a Word 97-2003 .doc file: open it in Word and save it as .docx")
    if head.startswith(b"%PDF"):
        raise ReadError(name, "is a PDF, not a Word document: policydiff needs the .docx")
    if head.startswith(b"{\\rtf"):
        raise ReadError(name, "is a Rich Text (.rtf) file: open it in Word and save it as .docx")
    if not head.startswith(b"PK"):
        raise ReadError(name, "is not a Word document (it is not a .docx package)")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise ReadError(
            name, "is damaged or incomplete (the .docx archive cannot be opened): copy it again"
        ) from None
    twice = _repeated(info.filename for info in archive.infolist())
    if twice is not None:
        archive.close()
        raise ReadError(
            name,
            f"holds two parts named {twice}, so what is read could differ from what Word "
            "shows: refusing it",
        )
    package = Package(path, archive, settle)
    if package.has("mimetype"):
        mimetype = package.read("mimetype")
        if b"opendocument" in mimetype:
            archive.close()
            raise ReadError(
                name, "is an OpenDocument (.odt) file: open it in Word and save it as .docx"
            )
    return package


def _repeated(names: Iterator[str]) -> str | None:
    """The first name given twice, if any."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            return name
        seen.add(name)
    return None


def main_document_part(package: Package) -> str:
    """The name of the main document part, from the package relationships."""
    for rel in package.relationships(""):
        if rel.type == "officeDocument" and not rel.external and package.has(rel.target):
            return rel.target
    if package.has("word/document.xml"):
        return "word/document.xml"
    raise ReadError(
        str(package.path), "is a zip archive but holds no Word document: re-save it in Word"
    )
