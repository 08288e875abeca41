"""Who asked for a change: a person, or None for the system itself (a shell command, demo data, a task)."""

from django.contrib.auth.models import AnonymousUser, User

Actor = User | AnonymousUser | None


def actor_user(actor: Actor) -> User | None:
    """The person to record for `actor`: anonymous visitors and the system are recorded as nobody."""
    return actor if isinstance(actor, User) else None
