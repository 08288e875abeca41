"""RSA keys and compact JSON Web Signatures (RS256) for signed Open Badges.

Private keys leave this module only encrypted: `encrypt_private_key` wraps a PEM with Fernet (AES-128-CBC
and HMAC-SHA256) under a key derived from a server secret with HKDF-SHA256. HKDF rather than a password
hash such as scrypt, because the secret is a long random string, not something a person remembers, and
signing thousands of badges must not wait on a deliberately slow function.
"""

import base64
import json
import re
from functools import lru_cache
from typing import Any

import jwt
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from makeworks.lib import safe_json

ALGORITHM = "RS256"
MIN_KEY_BITS = 2048
# Binds derived keys to this one use, so the same secret used elsewhere never yields the same key.
_HKDF_INFO = b"makeworks badges: private signing key encryption, v1"
_FINGERPRINT_INFO = b"makeworks badges: server secret fingerprint, v1"


class SignatureError(Exception):
    """A JWS that is malformed, not RS256, or whose signature does not match the key."""


class KeyDecryptionError(Exception):
    """An encrypted private key that this secret cannot open (wrong secret or damaged data)."""


def generate_private_key_pem(bits: int = MIN_KEY_BITS) -> bytes:
    if bits < MIN_KEY_BITS:
        raise ValueError(f"RSA keys must have at least {MIN_KEY_BITS} bits, got {bits}")
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )


@lru_cache(maxsize=64)
def _loaded_private_key(private_pem: bytes) -> rsa.RSAPrivateKey:
    """Parsing and checking an RSA key costs more than a signature, so each key is parsed once."""
    key = serialization.load_pem_private_key(private_pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("The private key is not an RSA key")
    if key.key_size < MIN_KEY_BITS:
        raise ValueError(f"RSA keys must have at least {MIN_KEY_BITS} bits, got {key.key_size}")
    return key


@lru_cache(maxsize=256)
def _loaded_public_key(public_pem: str) -> rsa.RSAPublicKey:
    try:
        key = serialization.load_pem_public_key(public_pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise SignatureError(f"The public key is not a PEM-encoded key: {error}") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureError("The public key is not an RSA key, so it cannot check an RS256 signature")
    return key


def public_key_pem(private_pem: bytes) -> str:
    public = _loaded_private_key(private_pem).public_key()
    return public.public_bytes(
        encoding=serialization.Encoding.PEM, format=serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


@lru_cache(maxsize=8)
def _fernet(secret: str) -> Fernet:
    if not secret:
        raise ValueError("An empty secret cannot protect a private key")
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
        secret.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(derived))


@lru_cache(maxsize=8)
def secret_fingerprint(secret: str) -> str:
    """A value that tells whether two secrets are the same without revealing either: HKDF with its own
    `info`, so it is none of the keys derived for encryption or lookups. It helps no guessing attack that
    the encrypted keys stored beside it do not already allow (a wrong guess fails to decrypt them)."""
    if not secret:
        raise ValueError("An empty secret has no fingerprint")
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_FINGERPRINT_INFO).derive(
        secret.encode("utf-8")
    )
    return derived.hex()


def encrypt_private_key(private_pem: bytes, secret: str) -> bytes:
    return _fernet(secret).encrypt(private_pem)


def decrypt_private_key(token: bytes, secret: str) -> bytes:
    try:
        return _fernet(secret).decrypt(bytes(token))
    except InvalidToken:
        raise KeyDecryptionError(
            "The private key cannot be decrypted: BADGE_KEY_SECRET is not the secret it was stored with, "
            "or the stored key is damaged"
        ) from None


def sign(payload: dict[str, Any], private_pem: bytes) -> str:
    """A compact JWS (header.payload.signature) whose payload is `payload` as JSON, signed RS256."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # The payload is an Open Badges assertion, not a JWT, so the header says only which algorithm signed it.
    return jwt.api_jws.encode(
        body, _loaded_private_key(private_pem), algorithm=ALGORITHM, headers={"typ": None}
    )


def _payload_object(body: bytes) -> dict[str, Any]:
    try:
        payload = safe_json.loads(body)
    except safe_json.JSONReadError as error:
        raise SignatureError(f"The JWS payload is not JSON we read: {error}") from None
    if not isinstance(payload, dict):
        raise SignatureError("The JWS payload is not a JSON object")
    return payload


def verify(jws: str, public_pem: str) -> dict[str, Any]:
    """The payload of `jws` once its RS256 signature checks out against `public_pem`."""
    key = _loaded_public_key(public_pem)
    try:
        body = jwt.api_jws.decode(jws.strip(), key, algorithms=[ALGORITHM])
    except jwt.InvalidAlgorithmError:
        raise SignatureError(f"The JWS is not signed with {ALGORITHM}") from None
    except jwt.InvalidSignatureError:
        raise SignatureError(
            "The signature does not match: the badge was altered or signed by another key"
        ) from None
    except jwt.DecodeError as error:
        raise SignatureError(f"This is not a compact JWS: {error}") from None
    return _payload_object(body)


_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")


def _segment(part: str, name: str) -> bytes:
    # Compact JWS segments are unpadded base64url (RFC 7515 section 2); anything else is not a JWS.
    if not _BASE64URL.fullmatch(part) or len(part) % 4 == 1:
        raise SignatureError(f"This is not a compact JWS: its {name} is not base64url")
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def unverified_payload(jws: str) -> dict[str, Any]:
    """The payload of `jws` without checking its signature: only for finding which key to check it with.

    The structure is checked first (three base64url parts, a header naming RS256 and nothing a verifier
    would have to understand, a signature present), so a token that could never verify (`alg: none`,
    HS256) is refused before anything it names is fetched."""
    parts = jws.strip().split(".")
    if len(parts) != 3:
        raise SignatureError("This is not a compact JWS: it needs three parts separated by dots")
    header_bytes = _segment(parts[0], "header")
    body = _segment(parts[1], "payload")
    if not _segment(parts[2], "signature"):
        raise SignatureError("This is not a compact JWS: its signature is empty")
    try:
        header = json.loads(header_bytes)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SignatureError("This is not a compact JWS: its header is not JSON") from None
    if not isinstance(header, dict) or header.get("alg") != ALGORITHM:
        algorithm = header.get("alg") if isinstance(header, dict) else None
        raise SignatureError(f"The JWS is signed with {algorithm!r}; Open Badges signatures are {ALGORITHM}")
    if "crit" in header:
        raise SignatureError("The JWS header has critical extensions this verifier does not know")
    return _payload_object(body)
