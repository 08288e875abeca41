"""`manage.py export_okw [--hub SLUG] [--format json|yaml] [--output FILE]`: every published hub (or one) as
Open Know-Where, written as it is read so memory stays flat whatever the number of hubs."""

from argparse import ArgumentParser
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from directory.models import Listing
from machinery_map.models import HUB_KINDS
from machinery_map.okw import (
    facilities_json_chunks,
    facilities_yaml_chunks,
    hub_document,
    json_text,
    yaml_text,
)


class Command(BaseCommand):
    help = "Write hubs and their equipment as Open Know-Where ManufacturingFacility documents (JSON or YAML)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--hub", metavar="SLUG", help="Only this hub, as a single facility document.")
        parser.add_argument("--format", dest="export_format", choices=["json", "yaml"], default="json")
        parser.add_argument("--output", metavar="FILE", help="Write to this file instead of stdout.")

    def _chunks(self, hub_slug: str | None, export_format: str) -> Iterator[str]:
        if hub_slug:
            hub = Listing.objects.filter(slug=hub_slug, kind__in=HUB_KINDS).first()
            if hub is None:
                raise CommandError(f"No makerspace, workshop or fabricator has the slug {hub_slug!r}.")
            document = hub_document(hub)
            yield json_text(document) if export_format == "json" else yaml_text(document)
            return
        yield from facilities_json_chunks() if export_format == "json" else facilities_yaml_chunks()

    def handle(
        self, *args: Any, hub: str | None, export_format: str, output: str | None, **options: Any
    ) -> None:
        chunks = self._chunks(hub, export_format)
        if output is None:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            return
        try:
            with open(output, "w", encoding="utf-8") as file:
                for chunk in chunks:
                    file.write(chunk)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
