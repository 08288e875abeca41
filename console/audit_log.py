"""The hub's audit log as sentences people read: "Ada Lovelace issued “Laser cutter operator” to
m***@example.org", in the page's language, each name linked to its console page.

One mapping (SENTENCES) gives every audited action its translatable sentence; a test checks that every
action the domains declare has one, so a new action cannot reach the log unread. The objects the lines
name are read in bulk, a query per kind for a whole page, never one per line.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from audit.models import AuditEntry
from badges.models import AuditAction, BadgeClass, Issuer, IssuerMembership, IssuerRole
from directory.models import ChangeAction, NodeAction
from passport.models import Assertion

# Every audited action, as the sentence that tells it. The names between %(…)s are filled by _Resolver:
# actor (who did it), badge, recipient, reason, count, key, person, role, old_role, endorsed, listing,
# node.
SENTENCES: dict[str, Promise] = {
    AuditAction.ASSERTION_ISSUED: gettext_lazy("%(actor)s issued %(badge)s to %(recipient)s."),
    AuditAction.ASSERTIONS_ISSUED: ngettext_lazy(
        "%(actor)s issued %(badge)s to %(count)s person in a batch.",
        "%(actor)s issued %(badge)s to %(count)s people in a batch.",
        "count",
    ),
    AuditAction.ASSERTION_REVOKED: gettext_lazy(
        "%(actor)s revoked %(badge)s of %(recipient)s: “%(reason)s”."
    ),
    AuditAction.SIGNING_KEY_ROTATED: gettext_lazy(
        "%(actor)s rotated the signing key: %(key)s is the new active key."
    ),
    AuditAction.SIGNING_KEY_REVOKED: gettext_lazy("%(actor)s revoked the signing key %(key)s."),
    AuditAction.MEMBER_ADDED: gettext_lazy("%(actor)s gave %(person)s the role %(role)s."),
    AuditAction.MEMBER_CHANGED: gettext_lazy(
        "%(actor)s changed the role of %(person)s from %(old_role)s to %(role)s."
    ),
    AuditAction.MEMBER_REMOVED: gettext_lazy("%(actor)s took the role %(old_role)s away from %(person)s."),
    AuditAction.ISSUER_UPDATED: gettext_lazy("%(actor)s changed the %(profile)s."),
    AuditAction.BADGE_CLASS_CREATED: gettext_lazy("%(actor)s created the badge class %(badge)s."),
    AuditAction.BADGE_CLASS_UPDATED: gettext_lazy("%(actor)s changed the badge class %(badge)s."),
    AuditAction.ENDORSEMENT_GIVEN: gettext_lazy("%(actor)s endorsed %(badge)s from %(endorsed)s."),
    AuditAction.ENDORSEMENT_WITHDRAWN: gettext_lazy(
        "%(actor)s withdrew the endorsement of %(badge)s from %(endorsed)s."
    ),
    ChangeAction.CREATED: gettext_lazy("%(actor)s created the listing %(listing)s."),
    ChangeAction.UPDATED: gettext_lazy("%(actor)s edited the listing %(listing)s."),
    ChangeAction.PUBLISHED: gettext_lazy("%(actor)s published the listing %(listing)s."),
    ChangeAction.UNPUBLISHED: gettext_lazy("%(actor)s unpublished the listing %(listing)s."),
    ChangeAction.VERIFIED: gettext_lazy("%(actor)s verified the listing %(listing)s."),
    ChangeAction.UNVERIFIED: gettext_lazy("%(actor)s removed the verification of the listing %(listing)s."),
    ChangeAction.PHOTO_ADDED: gettext_lazy("%(actor)s added a photo to the listing %(listing)s."),
    ChangeAction.PHOTO_REMOVED: gettext_lazy("%(actor)s removed a photo from the listing %(listing)s."),
    ChangeAction.OWNER_ADDED: gettext_lazy("%(actor)s made %(person)s an owner of the listing %(listing)s."),
    ChangeAction.IMPORTED: gettext_lazy("%(actor)s imported the listing %(listing)s."),
    ChangeAction.DELETED: gettext_lazy("%(actor)s deleted the listing %(listing)s."),
    NodeAction.DESCRIBED: gettext_lazy("%(actor)s edited the description of the node %(node)s."),
}

REASON_LENGTH = 120


@dataclass(frozen=True)
class AuditLine:
    """One entry of the log as a page shows it: the sentence, and the entry itself for the raw details."""

    entry: AuditEntry
    sentence: SafeString


def masked_email(email: str) -> str:
    """An address shown without giving it away: its first letter and its domain (m***@example.org)."""
    local, at, domain = email.partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def person_name(user: User) -> str:
    return user.get_full_name() or user.email or user.get_username()


def _link(url: str, text: str) -> SafeString:
    return format_html('<a href="{}">{}</a>', url, text)


def _quoted(text: str) -> str:
    return _("“%(name)s”") % {"name": text}


def _role_label(value: Any) -> str:
    return str(IssuerRole(value).label) if value in IssuerRole.values else str(value or "")


def _recipient(assertion: Assertion | None) -> str:
    if assertion is None:
        return _("someone")
    if assertion.recipient_name:
        return assertion.recipient_name
    if assertion.pending_email:
        return masked_email(assertion.pending_email)
    return _("someone")


class _Resolver:
    """Reads what a page of entries names, one query per kind, then fills each entry's sentence."""

    def __init__(self, issuer: Issuer, entries: Sequence[AuditEntry]) -> None:
        self.issuer = issuer
        ids: dict[str, set[str]] = {}
        for entry in entries:
            ids.setdefault(entry.object_type, set()).add(entry.object_id)
        assertion_ids = ids.get("passport.assertion", set())
        self.assertions = (
            {
                assertion.public_id: assertion
                for assertion in Assertion.objects.filter(
                    badge_class__issuer=issuer, public_id__in=assertion_ids
                ).select_related("badge_class")
            }
            if assertion_ids
            else {}
        )
        class_ids = ids.get("badges.badgeclass", set())
        self.badge_classes = (
            {
                badge_class.public_id: badge_class
                for badge_class in BadgeClass.objects.filter(issuer=issuer, public_id__in=class_ids)
            }
            if class_ids
            else {}
        )
        actor_ids = {entry.actor_id for entry in entries if entry.actor_id is not None}
        membership_ids = [int(pk) for pk in ids.get("badges.issuermembership", set()) if pk.isdigit()]
        members = IssuerMembership.objects.filter(issuer=issuer).filter(
            Q(pk__in=membership_ids) | Q(user_id__in=actor_ids)
        )
        memberships = list(members.only("pk", "user_id")) if actor_ids or membership_ids else []
        self.membership_ids = {membership.pk for membership in memberships}
        self.member_of_user = {membership.user_id: membership.pk for membership in memberships}

    def _url(self, name: str, **kwargs: str) -> str:
        return reverse(f"console:{name}", kwargs={"slug": self.issuer.slug, **kwargs})

    def _staff_link(self, text: str, membership_id: int | None) -> SafeString | str:
        if membership_id is None:
            return text
        return _link(f"{self._url('staff')}#member-{membership_id}", text)

    def actor(self, entry: AuditEntry) -> SafeString | str:
        if entry.actor is None:
            return _("The system")
        return self._staff_link(person_name(entry.actor), self.member_of_user.get(entry.actor.pk))

    def badge_class(self, public_id: str, fallback: str) -> SafeString | str:
        badge_class = self.badge_classes.get(public_id)
        if badge_class is None:
            return _quoted(fallback)
        return _link(self._url("badge_class_edit", public_id=public_id), _quoted(badge_class.name))

    def values(self, entry: AuditEntry) -> dict[str, Any]:
        values: dict[str, Any] = {"actor": self.actor(entry)}
        filler = _FILLERS.get(entry.object_type)
        if filler is not None:
            values.update(filler(self, entry))
        return values


