"""Badge SVGs are opened by anyone's browser from our origin: anything that could run or fetch is refused."""

import pytest

from badges.openbadges.svg import UnsafeSvg, sanitize_svg

CLEAN_BADGE = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b"<!-- exported by a drawing program -->\n"
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'width="200" height="200" viewBox="0 0 200 200">'
    b'<defs><linearGradient id="shine"><stop offset="0" stop-color="#fff"/></linearGradient></defs>'
    b"<style>.ring { stroke: url(#shine); }</style>"
    b'<circle class="ring" cx="100" cy="100" r="90" fill="url(#shine)"/>'
    b'<use xlink:href="#shine"/>'
    b'<image width="10" height="10" href="data:image/png;base64,iVBORw0KGgo="/>'
    b'<text x="100" y="115" text-anchor="middle" aria-label="Laser image (badge)">Laser</text>'
    b"</svg>"
)


def svg(body: str, attributes: str = "") -> bytes:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"{attributes}>'
        f"{body}</svg>"
    ).encode()


def test_a_clean_badge_is_kept_as_drawn():
    cleaned = sanitize_svg(CLEAN_BADGE)

    for part in (
        '<linearGradient id="shine">',
        "<style>.ring { stroke: url(#shine); }</style>",
        'fill="url(#shine)"',
        'xlink:href="#shine"',
        'href="data:image/png;base64,iVBORw0KGgo="',
        ">Laser</text>",
    ):
        assert part in cleaned
    assert "exported by" not in cleaned
    assert sanitize_svg(cleaned.encode()) == cleaned


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (svg("<script>alert(1)</script>"), "<script>"),
        (svg('<script xlink:href="https://evil.example/x.js"/>'), "<script>"),
        (svg("", ' onload="alert(1)"'), "event attribute onload"),
        (svg('<circle r="4" onclick="steal()"/>'), "event attribute onclick"),
        (svg('<circle r="4" ONMOUSEOVER="steal()"/>'), "event attribute ONMOUSEOVER"),
        (svg('<image href="https://tracker.example/pixel.png"/>'), "external resource"),
        (svg('<image xlink:href="//tracker.example/pixel.png"/>'), "external resource"),
        (svg('<use href="other.svg#icon"/>'), "external resource"),
        (svg('<a href="javascript:alert(1)"><text>x</text></a>'), "external resource"),
        (svg('<a href="java&#9;script:alert(1)"><text>x</text></a>'), "external resource"),
        (svg('<image href="data:image/svg+xml;base64,PHN2Zz4="/>'), "external resource"),
        (
            svg('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">hi</p></foreignObject>'),
            "foreignObject",
        ),
        (svg('<p xmlns="http://www.w3.org/1999/xhtml">hi</p>'), "HTML element"),
        (svg('<iframe src="https://evil.example"/>'), "<iframe>"),
        (svg('<set attributeName="onclick" to="alert(1)"/>'), "animates the onclick"),
        (svg('<animate attributeName="xlink:href" to="javascript:alert(1)"/>'), "animates the xlink:href"),
        (svg("<style>@import url(https://evil.example/x.css);</style>"), "@import"),
        (svg("<style>circle { fill: url(https://evil.example/p.svg#g); }</style>"), "external resource"),
        (svg("<rect style=\"background: image-set('https://evil.example/x.png' 1x)\"/>"), "image-set"),
        (svg('<rect filter="url(https://evil.example/f.svg#blur)"/>'), "external resource"),
        (b'<?xml-stylesheet href="https://evil.example/x.css"?>' + svg(""), "xml-stylesheet"),
        (b'<!DOCTYPE svg [<!ENTITY boom "boom">]>' + svg("&boom;"), "DTD"),
        (b"<html><body>not a drawing</body></html>", "root element must be <svg"),
        (b"<svg", "not a well-formed SVG"),
    ],
)
def test_unsafe_svgs_are_refused_with_a_message_saying_what_was_found(raw: bytes, message: str):
    with pytest.raises(UnsafeSvg) as refused:
        sanitize_svg(raw)
    assert message in str(refused.value)
