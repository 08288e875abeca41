"""Checks an uploaded SVG drawing before it becomes a badge image that anyone's browser will open.

A badge SVG is served from our own origin, so anything that can run code or reach the network is
refused outright, with a message saying what was found, rather than silently stripped: an issuer should
know their drawing changed. Refused: DTDs and entities, <script>, <foreignObject> and HTML elements,
event attributes (onload, onclick, ...), links and references to anything but a fragment of the same
file (`#id`) or an embedded PNG or JPEG (`data:image/png`, `data:image/jpeg`), the same inside CSS
`url(...)`, CSS `@import`, and stylesheet processing instructions.
"""

import re
from typing import Any
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException
from defusedxml.minidom import parseString

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
# Animation elements can set an attribute over time, which would smuggle in a link or an event handler.
ANIMATION_ELEMENTS = {"set", "animate", "animatetransform", "animatemotion"}
SAFE_DATA_URI = re.compile(r"^data:image/(png|jpeg|jpg)[;,]", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
CSS_IMPORT = re.compile(r"@import", re.IGNORECASE)
# image() and image-set() take a bare string as a URL, with no url( ) around it.
CSS_IMAGE_FUNCTION = re.compile(r"(?<![\w-])(?:-webkit-)?image(?:-set)?\s*\(", re.IGNORECASE)
CONTROL_AND_SPACE = re.compile(r"[\x00-\x20]+")


class UnsafeSvg(Exception):  # noqa: N818 -- the name the badges and passport apps agreed on
    """An SVG refused as a badge image; the message says what was found and where."""


def _is_safe_reference(value: str) -> bool:
    # Browsers ignore spaces and control characters inside a scheme ("java\tscript:"), so they go first.
    target = CONTROL_AND_SPACE.sub("", value)
    return target == "" or target.startswith("#") or bool(SAFE_DATA_URI.match(target))


def _check_css(text: str, where: str, *, stylesheet: bool) -> None:
    """url(...) can appear in any presentation attribute (fill, filter, mask...); the rest only in CSS."""
    if stylesheet and CSS_IMPORT.search(text):
        raise UnsafeSvg(f"{where} uses CSS @import, which loads a stylesheet from elsewhere.")
    if stylesheet and CSS_IMAGE_FUNCTION.search(text):
        raise UnsafeSvg(f"{where} uses CSS image() or image-set(), which can load images from elsewhere.")
    for match in CSS_URL.finditer(text):
        if not _is_safe_reference(match.group(2)):
            raise UnsafeSvg(
                f"{where} refers to an external resource, url({match.group(2)[:80]}); only references "
                "inside the drawing (url(#id)) and embedded PNG or JPEG images are allowed."
            )


def _check_element(element: Any) -> None:
    name = (element.localName or element.tagName).lower()
    label = f"<{element.tagName}>"
    if element.namespaceURI == XHTML_NAMESPACE:
        raise UnsafeSvg(f"The SVG contains an HTML element {label}; badge images may only hold drawing.")
    if name in FORBIDDEN_ELEMENTS:
        if name == "script":
            raise UnsafeSvg("The SVG contains a <script> element; badge images may not run code.")
        if name == "foreignobject":
            raise UnsafeSvg(
                "The SVG contains a <foreignObject> element, which can embed HTML; badge images may not."
            )
        raise UnsafeSvg(f"The SVG contains a {label} element, which can run code or load content.")
    attributes = element.attributes
    for index in range(attributes.length):
        attribute = attributes.item(index)
        local = (attribute.localName or attribute.name).lower()
        value = attribute.value
        if local.startswith("on"):
            raise UnsafeSvg(
                f'The SVG has an event attribute {attribute.name}="…" on {label}; '
                "badge images may not run code."
            )
        if local == "href" and not _is_safe_reference(value):
            raise UnsafeSvg(
                f'The SVG links to an external resource ({attribute.name}="{value[:80]}" on {label}); '
                "only links inside the drawing (#id) and embedded PNG or JPEG images are allowed."
            )
        if name in ANIMATION_ELEMENTS and local == "attributename":
            target = value.split(":")[-1].lower()
            if target == "href" or target.startswith("on"):
                raise UnsafeSvg(
                    f"The SVG animates the {value} attribute with {label}, which could load or run content."
                )
        _check_css(value, f"The attribute {attribute.name} on {label}", stylesheet=local == "style")
    if name == "style":
        css = "".join(node.data for node in element.childNodes if hasattr(node, "data"))
        _check_css(css, "A <style> element", stylesheet=True)


def _walk(node: Any) -> None:
    for child in list(node.childNodes):
        if child.nodeType == child.PROCESSING_INSTRUCTION_NODE:
            if child.target.lower() == "xml-stylesheet":
                raise UnsafeSvg(
                    "The SVG links a stylesheet (<?xml-stylesheet?>), which loads content from elsewhere."
                )
            node.removeChild(child)
        elif child.nodeType == child.COMMENT_NODE:
            # Comments carry nothing a badge needs and are where editors leave private notes.
            node.removeChild(child)
        elif child.nodeType == child.ELEMENT_NODE:
            _check_element(child)
            _walk(child)


def sanitize_svg(raw: bytes) -> str:
    """The SVG as checked text (comments and harmless processing instructions dropped), or UnsafeSvg."""
    try:
        document = parseString(raw, forbid_dtd=True)
    except DefusedXmlException:
        raise UnsafeSvg(
            "The SVG declares a DTD or entities (<!DOCTYPE …>); save it again without them."
        ) from None
    except ExpatError as error:
        raise UnsafeSvg(f"This file is not a well-formed SVG drawing ({error}).") from None
    root = document.documentElement
    if root.localName != "svg" or root.namespaceURI != SVG_NAMESPACE:
        raise UnsafeSvg(
            'This is not an SVG drawing: the root element must be <svg xmlns="http://www.w3.org/2000/svg">.'
        )
    _walk(document)
    xml: str = root.toxml()
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml
