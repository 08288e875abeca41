"""`manage.py export_listings [--format csv|json] [--node SLUG] [--output FILE]`: the published catalogue
as open data, streamed a chunk at a time. The licence notice goes to stderr, so stdout is just the data."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from directory.models import Node
from directory.services.opendata import licence_notice, listings_csv_chunks, listings_json_chunks


def node_by_slug(slug: str) -> Node:
    """The node with this slug, or a CommandError that lists the slugs there are."""
    node = Node.objects.filter(slug=slug).first()
    if node is None:
        known = ", ".join(Node.objects.order_by("slug").values_list("slug", flat=True)) or "none yet"
        raise CommandError(f"No node has the slug {slug!r}. The nodes are: {known}.")
    return node


class Command(BaseCommand):
    help = (
        "Write the published listings (of one node, or all) as CSV or JSON, without contact e-mail "
        "addresses or phone numbers. The data is licensed under CC BY 4.0."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--format",
            dest="export_format",
            choices=["csv", "json"],
            default="csv",
            help="csv (default) or json.",
        )
        parser.add_argument("--node", metavar="SLUG", help="Only this node's listings.")
        parser.add_argument("--output", metavar="FILE", help="Write to this file instead of stdout.")

    def handle(
        self, *args: Any, export_format: str, node: str | None, output: str | None, **options: Any
    ) -> None:
        chosen = node_by_slug(node) if node else None
        export = listings_csv_chunks if export_format == "csv" else listings_json_chunks
        self.stderr.write(licence_notice())
        if output is None:
            for chunk in export(node=chosen):
                self.stdout.write(chunk, ending="")
            return
        try:
            # newline="" keeps the CSV's own line endings as they are.
            with open(output, "w", encoding="utf-8", newline="") as file:
                for chunk in export(node=chosen):
                    file.write(chunk)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
