"""Makers' descriptions are Markdown, rendered and sanitised so only a small safe set of HTML survives."""

import pytest

from directory.templatetags.directory_tags import markdown


def test_markdown_renders_paragraphs_lists_headings_and_emphasis() -> None:
    html = markdown(
        "## Tools\n\nWe have **two** routers and *one* laser:\n\n- CNC\n- Laser\n\n1. First\n2. Second"
    )

    assert "<h2>Tools</h2>" in html
    assert "<strong>two</strong>" in html
    assert "<em>one</em>" in html
    assert "<ul>\n<li>CNC</li>" in html
    assert "<ol>" in html


def test_markdown_keeps_links_with_a_safe_rel() -> None:
    html = markdown("[Our shop](https://shop.example/)")

    assert '<a href="https://shop.example/" rel="nofollow noopener noreferrer ugc">Our shop</a>' in html


def test_markdown_keeps_blockquotes_and_code() -> None:
    html = markdown("> Made in Glasgow\n\n    G-code here\n\nUse `M3`.")

    assert "<blockquote>" in html
    assert "<pre><code>G-code here" in html
    assert "<code>M3</code>" in html


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ("<script>alert(1)</script>", "alert(1)"),
        ("<img src=x onerror=alert(1)>", "<img"),
        ("![photo](https://tracker.example/pixel.png)", "<img"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<a href="https://ok.example" onclick="steal()">x</a>', "onclick"),
        ("<iframe src='https://evil.example'></iframe>", "<iframe"),
        ("<style>body{display:none}</style>", "display:none"),
        ('<p style="color:red">x</p>', "style="),
        ("# Title", "<h1"),
        ('<div class="x">x</div>', "<div"),
        ("<form action='/'><input name=q></form>", "<input"),
    ],
)
def test_markdown_removes_anything_outside_the_safe_set(source: str, forbidden: str) -> None:
    assert forbidden not in markdown(source)


def test_markdown_of_nothing_is_empty() -> None:
    assert markdown("") == ""
    assert markdown(None) == ""


def test_markdown_output_is_marked_safe_for_templates() -> None:
    assert hasattr(markdown("hello"), "__html__")
