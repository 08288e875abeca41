"""Verify an Open Badges 2.0 assertion from anywhere: a URL, a JWS, its JSON, or a baked image.

The report lists every check with its result, so a verifier (or a maker adding a badge to their
passport) sees why a badge is refused, not only that it is. Documents on this site are read in-process
through the same views that serve them, so verifying a local badge neither leaves the server nor waits
on a web worker; any other URL is fetched under makeworks.lib.safe_fetch's rules.

As the IMS reference validator does, an assertion URL that answers a baked image is unbaked and what it
carries is verified. A signed assertion given by its URL is verified from its JWS, which the URL serves
when asked for `application/jose` (this site's assertions do): a signed badge is only as good as its
signature, so without the JWS it is refused, with the reason.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from badges.openbadges.baking import BakingError, unbake_png, unbake_svg
from badges.openbadges.documents import OB_CONTEXT
from badges.openbadges.recipient import identity_matches
from badges.openbadges.signing import SignatureError, unverified_payload, verify
from makeworks.lib import safe_json
from makeworks.lib.safe_fetch import DEFAULT_MAX_BYTES, MAX_URL_LENGTH, FetchError, fetch

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# What a verifier asks an assertion URL for, as the IMS validator does: its document, or a baked image.
DOCUMENT_ACCEPT = "application/ld+json, application/json, image/png, image/svg+xml"
# A compact JWS (RFC 7515's media type), which a signed assertion's URL serves on request.
JOSE = "application/jose"
COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
# A JWS or assertion JSON of a badge with long evidence is a few kilobytes; anything far larger is not a
# badge. URLs have their own, shorter limit: makeworks.lib.safe_fetch.MAX_URL_LENGTH.
MAX_TEXT_LENGTH = 100_000
# Names of the checks, in the order a report lists them.
CHECKS = (
    "input",
    "assertion",
    "badge_class",
    "issuer",
    "hosted_origin",
    "key",
    "key_owner",
    "signature",
    "revocation",
    "expiry",
    "recipient",
)


@dataclass(frozen=True)
class Document:
    """A fetched JSON-LD document, or why there is none; an image or other text answered instead is
    kept, for a baked badge or a JWS."""

    status: int
    data: dict[str, Any] | None
    error: str = ""
    image: bytes = b""
    text: str = ""


class Fetcher(Protocol):
    def __call__(self, url: str, accept: str = DOCUMENT_ACCEPT) -> Document: ...


@dataclass
class Check:
    name: str
    passed: bool | None  # None: not run, because an earlier check failed or it does not apply
    detail: str = ""


@dataclass
class VerificationReport:
    checks: list[Check] = field(default_factory=list)
    assertion: dict[str, Any] | None = None
    badge_class: dict[str, Any] | None = None
    issuer: dict[str, Any] | None = None
    verification_type: str = ""
    jws: str = ""  # the JWS whose signature was checked, however it was given

    @property
    def valid(self) -> bool:
        return all(check.passed is not False for check in self.checks) and any(
            check.name == "assertion" and check.passed for check in self.checks
        )

    @property
    def failures(self) -> list[Check]:
        return [check for check in self.checks if check.passed is False]

    def check(self, name: str) -> Check | None:
        return next((check for check in self.checks if check.name == name), None)

    def record(self, name: str, passed: bool | None, detail: str = "") -> bool:
        self.checks.append(Check(name, passed, detail))
        return bool(passed)


# What _structure_problem calls each document, in the reader's language.
DOCUMENT_KINDS = {
    "assertion": gettext_lazy("assertion"),
    "badge class": gettext_lazy("badge class"),
    "issuer": gettext_lazy("issuer"),
}

# The URL namespaces of badges.urls and passport.urls, which serve every Open Badges document of this site.
OPEN_BADGES_NAMESPACES = {"badges", "passport"}


def _local_document(url: str, accept: str = DOCUMENT_ACCEPT) -> Document | None:
    """A document of this site, from its own view, or None when the URL is not this site's."""
    if not url.startswith(settings.SITE_URL + "/"):
        return None
    path = url[len(settings.SITE_URL) :]
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return Document(404, None, _("Not found: this site has no such page."))
    # Only the Open Badges documents are read in-process: other pages expect a real visitor's request.
    if match.namespace not in OPEN_BADGES_NAMESPACES:
        return Document(404, None, _("This page of this site is not an Open Badges document."))
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = urlsplit(path).path
    request.META = {
        "HTTP_ACCEPT": accept,
        "SERVER_NAME": urlsplit(settings.SITE_URL).hostname or "localhost",
        "SERVER_PORT": str(urlsplit(settings.SITE_URL).port or 80),
    }
    try:
        response = match.func(request, *match.args, **match.kwargs)
    except Http404:
        return Document(404, None, _("Not found: this site has no such page."))
    return _parsed(response.status_code, _body(response), response.get("Content-Type", ""))


