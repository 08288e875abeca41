"""Who may see or do what with passports: the one place passport says so, so views, the API and
selectors ask the same questions. Hub staff's rights come from badges.permissions, listing editors' from
directory.permissions."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from badges import permissions as badge_permissions
from badges.models import Issuer
from directory import permissions as directory_permissions
from directory.models import Listing
from directory.permissions import Action as DirectoryAction
from passport.models import Passport, Visibility


def is_passport_owner(user: AbstractBaseUser | AnonymousUser, passport: Passport) -> bool:
    return bool(user.is_authenticated) and user.pk == passport.user_id


def passport_visible_to(user: AbstractBaseUser | AnonymousUser, passport: Passport) -> bool:
    """Public and unlisted passports are seen by anyone who has the link; private ones by the member."""
    return passport.visibility != Visibility.PRIVATE or is_passport_owner(user, passport)


def badge_visible(visibility: str, *, owner: bool, listed: bool) -> bool:
    """Whether a badge shows: to the member always; to others when public, or when unlisted and reached
    by its own link (`listed` False) rather than on the passport's list."""
    if owner:
        return True
    return visibility == Visibility.PUBLIC or (not listed and visibility == Visibility.UNLISTED)


def affiliation_confirmable_by(user: AbstractBaseUser | AnonymousUser, listing: Listing) -> bool:
    """Staff of the listing's badge issuer (badges.permissions) or whoever may edit the listing
    (directory.permissions) may vouch for who works there."""
    if directory_permissions.can(user, DirectoryAction.EDIT, listing):  # type: ignore[arg-type]
        return True
    issuer = Issuer.objects.filter(listing=listing).first()
    return issuer is not None and badge_permissions.can(
        user,  # type: ignore[arg-type]
        badge_permissions.IssuerAction.CONFIRM_AFFILIATION,
        issuer,
    )
