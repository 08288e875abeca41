"""Writing to a listing through its contact form: what reaches the listing, what the visitor gets back,
and that the listing's address shows up nowhere the visitor can look."""

import html
import re
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from typing import TYPE_CHECKING, Any

import pytest
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse
from django.utils import translation

from directory.models import ContactMessage, ListingStatus
from directory.tasks import deliver_contact_message
from tests.directory.conftest import SECRET_EMAIL, Catalogue
from tests.factories import ListingFactory
from tests.mail import BACKEND as MAIL_SERVER_DOWN_ONCE
from tests.mail import MailServerDownOnce

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

pytestmark = pytest.mark.django_db

VISITOR = {
    "sender_name": "Ada Lovelace",
    "sender_email": "ada@example.org",
    "body": "Could you cut 20 birch plywood panels, 600 × 400 mm?\nThanks!",
    "website": "",
}
VISITOR_IP = "198.51.100.7"
# Parts of the listing's address, so a page that shows it split or escaped is caught too.
SECRET_PARTS = (SECRET_EMAIL, "hidden-inbox", "clyde-plywood.example")


@pytest.fixture(autouse=True)
def _english_between_requests() -> Iterator[None]:
    with translation.override("en"):
        yield


def contact_url(slug: str) -> str:
    return reverse("directory:listing_contact", kwargs={"slug": slug})


def send(
    client: Client, capture: Callable[..., Any], slug: str, ip: str = VISITOR_IP, **changes: str
) -> "_MonkeyPatchedWSGIResponse":
    """Post the contact form as a visitor would, running what the request queues once it commits."""
    with capture(execute=True):
        return client.post(contact_url(slug), {**VISITOR, **changes}, REMOTE_ADDR=ip)


def text_of(response: "_MonkeyPatchedWSGIResponse") -> str:
    return html.unescape(response.content.decode())


def assert_no_secret(text: str) -> None:
    for part in SECRET_PARTS:
        assert part not in text


def assert_form_keeps(page: str, **values: str) -> None:
    for value in values.values():
        assert value in page


def one_to(outbox: list[EmailMessage], address: str) -> EmailMessage:
    """The one e-mail sent to `address`, with or without a display name."""
    (message,) = [m for m in outbox if any(address in recipient for recipient in m.to)]
    return message


def test_a_visitor_writes_to_a_listing_and_gets_a_copy(
    client: Client,
    catalogue: Catalogue,
    mailoutbox: list[EmailMessage],
    settings: Any,
    django_capture_on_commit_callbacks,
) -> None:
    response = send(client, django_capture_on_commit_callbacks, catalogue.clyde.slug)

    assert response.status_code == 302
    assert response["Location"] == catalogue.clyde.get_absolute_url()
    assert len(mailoutbox) == 2
    to_listing = one_to(mailoutbox, SECRET_EMAIL)
    assert to_listing.subject == "[makeworks] Message from Ada Lovelace about Clyde Plywood Works"
    assert to_listing.from_email == settings.DEFAULT_FROM_EMAIL
    assert to_listing.reply_to == ["Ada Lovelace <ada@example.org>"]
    assert VISITOR["body"] in to_listing.body
    assert "ada@example.org" in to_listing.body
    copy = one_to(mailoutbox, "ada@example.org")
    assert copy.to == ["Ada Lovelace <ada@example.org>"]
    assert copy.subject == "[makeworks] Your message to Clyde Plywood Works"
    assert copy.from_email == settings.DEFAULT_FROM_EMAIL
    assert copy.reply_to == []
    assert VISITOR["body"] in copy.body
    assert settings.SITE_URL + catalogue.clyde.get_absolute_url() in copy.body
    (message,) = ContactMessage.objects.all()
    assert message.sent_at is not None


