"""What the accounts app stores beside allauth's own tables."""

from django.conf import settings
from django.db import models


class CheckedUpload(models.Model):
    """A file someone uploaded and had checked, waiting for them to confirm it (a bulk issue in the
    console, a CSV import in the admin). Kept in the database, not in one process's memory, so the
    confirmation may reach any web process; only its owner's token finds it, until `expires_at`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # What the upload is for, and where (e.g. "console-bulk:12" for hub 12): a token confirms only that.
    purpose = models.CharField(max_length=100)
    token = models.CharField(max_length=64, unique=True)
    data = models.BinaryField()
    # The choices checked with the file, which the confirmation applies (JSON).
    options = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.purpose} ({self.user_id})"
