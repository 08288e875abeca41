"""System checks of the badges app, run by `manage.py migrate` (so before gunicorn starts in
docker-compose) and by `manage.py check --database default`."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import DatabaseError

from badges import keyring

# The one check needs the database, so it is a database check: Django runs those only where a database
# is meant to be reachable (migrate, check --database), never while building static files or an image.


@register(Tags.database)
def badge_key_secret_check(app_configs: Any, databases: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """BADGE_KEY_SECRET must be the secret the stored signing keys and lookups were made with: an Error in
    production, where the server must not start; a Warning on a laptop, where it only stops badge work."""
    if not databases:
        return []
    try:
        state = keyring.secret_state()
    except DatabaseError:
        # Not migrated yet (no table): nothing was stored under any secret, so nothing to compare.
        return []
    if state != keyring.SecretState.MISMATCH:
        return []
    level, check_id = (Error, "badges.E001") if settings.PRODUCTION else (Warning, "badges.W001")
    return [
        level(
            "BADGE_KEY_SECRET is not the secret this database's badge signing keys and recipient lookups "
            "were made with: the hub cannot sign, and members' badges would vanish from their passports.",
            hint="Set BADGE_KEY_SECRET back to the original value (see README, Backups). Signing, key "
            "rotation and issuing are refused until then.",
            id=check_id,
        )
    ]
