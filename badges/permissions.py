"""Who may do what with a hub's badges: the one place that says so. The staff console, the admin and any
API ask `can()` or call `require()` (an API view, `require_issuer_action`, whether a key or a person sent
the request); nothing else decides.

A person's role is worked out per issuer: an owner, editor or staff member of that issuer (an
`IssuerMembership`), or a site administrator, who may do everything everywhere. An owner of hub A is
nobody at all where hub B is concerned. An issuer that requires two-factor authentication admits nobody,
site administrators included, whose account has no authenticator app (TOTP) set up.
"""

from enum import StrEnum
from typing import TYPE_CHECKING

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import NotAuthenticated

from badges.models import Issuer, IssuerMembership, IssuerRole
from makeworks.lib.api.grants import CREDENTIALS_MISSING, key_grant

if TYPE_CHECKING:
    from rest_framework.request import Request

# The role of a site administrator, who holds no membership yet may do everything on every issuer.
SITE_ADMIN = "admin"


class IssuerAction(StrEnum):
    VIEW = "view"  # see the hub's badge classes and assertions
    ISSUE = "issue"  # issue one badge or a batch, re-send the award e-mail
    REVOKE = "revoke"
    MANAGE_BADGE_CLASSES = "manage_badge_classes"  # create badge classes
    MANAGE_ISSUER = "manage_issuer"  # edit the issuer profile, rotate and revoke its keys
    MANAGE_STAFF = "manage_staff"  # give people roles, change and take them away
    READ_AUDIT_LOG = "read_audit_log"
    ENDORSE = "endorse"  # endorse other hubs' badge classes and withdraw those endorsements
    CONFIRM_AFFILIATION = "confirm_affiliation"  # confirm that a maker is affiliated with the hub


# Which roles may take each action. A role is never implied by another here: each row names them all.
RULES: dict[IssuerAction, frozenset[str]] = {
    IssuerAction.VIEW: frozenset({IssuerRole.STAFF, IssuerRole.EDITOR, IssuerRole.OWNER, SITE_ADMIN}),
    IssuerAction.ISSUE: frozenset({IssuerRole.EDITOR, IssuerRole.OWNER, SITE_ADMIN}),
    IssuerAction.REVOKE: frozenset({IssuerRole.EDITOR, IssuerRole.OWNER, SITE_ADMIN}),
    IssuerAction.MANAGE_BADGE_CLASSES: frozenset({IssuerRole.EDITOR, IssuerRole.OWNER, SITE_ADMIN}),
    IssuerAction.MANAGE_ISSUER: frozenset({IssuerRole.OWNER, SITE_ADMIN}),
    IssuerAction.MANAGE_STAFF: frozenset({IssuerRole.OWNER, SITE_ADMIN}),
    IssuerAction.READ_AUDIT_LOG: frozenset({IssuerRole.OWNER, SITE_ADMIN}),
    IssuerAction.ENDORSE: frozenset({IssuerRole.OWNER, SITE_ADMIN}),
    IssuerAction.CONFIRM_AFFILIATION: frozenset(
        {IssuerRole.STAFF, IssuerRole.EDITOR, IssuerRole.OWNER, SITE_ADMIN}
    ),
}

# What each action is, as the refusal message names it.
ACTION_DESCRIPTIONS = {
    IssuerAction.VIEW: gettext_lazy("see this hub's badges"),
    IssuerAction.ISSUE: gettext_lazy("issue badges"),
    IssuerAction.REVOKE: gettext_lazy("revoke badges"),
    IssuerAction.MANAGE_BADGE_CLASSES: gettext_lazy("create badge classes"),
    IssuerAction.MANAGE_ISSUER: gettext_lazy("change the issuer profile or its signing keys"),
    IssuerAction.MANAGE_STAFF: gettext_lazy("change who works on this hub's badges"),
    IssuerAction.READ_AUDIT_LOG: gettext_lazy("read the audit log"),
    IssuerAction.ENDORSE: gettext_lazy("endorse other hubs' badges"),
    IssuerAction.CONFIRM_AFFILIATION: gettext_lazy("confirm makers' affiliations with this hub"),
}


class TwoFactorRequired(PermissionDenied):
    """The person has a role on the issuer, which requires two-factor authentication they have not set up.
    The console answers it by sending them to set up an authenticator app."""


