"""`manage.py issuer_restore FILE`: restore a backup written by issuer_backup, all or nothing."""

import json
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from passport.services.backups import BackupError, issuer_restore


class Command(BaseCommand):
    help = (
        "Restore an issuer from a file written by issuer_backup, into a database that does not have it. "
        "Nothing is written if anything in the file is wrong or already here."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE", help="A backup written by issuer_backup.")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        try:
            with open(file, encoding="utf-8") as backup:
                document = json.load(backup)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{file} is not a JSON backup: {error}") from None
        try:
            report = issuer_restore(document=document)
        except BackupError as error:
            raise CommandError(f"Nothing was restored from {file}: {error}") from None
        except ValidationError as error:
            # A wrong BADGE_KEY_SECRET for this database (badges.keyring) says so itself.
            raise CommandError(f"Nothing was restored from {file}: {' '.join(error.messages)}") from None
        counts = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in report.counts.items())
        self.stdout.write(f"Restored {report.issuer.name} ({report.issuer.slug}): {counts}.")
        if report.listing_created:
            self.stdout.write(
                f"The hub's listing was not here: it was created as a draft ({report.issuer.listing.slug})."
            )
        if report.skipped_endorsements:
            self.stdout.write(
                "Not restored, as the badge class they endorse is not in this database: endorsements "
                + ", ".join(report.skipped_endorsements)
            )
        self.stdout.write("Staff roles are not part of a backup: give them again in the console.")
