"""Writes of the Maker Passport: the member's profile, which badges they show, their affiliations and
their experience. Every function checks what it is given and writes all or nothing."""

from collections.abc import Iterable, Sequence
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from directory.models import Listing
from directory.selectors import near_place, near_place_refusal
from makeworks.lib.images import CleanImage, image_intake, stored_image_reencoded
from makeworks.lib.text import fold
from passport import selectors
from passport.models import (
    Affiliation,
    Assertion,
    ExperienceProject,
    Passport,
    PassportBadge,
    ProjectImage,
    Visibility,
)

MAX_PROJECT_IMAGES = 6
MAX_PROJECT_LINKS = 10
# Path words under /p/ that are pages of their own, so no member may take them as a handle.
RESERVED_HANDLES = {"me", "new", "edit", "search", "export", "admin", "settings", "badges"}
HANDLE_MAX_LENGTH = 40


def _handle_base(user: User) -> str:
    source = user.username or user.email.split("@")[0]
    return slugify(fold(source))[: HANDLE_MAX_LENGTH - 4].strip("-") or "maker"


def _free_handle(base: str, *, exclude_pk: int | None = None) -> str:
    taken = Passport.objects.exclude(pk=exclude_pk) if exclude_pk else Passport.objects.all()
    handle, n = base, 1
    while handle in RESERVED_HANDLES or taken.filter(handle=handle).exists():
        n += 1
        handle = f"{base}-{n}"
    return handle


@transaction.atomic
def passport_ensure(*, user: User) -> Passport:
    """The member's passport, created private on first use with a handle from their user name."""
    existing = Passport.objects.select_for_update().filter(user=user).first()
    if existing is not None:
        return existing
    base = _handle_base(user)
    display_name = user.get_full_name() or base
    return Passport.objects.create(user=user, handle=_free_handle(base), display_name=display_name)


def files_delete_on_commit(files: Iterable[FieldFile]) -> None:
    """Remove stored files once the transaction commits, so a rollback never leaves a row without its file."""
    stored = [(file.storage, str(file.name)) for file in files if file and file.name]

    def delete() -> None:
        for storage, name in stored:
            storage.delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def passport_images_reencode(*, passport: Passport) -> int:
    """Replace the member's photo and project images stored as they were uploaded (before every upload
    was re-encoded, so with their EXIF) by re-encoded copies; how many were replaced."""
    replaced = 0
    clean = stored_image_reencoded(passport.photo, what=_("The photo"))
    if clean is not None:
        files_delete_on_commit([passport.photo])
        passport.photo.save(clean.name, clean.as_file(), save=False)
        passport.save(update_fields=["photo"])
        replaced += 1
    for image in ProjectImage.objects.filter(project__passport=passport):
        clean = stored_image_reencoded(image.image, what=_("The image"))
        if clean is not None:
            files_delete_on_commit([image.image])
            image.image.save(clean.name, clean.as_file(), save=False)
            image.save(update_fields=["image", "width", "height"])
            replaced += 1
    return replaced


@transaction.atomic
def passport_update(
    *,
    passport: Passport,
    handle: str,
    display_name: str,
    bio: str = "",
    location: str = "",
    languages: str = "",
    visibility: str = Visibility.PRIVATE,
    photo: UploadedFile | None = None,
    remove_photo: bool = False,
) -> Passport:
    """Change the profile; the location is placed on the map from the gazetteer, or refused."""
    handle = slugify(handle.strip())
    errors: dict[str, list[str]] = {}
    if not handle or len(handle) > HANDLE_MAX_LENGTH:
        errors["handle"] = [
            _("Choose a handle of up to %(max)d letters, digits and hyphens.") % {"max": HANDLE_MAX_LENGTH}
        ]
    elif handle in RESERVED_HANDLES:
        errors["handle"] = [
            _("“%(handle)s” is a page of this site; choose another handle.") % {"handle": handle}
        ]
    elif Passport.objects.exclude(pk=passport.pk).filter(handle=handle).exists():
        errors["handle"] = [_("Someone already has the handle “%(handle)s”.") % {"handle": handle}]
    if not display_name.strip():
        errors["display_name"] = [_("Say what name to show.")]
    if visibility not in Visibility.values:
        errors["visibility"] = [_("Choose who can see your passport.")]
    clean_photo: CleanImage | None = None
    if photo is not None:
        try:
            clean_photo = image_intake(photo, what=_("The photo"))
        except ValidationError as error:
            errors["photo"] = error.messages
    # A location is placed on the map or refused: one stored unplaced would never be found by "near".
    place = near_place(location.strip(), 1.0) if location.strip() else None
    if location.strip() and place is None:
        errors["location"] = [near_place_refusal(location.strip())]
    if errors:
        raise ValidationError(errors)
    passport.handle = handle
    passport.display_name = display_name.strip()
    passport.bio = bio.strip()
    passport.location = location.strip()
    passport.latitude = place.latitude if place else None
    passport.longitude = place.longitude if place else None
    passport.languages = languages.strip()
    passport.visibility = visibility
    if (photo is not None or remove_photo) and passport.photo:
        files_delete_on_commit([passport.photo])
        passport.photo = None
    if clean_photo is not None:
        # The re-encoded photo only: the upload may carry where it was taken and by whom.
        passport.photo.save(clean_photo.name, clean_photo.as_file(), save=False)
    passport.save()
    return passport


