"""The public verifier, /verify/: anyone pastes a badge's URL or JWS, or uploads a baked image, and reads
a report of every check in plain words, with the badge and its issuer as the documents describe them.

passport.verification does the checking (other issuers' documents are fetched under safe_fetch's rules);
this view only validates the form, counts the attempt against the client's limit and explains the
report. Everything shown comes from documents strangers publish, so links and images are kept only when
they are http(s) (or an embedded image), and the templates escape all text.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from badges import selectors as badge_selectors
from badges.models import Endorsement
from makeworks.lib.ratelimit import Limit, attempt_allowed
from makeworks.lib.requests import client_address
from makeworks.lib.text import strip_bidi
from passport.verification import CHECKS, Check, VerificationReport, badge_verify
from passport.verify_forms import VerifyForm

# Verifying may fetch three or four documents from another server, so one client gets a few dozen tries
# in ten minutes: plenty for a person, too few to use this site to probe other servers.
VERIFICATIONS_PER_CLIENT = Limit(count=30, seconds=600)

# Each check of passport.verification in words a non-expert understands: what it is about, and what it
# found when it passed and when it failed.
CHECK_SENTENCES: dict[str, tuple[Any, Any, Any]] = {
    "input": (
        gettext_lazy("What you gave"),
        gettext_lazy("We could read what you gave us as an Open Badge."),
        gettext_lazy("We could not read what you gave us as an Open Badge."),
    ),
    "assertion": (
        gettext_lazy("The badge record"),
        gettext_lazy("The badge record was found and is complete."),
        gettext_lazy("The badge record could not be found, or is incomplete or withdrawn."),
    ),
    "badge_class": (
        gettext_lazy("What the badge is"),
        gettext_lazy("The description of the badge (what it is and how it is earned) was found."),
        gettext_lazy("The description of the badge could not be found, or is incomplete."),
    ),
    "issuer": (
        gettext_lazy("Who issued it"),
        gettext_lazy("The profile of the organisation that issued it was found."),
        gettext_lazy("The profile of the organisation that issued it could not be found, or is incomplete."),
    ),
    "hosted_origin": (
        gettext_lazy("Where it is published"),
        gettext_lazy("The badge is published on its issuer's own website."),
        gettext_lazy("The badge is not published on its issuer's website, so it may not come from them."),
    ),
    "key": (
        gettext_lazy("The issuer's key"),
        gettext_lazy("The key the issuer signs badges with was found."),
        gettext_lazy("The key that should prove who signed the badge could not be found."),
    ),
    "key_owner": (
        gettext_lazy("Whose key it is"),
        gettext_lazy("That key belongs to the issuer, who lists it in its profile."),
        gettext_lazy("The key the badge was signed with is not one the issuer vouches for."),
    ),
    "signature": (
        gettext_lazy("Unchanged since issued"),
        gettext_lazy(
            "The digital signature matches: nobody has changed the badge since the issuer signed it."
        ),
        gettext_lazy(
            "The badge's proof of origin does not hold: it was changed after it was issued, or its "
            "issuer did not sign it."
        ),
    ),
    "revocation": (
        gettext_lazy("Not revoked"),
        gettext_lazy("The issuer has not revoked the badge."),
        gettext_lazy("The issuer has revoked the badge: it no longer counts."),
    ),
    "expiry": (
        gettext_lazy("Not expired"),
        gettext_lazy("The badge has not expired."),
        gettext_lazy("The badge has expired, or its expiry date cannot be read."),
    ),
    "recipient": (
        gettext_lazy("Whom it was awarded to"),
        gettext_lazy("It was awarded to the e-mail address you gave."),
        gettext_lazy("It was not awarded to the e-mail address you gave."),
    ),
}
NOT_RUN = gettext_lazy("Not checked, because an earlier check failed.")
NO_EMAIL = gettext_lazy(
    "Not checked: give the earner's e-mail address to check who the badge was awarded to."
)


@dataclass(frozen=True)
class PlainCheck:
    name: str
    topic: str
    passed: bool | None
    sentence: str
    detail: str


@dataclass(frozen=True)
class BadgeFacts:
    """What the report shows of the badge and its issuer, each link and image checked to be safe."""

    name: str
    description: str
    image: str
    criteria_url: str
    criteria_narrative: str
    issuer_name: str
    issuer_url: str
    issuer_email: str
    issued_on: datetime | None
    expires: datetime | None


# The checks that apply to each kind of badge, beyond those every badge goes through.
COMMON_CHECKS = ("input", "assertion", "badge_class", "issuer", "revocation", "expiry", "recipient")
CHECKS_BY_KIND = {
    "hosted": (*COMMON_CHECKS, "hosted_origin"),
    "signed": (*COMMON_CHECKS, "key", "key_owner", "signature"),
}


def all_checks(report: VerificationReport) -> list[Check]:
    """The report's checks in the verifier's order, with those that never ran because an earlier one
    failed listed as not run, so that a reader sees what was left unchecked."""
    recorded = {check.name: check for check in report.checks}
    applicable = set(CHECKS_BY_KIND.get(report.verification_type, ())) | set(recorded)
    return [recorded.get(name) or Check(name, None) for name in CHECKS if name in applicable]


def plain_check(check: Check) -> PlainCheck:
    topic, passed_sentence, failed_sentence = CHECK_SENTENCES.get(check.name, (check.name, "", ""))
    if check.passed is None:
        sentence = NO_EMAIL if check.name == "recipient" else NOT_RUN
    else:
        sentence = passed_sentence if check.passed else failed_sentence
    return PlainCheck(
        name=check.name, topic=str(topic), passed=check.passed, sentence=str(sentence), detail=check.detail
    )


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _web_link(value: Any) -> str:
    """`value` when it is an http(s) URL, so that a document cannot slip a javascript: link in."""
    text = _text(value)
    return text if urlsplit(text).scheme in {"http", "https"} else ""


def _image(value: Any) -> str:
    """A badge image: an http(s) URL or an embedded PNG or SVG (given as a string or an Image object)."""
    if isinstance(value, dict):
        value = value.get("id", "")
    text = _text(value)
    if text.startswith(("data:image/png;", "data:image/svg+xml;")):
        return text
    return _web_link(text)


def _moment(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(_text(value).replace("Z", "+00:00")) if _text(value) else None
    except ValueError:
        return None


def badge_facts(report: VerificationReport) -> BadgeFacts | None:
    badge_class = report.badge_class or {}
    if not badge_class:
        return None
    issuer = report.issuer or {}
    assertion = report.assertion or {}
    criteria = badge_class.get("criteria")
    criteria_url = _web_link(criteria.get("id") if isinstance(criteria, dict) else criteria)
    narrative = _text(criteria.get("narrative")) if isinstance(criteria, dict) else ""
    return BadgeFacts(
        name=strip_bidi(_text(badge_class.get("name"))),
        description=_text(badge_class.get("description")),
        image=_image(badge_class.get("image")),
        criteria_url=criteria_url,
        criteria_narrative=narrative,
        issuer_name=strip_bidi(_text(issuer.get("name"))),
        issuer_url=_web_link(issuer.get("url")),
        issuer_email=_text(issuer.get("email")),
        issued_on=_moment(assertion.get("issuedOn")),
        expires=_moment(assertion.get("expires")),
    )


def _endorsements(report: VerificationReport) -> list[Endorsement]:
    """Other hubs' standing endorsements of the badge's class, when the class is one of this site's."""
    badge_class_id = _text((report.badge_class or {}).get("id"))
    badge_class = badge_selectors.badge_class_from_url(badge_class_id) if badge_class_id else None
    return list(badge_selectors.badge_class_endorsements(badge_class)) if badge_class else []


