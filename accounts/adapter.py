"""How allauth sends its e-mails: rendered now, delivered by a Celery task once the request's
transaction commits, so a sign-up never waits on the mail server and a rolled-back one sends nothing.

Unlike a badge or a contact message, these e-mails have no row that could wait for the broker (they
carry one-time links, which we would rather not store), so when the broker is down the e-mail is sent
within the request instead; if the mail server fails too, the person asks again (allauth offers to
send a confirmation or a reset link again), and the request still succeeds."""

import logging
from dataclasses import dataclass
from smtplib import SMTPException
from typing import Any
from urllib.parse import urlencode, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import reverse

from accounts import services
from accounts.tasks import deliver_email
from makeworks.celery import enqueue
from makeworks.lib.requests import client_address

logger = logging.getLogger(__name__)


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

        def deliver() -> None:
            if enqueue(deliver_email, subject, body, recipients, html):
                return
            try:
                services.email_deliver(subject=subject, body=body, recipients=recipients, html=html)
            except (SMTPException, OSError):
                logger.exception("Could not send the e-mail %r", subject)

        transaction.on_commit(deliver)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        # Signing up leads to the welcome once the address is confirmed (the confirmation resumes the
        # sign-up's log-in, which goes here), in the language the person signed up in.
        return reverse("accounts:welcome")

    def get_email_verification_redirect_url(self, email_address: EmailAddress) -> str:
        """After a confirmation that did not resume a sign-up in this browser: a first address leads to
        the welcome (through the log-in page for someone who opened the link elsewhere), a further one
        back to the list of addresses it was added from."""
        first = (
            not EmailAddress.objects.filter(user_id=email_address.user_id, verified=True)
            .exclude(pk=email_address.pk)
            .exists()
        )
        if self.request.user.is_authenticated:
            return reverse("accounts:welcome") if first else reverse("account_email")
        login = resolve_url(settings.LOGIN_URL)
        return f"{login}?{urlencode({'next': reverse('accounts:welcome')})}" if first else login

    def get_client_ip(self, request: HttpRequest) -> str:
        # The site's one reader of the client address, so log-in limits count each client behind the
        # proxy apart, as every other limit does; allauth's own would answer 500 to a short header.
        return client_address(request) or super().get_client_ip(request)
