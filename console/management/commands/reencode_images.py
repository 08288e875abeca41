"""Re-encode the photos stored before every upload went through makeworks.lib.images.

    python manage.py reencode_images

Those were kept byte for byte, with the EXIF location and author of the photo and anything appended to
the file, and their pages and the API link them. Each is replaced by its re-encoded copy, the original is
deleted, and files already written by the intake are left alone, so running it again changes nothing.
Run it once after deploying. It reaches listings, passports and machines at once, so it is a front-door
command, like seed_demo."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db.models import Q

from directory import services as directory_services
from directory.models import ListingPhoto
from machinery_map import services as machine_services
from machinery_map.models import Equipment
from passport.models import Passport
from passport.services.passports import passport_images_reencode


class Command(BaseCommand):
    help = "Re-encode listing, passport, project and machine photos stored as they were uploaded."

    def handle(self, *args: Any, **options: Any) -> None:
        replaced, refused = 0, []
        for photo in ListingPhoto.objects.order_by("pk").iterator():
            try:
                replaced += directory_services.photo_reencode(photo=photo)
            except ValidationError as error:
                refused.append(f"listing photo {photo.pk} ({photo.image.name}): {' '.join(error.messages)}")
        with_images = Q(photo__gt="") | Q(projects__images__isnull=False)
        for passport in Passport.objects.filter(with_images).distinct().order_by("pk").iterator():
            try:
                replaced += passport_images_reencode(passport=passport)
            except ValidationError as error:
                refused.append(f"passport {passport.handle}: {' '.join(error.messages)}")
        for equipment in Equipment.objects.exclude(photo="").order_by("pk").iterator():
            try:
                replaced += machine_services.equipment_photo_reencode(equipment=equipment)
            except ValidationError as error:
                refused.append(f"machine {equipment.pk} ({equipment.photo.name}): {' '.join(error.messages)}")
        self.stdout.write(f"{replaced} stored images re-encoded.")
        for line in refused:
            # Left in place for a person to look at: these are not images we can read, so remove them by hand.
            self.stderr.write(f"Not re-encoded, {line}")
