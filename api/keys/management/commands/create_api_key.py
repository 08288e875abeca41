"""Create a partner API key and print it, the only time it is ever shown.

python manage.py create_api_key --name "Learning platform" --scopes read,issue --issuer 3 [--expires-days 365]
"""

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from api.keys import services
from badges.models import Issuer


class Command(BaseCommand):
    help = "Create a partner API key and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="Who uses the key, and for what.")
        parser.add_argument("--scopes", required=True, help="Comma-separated: read, issue, manage.")
        parser.add_argument("--issuer", help="The issuer's id or slug (needed for issue and manage).")
        parser.add_argument("--expires-days", type=int, help="Days until the key expires; default never.")

    def handle(self, *args: Any, **options: Any) -> None:
        issuer = None
        if options["issuer"]:
            reference = options["issuer"]
            found = Issuer.objects.filter(slug=reference).first()
            if found is None and reference.isdigit():
                found = Issuer.objects.filter(pk=int(reference)).first()
            if found is None:
                raise CommandError(f"No issuer has the id or slug {reference!r}.")
            issuer = found
        expires_at = None
        if options["expires_days"] is not None:
            if options["expires_days"] < 1:
                raise CommandError("--expires-days must be at least 1.")
            expires_at = timezone.now() + timedelta(days=options["expires_days"])
        try:
            key, token = services.api_key_create(
                name=options["name"],
                scopes=options["scopes"].split(","),
                issuer=issuer,
                expires_at=expires_at,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stderr.write(
            f"Created {key.prefix} ({', '.join(key.scopes)}"
            f"{f', issuer {issuer.slug}' if issuer else ''}). Store the key now: it is not shown again."
        )
        self.stdout.write(token)
