"""Where makeworks.lib.api.idempotency keeps Idempotency-Key answers: the database, next to the API keys
they belong to. api.apps installs STORE at start-up."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from api.keys import services
from api.keys.models import IdempotencyRecord
from makeworks.lib.api.idempotency import StoredResponse

# A retry comes within minutes or hours; after a day, a key may be used again for a new request.
RETENTION = timedelta(hours=24)


class DatabaseStore:
    def find_for_update(self, *, key_id: int, idempotency_key: str) -> StoredResponse | None:
        record = (
            IdempotencyRecord.objects.select_for_update()
            .filter(api_key_id=key_id, key=idempotency_key)
            .first()
        )
        if record is None:
            return None
        if record.created_at < timezone.now() - RETENTION:
            services.idempotency_record_expire(record=record)
            return None
        return StoredResponse(record.fingerprint, record.response_status, record.response_body)

    def remember(
        self, *, key_id: int, idempotency_key: str, fingerprint: str, status: int, body: Any
    ) -> None:
        services.idempotency_record_create(
            api_key_id=key_id, key=idempotency_key, fingerprint=fingerprint, status=status, body=body
        )


STORE = DatabaseStore()