def _body(response: HttpResponseBase) -> bytes:
    """A response's bytes, whether it was built whole or streams a file (a badge image does)."""
    if not response.streaming:
        return bytes(response.content)  # type: ignore[attr-defined]
    chunks, size = [], 0
    try:
        for chunk in response.streaming_content:  # type: ignore[attr-defined]
            chunks.append(bytes(chunk))
            size += len(chunk)
            if size > DEFAULT_MAX_BYTES:
                break
    finally:
        # Not response.close(): that also sends request_finished, which closes the database connection
        # of whoever asked (a verification inside a transaction loses it). Only the streamed file closes.
        stream = getattr(response, "file_to_stream", None)
        if stream is not None:
            stream.close()
    return b"".join(chunks)


def _is_image(body: bytes, content_type: str) -> bool:
    head = body[:1024].lstrip()
    return (
        body.startswith(PNG_SIGNATURE)
        or content_type.split(";")[0].strip().lower() in {"image/png", "image/svg+xml"}
        or (head.startswith((b"<svg", b"<?xml")) and b"<svg" in head)
    )


def _status_problem(status: int) -> str:
    if status == 404:
        return _("Not found: the address answered 404.")
    if status == 410:
        return _("Gone: the address answered 410.")
    return _("The address answered %(status)s.") % {"status": status} if status >= 400 else ""


def _parsed(status: int, body: bytes, content_type: str = "") -> Document:
    problem = _status_problem(status)
    if _is_image(body, content_type):
        return Document(
            status, None, problem or _("The address answers an image, not a document."), image=body
        )
    try:
        data = safe_json.loads(body)
    except safe_json.JSONReadError as error:
        text = body.decode("utf-8", "replace").strip()
        return Document(
            status,
            None,
            problem or _("The answer is not JSON we read: %(error)s") % {"error": error},
            text=text,
        )
    if not isinstance(data, dict):
        return Document(status, None, problem or _("The answer is not a JSON object."))
    return Document(status, data, problem)


def remote_fetcher(url: str, accept: str = DOCUMENT_ACCEPT) -> Document:
    """Any URL over the network, under makeworks.lib.safe_fetch's rules."""
    try:
        fetched = fetch(url, accept=accept, allow_loopback=settings.VERIFY_ALLOW_LOOPBACK)
    except FetchError as error:
        return Document(0, None, str(error))
    return _parsed(fetched.status, fetched.body, fetched.content_type)


def default_fetcher(url: str, accept: str = DOCUMENT_ACCEPT) -> Document:
    """This site's documents in-process, anyone else's over the network."""
    local = _local_document(url, accept)
    return local if local is not None else remote_fetcher(url, accept)


def _unbaked(image: bytes) -> str:
    if image.startswith(PNG_SIGNATURE):
        found = unbake_png(image)
    else:
        try:
            found = unbake_svg(image.decode("utf-8"))
        except UnicodeDecodeError as error:
            raise BakingError(_("The file is neither a PNG nor an SVG image.")) from error
    if not found:
        raise BakingError(_("The image carries no badge: it was never baked."))
    return found


def _is_url(text: str) -> bool:
    return urlsplit(text).scheme in {"http", "https"}


def _is_jws(text: str) -> bool:
    return text.count(".") == 2 and not text.startswith(("{", "http"))


def _structure_problem(
    document: Any, kind: str, required: tuple[str, ...], objects: tuple[str, ...] = ()
) -> str:
    """Why `document` is not a well-formed `kind`, or "" when it is. Fields named in `objects` must be
    JSON objects, since the checks after this one read inside them."""
    what = DOCUMENT_KINDS[kind]
    if not isinstance(document, dict):
        return _("The %(kind)s is not a JSON object.") % {"kind": what}
    context = document.get("@context")
    if context != OB_CONTEXT and not (isinstance(context, list) and OB_CONTEXT in context):
        return _("The %(kind)s does not use the Open Badges 2.0 context.") % {"kind": what}
    missing = [name for name in required if not document.get(name)]
    if missing:
        return _("The %(kind)s lacks %(fields)s.") % {"kind": what, "fields": ", ".join(missing)}
    not_objects = [name for name in objects if not isinstance(document.get(name), dict)]
    if not_objects:
        fields = ", ".join(not_objects)
        return _("The %(kind)s's %(fields)s should be an object but is not.") % {
            "kind": what,
            "fields": fields,
        }
    return ""