def test_the_visitor_sees_that_the_message_was_sent(
    client: Client, catalogue: Catalogue, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(contact_url(catalogue.clyde.slug), VISITOR, follow=True)

    assert response.redirect_chain == [(catalogue.clyde.get_absolute_url(), 302)]
    assert "Your message to Clyde Plywood Works is on its way, and a copy is on its way to you." in text_of(
        response
    )


def test_the_senders_copy_never_reveals_the_listings_address(
    client: Client, catalogue: Catalogue, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks
) -> None:
    send(client, django_capture_on_commit_callbacks, catalogue.clyde.slug)

    copy = one_to(mailoutbox, "ada@example.org")
    assert_no_secret(copy.message().as_string())
    assert_no_secret(" ".join([*copy.to, *copy.cc, *copy.bcc, *copy.reply_to]))


def test_the_listings_address_is_on_no_page(
    client: Client, catalogue: Catalogue, django_capture_on_commit_callbacks
) -> None:
    slug = catalogue.clyde.slug
    listing_page = client.get(catalogue.clyde.get_absolute_url())
    contact_page = client.get(contact_url(slug))
    refused = send(client, django_capture_on_commit_callbacks, slug, sender_email="not-an-address")
    for _ in range(5):
        send(client, django_capture_on_commit_callbacks, slug)
    rate_limited = send(client, django_capture_on_commit_callbacks, slug)

    pages = {"listing": listing_page, "contact": contact_page, "refused": refused, "limited": rate_limited}
    assert {name: page.status_code for name, page in pages.items()} == {
        "listing": 200,
        "contact": 200,
        "refused": 400,
        "limited": 429,
    }
    for page in pages.values():
        assert f'action="{contact_url(slug)}"' in page.content.decode()
        assert_no_secret(page.content.decode())
        assert_no_secret(text_of(page))


def test_the_sender_s_text_reaches_the_e_mails_exactly_as_typed(
    client: Client, catalogue: Catalogue, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks
) -> None:
    name, body = "Zoë O'Brien, Jr.", 'Quote for <b>10</b> panels & "soon"?'

    send(client, django_capture_on_commit_callbacks, catalogue.clyde.slug, sender_name=name, body=body)

    to_listing = one_to(mailoutbox, SECRET_EMAIL)
    assert body in to_listing.body
    assert name in to_listing.subject
    parsed = message_from_bytes(to_listing.message().as_bytes(), policy=policy.default)
    (reply_to,) = parsed["Reply-To"].addresses
    assert (reply_to.display_name, reply_to.addr_spec) == (name, "ada@example.org")
    assert body in one_to(mailoutbox, "ada@example.org").body


def test_a_filled_honeypot_looks_sent_but_sends_nothing(
    client: Client, catalogue: Catalogue, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            contact_url(catalogue.clyde.slug), {**VISITOR, "website": "https://spam.example"}, follow=True
        )

    assert response.redirect_chain == [(catalogue.clyde.get_absolute_url(), 302)]
    assert "is on its way" in text_of(response)
    assert mailoutbox == []
    assert not ContactMessage.objects.exists()


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(
    client: Client, catalogue: Catalogue
) -> None:
    page = client.get(catalogue.clyde.get_absolute_url()).content.decode()

    wrapper = re.search(r'<div class="visually-hidden" aria-hidden="true">(.*?)</div>', page, re.DOTALL)
    assert wrapper is not None
    honeypot = re.search(r"<input [^>]*name=\"website\"[^>]*>", wrapper.group(1))
    assert honeypot is not None
    assert 'tabindex="-1"' in honeypot.group(0)
    assert 'autocomplete="off"' in honeypot.group(0)


def test_an_address_is_limited_to_five_messages_an_hour(
    client: Client, catalogue: Catalogue, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks
) -> None:
    slug = catalogue.clyde.slug
    statuses = [
        send(client, django_capture_on_commit_callbacks, slug, ip=f"198.51.100.{n}").status_code
        for n in range(5)
    ]

    refused = send(
        client, django_capture_on_commit_callbacks, slug, ip="198.51.100.99", sender_email="ADA@example.org"
    )

    assert statuses == [302] * 5
    assert refused.status_code == 429
    page = text_of(refused)
    assert "please wait up to an hour before sending another" in page
    assert_form_keeps(page, name=VISITOR["sender_name"], email="ADA@example.org", body=VISITOR["body"])
    assert len(mailoutbox) == 10
    assert ContactMessage.objects.count() == 5
    # Someone else on the same network is not held back by Ada's limit.
    assert (
        send(
            client,
            django_capture_on_commit_callbacks,
            slug,
            ip="198.51.100.99",
            sender_email="grace@example.org",
        ).status_code
        == 302
    )


def test_an_ip_address_is_limited_to_twenty_messages_an_hour(
    client: Client, catalogue: Catalogue, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks
) -> None:
    slug = catalogue.clyde.slug
    statuses = [
        send(
            client, django_capture_on_commit_callbacks, slug, sender_email=f"visitor{n}@example.org"
        ).status_code
        for n in range(20)
    ]

    refused = send(client, django_capture_on_commit_callbacks, slug, sender_email="late@example.org")

    assert statuses == [302] * 20
    assert refused.status_code == 429
    page = text_of(refused)
    assert "please wait up to an hour before sending another" in page
    assert_form_keeps(page, name=VISITOR["sender_name"], email="late@example.org", body=VISITOR["body"])
    assert len(mailoutbox) == 40
    # The same person from another network goes through.
    assert (
        send(
            client,
            django_capture_on_commit_callbacks,
            slug,
            ip="203.0.113.5",
            sender_email="late@example.org",
        ).status_code
        == 302
    )


def visitors_behind_the_proxy(
    client: Client, capture: Callable[..., Any], slug: str, forwarded_for: list[str]
) -> list[int]:
    """Statuses of one message from each of these X-Forwarded-For values, all through one proxy."""
    statuses = []
    for n, forwarded in enumerate(forwarded_for):
        with capture(execute=True):
            data = {**VISITOR, "sender_email": f"visitor{n}@example.org"}
            answer = client.post(
                contact_url(slug), data, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded
            )
        statuses.append(answer.status_code)
    return statuses


def test_behind_the_proxy_one_busy_visitor_does_not_hold_back_the_others(
    client: Client, catalogue: Catalogue, settings: Any, django_capture_on_commit_callbacks
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    busy = ["203.0.113.9"] * 21

    statuses = visitors_behind_the_proxy(
        client, django_capture_on_commit_callbacks, catalogue.clyde.slug, [*busy, "198.51.100.4"]
    )

    assert statuses == [302] * 20 + [429, 302]


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_escape_the_contact_limit(
    client: Client, catalogue: Catalogue, settings: Any, django_capture_on_commit_callbacks
) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    forged = [f"203.0.113.{n}" for n in range(21)]

    statuses = visitors_behind_the_proxy(
        client, django_capture_on_commit_callbacks, catalogue.clyde.slug, forged
    )

    assert statuses == [302] * 20 + [429]


def test_an_invalid_address_is_refused_and_the_text_kept(
    client: Client, catalogue: Catalogue, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks
) -> None:
    response = send(
        client, django_capture_on_commit_callbacks, catalogue.clyde.slug, sender_email="ada-at-example"
    )

    assert response.status_code == 400
    page = text_of(response)
    assert "Enter a valid email address." in page
    assert "Please correct what is marked below; your message is kept." in page
    assert_form_keeps(page, name=VISITOR["sender_name"], email="ada-at-example", body=VISITOR["body"])
    assert mailoutbox == []
    assert not ContactMessage.objects.exists()


def test_a_message_that_is_too_long_is_refused_and_kept(
    client: Client, catalogue: Catalogue, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks
) -> None:
    long_body = "Plywood." * 626

    response = send(client, django_capture_on_commit_callbacks, catalogue.clyde.slug, body=long_body)

    assert response.status_code == 400
    page = text_of(response)
    assert "Ensure this value has at most 5000 characters (it has 5008)." in page
    assert_form_keeps(page, name=VISITOR["sender_name"], email=VISITOR["sender_email"], body=long_body)
    assert mailoutbox == []


def test_a_name_with_a_line_break_is_refused(
    client: Client, catalogue: Catalogue, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks
) -> None:
    response = send(
        client,
        django_capture_on_commit_callbacks,
        catalogue.clyde.slug,
        sender_name="Ada\r\nBcc: x@example.org",
    )

    assert response.status_code == 400
    assert "Please write your name on one line." in text_of(response)
    assert mailoutbox == []


def test_nothing_is_sent_before_the_message_is_committed(
    client: Client, catalogue: Catalogue, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(contact_url(catalogue.clyde.slug), VISITOR)
    assert mailoutbox == []

    for callback in callbacks:
        callback()

    assert len(mailoutbox) == 2


def test_delivering_a_message_twice_sends_it_once(
    client: Client, catalogue: Catalogue, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks
) -> None:
    send(client, django_capture_on_commit_callbacks, catalogue.clyde.slug)
    (message,) = ContactMessage.objects.all()

    result = deliver_contact_message.apply(args=(message.pk,))

    assert result.successful()
    assert len(mailoutbox) == 2


def test_delivering_a_deleted_message_sends_nothing_and_does_not_fail(
    client: Client, catalogue: Catalogue, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        client.post(contact_url(catalogue.clyde.slug), VISITOR)
    (message,) = ContactMessage.objects.all()
    message_id = message.pk
    message.delete()

    result = deliver_contact_message.apply(args=(message_id,))

    assert result.successful()
    assert mailoutbox == []


def test_a_mail_server_failure_is_retried_and_the_pair_delivered_once(
    client: Client,
    catalogue: Catalogue,
    mailoutbox: list[EmailMessage],
    settings: Any,
    django_capture_on_commit_callbacks,
) -> None:
    settings.EMAIL_BACKEND = MAIL_SERVER_DOWN_ONCE
    MailServerDownOnce.failures_left = 1
    with django_capture_on_commit_callbacks(execute=False):
        client.post(contact_url(catalogue.clyde.slug), VISITOR)
    (message,) = ContactMessage.objects.all()

    # throw=False lets Celery run the retry in-process, as a worker would after the back-off wait.
    result = deliver_contact_message.apply(args=(message.pk,), throw=False)

    assert result.successful()
    assert MailServerDownOnce.failures_left == 0
    assert sorted(m.subject for m in mailoutbox) == [
        "[makeworks] Message from Ada Lovelace about Clyde Plywood Works",
        "[makeworks] Your message to Clyde Plywood Works",
    ]
    message.refresh_from_db()
    assert message.sent_at is not None


def test_a_draft_cannot_be_written_to(
    client: Client, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks
) -> None:
    draft = ListingFactory.create(status=ListingStatus.DRAFT, contact_email="draft@example.org")

    assert client.get(contact_url(draft.slug)).status_code == 404
    assert send(client, django_capture_on_commit_callbacks, draft.slug).status_code == 404
    assert mailoutbox == []
    assert not ContactMessage.objects.exists()


def test_a_listing_without_an_address_has_no_contact_form(
    client: Client, catalogue: Catalogue, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks
) -> None:
    page = client.get(catalogue.govan.get_absolute_url()).content.decode()

    assert contact_url(catalogue.govan.slug) not in page
    assert "Write to Govan Laser Studio" not in page
    assert client.get(contact_url(catalogue.govan.slug)).status_code == 404
    assert send(client, django_capture_on_commit_callbacks, catalogue.govan.slug).status_code == 404
    assert mailoutbox == []


def test_the_listing_page_offers_the_form_to_anonymous_visitors(client: Client, catalogue: Catalogue) -> None:
    page = text_of(client.get(catalogue.clyde.get_absolute_url()))

    assert "Write to Clyde Plywood Works" in page
    assert f'action="{contact_url(catalogue.clyde.slug)}"' in page
    assert 'name="sender_email"' in page
