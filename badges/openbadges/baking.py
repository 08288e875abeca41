"""Badge baking: an assertion (its URL, its JWS or its JSON) carried inside the badge image itself.

PNG: one uncompressed `iTXt` chunk with the keyword `openbadges`, just before `IEND`.
SVG: `xmlns:openbadges="http://openbadges.org"` on the root and an `<openbadges:assertion>` element as
its first child, with the URL or JWS in `verify`, and an assertion's JSON in a CDATA body.
(Open Badges Baking Specification 1.0.)
"""

import struct
import zlib
from dataclasses import dataclass
from typing import Any
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException
from defusedxml.minidom import parseString

from makeworks.lib import safe_json

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = b"openbadges"
OPENBADGES_NAMESPACE = "http://openbadges.org"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# A compressed chunk from elsewhere is inflated at most this far, so a tiny chunk cannot fill memory.
MAX_INFLATED_TEXT = 1024 * 1024


class BakingError(Exception):
    """An image that cannot be baked or read: not a PNG or SVG, truncated, or damaged."""


@dataclass(frozen=True)
class _Chunk:
    kind: bytes
    data: bytes

    def encoded(self) -> bytes:
        crc = zlib.crc32(self.kind + self.data) & 0xFFFFFFFF
        return struct.pack(">I", len(self.data)) + self.kind + self.data + struct.pack(">I", crc)


def _png_chunks(png: bytes) -> list[_Chunk]:
    if not png.startswith(PNG_SIGNATURE):
        raise BakingError("This is not a PNG image: it does not start with the PNG signature")
    chunks: list[_Chunk] = []
    offset = len(PNG_SIGNATURE)
    while True:
        if offset + 8 > len(png):
            raise BakingError("The PNG image is truncated: it ends before its IEND chunk")
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind = png[offset + 4 : offset + 8]
        end = offset + 12 + length
        if end > len(png):
            raise BakingError(f"The PNG image is truncated inside its {kind!r} chunk")
        data = png[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", png[end - 4 : end])
        if crc != zlib.crc32(kind + data) & 0xFFFFFFFF:
            raise BakingError(f"The PNG image is damaged: the checksum of its {kind!r} chunk is wrong")
        chunks.append(_Chunk(kind, data))
        offset = end
        if kind == b"IEND":
            return chunks


def _itxt_openbadges(text: str) -> _Chunk:
    # keyword, NUL, compression flag 0, compression method 0, empty language tag and translated keyword.
    return _Chunk(b"iTXt", KEYWORD + b"\x00\x00\x00" + b"\x00" + b"\x00" + text.encode("utf-8"))


def _is_openbadges_chunk(chunk: _Chunk) -> bool:
    return chunk.kind in (b"iTXt", b"tEXt", b"zTXt") and chunk.data.split(b"\x00", 1)[0] == KEYWORD


def bake_png(png: bytes, data: str) -> bytes:
    """`png` with `data` baked in; Open Badges data already there is replaced, never duplicated."""
    chunks = [chunk for chunk in _png_chunks(png) if not _is_openbadges_chunk(chunk)]
    chunks.insert(len(chunks) - 1, _itxt_openbadges(data))
    return PNG_SIGNATURE + b"".join(chunk.encoded() for chunk in chunks)


def _itxt_text(data: bytes) -> str:
    try:
        _keyword, rest = data.split(b"\x00", 1)
        compressed, _method = rest[0], rest[1]
        _language, _translated, text = rest[2:].split(b"\x00", 2)
    except (ValueError, IndexError):
        raise BakingError("The PNG's openbadges iTXt chunk is malformed") from None
    if compressed:
        inflater = zlib.decompressobj()
        try:
            text = inflater.decompress(text, MAX_INFLATED_TEXT)
        except zlib.error:
            raise BakingError("The PNG's openbadges iTXt chunk does not inflate") from None
        if inflater.unconsumed_tail:
            raise BakingError("The PNG's openbadges iTXt chunk is larger than any badge")
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError:
        raise BakingError("The PNG's openbadges iTXt chunk is not UTF-8 text") from None


def unbake_png(png: bytes) -> str | None:
    """The Open Badges data baked into `png`, or None when it carries none.

    The first `iTXt openbadges` chunk wins; a legacy (pre-1.0) `tEXt openbadges` chunk, which holds a
    hosted assertion's URL, is read when there is no iTXt one.
    """
    legacy: str | None = None
    for chunk in _png_chunks(png):
        if not _is_openbadges_chunk(chunk):
            continue
        if chunk.kind == b"iTXt":
            return _itxt_text(chunk.data)
        if chunk.kind == b"tEXt" and legacy is None:
            legacy = chunk.data.split(b"\x00", 1)[1].decode("latin-1")
    return legacy


def _parsed_svg(svg: str) -> Any:
    try:
        document = parseString(svg.encode("utf-8"), forbid_dtd=True)
    except DefusedXmlException:
        raise BakingError("The SVG declares a DTD or entities, which badge images may not") from None
    except ExpatError as error:
        raise BakingError(f"This is not well-formed SVG: {error}") from None
    root = document.documentElement
    if root.localName != "svg" or root.namespaceURI != SVG_NAMESPACE:
        raise BakingError("This is not an SVG image: its root element is not <svg>")
    return document


def _assertion_elements(document: Any) -> list[Any]:
    return list(document.getElementsByTagNameNS(OPENBADGES_NAMESPACE, "assertion"))


def _json_id(data: str) -> str | None:
    """The `id` of `data` when it is an assertion's JSON, None when it is a URL or a JWS."""
    if not data.lstrip().startswith("{"):
        return None
    try:
        parsed = safe_json.loads(data)
    except safe_json.JSONReadError:
        raise BakingError("The data to bake starts like JSON but is not valid JSON") from None
    return str(parsed.get("id", "")) if isinstance(parsed, dict) else ""


def bake_svg(svg: str, data: str) -> str:
    """`svg` with `data` (a URL, a JWS, or an assertion's JSON) baked in, replacing any earlier badge."""
    document = _parsed_svg(svg)
    root = document.documentElement
    for element in _assertion_elements(document):
        element.parentNode.removeChild(element)
    root.setAttribute("xmlns:openbadges", OPENBADGES_NAMESPACE)
    element = document.createElementNS(OPENBADGES_NAMESPACE, "openbadges:assertion")
    assertion_id = _json_id(data)
    if assertion_id is None:
        element.setAttribute("verify", data)
    else:
        element.setAttribute("verify", assertion_id)
        # "]]>" would end a CDATA section early, so it is split across two sections.
        pieces = data.split("]]>")
        for index, piece in enumerate(pieces):
            text = ("" if index == 0 else ">") + piece + ("" if index == len(pieces) - 1 else "]]")
            element.appendChild(document.createCDATASection(text))
    root.insertBefore(element, root.firstChild)
    xml: str = document.toxml()
    return xml


def unbake_svg(svg: str) -> str | None:
    """The Open Badges data baked into `svg`: the element's body when it has one (an assertion's
    JSON), otherwise its `verify` attribute (a URL or a JWS); None when the SVG carries no badge."""
    elements = _assertion_elements(_parsed_svg(svg))
    if not elements:
        return None
    element = elements[0]
    body = "".join(
        node.data for node in element.childNodes if node.nodeType in (node.TEXT_NODE, node.CDATA_SECTION_NODE)
    ).strip()
    if body:
        return body
    verify: str = element.getAttribute("verify")
    return verify or None