def _dereference(value: Any, fetcher: Fetcher) -> tuple[dict[str, Any] | None, str]:
    """An embedded object as it is, or a URL fetched; with why not when it cannot be had. A document
    that declares another id than the URL it came from is fetched again from that id, as the IMS
    validator does: only a URL speaks for itself (a key document elsewhere claiming the id of a key the
    issuer lists gets the issuer's real key, which its signature will not match)."""
    if isinstance(value, dict):
        return value, ""
    if not (isinstance(value, str) and _is_url(value)):
        return None, _("It is neither an embedded object nor a URL.")
    document = fetcher(value)
    if document.data is None or document.status >= 400:
        return None, document.error or _("%(url)s answered %(status)s.") % {
            "url": value,
            "status": document.status,
        }
    declared = document.data.get("id", value)
    if declared == value:
        return document.data, ""
    if isinstance(declared, str) and _is_url(declared):
        document = fetcher(declared)
        if document.data is not None and document.status < 400 and document.data.get("id") == declared:
            return document.data, ""
    return None, _("The document at %(url)s names another id, which does not answer as itself.") % {
        "url": value
    }


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def badge_verify(
    *,
    url: str = "",
    jws: str = "",
    assertion_json: str = "",
    image: bytes = b"",
    recipient_email: str = "",
    fetcher: Fetcher = default_fetcher,
    now: datetime | None = None,
) -> VerificationReport:
    """Check a badge given in any one of its forms; see the module's docstring."""
    report = VerificationReport()
    given = (url.strip(), jws.strip(), assertion_json.strip(), image)
    if sum(bool(value) for value in given) != 1:
        report.record(
            "input", False, _("Give exactly one of: an assertion URL, a JWS, assertion JSON or an image.")
        )
        return report
    text = url.strip() or jws.strip() or assertion_json.strip()
    try:
        text = _unbaked(image) if image else text
    except BakingError as error:
        report.record("input", False, str(error))
        return report
    if len(text) > MAX_URL_LENGTH and _is_url(text):
        report.record(
            "input", False, _("The address is longer than %(limit)s characters.") % {"limit": MAX_URL_LENGTH}
        )
        return report
    fetched = fetcher(text) if _is_url(text) else None
    if fetched is not None and fetched.image:
        # A URL answering a baked image (a badge's image link): what it carries is the badge.
        try:
            text, fetched = _unbaked(fetched.image), None
        except BakingError as error:
            report.record(
                "input",
                False,
                _("The address answers an image, not a badge record. %(error)s") % {"error": error},
            )
            return report
        if _is_url(text):
            fetched = fetcher(text)
    if not _classified(report, text):
        return report
    if report.verification_type == "signed":
        _verify_signed(report, text, fetcher)
    else:
        if not _is_url(text):  # assertion JSON: its URL is what counts
            text = safe_json.loads(text)["id"]
        _verify_url(report, text, fetcher, fetched or fetcher(text))
    if report.assertion is None or report.issuer is None:
        return report
    _check_expiry(report, now or datetime.now(UTC))
    _check_recipient(report, recipient_email)
    return report


def _classified(report: VerificationReport, text: str) -> bool:
    """Records the input check: is `text` a URL, a JWS or assertion JSON naming its URL?"""
    if _is_url(text):
        report.verification_type = "hosted"
    elif _is_jws(text):
        report.verification_type = "signed"
    elif text.startswith("{"):
        try:
            embedded = safe_json.loads(text)
        except safe_json.JSONReadError as error:
            return report.record(
                "input", False, _("The assertion JSON cannot be read: %(error)s") % {"error": error}
            )
        # A hosted assertion is only what its own URL says it is, so it is fetched again from there.
        assertion_id = embedded.get("id", "") if isinstance(embedded, dict) else ""
        if not isinstance(assertion_id, str) or not _is_url(assertion_id):
            return report.record("input", False, _("The assertion JSON has no id URL to fetch it from."))
        report.verification_type = "hosted"
    else:
        return report.record(
            "input", False, _("This is not an assertion URL, a JWS, assertion JSON or a baked image.")
        )
    kind = _("A signed assertion.") if report.verification_type == "signed" else _("A hosted assertion.")
    return report.record("input", True, kind)


