"""How allauth sends its e-mails: rendered now, delivered by a Celery task once the request's
transaction commits, so a sign-up never waits on the mail server and a rolled-back one sends nothing."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.db import transaction

from accounts.tasks import deliver_email


@dataclass(frozen=True)
class SiteInfo:
    """What allauth's e-mails say about the site; without django.contrib.sites they would say nothing."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        site = SiteInfo(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)
        message = self.render_mail(template_prefix, email, {**context, "current_site": site})
        alternatives = getattr(message, "alternatives", [])
        html = next((content for content, mimetype in alternatives if mimetype == "text/html"), "")
        subject, body, recipients = str(message.subject), str(message.body), list(message.to)
        transaction.on_commit(lambda: deliver_email.delay(subject, body, recipients, html))
