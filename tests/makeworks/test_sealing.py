"""Sealed link values: readable and checkable only by this site, for their own purpose."""

import base64

from pytest_django.fixtures import Settings

from makeworks.lib.sealing import seal, unseal


def test_a_sealed_value_opens_to_what_was_sealed() -> None:
    token = seal({"a": "badge-1", "e": "ada@example.org"}, purpose="claim")

    assert unseal(token, purpose="claim") == {"a": "badge-1", "e": "ada@example.org"}


def test_nobody_who_sees_the_link_can_read_the_address_in_it() -> None:
    token = seal({"e": "ada.lovelace@example.org"}, purpose="claim")

    decoded = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert b"ada" not in decoded
    assert "ada" not in token
    assert token.isascii()
    assert "/" not in token
    assert "=" not in token


def test_an_altered_cut_or_misdirected_value_does_not_open() -> None:
    token = seal({"e": "ada@example.org"}, purpose="claim")
    flipped = token[:40] + ("A" if token[40] != "A" else "B") + token[41:]

    assert unseal(flipped, purpose="claim") is None
    assert unseal(token[:-5], purpose="claim") is None
    assert unseal(token, purpose="password reset") is None
    assert unseal("not a token at all ✓", purpose="claim") is None
    assert unseal("", purpose="claim") is None


def test_links_sent_before_the_secret_key_was_rotated_still_open(settings: Settings) -> None:
    token = seal({"e": "ada@example.org"}, purpose="claim")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a new secret key that replaced the old one, long enough"

    assert unseal(token, purpose="claim") == {"e": "ada@example.org"}

    settings.SECRET_KEY_FALLBACKS = []
    assert unseal(token, purpose="claim") is None
