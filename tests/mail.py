"""A mail server for tests of retries: down once, then delivering as the local-memory backend does."""

from smtplib import SMTPServerDisconnected
from typing import Any

from django.core.mail.backends.locmem import EmailBackend


class MailServerDownOnce(EmailBackend):
    """Drops the first `failures_left` connections; set it before each test that uses it."""

    failures_left = 1

    def send_messages(self, email_messages: Any) -> int:
        if MailServerDownOnce.failures_left:
            MailServerDownOnce.failures_left -= 1
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(email_messages)


BACKEND = f"{__name__}.MailServerDownOnce"