def _assertion_values(resolver: _Resolver, entry: AuditEntry) -> dict[str, Any]:
    assertion = resolver.assertions.get(entry.object_id)
    reason = (entry.after or {}).get("reason") or ""
    values: dict[str, Any] = {
        "recipient": _recipient(assertion),
        "reason": Truncator(reason).chars(REASON_LENGTH),
        "badge": _quoted(entry.object_label.rsplit(" (", 1)[0]),
    }
    if assertion is not None:
        url = resolver._url("assertion", public_id=assertion.public_id)
        values["badge"] = _link(url, _quoted(assertion.badge_class.name))
    return values


def _badge_class_values(resolver: _Resolver, entry: AuditEntry) -> dict[str, Any]:
    return {
        "badge": resolver.badge_class(entry.object_id, entry.object_label),
        "count": int((entry.after or {}).get("count") or 0),
    }


def _key_values(resolver: _Resolver, entry: AuditEntry) -> dict[str, Any]:
    return {"key": _link(resolver._url("keys"), entry.object_id[:12])}


def _member_values(resolver: _Resolver, entry: AuditEntry) -> dict[str, Any]:
    before, after = entry.before or {}, entry.after or {}
    state = after or before
    membership_id = int(entry.object_id) if entry.object_id.isdigit() else None
    found = membership_id if membership_id in resolver.membership_ids else None
    return {
        "person": resolver._staff_link(str(state.get("user") or entry.object_label), found),
        "role": _role_label(after.get("role")),
        "old_role": _role_label(before.get("role")),
    }


