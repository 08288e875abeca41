"""Reads for the console: a hub's dashboard, its assertions searched and filtered, their CSV export, how
far a bulk batch has got, and what the owners' and editors' pages list (people, keys, badge classes)."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from badges import selectors as badge_selectors
from badges.models import BadgeClass, Issuer, IssuerMembership, SigningKey, SigningKeyStatus
from badges.openbadges import recipient
from makeworks.lib.spreadsheet import cell_neutralise
from passport import selectors
from passport.models import DELIVERED, STUCK_AFTER, Assertion, IssueBatch, stuck

EXPIRING_DAYS = 30
DASHBOARD_MONTHS = 12
RECENT_BATCHES = 5
# Assertions read per query of the export, and per pass of the e-mail search's hashing.
CHUNK_SIZE = 2000


class StatusFilter(StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    REVOKED = "revoked"
    FAILED = "failed"


STATUS_LABELS = {
    StatusFilter.VALID: _("Valid"),
    StatusFilter.EXPIRING: _("Expiring within 30 days"),
    StatusFilter.EXPIRED: _("Expired"),
    StatusFilter.REVOKED: _("Revoked"),
    StatusFilter.FAILED: _("Delivery failed"),
}


def hub_badge_classes(issuer: Issuer) -> QuerySet[BadgeClass]:
    return BadgeClass.objects.filter(issuer=issuer).order_by("name")


def hub_assertion(issuer: Issuer, public_id: str) -> Assertion | None:
    """One of the hub's assertions; None for an unknown id or another hub's."""
    return (
        Assertion.objects.select_related("badge_class__issuer", "batch")
        .filter(badge_class__issuer=issuer, public_id=public_id)
        .first()
    )


def hub_batch(issuer: Issuer, batch_id: int) -> IssueBatch | None:
    return IssueBatch.objects.select_related("badge_class").filter(issuer=issuer, pk=batch_id).first()


def assertion_delivering(assertion: Assertion) -> bool:
    """Whether the bake or the award e-mail of a badge is still to come (not given up, not revoked)."""
    waiting = assertion.baked_at is None or bool(assertion.pending_email)
    return waiting and assertion.delivery_failed_at is None and not assertion.revoked


def assertion_stuck(assertion: Assertion) -> bool:
    """Whether a badge still being delivered has waited so long that its task was probably lost (a
    broker outage, a killed worker), so staff may queue it again."""
    queued = assertion.delivery_queued_at
    long_ago = queued is None or queued < timezone.now() - STUCK_AFTER
    return assertion_delivering(assertion) and long_ago


# Batches ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchProgress:
    """How far baking and e-mailing have got: done (delivered), failed (a task gave up), pending."""

    total: int
    done: int
    failed: int
    # Pending ones whose tasks were probably lost; they count as pending too.
    stuck: int = 0

    @property
    def pending(self) -> int:
        return self.total - self.done - self.failed

    @property
    def complete(self) -> bool:
        return self.pending == 0

    @property
    def finished(self) -> int:
        return self.done + self.failed


def batch_progress(batch: IssueBatch) -> BatchProgress:
    counts = Assertion.objects.filter(batch=batch).aggregate(
        total_count=Count("pk"),
        done_count=Count("pk", filter=DELIVERED),
        failed_count=Count("pk", filter=~DELIVERED & Q(delivery_failed_at__isnull=False)),
        stuck_count=Count("pk", filter=stuck(timezone.now())),
    )
    return BatchProgress(
        total=counts["total_count"],
        done=counts["done_count"],
        failed=counts["failed_count"],
        stuck=counts["stuck_count"],
    )


# Dashboard -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthCount:
    month: date
    issued: int


@dataclass(frozen=True)
class HubDashboard:
    issued: int
    revoked: int
    expiring: int
    failed: int
    badge_classes: list[BadgeClass]  # each annotated with `issued` and `revoked`
    months: list[MonthCount]
    batches: list[tuple[IssueBatch, BatchProgress]]


def _month_starts(today: date, count: int) -> list[date]:
    """The first days of the `count` months up to and including today's, oldest first."""
    starts = []
    year, month = today.year, today.month
    for _index in range(count):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def hub_dashboard(issuer: Issuer, *, now: datetime | None = None) -> HubDashboard:
    """Counts for one hub: badges issued, revoked, expiring within 30 days and failed to deliver; per
    badge class; per month over the last twelve (months without badges count 0); recent batches."""
    now = now or timezone.now()
    assertions = Assertion.objects.filter(badge_class__issuer=issuer)
    totals = assertions.aggregate(
        issued_count=Count("pk"),
        revoked_count=Count("pk", filter=Q(revoked=True)),
        expiring_count=Count("pk", filter=_status_q(StatusFilter.EXPIRING, now)),
        failed_count=Count("pk", filter=_status_q(StatusFilter.FAILED, now)),
    )
    badge_classes = hub_badge_classes(issuer).annotate(
        issued=Count("assertions"), revoked=Count("assertions", filter=Q(assertions__revoked=True))
    )
    starts = _month_starts(timezone.localdate(now), DASHBOARD_MONTHS)
    first = day_start(starts[0])
    per_month = (
        assertions.filter(issued_on__gte=first)
        .annotate(month=TruncMonth("issued_on"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {_as_date(row["month"]): row["count"] for row in per_month}
    batches = IssueBatch.objects.filter(issuer=issuer).select_related("badge_class")[:RECENT_BATCHES]
    return HubDashboard(
        issued=totals["issued_count"],
        revoked=totals["revoked_count"],
        expiring=totals["expiring_count"],
        failed=totals["failed_count"],
        badge_classes=list(badge_classes),
        months=[MonthCount(start, counts.get(start, 0)) for start in starts],
        batches=[(batch, batch_progress(batch)) for batch in batches],
    )


def _as_date(month: date | datetime) -> date:
    # TruncMonth gives a datetime in the current time zone on most databases, a date on some.
    return timezone.localtime(month).date() if isinstance(month, datetime) else month


# Search ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssertionQuery:
    """What the assertion list is filtered by; empty values filter nothing."""

    badge_class: BadgeClass | None = None
    # A full e-mail address (matched against each assertion's salted hash), or part of a name.
    recipient: str = ""
    issued_from: date | None = None
    issued_to: date | None = None
    status: str = ""
    batch: int | None = None


def _status_q(status: str, now: datetime) -> Q:
    expiring_before = now + timedelta(days=EXPIRING_DAYS)
    not_expired = Q(expires__isnull=True) | Q(expires__gt=now)
    conditions = {
        StatusFilter.VALID: Q(revoked=False) & not_expired,
        StatusFilter.EXPIRING: Q(revoked=False, expires__gt=now, expires__lte=expiring_before),
        StatusFilter.EXPIRED: Q(revoked=False, expires__lte=now),
        StatusFilter.REVOKED: Q(revoked=True),
        StatusFilter.FAILED: ~DELIVERED & Q(delivery_failed_at__isnull=False),
    }
    try:
        return conditions[StatusFilter(status)]
    except ValueError:
        return Q()


def day_start(day: date) -> datetime:
    """Midnight at the start of `day` in the site's time zone: what a date typed in the console means."""
    return timezone.make_aware(datetime.combine(day, time.min))


def hub_assertions(
    issuer: Issuer, query: AssertionQuery, *, now: datetime | None = None
) -> QuerySet[Assertion]:
    """The hub's assertions that match `query`, newest first.

    A recipient with an "@" is an e-mail address: only its salted hashes are stored, so each candidate
    assertion's hash is recomputed in Python (about a million a second), after the other filters have
    narrowed the candidates. Anything else matches part of the recipient's name.
    """
    now = now or timezone.now()
    assertions = Assertion.objects.filter(badge_class__issuer=issuer)
    if query.badge_class is not None:
        assertions = assertions.filter(badge_class=query.badge_class)
    if query.issued_from is not None:
        assertions = assertions.filter(issued_on__gte=day_start(query.issued_from))
    if query.issued_to is not None:
        assertions = assertions.filter(issued_on__lt=day_start(query.issued_to + timedelta(days=1)))
    if query.batch is not None:
        assertions = assertions.filter(batch_id=query.batch)
    assertions = assertions.filter(_status_q(query.status, now))
    text = query.recipient.strip()
    if "@" in text:
        assertions = assertions.filter(pk__in=_ids_for_email(assertions, text))
    elif text:
        assertions = assertions.filter(recipient_name__icontains=text)
    return assertions.select_related("badge_class").order_by("-issued_on", "-pk")


def _ids_for_email(assertions: QuerySet[Assertion], email: str) -> list[int]:
    candidates = assertions.order_by().values_list("pk", "recipient_identity", "recipient_salt")
    return [
        pk
        for pk, identity, salt in candidates.iterator(chunk_size=CHUNK_SIZE)
        if recipient.hash_identity(email, salt) == identity
    ]


# Export ----------------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "public_id", "url", "badge_class", "recipient_name", "recipient_identity", "recipient_salt",
    "issued_on", "expires", "verification", "status", "revoked_at", "revocation_reason", "evidence_url",
    "narrative", "baked_at", "emailed_at", "delivery_failure", "batch",
)  # fmt: skip


def _export_row(assertion: Assertion, urls: dict[int, selectors.DocumentUrls], now: datetime) -> list[Any]:
    # The plain address waiting for the award e-mail is never exported; only its salted hash is.
    document_urls = urls.setdefault(
        assertion.badge_class_id, selectors.document_urls(assertion.badge_class, signing_key=None)
    )
    url, _image = document_urls.for_assertion(assertion)
    values = [
        assertion.public_id,
        url,
        assertion.badge_class.name,
        assertion.recipient_name,
        assertion.recipient_identity,
        assertion.recipient_salt,
        assertion.issued_on,
        assertion.expires,
        assertion.verification_type,
        selectors.assertion_status(assertion, now=now),
        assertion.revoked_at,
        assertion.revocation_reason,
        assertion.evidence_url,
        assertion.narrative,
        assertion.baked_at,
        assertion.emailed_at,
        assertion.delivery_failure if assertion.delivery_failed_at else "",
        assertion.batch_id or "",
    ]
    return [_csv_cell(value) for value in values]


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, int):
        return value
    # A spreadsheet would run a cell starting with =, +, -, @ as a formula: such cells get a leading quote.
    return cell_neutralise(str(value))


def assertions_csv_chunks(assertions: QuerySet[Assertion], *, now: datetime | None = None) -> Iterator[str]:
    """The assertions as CSV text, the header first, then a piece per CHUNK_SIZE assertions read in id
    order from where the last piece stopped, so no query holds more than one chunk."""
    now = now or timezone.now()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    yield buffer.getvalue()
    ordered = assertions.select_related("badge_class").defer("jws").order_by("pk")
    urls: dict[int, selectors.DocumentUrls] = {}
    after_pk = 0
    while True:
        chunk = list(ordered.filter(pk__gt=after_pk)[:CHUNK_SIZE])
        if not chunk:
            return
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(_export_row(assertion, urls, now) for assertion in chunk)
        yield buffer.getvalue()
        after_pk = chunk[-1].pk


# Owners' and editors' pages -------------------------------------------------------------------------


def hub_badge_classes_counted(issuer: Issuer) -> QuerySet[BadgeClass]:
    """The hub's badge classes by name, each annotated with `issued`, how many badges it has awarded."""
    return hub_badge_classes(issuer).annotate(issued=Count("assertions"))


def hub_badge_class(issuer: Issuer, public_id: str) -> BadgeClass | None:
    """One of the hub's badge classes; None for an unknown id or another hub's."""
    return hub_badge_classes_counted(issuer).filter(public_id=public_id).first()


def hub_membership(issuer: Issuer, membership_id: int) -> IssuerMembership | None:
    """One person's role on the hub; None for an unknown id or another hub's."""
    return badge_selectors.issuer_memberships(issuer).filter(pk=membership_id).first()


def hub_signing_keys(issuer: Issuer) -> QuerySet[SigningKey]:
    """The hub's signing keys, newest first, each annotated with `signed`, how many badges it signed."""
    return badge_selectors.issuer_keys(issuer).annotate(signed=Count("assertions"))


def hub_signing_key(issuer: Issuer, public_id: str) -> SigningKey | None:
    """One of the hub's signing keys, with `signed`; None for an unknown id or another hub's."""
    return hub_signing_keys(issuer).filter(public_id=public_id).first()


def hub_active_key(issuer: Issuer) -> SigningKey | None:
    return hub_signing_keys(issuer).filter(status=SigningKeyStatus.ACTIVE).first()


def account_by_email(email: str) -> User | None:
    """The account an owner means by an e-mail address: one that verified it, or, for accounts made
    outside the sign-up (an administrator's), the address on the account itself. An address someone
    added without verifying it finds nobody, so nobody gets a hub role by claiming another's address."""
    verified = EmailAddress.objects.filter(email__iexact=email, verified=True, user__is_active=True)
    found = verified.select_related("user").first()
    if found is not None:
        return found.user
    return User.objects.filter(email__iexact=email, is_active=True, emailaddress__isnull=True).first()
