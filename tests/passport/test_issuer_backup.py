"""A hub's issuing state backed up with `manage.py issuer_backup` and restored with `issuer_restore` into a
database that lost it: every public document is byte for byte what it was, signed badges verify with the
restored keys, members find their badges again, and the hub signs new ones. A file that is wrong, or an
issuer already there, is refused with the reason and nothing is written."""

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from audit.models import AuditEntry
from badges import selectors as badge_selectors
from badges import services as badge_services
from badges.models import (
    LEGACY_AUDIT_ACTIONS,
    LEGACY_AUDIT_OBJECT_TYPES,
    BadgeClass,
    Endorsement,
    Issuer,
    IssuerMembership,
    SigningKey,
)
from badges.openbadges import signing
from badges.services.endorsements import endorsement_give
from directory.models import Listing
from passport import services
from passport.models import Assertion, IssueBatch
from passport.selectors import member_assertions
from passport.services.backups import issuer_backup, issuer_restore
from tests.factories import BadgeClassFactory, IssuerFactory, UserFactory, badge_png

pytestmark = pytest.mark.django_db

JSON_LD = {"accept": "application/ld+json"}
# A row of the batch's upload that staff chose to leave out, which the batch page lists.
SKIPPED_ROW = {"line": 3, "column": "email", "message": "This is not an e-mail address."}


def issuing_rows() -> dict[str, int]:
    models: list[Any] = [Issuer, SigningKey, BadgeClass, Assertion, IssueBatch, Endorsement]
    rows = {model.__name__: model.objects.count() for model in models}
    # The issuers' audit log; restoring writes the re-created listing's history, which is not part of it.
    rows["AuditEntry"] = AuditEntry.objects.filter(scope_type="badges.issuer").count()
    return rows


def documents(client: Client, issuer: Issuer) -> dict[str, bytes]:
    """What verifiers read about the issuer, by URL: the documents and the images and baked badges."""
    paths = [f"/badges/issuers/{issuer.slug}/", f"/badges/issuers/{issuer.slug}/revocations/"]
    for key in SigningKey.objects.filter(issuer=issuer):
        paths.append(f"/badges/keys/{key.public_id}/")
    for badge_class in BadgeClass.objects.filter(issuer=issuer):
        paths += [
            f"/badges/classes/{badge_class.public_id}/",
            f"/badges/classes/{badge_class.public_id}/image",
        ]
    for assertion in Assertion.objects.filter(badge_class__issuer=issuer):
        paths.append(f"/badges/assertions/{assertion.public_id}/")
        if assertion.baked_image:
            paths.append(f"/badges/assertions/{assertion.public_id}/baked.png")
    for endorsement in Endorsement.objects.filter(endorser=issuer):
        paths.append(f"/badges/endorsements/{endorsement.public_id}/")
    pages = {}
    for path in sorted(paths):
        answer = client.get(path, headers=JSON_LD)
        assert answer.status_code in (200, 410), (path, answer.status_code)
        pages[path] = answer.getvalue()
    return pages


def forget(issuer: Issuer, media: Path) -> None:
    """The database loses the issuer and everything it issued, and the media volume its files."""
    Assertion.objects.filter(badge_class__issuer=issuer).delete()
    IssueBatch.objects.filter(issuer=issuer).delete()
    Endorsement.objects.filter(endorser=issuer).delete()
    badge_selectors.audit_entries(issuer).delete()
    IssuerMembership.objects.filter(issuer=issuer).delete()
    BadgeClass.objects.filter(issuer=issuer).delete()
    SigningKey.objects.filter(issuer=issuer).delete()
    listing = issuer.listing
    issuer.delete()
    listing.delete()
    shutil.rmtree(media, ignore_errors=True)


