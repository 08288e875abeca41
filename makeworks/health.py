"""A health check for load balancers and docker-compose: answers 200 only when the database and the
cache both answer, and BADGE_KEY_SECRET is the secret the stored badge keys were made with."""

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from badges import keyring


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:
        checks["database"] = f"error: {type(error).__name__}"
    try:
        cache.set("healthz", "ok", 5)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "error: value not read back"
    except Exception as error:
        checks["cache"] = f"error: {type(error).__name__}"
    checks["badge_key_secret"] = _badge_key_secret() if checks["database"] == "ok" else "error: no database"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def _badge_key_secret() -> str:
    # A wrong secret leaves the database and cache fine but the hub unable to sign or find members'
    # badges, so the container must not count as healthy.
    try:
        state = keyring.secret_state()
    except Exception as error:
        return f"error: {type(error).__name__}"
    if state == keyring.SecretState.MISMATCH:
        return "error: BADGE_KEY_SECRET does not match the secret the badge signing keys were stored with"
    return "ok"
