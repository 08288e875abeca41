"""`manage.py import_listings FILE --node SLUG [--dry-run] [--skip-invalid]`: add or update a node's
listings from a CSV file laid out as the export is (see directory.services.opendata)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from directory.management.commands.export_listings import node_by_slug
from directory.services.opendata import listings_import


class Command(BaseCommand):
    help = (
        "Import listings into a node from a UTF-8 CSV file. Every row is checked first; nothing is written "
        "unless every row is valid (or, with --skip-invalid, only the valid rows are). Rows update the "
        "listing with the same external_id, else the same slug. Listings are published unless their status "
        "column says draft."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="The CSV file.")
        parser.add_argument("--node", metavar="SLUG", required=True, help="The node the listings belong to.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )
        parser.add_argument(
            "--skip-invalid", action="store_true", help="Import the valid rows and report the invalid ones."
        )

    def handle(
        self, *args: Any, file: str, node: str, dry_run: bool, skip_invalid: bool, **options: Any
    ) -> None:
        chosen = node_by_slug(node)
        try:
            with open(file, "rb") as source:
                data = source.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        report = listings_import(data=data, node=chosen, dry_run=dry_run, skip_invalid=skip_invalid)
        for problem in report.errors:
            self.stderr.write(f"{file}, line {problem.line}: {problem.message}")
        if not report.written and not (dry_run and report.writable):
            raise CommandError(report.summary)
        self.stdout.write(self.style.SUCCESS(report.summary))