def _load_assertion_graph(report: VerificationReport, assertion: dict[str, Any], fetcher: Fetcher) -> bool:
    problem = _structure_problem(
        assertion,
        "assertion",
        ("id", "type", "recipient", "badge", "verification", "issuedOn"),
        objects=("recipient", "verification"),
    )
    if not report.record("assertion", not problem, problem or _("Well formed.")):
        return False
    report.assertion = assertion
    badge_class, why = _dereference(assertion["badge"], fetcher)
    problem = why or _structure_problem(
        badge_class or {}, "badge class", ("id", "name", "description", "image", "criteria", "issuer")
    )
    if not report.record("badge_class", not problem, problem or _("Found and well formed.")):
        return False
    report.badge_class = badge_class
    assert badge_class is not None
    issuer, why = _dereference(badge_class["issuer"], fetcher)
    problem = why or _structure_problem(issuer or {}, "issuer", ("id", "name", "url"))
    if not report.record("issuer", not problem, problem or _("Found and well formed.")):
        return False
    report.issuer = issuer
    return True


def _verification_type(document: dict[str, Any]) -> str:
    verification = document.get("verification")
    return str(verification.get("type", "")).lower() if isinstance(verification, dict) else ""


def _verify_url(report: VerificationReport, url: str, fetcher: Fetcher, document: Document) -> None:
    """An assertion given by its URL, whose answer is `document`: hosted, or signed and then checked
    from the JWS the URL serves."""
    if document.status == 410 or (document.data or {}).get("revoked") is True:
        reason = (document.data or {}).get("revocationReason", "")
        by_issuer = _("Revoked by its issuer: %(reason)s.") if reason else _("Revoked by its issuer.")
        report.record("assertion", False, by_issuer % {"reason": reason} if reason else by_issuer)
        report.record(
            "revocation", False, _("Revoked: %(reason)s.") % {"reason": reason} if reason else _("Revoked.")
        )
        return
    if document.data is None or document.status >= 400:
        report.record(
            "assertion",
            False,
            document.error or _("%(url)s answered %(status)s.") % {"url": url, "status": document.status},
        )
        return
    assertion = document.data
    if assertion.get("id") != url:
        report.record("assertion", False, _("The document at this URL names another id."))
        return
    if _verification_type(assertion) in {"signed", "signedbadge"}:
        _verify_signed_url(report, url, fetcher)
        return
    if not _load_assertion_graph(report, assertion, fetcher):
        return
    assert report.issuer is not None
    # OB 2.0's default policy: a hosted assertion must live on its issuer's origin.
    same_origin = _origin(url) == _origin(str(report.issuer.get("id", "")))
    report.record(
        "hosted_origin",
        same_origin,
        _("Hosted on its issuer's site.") if same_origin else _("Not hosted on its issuer's site."),
    )
    if _verification_type(assertion) not in {"hosted", "hostedbadge"}:
        report.record("signature", False, _("Fetched by URL, but it says it is not a hosted badge."))
    report.record("revocation", True, _("Its URL answers: not revoked."))


def _verify_signed_url(report: VerificationReport, url: str, fetcher: Fetcher) -> None:
    """A signed assertion given by its URL is checked from the JWS that URL serves, which must be the
    assertion of that URL."""
    report.verification_type = "signed"
    signature = fetcher(url, JOSE)
    # Only an answer shaped as a compact JWS counts: a server ignoring Accept may send its page instead.
    shaped = COMPACT_JWS.fullmatch(signature.text) is not None
    jws = signature.text if signature.status == 200 and shaped else ""
    if not jws:
        report.record(
            "assertion",
            False,
            _(
                "This is a signed badge and its address does not give its signature (JWS), so it cannot be "
                "checked: verify the JWS or the baked image instead."
            ),
        )
        return
    _verify_signed(report, jws, fetcher, expected_id=url)


