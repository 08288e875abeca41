"""`manage.py issue_badge --badge-class ID --email E [--name N] [--signed] [--issued-on D] [--expires D]`:
award a badge and print its URL, then its JWS when signed, one per line, so scripts can read them."""

from argparse import ArgumentParser
from datetime import UTC, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from badges.models import BadgeClass
from passport import selectors, services

KNOWN_LISTED = 10


def badge_class_by_id(identifier: str) -> BadgeClass:
    """The badge class with this public id (or database number), or a CommandError naming a few."""
    text = identifier.strip()
    found = BadgeClass.objects.filter(public_id=text).first()
    if found is None and text.isdigit():
        found = BadgeClass.objects.filter(pk=int(text)).first()
    if found is None:
        known = [
            f"{public_id} ({name})"
            for public_id, name in BadgeClass.objects.order_by("name").values_list("public_id", "name")[
                :KNOWN_LISTED
            ]
        ]
        raise CommandError(
            f"No badge class has the id {text!r}. "
            + (f"Some that exist: {', '.join(known)}." if known else "There are no badge classes yet.")
        )
    return found


def moment(text: str, option: str) -> datetime:
    """A date (taken as midnight UTC) or a date and time with a zone, from an option's value."""
    parsed = parse_datetime(text)
    if parsed is None:
        day = parse_date(text)
        parsed = datetime.combine(day, time(), tzinfo=UTC) if day else None
    if parsed is None:
        raise CommandError(f"{option} takes a date such as 2026-03-31 or 2026-03-31T12:00:00Z, not {text!r}.")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)


class Command(BaseCommand):
    help = (
        "Award a badge to an e-mail address: prints the assertion's URL, and its JWS when signed. "
        "The earner is e-mailed the baked badge."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--badge-class",
            required=True,
            metavar="ID",
            help="The badge class's public id; write --badge-class=ID when the id starts with '-'.",
        )
        parser.add_argument("--email", required=True, metavar="E", help="The earner's e-mail address.")
        parser.add_argument("--name", default="", metavar="N", help="The earner's name, for the e-mail.")
        parser.add_argument(
            "--signed", action="store_true", help="Sign with the issuer's active key (default: hosted)."
        )
        parser.add_argument("--issued-on", metavar="DATE", help="Issue date (default: now).")
        parser.add_argument("--expires", metavar="DATE", help="Expiry (default: the badge class's validity).")

    def handle(
        self,
        *args: Any,
        badge_class: str,
        email: str,
        name: str,
        signed: bool,
        issued_on: str | None,
        expires: str | None,
        **options: Any,
    ) -> None:
        chosen = badge_class_by_id(badge_class)
        try:
            assertion = services.assertion_issue(
                badge_class=chosen,
                recipient_email=email,
                recipient_name=name,
                signed=signed,
                issued_on=moment(issued_on, "--issued-on") if issued_on else None,
                expires=moment(expires, "--expires") if expires else None,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(selectors.assertion_url(assertion))
        if assertion.jws:
            self.stdout.write(assertion.jws)
