"""Signed badges: RS256 compact JWS, and private keys that are only ever stored encrypted."""

import base64
import hashlib
import hmac
import json

import pytest

from badges.openbadges import signing
from badges.openbadges.signing import SignatureError

PAYLOAD = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "Assertion",
    "id": "https://makeworks.example/badges/assertions/signed-one/",
    "narrative": "Découpe laser ✓",
}


@pytest.fixture(scope="module")
def private_pem() -> bytes:
    return signing.generate_private_key_pem()


@pytest.fixture(scope="module")
def other_private_pem() -> bytes:
    return signing.generate_private_key_pem()


def _segment(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _header(**fields: object) -> str:
    return _segment(json.dumps(fields).encode())


RS256 = _header(alg="RS256")


def test_a_signed_payload_verifies_and_comes_back_unchanged(private_pem: bytes):
    jws = signing.sign(PAYLOAD, private_pem)

    assert signing.verify(jws, signing.public_key_pem(private_pem)) == PAYLOAD
    assert signing.unverified_payload(jws) == PAYLOAD


def test_the_header_says_rs256_as_in_the_spec_example(private_pem: bytes):
    header = signing.sign(PAYLOAD, private_pem).split(".")[0]
    assert json.loads(base64.urlsafe_b64decode(header + "==")) == {"alg": "RS256"}


def test_a_tampered_payload_fails(private_pem: bytes):
    header, _, signature = signing.sign(PAYLOAD, private_pem).split(".")
    forged = _segment(json.dumps({**PAYLOAD, "id": "https://evil.example/1"}).encode())

    with pytest.raises(SignatureError, match="does not match"):
        signing.verify(f"{header}.{forged}.{signature}", signing.public_key_pem(private_pem))


def test_a_badge_signed_by_another_key_fails(private_pem: bytes, other_private_pem: bytes):
    jws = signing.sign(PAYLOAD, other_private_pem)
    with pytest.raises(SignatureError, match="does not match"):
        signing.verify(jws, signing.public_key_pem(private_pem))


def test_unsigned_and_hmac_tokens_are_refused_even_with_the_right_payload(private_pem: bytes):
    public = signing.public_key_pem(private_pem)
    body = _segment(json.dumps(PAYLOAD).encode())
    none_header = _segment(json.dumps({"alg": "none"}).encode())
    unsigned = f"{none_header}.{body}."
    # The classic confusion attack: an HMAC "signed" with the public key as the shared secret.
    hmac_header = _segment(json.dumps({"alg": "HS256"}).encode())
    mac = hmac.new(public.encode(), f"{hmac_header}.{body}".encode(), hashlib.sha256).digest()
    hmac_token = f"{hmac_header}.{body}.{_segment(mac)}"

    for token in (unsigned, hmac_token):
        with pytest.raises(SignatureError, match="not signed with RS256"):
            signing.verify(token, public)


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("not-a-jws", "three parts"),
        ("a.b.c.d", "three parts"),
        (f"{RS256}.{_segment(b'[1, 2]')}.sig", "not a JSON object"),
        (f"{RS256}.{_segment(b'not json')}.sig", "not JSON"),
        (f"{_header(alg='none')}.{_segment(b'{}')}.sig", "signed with 'none'"),
        (f"{_header(alg='HS256')}.{_segment(b'{}')}.sig", "signed with 'HS256'"),
        (f"e30.{_segment(b'{}')}.sig", "signed with None"),
        (f"{RS256}.{_segment(b'{}')}.", "signature is empty"),
        (f"{RS256}.eyJ9+/.sig", "payload is not base64url"),
        (f"{RS256}.{_segment(b'{}')}=.sig", "payload is not base64url"),
        (f"{_header(alg='RS256', crit=['b64'])}.{_segment(b'{}')}.sig", "critical"),
    ],
)
def test_malformed_tokens_are_explained(token: str, message: str):
    with pytest.raises(SignatureError, match=message):
        signing.unverified_payload(token)


def test_keys_shorter_than_2048_bits_are_refused():
    with pytest.raises(ValueError, match="at least 2048 bits"):
        signing.generate_private_key_pem(bits=1024)


def test_the_encrypted_private_key_contains_nothing_of_the_pem(private_pem: bytes):
    token = signing.encrypt_private_key(private_pem, "a-long-server-secret")
    body_lines = [line for line in private_pem.splitlines() if line and not line.startswith(b"-----")]

    assert b"PRIVATE KEY" not in token
    assert b"-----BEGIN" not in token
    assert not any(line in token for line in body_lines)
    assert signing.decrypt_private_key(token, "a-long-server-secret") == private_pem


def test_encrypting_twice_gives_different_tokens(private_pem: bytes):
    assert signing.encrypt_private_key(private_pem, "s") != signing.encrypt_private_key(private_pem, "s")


def test_the_wrong_secret_cannot_open_a_private_key(private_pem: bytes):
    token = signing.encrypt_private_key(private_pem, "the-right-secret")
    with pytest.raises(signing.KeyDecryptionError, match="BADGE_KEY_SECRET"):
        signing.decrypt_private_key(token, "another-secret")
