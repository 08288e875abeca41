from django.conf import settings
from django.core.mail import EmailMultiAlternatives


def email_deliver(*, subject: str, body: str, recipients: list[str], html: str = "") -> None:
    """Send one e-mail now, with an HTML alternative when there is one."""
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
