"""Recipients are named by a salted hash of their address, never the address itself."""

import hashlib

from badges.openbadges.recipient import hash_identity, identity_matches, new_salt


def test_the_hash_is_the_one_the_spec_gives_for_its_example():
    # From the spec's IdentityHash definition: SHA-256 of "mayze", no salt.
    expected = "sha256$7a1a1b3f7d40552e4299180e346e3add12bf9a751a43d9c4ca4518febc2c60c6"
    assert hash_identity("mayze", "") == expected


def test_the_address_is_matched_whatever_its_case_and_surrounding_spaces():
    identity = hash_identity("Ada.Lovelace@Example.org", "pepper")

    assert "ada" not in identity.lower()
    assert identity_matches(identity, "pepper", " ada.lovelace@example.org ")
    assert not identity_matches(identity, "pepper", "ada@example.org")
    assert not identity_matches(identity, "salt", "ada.lovelace@example.org")


def test_each_award_gets_its_own_salt_so_equal_addresses_hash_differently():
    first, second = new_salt(), new_salt()

    assert first != second
    assert len(first) == 32
    assert hash_identity("ada@example.org", first) != hash_identity("ada@example.org", second)


def test_identities_hashed_elsewhere_with_md5_or_uppercase_hex_still_match():
    md5 = "md5$" + hashlib.md5(b"ada@example.orgsalt").hexdigest().upper()  # noqa: S324 -- the spec allows md5

    assert identity_matches(md5, "salt", "ada@example.org")
    uppercase = "SHA256$" + hash_identity("ada@example.org", "s").removeprefix("sha256$").upper()
    assert identity_matches(uppercase, "s", "ada@example.org")


def test_a_plain_text_identity_is_compared_as_an_address():
    assert identity_matches("Ada@Example.org", "", "ada@example.org")
    assert not identity_matches("ada@example.org", "", "bob@example.org")
