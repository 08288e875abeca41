"""Who may manage a hub's equipment: the one place that says so. Views and templates ask `can()` or call
`require()`; nothing else decides.

A person manages a hub's machines when the directory lets them edit its listing (its owners, its node's
curators, site administrators) or when they are an editor or owner of the hub's badge issuer. Staff of
that issuer have a role there but may not manage; everyone else has none, so the hub's management
pages answer them 404 as if they did not exist.
"""

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from badges import permissions as badge_permissions
from badges.models import Issuer, IssuerRole
from badges.permissions import SITE_ADMIN, IssuerAction, issuer_role
from directory import permissions as directory_permissions
from directory.models import Listing


class HubRole(StrEnum):
    MANAGER = "manager"  # may add, change and remove the hub's equipment
    STAFF = "staff"  # works at the hub (issuer staff) but may not change its equipment


class MachineAction(StrEnum):
    VIEW = "view"  # see the hub's equipment (a draft hub only for those who may edit it)
    MANAGE = "manage"  # add, change, remove equipment


RULES: dict[MachineAction, frozenset[HubRole | None]] = {
    MachineAction.VIEW: frozenset({HubRole.MANAGER, HubRole.STAFF, None}),
    MachineAction.MANAGE: frozenset({HubRole.MANAGER}),
}

ISSUER_MANAGERS = frozenset({IssuerRole.OWNER, IssuerRole.EDITOR, SITE_ADMIN})


def hub_role(user: User | AnonymousUser, hub: Listing) -> HubRole | None:
    """The person's role at this hub, or None when they have none there."""
    if not user.is_authenticated or not user.is_active:
        return None
    if directory_permissions.can(user, directory_permissions.Action.EDIT, hub):
        return HubRole.MANAGER
    try:
        issuer = hub.badge_issuer
    except ObjectDoesNotExist:
        return None
    held = issuer_role(user, issuer)
    if held in ISSUER_MANAGERS:
        return HubRole.MANAGER
    return HubRole.STAFF if held is not None else None


def can(user: User | AnonymousUser, action: MachineAction, hub: Listing) -> bool:
    if not directory_permissions.can(user, directory_permissions.Action.VIEW, hub):
        return False
    return hub_role(user, hub) in RULES[action]


def require(user: User | AnonymousUser, action: MachineAction, hub: Listing) -> None:
    """Raise unless `user` may take `action`: Http404 when they have no role at the hub (or may not see it),
    so another hub's pages are not even confirmed to exist; PermissionDenied, saying why, otherwise."""
    if not directory_permissions.can(user, directory_permissions.Action.VIEW, hub):
        raise Http404
    held = hub_role(user, hub)
    if held in RULES[action]:
        return
    if held is None:
        raise Http404(_("No such hub among yours."))
    raise PermissionDenied(
        _("As staff of %(hub)s you may see its machines but not change them; ask an owner or editor.")
        % {"hub": hub.name}
    )


# What a partner's API key may do with machines, by scope. A key is made for one issuer, whose listing is
# the key's hub; at any other hub it may only see what anyone sees.
KEY_SCOPE_ACTIONS: dict[str, frozenset[MachineAction]] = {
    "read": frozenset({MachineAction.VIEW}),
    "issue": frozenset({MachineAction.VIEW}),
    "manage": frozenset({MachineAction.VIEW, MachineAction.MANAGE}),
}


def _hub_issuer(hub: Listing) -> Issuer | None:
    try:
        return hub.badge_issuer
    except ObjectDoesNotExist:
        return None


def key_require(
    *, scopes: frozenset[str], key_issuer_id: int | None, action: MachineAction, hub: Listing
) -> None:
    """Raise unless an API key with these scopes, made for the issuer `key_issuer_id`, may take `action`
    on the hub's machines, as require() does for people: Http404 for a hub that is not the key's own
    (badges.permissions decides whose key it is) unless anyone may see it, PermissionDenied naming the
    scopes the key holds when it lacks the action on its own hub."""
    if action is MachineAction.VIEW and can(AnonymousUser(), MachineAction.VIEW, hub):
        return
    issuer = _hub_issuer(hub)
    own_hub = issuer is not None and badge_permissions.key_can(
        scopes=scopes, key_issuer_id=key_issuer_id, action=IssuerAction.VIEW, issuer=issuer
    )
    if not own_hub:
        raise Http404(_("No such hub among yours."))
    if not any(action in KEY_SCOPE_ACTIONS.get(scope, ()) for scope in scopes):
        raise PermissionDenied(
            _("This API key may not change this hub's machines: it holds the scopes %(scopes)s.")
            % {"scopes": ", ".join(sorted(scopes)) or "-"}
        )
