"""What a domain's demo seeding says it did, and how a management command prints it: the domains seed,
the commands (each domain's own, and the front door's seed_demo that runs them all in order) only talk."""

from dataclasses import dataclass

from django.core.management.base import BaseCommand


@dataclass(frozen=True)
class Seeded:
    """One seeding step's outcome in a sentence. `done` is False when the step skipped, and the sentence
    says why (printed plainly rather than as a success)."""

    message: str
    done: bool = True


def seeded_write(command: BaseCommand, seeded: Seeded | None) -> None:
    """Print a step's sentence on the command's output; a step with nothing to say returns None."""
    if seeded is not None:
        command.stdout.write(command.style.SUCCESS(seeded.message) if seeded.done else seeded.message)
