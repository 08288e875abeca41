"""`manage.py issuer_backup ISSUER_SLUG FILE`: write a hub's issuing state to a JSON file (see
passport.services.backups and the README's Backups section)."""

import json
import os
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from badges.models import Issuer
from passport.services.backups import issuer_backup


class Command(BaseCommand):
    help = (
        "Back up one issuer (profile, encrypted signing keys, badge classes with their images, awarded "
        "badges, revocations, endorsements given, audit log) to FILE. Restoring it needs the same "
        "BADGE_KEY_SECRET and SITE_URL."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "slug", metavar="ISSUER_SLUG", help="The issuer's slug, as in /badges/issuers/SLUG/."
        )
        parser.add_argument("file", metavar="FILE", help="Where to write the backup; must not exist yet.")

    def handle(self, *args: Any, slug: str, file: str, **options: Any) -> None:
        issuer = Issuer.objects.filter(slug=slug).first()
        if issuer is None:
            known = ", ".join(Issuer.objects.order_by("slug").values_list("slug", flat=True)[:20])
            raise CommandError(f"No issuer {slug!r} here. Issuers: {known or 'none'}.")
        path = Path(file)
        if path.exists():
            raise CommandError(
                f"{file} exists already; a backup never overwrites a file. Choose another name."
            )
        document = issuer_backup(issuer=issuer)
        # Written beside the target and renamed, so an interrupted backup never looks like a complete one.
        partial = path.with_name(f".{path.name}.partial")
        with partial.open("w", encoding="utf-8") as out:
            json.dump(document, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(partial, path)
        self.stdout.write(
            f"Backed up {issuer.name} ({slug}) to {file}: {len(document['signing_keys'])} signing keys, "
            f"{len(document['badge_classes'])} badge classes, {len(document['assertions'])} badges, "
            f"{len(document['endorsements'])} endorsements, {len(document['files'])} files. "
            "Keep BADGE_KEY_SECRET apart from it: the keys in it open only with that secret."
        )
