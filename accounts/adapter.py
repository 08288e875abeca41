"""How allauth sends its e-mails: rendered now, delivered by a Celery task once the request's
transaction commits, so a sign-up never waits on the mail server and a rolled-back one sends nothing."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from accounts.tasks import deliver_email
from makeworks.lib.requests import client_address


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

    def get_client_ip(self, request: HttpRequest) -> str:
        # The site's one reader of the client address, so log-in limits count each client behind the
        # proxy apart, as every other limit does; allauth's own would answer 500 to a short header.
        return client_address(request) or super().get_client_ip(request)
