"""Deleting a member's account: their personal data goes, the badges they were awarded stay valid.

An assertion names its earner only by a salted hash, which is what verifiers check; the plain name and
any address still waiting for the award e-mail are erased, so what remains says nothing about the person
to anyone who does not already know their address.
"""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from badges import services as badge_services
from badges.models import Issuer, IssuerMembership, IssuerRole
from passport import selectors
from passport.models import ExternalBadge, Passport, ProjectImage
from passport.services.passports import files_delete_on_commit


def sole_owned_issuers(user: User) -> list[Issuer]:
    """Issuers `user` is the only owner of: deleting the account would leave them unmanaged."""
    owned = set(
        IssuerMembership.objects.filter(user=user, role=IssuerRole.OWNER).values_list("issuer_id", flat=True)
    )
    shared = set(
        IssuerMembership.objects.filter(issuer_id__in=owned, role=IssuerRole.OWNER)
        .exclude(user=user)
        .values_list("issuer_id", flat=True)
    )
    return list(Issuer.objects.filter(pk__in=owned - shared).order_by("name"))


def _member_files(user: User) -> list[FieldFile]:
    passport = Passport.objects.filter(user=user).first()
    if passport is None:
        return []
    files: list[FieldFile] = [passport.photo] if passport.photo else []
    files += [image.image for image in ProjectImage.objects.filter(project__passport=passport)]
    files += [
        badge.source_image
        for badge in ExternalBadge.objects.filter(passport=passport).exclude(source_image="")
    ]
    return files


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Erase `user`: account, addresses, roles, passport and everything in it (files once committed),
    and the name, pending address and lookup key on the badges awarded to them. Refused, changing
    nothing, while they are the only owner of a badge issuer."""
    User.objects.select_for_update().get(pk=user.pk)
    sole = sole_owned_issuers(user)
    if sole:
        raise ValidationError(
            _(
                "You are the only owner of the badge issuer %(issuers)s. Make someone else an owner "
                "in the console first, so the hub's badges stay managed."
            )
            % {"issuers": ", ".join(issuer.name for issuer in sole)},
            code="sole_owner",
        )
    # Found through the verified addresses, so before those are deleted. The lookup key goes too: it is
    # derived from the address, and the badges must keep only the salted hash their earners can prove.
    selectors.member_assertions(user).update(recipient_name="", pending_email="", recipient_lookup="")
    for membership in IssuerMembership.objects.filter(user=user):
        badge_services.issuer_member_remove(membership=membership, actor=user)
    files = _member_files(user)
    user.delete()
    files_delete_on_commit(files)