def _verified(form: VerifyForm) -> VerificationReport:
    try:
        return _verified_as_given(form)
    except (AttributeError, KeyError, TypeError, ValueError):
        # The documents are strangers' JSON: one shaped unlike any badge gets a report, not an error page.
        report = VerificationReport()
        report.record("input", False, "Its documents are not shaped as Open Badges documents are.")
        return report


def _verified_as_given(form: VerifyForm) -> VerificationReport:
    data = form.cleaned_data
    text: str = data["badge"]
    email: str = data["email"]
    if data["image"]:
        return badge_verify(image=data["image"], recipient_email=email)
    if urlsplit(text).scheme in {"http", "https"}:
        return badge_verify(url=text, recipient_email=email)
    if text.startswith("{"):
        return badge_verify(assertion_json=text, recipient_email=email)
    return badge_verify(jws=text, recipient_email=email)


@require_http_methods(["GET", "HEAD", "POST"])
# The report shows the badge's own image, which any issuer may host anywhere on the web.
@csp_update({"img-src": ["https:"]})
def verify(request: HttpRequest) -> HttpResponse:
    """The form; posted, or opened with ?badge=<url> from a badge's page, the report as well."""
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
    else:
        form = VerifyForm(request.GET if "badge" in request.GET else None)
    context: dict[str, Any] = {"form": form}
    if not form.is_bound:
        return render(request, "passport/verify.html", context)
    if not attempt_allowed(scope="verify", key=client_address(request), limit=VERIFICATIONS_PER_CLIENT):
        minutes = VERIFICATIONS_PER_CLIENT.seconds // 60
        response = render(
            request,
            "passport/verify_limited.html",
            {"count": VERIFICATIONS_PER_CLIENT.count, "minutes": minutes},
            status=429,
        )
        response["Retry-After"] = str(VERIFICATIONS_PER_CLIENT.seconds)
        return response
    if not form.is_valid():
        return render(request, "passport/verify.html", context, status=400)
    report = _verified(form)
    checks = [plain_check(check) for check in all_checks(report)]
    # A revoked badge also fails to load as a record; the revocation is the reason a person needs.
    failures = sorted(
        (check for check in checks if check.passed is False), key=lambda check: check.name != "revocation"
    )
    context.update(
        report=report,
        checks=checks,
        reason=failures[0].sentence if failures else "",
        facts=badge_facts(report),
        revocation=report.check("revocation"),
        expiry=report.check("expiry"),
        recipient=report.check("recipient"),
        endorsements=_endorsements(report),
        headline=_("This badge is valid") if report.valid else _("This badge is not valid"),
    )
    return render(request, "passport/verify.html", context)
