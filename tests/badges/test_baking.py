"""Baking an assertion into a badge image and reading it back, byte for byte (Baking Specification 1.0)."""

import io
import json
import struct
import zlib

import pytest
from PIL import Image

from badges.openbadges.baking import BakingError, bake_png, bake_svg, unbake_png, unbake_svg
from tests.factories import badge_png

URL = "https://makeworks.example/badges/assertions/hosted-one/"
JWS = "eyJhbGciOiJSUzI1NiJ9.eyJpZCI6InVybjp1dWlkOjEifQ.c2lnbmF0dXJl"
ASSERTION_JSON = json.dumps(
    {"id": URL, "type": "Assertion", "narrative": "Découpe laser, then ]]> in a note"}, ensure_ascii=False
)
SVG = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200">'
    '<circle cx="100" cy="100" r="90" fill="#2a9d8f"/></svg>'
)


def png_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """Each chunk's type and data, read independently of the code under test."""
    chunks, offset = [], 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        chunks.append((png[offset + 4 : offset + 8], png[offset + 8 : offset + 8 + length]))
        offset += 12 + length
    return chunks


@pytest.mark.parametrize("data", [URL, JWS, ASSERTION_JSON])
def test_png_bake_then_unbake_gives_back_exactly_what_was_baked(data: str):
    assert unbake_png(bake_png(badge_png(), data)) == data


def test_a_baked_png_is_still_the_same_picture():
    original = badge_png("#c1121f")
    baked = bake_png(original, URL)

    with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(baked)) as after:
        assert after.format == "PNG"
        assert after.tobytes() == before.tobytes()


def test_the_png_carries_one_uncompressed_itxt_chunk_keyed_openbadges_before_iend():
    chunks = png_chunks(bake_png(badge_png(), JWS))

    kinds = [kind for kind, _ in chunks]
    assert kinds[-2:] == [b"iTXt", b"IEND"]
    assert kinds.count(b"iTXt") == 1
    # keyword, NUL, compression flag 0, method 0, empty language tag, NUL, empty translated keyword, NUL
    assert chunks[-2][1] == b"openbadges\x00\x00\x00\x00\x00" + JWS.encode()


def test_baking_again_replaces_the_earlier_badge():
    rebaked = bake_png(bake_png(badge_png(), URL), JWS)

    assert unbake_png(rebaked) == JWS
    assert [kind for kind, _ in png_chunks(rebaked)].count(b"iTXt") == 1


def test_a_png_without_a_badge_unbakes_to_none():
    assert unbake_png(badge_png()) is None


def test_a_legacy_png_with_a_text_chunk_gives_its_url():
    png = badge_png()
    data = b"openbadges\x00" + URL.encode("latin-1")
    chunk = struct.pack(">I", len(data)) + b"tEXt" + data + struct.pack(">I", zlib.crc32(b"tEXt" + data))
    legacy = png[:-12] + chunk + png[-12:]

    assert unbake_png(legacy) == URL


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (b"GIF89a not a png", "not a PNG"),
        (badge_png()[:40], "truncated"),
        # One byte of the image height changed after the checksum was computed.
        (badge_png()[:20] + b"\x07" + badge_png()[21:], "checksum"),
    ],
)
def test_unusable_pngs_are_refused_with_a_reason(image: bytes, message: str):
    with pytest.raises(BakingError, match=message):
        bake_png(image, URL)
    with pytest.raises(BakingError, match=message):
        unbake_png(image)


@pytest.mark.parametrize("data", [URL, JWS, ASSERTION_JSON])
def test_svg_bake_then_unbake_gives_back_exactly_what_was_baked(data: str):
    assert unbake_svg(bake_svg(SVG, data)) == data


def test_a_url_or_jws_goes_in_verify_and_the_element_comes_first():
    baked = bake_svg(SVG, JWS)

    assert 'xmlns:openbadges="http://openbadges.org"' in baked.split("<openbadges:assertion")[0]
    assert '<openbadges:assertion verify="' + JWS + '"/><circle' in baked


def test_an_assertion_json_goes_in_cdata_with_its_id_in_verify():
    baked = bake_svg(SVG, ASSERTION_JSON)

    assert f'<openbadges:assertion verify="{URL}"><![CDATA[' in baked
    assert "]]]]><![CDATA[>" in baked


def test_baking_an_svg_again_replaces_the_earlier_badge():
    rebaked = bake_svg(bake_svg(SVG, URL), JWS)

    assert unbake_svg(rebaked) == JWS
    assert rebaked.count("<openbadges:assertion") == 1


def test_an_svg_without_a_badge_unbakes_to_none():
    assert unbake_svg(SVG) is None


@pytest.mark.parametrize(
    ("svg", "message"),
    [
        ("<html><body/></html>", "not an SVG"),
        ("<svg", "not well-formed"),
        ('<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>', "DTD"),
    ],
)
def test_unusable_svgs_are_refused_with_a_reason(svg: str, message: str):
    with pytest.raises(BakingError, match=message):
        bake_svg(svg, URL)
    with pytest.raises(BakingError, match=message):
        unbake_svg(svg)