@pytest.fixture
def hub(django_capture_on_commit_callbacks: Any, settings: Any) -> Issuer:
    """A hub that issued hosted and signed badges, rotated its key, revoked one badge and endorsed another
    hub's badge class in place of its own."""
    settings.SITE_URL = "https://makeworks.example"
    issuer = IssuerFactory.create(image=SimpleUploadedFile("hub.png", badge_png("#264653"), "image/png"))
    laser = BadgeClassFactory.create(issuer=issuer, name="Laser cutter", tags=["laser"])
    with django_capture_on_commit_callbacks(execute=True):
        services.assertion_issue(
            badge_class=laser, recipient_email="ada@example.org", signed=True, send_email=False
        )
        badge_services.signing_key_rotate(issuer=issuer)
        services.assertion_issue(
            badge_class=laser, recipient_email="ada@example.org", signed=False, send_email=False
        )
        services.assertion_issue(
            badge_class=laser, recipient_email="grace@example.org", signed=True, send_email=False
        )
        wrong = services.assertion_issue(
            badge_class=laser, recipient_email="bob@example.org", send_email=False
        )
        services.issue_batch_create(
            badge_class=laser,
            awards=[services.Award(recipient_email="linus@example.org")],
            send_email=False,
            skipped=[SKIPPED_ROW],
        )
    services.assertion_revoke(assertion=wrong, reason="Awarded to the wrong person")
    other = BadgeClassFactory.create(name="Laser safety elsewhere")
    endorsement_give(endorser=issuer, badge_class=other, accepted_as=laser, actor=None)
    return issuer


def test_a_backup_restored_into_a_database_that_lost_the_hub_serves_the_same_badges(
    hub: Issuer, client: Client, tmp_path: Path, settings: Any
) -> None:
    before = documents(client, hub)
    rows = issuing_rows()
    signed = {
        a.public_id: a.jws
        for a in Assertion.objects.filter(badge_class__issuer=hub, verification_type="signed")
    }
    backup = tmp_path / "hub.json"
    call_command("issuer_backup", hub.slug, str(backup))
    forget(hub, Path(settings.MEDIA_ROOT))
    assert not Issuer.objects.filter(slug=hub.slug).exists()

    call_command("issuer_restore", str(backup))

    restored = Issuer.objects.get(slug=hub.slug)
    assert issuing_rows() == rows
    assert documents(client, restored) == before
    assert IssueBatch.objects.get(issuer=restored).skipped == [SKIPPED_ROW]
    for public_id, jws in signed.items():
        assertion = Assertion.objects.select_related("signing_key").get(public_id=public_id)
        assert assertion.jws == jws
        assert assertion.signing_key is not None
        assert signing.verify(jws, assertion.signing_key.public_key_pem)["id"].endswith(f"/{public_id}/")


def test_a_restored_hub_signs_new_badges_and_members_find_theirs(
    hub: Issuer, tmp_path: Path, settings: Any
) -> None:
    backup = tmp_path / "hub.json"
    call_command("issuer_backup", hub.slug, str(backup))
    forget(hub, Path(settings.MEDIA_ROOT))
    call_command("issuer_restore", str(backup))
    ada = UserFactory.create(email="ada@example.org")
    EmailAddress.objects.create(user=ada, email="ada@example.org", verified=True, primary=True)

    laser = BadgeClass.objects.get(name="Laser cutter")
    new = services.assertion_issue(
        badge_class=laser, recipient_email="ada@example.org", signed=True, send_email=False
    )

    assert member_assertions(ada).count() == 3
    assert signing.verify(
        new.jws, SigningKey.objects.get(issuer__slug=hub.slug, status="active").public_key_pem
    )


def test_restoring_an_issuer_that_is_here_already_is_refused_and_changes_nothing(
    hub: Issuer, tmp_path: Path
) -> None:
    backup = tmp_path / "hub.json"
    call_command("issuer_backup", hub.slug, str(backup))
    rows = issuing_rows()

    with pytest.raises(CommandError, match=f"issuer “{hub.slug}” already exists"):
        call_command("issuer_restore", str(backup))

    assert issuing_rows() == rows


def test_a_backup_never_overwrites_a_file(hub: Issuer, tmp_path: Path) -> None:
    backup = tmp_path / "hub.json"
    backup.write_text("precious")

    with pytest.raises(CommandError, match="exists already"):
        call_command("issuer_backup", hub.slug, str(backup))

    assert backup.read_text() == "precious"


def _set(document: dict[str, Any], path: str | tuple[str, ...], value: Any) -> None:
    *parents, last = path if isinstance(path, tuple) else path.split(".")
    target: Any = document
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if value is _DELETE:
        del target[last]
    else:
        target[last] = value


_DELETE = object()


