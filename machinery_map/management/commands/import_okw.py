"""`manage.py import_okw FILE_OR_DIR [--dry-run]`: add or update hubs and their machines from Open
Know-Where files (JSON or YAML; see machinery_map.okw.importing for the rules)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from machinery_map.okw import OkwFileError, okw_import


class Command(BaseCommand):
    help = (
        "Import Open Know-Where facilities from a JSON or YAML file, or from every such file in a directory. "
        "Records that cannot become a hub are skipped and reported with the reason; a malformed file "
        "stops the import with nothing written. Importing the same file again changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", help="An OKW file (.json, .yaml, .yml) or a directory of them.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count everything; write nothing."
        )

    def handle(self, *args: Any, path: str, dry_run: bool, **options: Any) -> None:
        try:
            report = okw_import(path=path, dry_run=dry_run)
        except OkwFileError as error:
            raise CommandError(str(error)) from None
        for note in report.skipped:
            self.stderr.write(f"skipped: {note}")
        for note in report.machines_skipped:
            self.stderr.write(f"machine skipped: {note}")
        for note in report.notes:
            self.stderr.write(f"note: {note}")
        self.stdout.write(self.style.SUCCESS(report.summary))