@transaction.atomic
def passport_badge_show(*, passport: Passport, assertion: Assertion, visibility: str) -> PassportBadge:
    """Choose who sees one of the member's platform badges; only a badge proven to be theirs."""
    if visibility not in Visibility.values:
        raise ValidationError(_("Choose who can see this badge."))
    if not selectors.member_assertions(passport.user).filter(pk=assertion.pk).exists():
        raise ValidationError(_("This badge was not awarded to any of your verified e-mail addresses."))
    setting, _created = PassportBadge.objects.update_or_create(
        passport=passport, assertion=assertion, defaults={"visibility": visibility}
    )
    return setting


@transaction.atomic
def passport_badge_decide(
    *, passport: Passport, assertion: Assertion, show: bool, publish_passport: bool = False
) -> PassportBadge:
    """Answer "Show this badge on your passport?" for a badge that arrived: public when `show`, private
    otherwise. A badge shown on a private passport is still seen by nobody, so the member may make the
    passport public in the same answer (`publish_passport`); both are saved or neither is."""
    if publish_passport and not show:
        raise ValidationError(_("Only a badge you show can make your passport public."))
    setting = passport_badge_show(
        passport=passport, assertion=assertion, visibility=Visibility.PUBLIC if show else Visibility.PRIVATE
    )
    if publish_passport and passport.visibility != Visibility.PUBLIC:
        passport.visibility = Visibility.PUBLIC
        passport.save(update_fields=["visibility", "updated_at"])
    return setting


@transaction.atomic
def affiliation_add(
    *,
    passport: Passport,
    listing: Listing,
    role: str,
    start_date: date | None = None,
    end_date: date | None = None,
) -> Affiliation:
    """A self-declared affiliation, waiting for someone who speaks for the listing to confirm it."""
    errors: dict[str, list[str]] = {}
    if not role.strip():
        errors["role"] = [_("Say what you do or did there.")]
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = [_("The end date is before the start date.")]
    if start_date and start_date > timezone.localdate():
        errors["start_date"] = [_("The start date is in the future.")]
    if errors:
        raise ValidationError(errors)
    return Affiliation.objects.create(
        passport=passport, listing=listing, role=role.strip(), start_date=start_date, end_date=end_date
    )


@transaction.atomic
def affiliation_confirm(*, affiliation: Affiliation, actor: User) -> Affiliation:
    """Mark an affiliation confirmed by `actor`; whether they may is badges/directory permissions' call,
    asked through permissions.affiliation_confirmable_by before this."""
    locked = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
    if locked.confirmed_at is None:
        locked.confirmed_at = timezone.now()
        locked.confirmed_by = actor
        locked.save(update_fields=["confirmed_at", "confirmed_by"])
    return locked


@transaction.atomic
def affiliation_delete(*, affiliation: Affiliation) -> None:
    affiliation.delete()


def _checked_links(links: Sequence[str]) -> list[str]:
    validate = URLValidator(schemes=["http", "https"])
    cleaned = [link.strip() for link in links if link.strip()]
    if len(cleaned) > MAX_PROJECT_LINKS:
        raise ValidationError({"links": [_("Give at most %(max)d links.") % {"max": MAX_PROJECT_LINKS}]})
    for link in cleaned:
        try:
            validate(link)
        except ValidationError:
            raise ValidationError(
                {"links": [_("“%(link)s” is not a web address (http or https).") % {"link": link}]}
            ) from None
    return cleaned


@transaction.atomic
def project_add(
    *,
    passport: Passport,
    title: str,
    description: str = "",
    links: Sequence[str] = (),
    images: Sequence[UploadedFile] = (),
    image_description: str = "",
) -> ExperienceProject:
    """A project with its links and images, each image checked before anything is stored."""
    if not title.strip():
        raise ValidationError({"title": [_("Give the project a title.")]})
    cleaned_links = _checked_links(links)
    if len(images) > MAX_PROJECT_IMAGES:
        raise ValidationError({"images": [_("Add at most %(max)d images.") % {"max": MAX_PROJECT_IMAGES}]})
    cleaned: list[CleanImage] = []
    for upload in images:
        try:
            cleaned.append(image_intake(upload, what=_("The image %(name)s") % {"name": upload.name}))
        except ValidationError as error:
            raise ValidationError({"images": error.messages}) from None
    project = ExperienceProject.objects.create(
        passport=passport, title=title.strip(), description=description.strip(), links=cleaned_links
    )
    stored: list[FieldFile] = []
    try:
        for clean in cleaned:
            image = ProjectImage(project=project, alt_text=image_description.strip()[:200] or title.strip())
            image.image.save(clean.name, clean.as_file(), save=False)
            stored.append(image.image)
            image.save()
    except Exception:
        # A rolled-back project must not leave its images behind in storage.
        for file in stored:
            file.storage.delete(str(file.name))
        raise
    return project


@transaction.atomic
def project_delete(*, project: ExperienceProject) -> None:
    files = [image.image for image in project.images.all()]
    project.delete()
    files_delete_on_commit(files)
