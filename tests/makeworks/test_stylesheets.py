"""Our stylesheets are well formed: one unclosed rule silently swallows every rule after it."""

import re
from pathlib import Path

import pytest
from django.conf import settings

STYLESHEETS = sorted(Path(settings.BASE_DIR, "static").rglob("*.css"))


def unclosed_rule_line(css: str) -> int | None:
    """The line of the first rule left open at the end (or closed twice), None when every brace pairs."""
    # Comments and strings may hold braces that are not rules.
    blanked = re.sub(
        r"/\*.*?\*/|\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'",
        lambda m: re.sub(r"[^\n]", " ", m.group()),
        css,
        flags=re.S,
    )
    opened: list[int] = []
    for line_number, line in enumerate(blanked.splitlines(), start=1):
        for character in line:
            if character == "{":
                opened.append(line_number)
            elif character == "}":
                if not opened:
                    return line_number
                opened.pop()
    return opened[0] if opened else None


@pytest.mark.parametrize("stylesheet", STYLESHEETS, ids=lambda path: path.name)
def test_every_rule_of_the_stylesheet_is_closed(stylesheet: Path) -> None:
    css = stylesheet.read_text(encoding="utf-8")

    assert unclosed_rule_line(css) is None, (
        f"{stylesheet.name}: the rule at line {unclosed_rule_line(css)} never closes"
    )
    assert "<<<<<<<" not in css
    assert ">>>>>>>" not in css


def test_the_check_finds_a_rule_left_open() -> None:
    assert unclosed_rule_line(".a { color: red; }\n.b {\n  color: blue;\n.c { }\n") == 2
    assert unclosed_rule_line('.a { content: "}"; } /* { */\n') is None
