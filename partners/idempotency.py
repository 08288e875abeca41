"""The store makeworks.api_idempotency keeps Idempotency-Key answers in (settings.API_IDEMPOTENCY_STORE)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from makeworks.api_idempotency import StoredResponse
from partners import services
from partners.models import IdempotencyRecord

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