@pytest.mark.parametrize(
    ("change", "value", "reason"),
    [
        ("format", "something-else", "not a makeworks issuer backup"),
        ("version", 7, "version 7"),
        ("assertions.0.issued_on", _DELETE, "assertions[0] lacks issued_on"),
        ("assertions.1.issued_on", "yesterday", "assertions[1].issued_on must be date-time"),
        ("signing_keys.0.private_key_encrypted", "not base64!", "signing_keys[0].private_key_encrypted"),
        ("assertions.0.signing_key", "no-such-key", "assertions[0].signing_key names 'no-such-key'"),
        ("issue_batches.0.skipped", "line 3", "issue_batches[0].skipped must be a list of objects"),
        (
            "badge_classes.0.image",
            "badges/classes/missing.png",
            "does not contain: badges/classes/missing.png",
        ),
        (("files", "badges/baked/../../../settings.py"), "aGk=", "a backup holds only badge images"),
        ("site_url", "https://elsewhere.example", "Set SITE_URL to https://elsewhere.example"),
        ("key_secret_fingerprint", "0" * 64, "another BADGE_KEY_SECRET"),
        # Passes the format check, fails in the database's own checks after the issuer row was written.
        ("assertions.2.verification_type", "forged", "assertions[2]: verification_type"),
    ],
)
def test_a_wrong_backup_is_refused_naming_what_is_wrong_and_nothing_is_written(
    hub: Issuer, tmp_path: Path, settings: Any, change: str | tuple[str, ...], value: Any, reason: str
) -> None:
    backup = tmp_path / "hub.json"
    call_command("issuer_backup", hub.slug, str(backup))
    forget(hub, Path(settings.MEDIA_ROOT))
    rows = issuing_rows()
    listings = Listing.objects.count()
    document = json.loads(backup.read_text())
    _set(document, change, value)
    backup.write_text(json.dumps(document))

    with pytest.raises(CommandError, match="Nothing was restored") as refusal:
        call_command("issuer_restore", str(backup))

    assert reason in str(refusal.value)
    assert issuing_rows() == rows
    assert Listing.objects.count() == listings
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.*"))


def test_a_file_that_is_not_json_is_refused(tmp_path: Path, db: None) -> None:
    backup = tmp_path / "hub.json"
    backup.write_text("{not json")

    with pytest.raises(CommandError, match="is not a JSON backup"):
        call_command("issuer_restore", str(backup))


def issuer_log(issuer: Issuer) -> list[tuple[Any, ...]]:
    return [
        (e.created_at, e.action, e.object_type, e.object_id, e.before, e.after)
        for e in badge_selectors.audit_entries(issuer).order_by("created_at", "pk")
    ]


def test_a_backup_made_before_the_one_audit_log_restores_its_lines_under_the_new_names(
    hub: Issuer, settings: Any
) -> None:
    log = issuer_log(hub)
    document = json.loads(json.dumps(issuer_backup(issuer=hub)))
    # The backup as the issuers' own audit log wrote it: short action and object names, the issuer by slug.
    old_actions = {new: old for old, new in LEGACY_AUDIT_ACTIONS.items()}
    old_types = {new: old for old, new in LEGACY_AUDIT_OBJECT_TYPES.items()}
    for row in document["audit_entries"]:
        row["action"] = old_actions[row["action"]]
        row["object_type"] = old_types[row["object_type"]]
        if row["object_type"] == "issuer":
            row["object_id"] = hub.slug
    assert {row["action"] for row in document["audit_entries"]} >= {"assertion_issued", "assertion_revoked"}
    forget(hub, Path(settings.MEDIA_ROOT))

    restored = issuer_restore(document=document).issuer

    assert issuer_log(restored) == [
        (when, action, kind, str(restored.pk) if kind == "badges.issuer" else ident, before, after)
        for when, action, kind, ident, before, after in log
    ]


def test_a_backup_made_before_batches_kept_their_skipped_rows_restores_them_with_none_skipped(
    hub: Issuer, settings: Any
) -> None:
    document = json.loads(json.dumps(issuer_backup(issuer=hub)))
    for row in document["issue_batches"]:
        del row["skipped"]
    forget(hub, Path(settings.MEDIA_ROOT))

    restored = issuer_restore(document=document).issuer

    batch = IssueBatch.objects.get(issuer=restored)
    assert (batch.total, batch.skipped) == (1, [])
