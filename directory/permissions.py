"""Who may do what in the directory: the one place that says so. Views, forms, the admin's curation
actions and templates all ask `can()`; nothing else decides.

A person's role is worked out per listing (or node): a site administrator, a curator of the listing's
node, an owner of the listing, any signed-in member, or an anonymous visitor. A curator of Paris is
only a member where a Glasgow listing is concerned.
"""

from collections.abc import Iterable
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import Http404

from directory.models import Claim, Listing, ListingStatus, Node


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    MEMBER = "member"
    OWNER = "owner"
    CURATOR = "curator"
    ADMIN = "admin"


class Action(StrEnum):
    VIEW = "view"  # see a listing's page (a draft only for those who may edit it)
    CREATE = "create"  # propose a new listing, which stays a draft until published
    EDIT = "edit"  # change fields, terms, photos and video
    CLAIM = "claim"  # ask to become an owner
    CONTACT = "contact"  # write to the listing through its contact form
    PUBLISH = "publish"  # publish or unpublish
    VERIFY = "verify"  # set or clear the verified mark
    VIEW_HISTORY = "view_history"
    DECIDE_CLAIM = "decide_claim"  # approve or deny a claim on a listing of one's node
    CURATE = "curate"  # open a node's curation page
    EXPORT = "export"  # download the published catalogue


# Which roles may take each action. A role is never implied by another here: each row names them all.
RULES: dict[Action, frozenset[Role]] = {
    Action.VIEW: frozenset(Role),
    Action.CREATE: frozenset({Role.MEMBER, Role.OWNER, Role.CURATOR, Role.ADMIN}),
    Action.EDIT: frozenset({Role.OWNER, Role.CURATOR, Role.ADMIN}),
    # Owners own it already, and a curator would be deciding their own claim.
    Action.CLAIM: frozenset({Role.MEMBER}),
    Action.CONTACT: frozenset(Role),
    Action.PUBLISH: frozenset({Role.CURATOR, Role.ADMIN}),
    Action.VERIFY: frozenset({Role.CURATOR, Role.ADMIN}),
    Action.VIEW_HISTORY: frozenset({Role.CURATOR, Role.ADMIN}),
    Action.DECIDE_CLAIM: frozenset({Role.CURATOR, Role.ADMIN}),
    Action.CURATE: frozenset({Role.CURATOR, Role.ADMIN}),
    Action.EXPORT: frozenset(Role),
}

# A draft is seen only by those who may edit it; the rest get a 404, as if it did not exist.
DRAFT_VIEWERS = RULES[Action.EDIT]


def role(user: User | AnonymousUser, target: Listing | Node | None = None) -> Role:
    """The strongest role `user` holds with respect to a listing, a node, or the site as a whole."""
    if not user.is_authenticated or not user.is_active:
        return Role.ANONYMOUS
    if user.is_superuser:
        return Role.ADMIN
    if isinstance(target, Listing):
        if target.node_id is not None and target.node is not None and _curates(user, target.node):
            return Role.CURATOR
        if target.pk is not None and target.owners.filter(pk=user.pk).exists():
            return Role.OWNER
    if isinstance(target, Node) and _curates(user, target):
        return Role.CURATOR
    return Role.MEMBER


def _curates(user: User, node: Node) -> bool:
    return node.curators.filter(pk=user.pk).exists()


def can(user: User | AnonymousUser, action: Action, target: Listing | Node | Claim | None = None) -> bool:
    if isinstance(target, Claim):
        target = target.listing
    return _allowed(role(user, target), action, target)


def allowed_actions(
    user: User | AnonymousUser, actions: Iterable[Action], target: Listing | Node | None = None
) -> dict[str, bool]:
    """`can()` for several actions on one target, working out the role once: {action: allowed}."""
    held = role(user, target)
    return {action.value: _allowed(held, action, target) for action in actions}


def _allowed(held: Role, action: Action, target: Listing | Node | None) -> bool:
    if held not in RULES[action]:
        return False
    if action is Action.VIEW and isinstance(target, Listing) and target.status != ListingStatus.PUBLISHED:
        return held in DRAFT_VIEWERS
    if action is Action.CLAIM and isinstance(target, Listing):
        return target.status == ListingStatus.PUBLISHED
    return True


def require(user: User | AnonymousUser, action: Action, target: Listing | Node | Claim | None = None) -> None:
    """Raise unless `user` may take `action`: 404 for a listing they may not even see, else 403."""
    if isinstance(target, Listing) and not can(user, Action.VIEW, target):
        raise Http404
    if not can(user, action, target):
        raise PermissionDenied
