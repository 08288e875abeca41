"""Writes of endorsements: one hub's issuer recognising another hub's badge class, and withdrawing that.

Each function runs in one transaction, checks its input with a message a person can act on, and records
the change in the endorser's audit log. Whether the person may endorse for that hub at all is
badges.permissions' question (IssuerAction.ENDORSE), asked by the views before they call these.
"""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from badges.models import AuditAction, BadgeClass, Endorsement, Issuer
from makeworks.lib.actors import Actor

# An endorsement comment is a few sentences shown beside the badge, not a document.
MAX_COMMENT_LENGTH = 2000


def _state(endorsement: Endorsement) -> dict[str, Any]:
    """An endorsement as the audit log keeps it: names as well as ids, so the line reads on its own."""
    accepted_as = endorsement.accepted_as
    return {
        "badge_class": endorsement.badge_class.public_id,
        "badge_class_name": endorsement.badge_class.name,
        "endorsed_issuer": endorsement.badge_class.issuer.name,
        "accepted_as": accepted_as.public_id if accepted_as else None,
        "accepted_as_name": accepted_as.name if accepted_as else None,
        "comment": endorsement.comment,
        "withdrawn_at": endorsement.withdrawn_at,
    }


def _checked(
    *, endorser: Issuer, badge_class: BadgeClass, accepted_as: BadgeClass | None, comment: str
) -> str:
    """The comment as stored, once everything else is known to make sense; raises ValidationError."""
    if badge_class.issuer_id == endorser.pk:
        raise ValidationError(
            {
                "badge_class": _(
                    "“%(badge)s” is a badge of %(issuer)s itself: a hub endorses other hubs' badges, "
                    "not its own."
                )
                % {"badge": badge_class.name, "issuer": endorser.name}
            },
            code="own_badge_class",
        )
    if accepted_as is not None and accepted_as.issuer_id != endorser.pk:
        raise ValidationError(
            {
                "accepted_as": _(
                    "“%(badge)s” is not a badge of %(issuer)s; a badge can only be accepted in place of "
                    "one of your own."
                )
                % {"badge": accepted_as.name, "issuer": endorser.name}
            },
            code="foreign_accepted_as",
        )
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            {
                "comment": _("The comment may have at most %(count)d characters; it has %(length)d.")
                % {"count": MAX_COMMENT_LENGTH, "length": len(comment)}
            },
            code="comment_too_long",
        )
    return comment


def _duplicate(endorser: Issuer, badge_class: BadgeClass) -> ValidationError:
    return ValidationError(
        {
            "badge_class": _(
                "%(issuer)s already endorses “%(badge)s”; withdraw that endorsement first to give a new one."
            )
            % {"issuer": endorser.name, "badge": badge_class.name}
        },
        code="duplicate",
    )


@transaction.atomic
def endorsement_give(
    *,
    endorser: Issuer,
    badge_class: BadgeClass,
    accepted_as: BadgeClass | None = None,
    comment: str = "",
    actor: Actor,
) -> Endorsement:
    """`endorser` publishes an Open Badges endorsement of another hub's `badge_class`, optionally
    accepting it in place of one of its own classes (`accepted_as`)."""
    comment = _checked(endorser=endorser, badge_class=badge_class, accepted_as=accepted_as, comment=comment)
    # Locking the endorser makes two endorsements of the same class at once run one after the other.
    Issuer.objects.select_for_update().get(pk=endorser.pk)
    standing = Endorsement.objects.filter(
        endorser=endorser, badge_class=badge_class, withdrawn_at__isnull=True
    )
    if standing.exists():
        raise _duplicate(endorser, badge_class)
    endorsement = Endorsement(
        endorser=endorser,
        badge_class=badge_class,
        accepted_as=accepted_as,
        comment=comment,
        issued_on=timezone.now(),
        created_by=actor if isinstance(actor, User) else None,
    )
    try:
        # The unique constraint still guards databases where the lock above does nothing (SQLite).
        with transaction.atomic():
            endorsement.save()
    except IntegrityError:
        raise _duplicate(endorser, badge_class) from None
    audit_log(
        actor=actor,
        action=AuditAction.ENDORSEMENT_GIVEN,
        obj=endorsement,
        scope=endorser,
        data={"after": _state(endorsement)},
    )
    return endorsement


@transaction.atomic
def endorsement_withdraw(*, endorsement: Endorsement, actor: Actor) -> Endorsement:
    """Stop vouching for the badge class. The endorsement stays, marked withdrawn, so its public URL
    tells verifiers that it was withdrawn rather than that it never existed."""
    try:
        current = (
            Endorsement.objects.select_for_update(of=("self",))
            .select_related("endorser", "badge_class__issuer", "accepted_as")
            .get(pk=endorsement.pk)
        )
    except Endorsement.DoesNotExist:
        raise ValidationError(_("This endorsement does not exist."), code="unknown_endorsement") from None
    if current.withdrawn_at is not None:
        raise ValidationError(
            _("This endorsement was already withdrawn on %(date)s.")
            % {"date": timezone.localtime(current.withdrawn_at).date().isoformat()},
            code="already_withdrawn",
        )
    before = _state(current)
    current.withdrawn_at = timezone.now()
    current.save(update_fields=["withdrawn_at"])
    audit_log(
        actor=actor,
        action=AuditAction.ENDORSEMENT_WITHDRAWN,
        obj=current,
        scope=current.endorser,
        data={"before": before, "after": _state(current)},
    )
    return current