def _issuer_values(resolver: _Resolver, entry: AuditEntry) -> dict[str, Any]:
    return {"profile": _link(resolver._url("profile"), _("hub's profile"))}


def _endorsement_values(resolver: _Resolver, entry: AuditEntry) -> dict[str, Any]:
    state = entry.after or entry.before or {}
    url = resolver._url("endorsements")
    return {
        "badge": _link(url, _quoted(str(state.get("badge_class_name") or entry.object_label))),
        "endorsed": str(state.get("endorsed_issuer") or ""),
    }


def _listing_values(resolver: _Resolver, entry: AuditEntry) -> dict[str, Any]:
    owner = (entry.changes.get("owner") or [None, ""])[-1]
    return {"listing": _quoted(entry.object_label), "person": str(owner or "")}


def _node_values(resolver: _Resolver, entry: AuditEntry) -> dict[str, Any]:
    return {"node": _quoted(entry.object_label)}


_FILLERS: dict[str, Callable[[_Resolver, AuditEntry], dict[str, Any]]] = {
    "passport.assertion": _assertion_values,
    "badges.badgeclass": _badge_class_values,
    "badges.signingkey": _key_values,
    "badges.issuermembership": _member_values,
    "badges.issuer": _issuer_values,
    "badges.endorsement": _endorsement_values,
    "directory.listing": _listing_values,
    "machinery_map.hub": _listing_values,
    "directory.node": _node_values,
}


def _sentence(template: Promise | None, values: dict[str, Any], entry: AuditEntry) -> SafeString:
    if template is None:
        # An action no app declares any more (rows restored from an old backup): its raw name.
        return format_html("{} — {}", values["actor"], entry.get_action_display())
    escaped = _MissingIsEmpty(
        {key: value if isinstance(value, int) else conditional_escape(value) for key, value in values.items()}
    )
    # The translation is ours, not user input; only the values need escaping. A plural sentence picks
    # its form from escaped["count"].
    return mark_safe(str(template % escaped))


class _MissingIsEmpty(dict):
    """Values for a sentence; one the entry does not hold reads as empty rather than raising."""

    def __missing__(self, key: str) -> str:
        return ""


def audit_lines(issuer: Issuer, entries: Iterable[AuditEntry]) -> list[AuditLine]:
    """The entries (with their actors already read) as sentences, reading what they name in bulk."""
    entries = list(entries)
    resolver = _Resolver(issuer, entries)
    return [
        AuditLine(entry=entry, sentence=_sentence(SENTENCES.get(entry.action), resolver.values(entry), entry))
        for entry in entries
    ]


def audit_people(entries: QuerySet[AuditEntry]) -> QuerySet[User]:
    """Everyone who has a line in these entries, by name, for the filter (one query)."""
    actor_ids = entries.order_by().values("actor_id")
    return User.objects.filter(pk__in=actor_ids).order_by("first_name", "last_name", "email")