def _verify_signed(report: VerificationReport, jws: str, fetcher: Fetcher, expected_id: str = "") -> None:
    try:
        # Also checks the JWS is well formed and RS256 before anything it names is fetched.
        payload = unverified_payload(jws)
    except SignatureError as error:
        report.record("assertion", False, _("The JWS cannot be read: %(error)s") % {"error": error})
        return
    if expected_id and payload.get("id") != expected_id:
        report.record("assertion", False, _("The signature served at this URL is for another badge."))
        return
    if not _load_assertion_graph(report, payload, fetcher):
        return
    assert report.issuer is not None
    creator = (payload.get("verification") or {}).get("creator", "")
    key, why = _dereference(creator, fetcher) if creator else (None, _("The assertion names no signing key."))
    if not report.record("key", key is not None and bool(key.get("publicKeyPem")), why or _("Found.")):
        return
    assert key is not None
    owned, detail = _key_owned(key, report.issuer)
    report.record("key_owner", owned, detail)
    try:
        verify(jws, str(key["publicKeyPem"]))
    except SignatureError as error:
        report.record("signature", False, _("The signature does not match: %(error)s") % {"error": error})
        return
    report.jws = jws
    report.record("signature", True, _("Signed by the issuer's key."))
    _check_revocation_list(report, fetcher)


def _key_owned(key: dict[str, Any], issuer: dict[str, Any]) -> tuple[bool, str]:
    """Whether the issuer vouches for `key`. The key must name the issuer as its owner and not be
    revoked; and either the issuer's profile lists it (the key it signs with now), or the key is
    published on the issuer's own origin: a key it signed with before a rotation, which profiles stop
    listing because verifiers built on the IMS validator accept one publicKey only. The same origin rule
    OB 2.0 applies to hosted assertions."""
    issuer_id = issuer.get("id")
    if key.get("revoked") is True:
        return False, _("The issuer has revoked this key.")
    if key.get("owner") != issuer_id:
        return False, _("The key is not the issuer's: it names another owner.")
    listed = issuer.get("publicKey", [])
    listed_ids = {
        item if isinstance(item, str) else item.get("id") if isinstance(item, dict) else None
        for item in (listed if isinstance(listed, list) else [listed])
    }
    if key.get("id") in listed_ids:
        return True, _("Owned and listed by the issuer.")
    if _origin(str(key.get("id", ""))) == _origin(str(issuer_id)):
        return True, _("Owned by the issuer and published on its site (a key it signed with before).")
    return False, _("The key is not the issuer's: the issuer neither lists it nor publishes it.")


def _check_revocation_list(report: VerificationReport, fetcher: Fetcher) -> None:
    assert report.issuer is not None
    assert report.assertion is not None
    list_url = report.issuer.get("revocationList")
    if not list_url:
        report.record("revocation", True, _("The issuer keeps no revocation list."))
        return
    revocations, why = _dereference(list_url, fetcher)
    if revocations is None:
        report.record("revocation", False, _("The revocation list cannot be read: %(why)s") % {"why": why})
        return
    entries = revocations.get("revokedAssertions", [])
    assertion_id, uid = report.assertion.get("id"), report.assertion.get("uid")
    for entry in entries if isinstance(entries, list) else [entries]:
        entry_id = (
            entry
            if isinstance(entry, str)
            else entry.get("id") or entry.get("uid")
            if isinstance(entry, dict)
            else None
        )
        if entry_id and entry_id in {assertion_id, uid}:
            reason = entry.get("revocationReason", "") if isinstance(entry, dict) else ""
            listed = (
                _("Listed as revoked: %(reason)s.") % {"reason": reason}
                if reason
                else _("Listed as revoked.")
            )
            report.record("revocation", False, listed)
            return
    report.record("revocation", True, _("Not on the issuer's revocation list."))


def _check_expiry(report: VerificationReport, now: datetime) -> None:
    assert report.assertion is not None
    expires = report.assertion.get("expires")
    if not expires:
        report.record("expiry", True, _("Does not expire."))
        return
    moment = _parse_time(expires)
    if moment is None:
        report.record("expiry", False, _("Its expiry date cannot be read."))
    elif moment <= now:
        report.record("expiry", False, _("Expired on %(date)s.") % {"date": moment.date().isoformat()})
    else:
        report.record("expiry", True, _("Valid until %(date)s.") % {"date": moment.date().isoformat()})


def _check_recipient(report: VerificationReport, email: str) -> None:
    assert report.assertion is not None
    if not email.strip():
        report.record("recipient", None, _("No e-mail was given to compare with."))
        return
    recipient = report.assertion.get("recipient") or {}
    identity, salt = str(recipient.get("identity", "")), str(recipient.get("salt", "") or "")
    if recipient.get("hashed"):
        matches = identity_matches(identity, salt, email)
    else:
        matches = identity.strip().lower() == email.strip().lower()
    report.record(
        "recipient", matches, _("Awarded to this e-mail.") if matches else _("Not awarded to this e-mail.")
    )


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or ""), parts.port
