"""`manage.py badge_key_secret_replace --the-old-secret-is-lost`: adopt the configured BADGE_KEY_SECRET
after the one the signing keys were stored with is lost for good (see the README's Backups section)."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from badges import keyring
from badges.services.key_secret import key_secret_replace


class Command(BaseCommand):
    help = (
        "Only when the original BADGE_KEY_SECRET is lost for good: record the configured one, and give "
        "every issuer a new signing key. Old badges still verify, but those awarded before no longer show "
        "in their earners' passports. If the original secret can be found, set it back instead."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--the-old-secret-is-lost",
            action="store_true",
            dest="lost",
            help="Confirm; nothing is done without it.",
        )

    def handle(self, *args: Any, lost: bool, **options: Any) -> None:
        if keyring.secret_state() != keyring.SecretState.MISMATCH:
            self.stdout.write(
                "BADGE_KEY_SECRET is the secret this database's keys were stored with: nothing to do."
            )
            return
        if not lost:
            raise CommandError(
                "BADGE_KEY_SECRET is not the secret the signing keys were stored with. If the original "
                "secret can be found, set it back and restart. Only if it is lost for good, run this again "
                "with --the-old-secret-is-lost: every issuer then gets a new signing key, and badges awarded "
                "before no longer show in their earners' passports."
            )
        rotated = key_secret_replace()
        names = ", ".join(issuer.slug for issuer in rotated) or "none"
        self.stdout.write(f"BADGE_KEY_SECRET recorded. New signing keys for {len(rotated)} issuers: {names}.")
