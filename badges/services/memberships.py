"""Who works on each issuer: giving people roles, changing and taking them away. Every change keeps at
least one owner and is written to the issuer's audit log."""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_log
from badges.models import AuditAction, Issuer, IssuerMembership, IssuerRole
from makeworks.lib.actors import Actor


def _person(user: User) -> str:
    return user.email or user.get_username()


def _membership_state(membership: IssuerMembership) -> dict[str, Any]:
    """A membership as the audit log keeps it: enough to tell who it was after the account is gone."""
    return {"user_id": membership.user_id, "user": _person(membership.user), "role": membership.role}


def _role_checked(role: str) -> IssuerRole:
    if role not in IssuerRole.values:
        raise ValidationError(
            _("“%(role)s” is not a role; choose owner, editor or staff."),
            code="unknown_role",
            params={"role": role},
        )
    return IssuerRole(role)


def _membership_new(*, issuer: Issuer, user: User, role: IssuerRole, actor: Actor) -> IssuerMembership:
    if IssuerMembership.objects.filter(issuer=issuer, user=user).exists():
        raise ValidationError(
            _("%(person)s already has a role for %(issuer)s; change that role instead."),
            code="already_member",
            params={"person": _person(user), "issuer": issuer.name},
        )
    membership = IssuerMembership.objects.create(issuer=issuer, user=user, role=role)
    audit_log(
        actor=actor,
        action=AuditAction.MEMBER_ADDED,
        obj=membership,
        scope=issuer,
        data={"after": _membership_state(membership)},
    )
    return membership


def issuer_member_check(*, membership: IssuerMembership, role: str | None) -> None:
    """Raise ValidationError if `membership` may not take `role` (None: may not be removed): an issuer
    never loses its last owner, or nobody but a site administrator could manage it any more.

    The services call this after locking the issuer; forms call it to show the refusal beside the field.
    """
    if role is not None:
        _role_checked(role)
    if membership.role != IssuerRole.OWNER or role == IssuerRole.OWNER:
        return
    other_owners = IssuerMembership.objects.filter(issuer_id=membership.issuer_id, role=IssuerRole.OWNER)
    if not other_owners.exclude(pk=membership.pk).exists():
        raise ValidationError(
            _("%(person)s is the only owner of %(issuer)s; make someone else an owner first."),
            code="last_owner",
            params={"person": _person(membership.user), "issuer": membership.issuer.name},
        )


def _membership_locked(membership: IssuerMembership) -> IssuerMembership:
    # Locking the issuer row first makes two changes to its people run one after the other, so two owners
    # demoting each other at once cannot leave it with none.
    Issuer.objects.select_for_update().get(pk=membership.issuer_id)
    try:
        return IssuerMembership.objects.select_related("issuer", "user").get(pk=membership.pk)
    except IssuerMembership.DoesNotExist:
        raise ValidationError(
            _("This person no longer has a role for this issuer."), code="unknown_membership"
        ) from None


@transaction.atomic
def issuer_member_add(*, issuer: Issuer, user: User, role: str, actor: Actor) -> IssuerMembership:
    """Give `user` a role for `issuer`. Refused for someone who already has one (change it instead)."""
    checked_role = _role_checked(role)
    Issuer.objects.select_for_update().get(pk=issuer.pk)
    return _membership_new(issuer=issuer, user=user, role=checked_role, actor=actor)


@transaction.atomic
def issuer_member_change(*, membership: IssuerMembership, role: str, actor: Actor) -> IssuerMembership:
    """Give a member another role; the issuer's last owner keeps theirs. Asking for the role they
    already have changes and records nothing."""
    checked_role = _role_checked(role)
    current = _membership_locked(membership)
    if current.role == checked_role:
        return current
    issuer_member_check(membership=current, role=checked_role)
    before = _membership_state(current)
    current.role = checked_role
    current.save(update_fields=["role"])
    audit_log(
        actor=actor,
        action=AuditAction.MEMBER_CHANGED,
        obj=current,
        scope=current.issuer,
        data={"before": before, "after": _membership_state(current)},
    )
    return current


@transaction.atomic
def issuer_member_remove(*, membership: IssuerMembership, actor: Actor) -> None:
    """Take a person's role for an issuer away; the issuer's last owner stays."""
    current = _membership_locked(membership)
    issuer_member_check(membership=current, role=None)
    audit_log(
        actor=actor,
        action=AuditAction.MEMBER_REMOVED,
        obj=current,
        scope=current.issuer,
        data={"before": _membership_state(current)},
    )
    current.delete()
