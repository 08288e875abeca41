"""`manage.py revoke_badge ASSERTION_URL --reason TEXT`: revoke an awarded badge for good."""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from passport import selectors, services


class Command(BaseCommand):
    help = "Revoke an assertion, given its URL (or public id), with the reason verifiers will show."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "assertion_url", metavar="ASSERTION_URL", help="The assertion's URL on this site."
        )
        parser.add_argument("--reason", required=True, help="Why the badge is revoked; shown to verifiers.")

    def handle(self, *args: Any, assertion_url: str, reason: str, **options: Any) -> None:
        assertion = selectors.assertion_from_url(assertion_url)
        if assertion is None:
            raise CommandError(
                f"No assertion at {assertion_url!r}. Give the URL issue_badge printed, which starts with "
                f"{settings.SITE_URL}/badges/assertions/, or the assertion's public id."
            )
        try:
            revoked = services.assertion_revoke(assertion=assertion, reason=reason)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Revoked {selectors.assertion_url(revoked)}: {revoked.revocation_reason}")
