"""A card's summary and an e-mail's plain part show Markdown as the words it says: no asterisks, hashes
or list marks, no script and none of its text, entities read as their characters."""

from makeworks.lib.text import markdown_html, markdown_plain


def test_markdown_becomes_its_words_on_one_line() -> None:
    text = "## Tools\n\nWe have **two** routers & *one* laser:\n\n- CNC\n- [Laser](https://x.example/)"

    assert markdown_plain(text) == "Tools We have two routers & one laser: CNC Laser"


def test_a_script_and_its_text_are_dropped_from_both_renderings() -> None:
    text = "Safe <script>alert(1)</script> **bold** <style>p{}</style>"

    assert markdown_plain(text) == "Safe bold"
    assert "alert" not in markdown_html(text)
    assert "<strong>bold</strong>" in markdown_html(text)


def test_nothing_renders_as_nothing() -> None:
    assert markdown_plain("") == ""
    assert markdown_html("") == ""