def issuer_role(user: User | AnonymousUser, issuer: Issuer) -> str | None:
    """SITE_ADMIN for a site administrator, else the person's IssuerRole value for `issuer`, or None when
    they have no role there (anonymous visitors and deactivated accounts never have one)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return SITE_ADMIN
    return IssuerMembership.objects.filter(issuer=issuer, user=user).values_list("role", flat=True).first()


def has_two_factor(user: User | AnonymousUser) -> bool:
    """Whether `user` signs in with an authenticator app code (allauth.mfa's TOTP)."""
    if not user.is_authenticated:
        return False
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def two_factor_missing(user: User | AnonymousUser, issuer: Issuer) -> bool:
    """Whether `issuer` requires two-factor authentication that `user` has not set up."""
    return issuer.require_two_factor and not has_two_factor(user)


def can(user: User | AnonymousUser, action: IssuerAction, issuer: Issuer) -> bool:
    held = issuer_role(user, issuer)
    return held in RULES[action] and not two_factor_missing(user, issuer)


def allowed_actions(user: User | AnonymousUser, issuer: Issuer) -> dict[str, bool]:
    """`can()` for every action on one issuer, working out the role once: {action: allowed}."""
    held = issuer_role(user, issuer)
    if held is not None and two_factor_missing(user, issuer):
        held = None
    return {action.value: held in allowed for action, allowed in RULES.items()}


def require(user: User | AnonymousUser, action: IssuerAction, issuer: Issuer) -> None:
    """Raise unless `user` may take `action` on `issuer`: Http404 when they have no role there at all,
    so another hub's ids are not even confirmed to exist; TwoFactorRequired when the issuer requires
    two-factor authentication they have not set up; PermissionDenied, saying why, otherwise."""
    held = issuer_role(user, issuer)
    if held is None:
        raise Http404(_("No such hub among yours."))
    if two_factor_missing(user, issuer):
        raise TwoFactorRequired(
            _(
                "%(issuer)s requires two-factor authentication: set up an authenticator app for your "
                "account to work on its badges."
            )
            % {"issuer": issuer.name}
        )
    if held not in RULES[action]:
        raise PermissionDenied(
            _("As %(role)s of %(issuer)s you may not %(action)s; ask one of its owners if you need to.")
            % {
                "role": _role_label(held),
                "issuer": issuer.name,
                "action": ACTION_DESCRIPTIONS[action],
            }
        )


def _role_label(held: str) -> str:
    if held in IssuerRole.values:
        return str(IssuerRole(held).label).lower()
    return _("site administrator")


def issuers_for(user: User | AnonymousUser) -> QuerySet[Issuer]:
    """The issuers `user` has any role on, by name; every issuer for a site administrator."""
    if not user.is_authenticated or not user.is_active:
        return Issuer.objects.none()
    if user.is_superuser:
        return Issuer.objects.order_by("name")
    return Issuer.objects.filter(memberships__user=user).order_by("name")


# What a partner's API key may do, by its scopes, on the one issuer it was made for (plain strings, so
# this module needs nothing of the front door, api/, that stores keys). A key holds no role anywhere else.
KEY_SCOPE_ACTIONS: dict[str, frozenset[IssuerAction]] = {
    "read": frozenset({IssuerAction.VIEW}),
    "issue": frozenset({IssuerAction.VIEW, IssuerAction.ISSUE, IssuerAction.REVOKE}),
    "manage": frozenset({IssuerAction.VIEW, IssuerAction.MANAGE_BADGE_CLASSES, IssuerAction.ENDORSE}),
}


def key_can(
    *, scopes: frozenset[str], key_issuer_id: int | None, action: IssuerAction, issuer: Issuer
) -> bool:
    """Whether an API key with these scopes, made for the issuer `key_issuer_id`, may take `action` on
    `issuer`."""
    return key_issuer_id == issuer.pk and any(action in KEY_SCOPE_ACTIONS.get(scope, ()) for scope in scopes)


def key_require(
    *, scopes: frozenset[str], key_issuer_id: int | None, action: IssuerAction, issuer: Issuer
) -> None:
    """Raise unless the key may take `action` on `issuer`, as require() does for people: Http404 for
    another hub's issuer, PermissionDenied naming what the key lacks on its own."""
    if key_issuer_id != issuer.pk:
        raise Http404(_("No such hub among yours."))
    if not key_can(scopes=scopes, key_issuer_id=key_issuer_id, action=action, issuer=issuer):
        raise PermissionDenied(
            _("This API key may not %(action)s: it holds the scopes %(scopes)s.")
            % {"action": ACTION_DESCRIPTIONS[action], "scopes": ", ".join(sorted(scopes)) or "-"}
        )


def require_issuer_action(request: "Request", action: IssuerAction, issuer: Issuer) -> None:
    """Raise unless the API request's key or person may take `action` on `issuer`: 401 without either,
    404 for another hub's issuer, 403 for a key or role that lacks the action. Every domain's API views
    ask this, so a key's scopes mean the same wherever it is used."""
    grant = key_grant(request)
    if grant is not None:
        key_require(scopes=grant.scopes, key_issuer_id=grant.issuer_id, action=action, issuer=issuer)
    elif request.user.is_authenticated:
        require(request.user, action, issuer)
    else:
        raise NotAuthenticated(CREDENTIALS_MISSING)
