"""The bounded JSON reader every untrusted document goes through."""

import pytest

from makeworks.lib import safe_json


def test_ordinary_documents_read_as_the_standard_library_reads_them() -> None:
    assert safe_json.loads(b'{"a": [1, 2.5, "\\u00e9", null, true]}') == {"a": [1, 2.5, "é", None, True]}


@pytest.mark.parametrize(
    "text", ["[" * 100_000 + "]" * 100_000, '{"a":' * 33 + "1" + "}" * 33], ids=["100000", "33"]
)
def test_documents_nested_deeper_than_32_levels_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(safe_json.JSONReadError, match="nested more than 32 levels deep"):
        safe_json.loads(text)


def test_nesting_of_exactly_32_levels_is_read() -> None:
    assert safe_json.loads("[" * 32 + "]" * 32) is not None


@pytest.mark.parametrize("text", [b"{", b"[NaN]", b'"\xff"', b""])
def test_text_that_is_not_strict_json_is_refused(text: bytes) -> None:
    with pytest.raises(safe_json.JSONReadError, match="not valid JSON"):
        safe_json.loads(text)
