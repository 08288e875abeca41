"""Backing up one hub's issuing state to a JSON document, and restoring it into a database that does not
have that issuer: its profile, its signing keys (still encrypted), its badge classes, the badges it
awarded (with their revocations and baked images), its issue batches, the endorsements it gave and its
audit log. Files (issuer and badge class images, baked badges) travel inside the document, base64.

Restored badges verify as before: hosted documents are rebuilt from the same rows under the same
SITE_URL, and signed ones keep their JWS and the key that signed it. The keys are encrypted with
BADGE_KEY_SECRET, so a backup restores only under the secret it was made with; its fingerprint (never
the secret) is in the document, and restoring under another is refused. Who works on the hub (accounts
and roles) is not part of it: people are restored with the rest of the database, or given roles again.

The backup only reads; the restore writes all or nothing, refusing with a BackupError that names what is
wrong (a missing field, an unknown reference, an issuer that already exists).
"""

import base64
import binascii
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.utils.dateparse import parse_datetime

from audit.models import AuditEntry
from audit.services import scope_key
from badges import selectors as badge_selectors
from badges import services as badge_services
from badges.models import (
    LEGACY_AUDIT_ACTIONS,
    LEGACY_AUDIT_OBJECT_TYPES,
    BadgeClass,
    Endorsement,
    Issuer,
    SigningKey,
)
from directory.models import Listing, ListingStatus
from directory.services.listings import listing_create
from passport.models import Assertion, IssueBatch

FORMAT = "makeworks-issuer-backup"
VERSION = 1


class BackupError(Exception):
    """A backup that cannot be restored here, with the reason a person can act on. Said to the operator
    running the command, in English like the other commands' output."""


# The fields each object is written with, by kind of value; the restore reads them back the same way.
TEXT, OPTIONAL_TEXT, WHEN, OPTIONAL_WHEN, FLAG, NUMBER, OPTIONAL_NUMBER, JSON, BYTES, OBJECTS = (
    "text", "optional text", "date-time", "optional date-time", "true or false", "number",
    "optional number", "JSON value", "base64", "a list of objects",
)  # fmt: skip

ISSUER_FIELDS = {
    "slug": TEXT, "name": TEXT, "url": TEXT, "email": TEXT, "description": TEXT, "image": TEXT,
    "require_two_factor": FLAG, "created_at": WHEN,
}  # fmt: skip
LISTING_FIELDS = {"slug": TEXT, "name": TEXT, "kind": TEXT, "city": TEXT, "country": TEXT, "website": TEXT}
KEY_FIELDS = {
    "public_id": TEXT, "public_key_pem": TEXT, "private_key_encrypted": BYTES, "status": TEXT,
    "created_at": WHEN, "revoked_at": OPTIONAL_WHEN,
}  # fmt: skip
BADGE_CLASS_FIELDS = {
    "public_id": TEXT, "name": TEXT, "description": TEXT, "image": TEXT, "criteria_url": TEXT,
    "criteria_narrative": TEXT, "alignments": JSON, "tags": JSON, "valid_days": OPTIONAL_NUMBER,
    "created_at": WHEN,
}  # fmt: skip
BATCH_FIELDS = {"ref": NUMBER, "badge_class": TEXT, "total": NUMBER, "created_at": WHEN, "skipped": OBJECTS}
ASSERTION_FIELDS = {
    "public_id": TEXT, "badge_class": TEXT, "recipient_identity": TEXT, "recipient_salt": TEXT,
    "recipient_lookup": TEXT, "recipient_name": TEXT, "pending_email": TEXT, "issued_on": WHEN,
    "expires": OPTIONAL_WHEN, "evidence_url": TEXT, "evidence_narrative": TEXT, "narrative": TEXT,
    "verification_type": TEXT, "signing_key": OPTIONAL_TEXT, "jws": TEXT, "revoked": FLAG,
    "revocation_reason": TEXT, "revoked_at": OPTIONAL_WHEN, "baked_image": TEXT, "baked_at": OPTIONAL_WHEN,
    "emailed_at": OPTIONAL_WHEN, "resend_requested_at": OPTIONAL_WHEN, "delivery_failed_at": OPTIONAL_WHEN,
    "delivery_failure": TEXT, "batch": OPTIONAL_NUMBER, "created_at": WHEN,
}  # fmt: skip
ENDORSEMENT_FIELDS = {
    "public_id": TEXT, "badge_class": TEXT, "accepted_as": OPTIONAL_TEXT, "comment": TEXT,
    "issued_on": WHEN, "withdrawn_at": OPTIONAL_WHEN,
}  # fmt: skip
AUDIT_FIELDS = {
    "action": TEXT, "object_type": TEXT, "object_id": TEXT, "before": JSON, "after": JSON, "created_at": WHEN,
}  # fmt: skip
# Fields added after version 1 came out, with the value a backup made before them stands for: such a
# backup still restores (a batch made before staff could skip rows skipped none).
ADDED_LATER: dict[str, dict[str, Callable[[], Any]]] = {"issue_batches": {"skipped": list}}
SECTIONS = {
    "signing_keys": KEY_FIELDS,
    "badge_classes": BADGE_CLASS_FIELDS,
    "issue_batches": BATCH_FIELDS,
    "assertions": ASSERTION_FIELDS,
    "endorsements": ENDORSEMENT_FIELDS,
    "audit_entries": AUDIT_FIELDS,
}


# Backing up ------------------------------------------------------------------------------------------


def _written(value: Any, kind: str) -> Any:
    if kind in (WHEN, OPTIONAL_WHEN):
        return value.isoformat() if value is not None else None
    if kind == BYTES:
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def _row(obj: models.Model, fields: Mapping[str, str], **references: Any) -> dict[str, Any]:
    row = {
        name: _written(getattr(obj, name), kind) for name, kind in fields.items() if name not in references
    }
    return {**row, **references}


def _files(names: Iterable[str]) -> dict[str, str]:
    files = {}
    for name in sorted({name for name in names if name}):
        with default_storage.open(name, "rb") as stored:
            files[name] = base64.b64encode(stored.read()).decode("ascii")
    return files


def issuer_backup(*, issuer: Issuer) -> dict[str, Any]:
    """The issuer's whole issuing state as a JSON-ready document (see the module's docstring)."""
    classes = list(BadgeClass.objects.filter(issuer=issuer).order_by("pk"))
    batches = list(IssueBatch.objects.filter(issuer=issuer).select_related("badge_class").order_by("pk"))
    assertions = list(
        Assertion.objects.filter(badge_class__issuer=issuer)
        .select_related("badge_class", "signing_key")
        .order_by("pk")
    )
    endorsements = Endorsement.objects.filter(endorser=issuer).select_related("badge_class", "accepted_as")
    listing = issuer.listing
    return {
        "format": FORMAT,
        "version": VERSION,
        "site_url": settings.SITE_URL,
        "key_secret_fingerprint": badge_selectors.key_secret_fingerprint(),
        "listing": _row(listing, LISTING_FIELDS, country=str(listing.country)),
        "issuer": _row(issuer, ISSUER_FIELDS),
        "signing_keys": [_row(key, KEY_FIELDS) for key in issuer.signing_keys.order_by("created_at", "pk")],
        "badge_classes": [_row(badge_class, BADGE_CLASS_FIELDS) for badge_class in classes],
        "issue_batches": [
            _row(batch, BATCH_FIELDS, ref=batch.pk, badge_class=batch.badge_class.public_id)
            for batch in batches
        ],
        "assertions": [
            _row(
                assertion,
                ASSERTION_FIELDS,
                badge_class=assertion.badge_class.public_id,
                signing_key=assertion.signing_key.public_id if assertion.signing_key else None,
                batch=assertion.batch_id,
            )
            for assertion in assertions
        ],
        "endorsements": [
            _row(
                endorsement,
                ENDORSEMENT_FIELDS,
                badge_class=endorsement.badge_class.public_id,
                accepted_as=endorsement.accepted_as.public_id if endorsement.accepted_as else None,
            )
            for endorsement in endorsements.order_by("pk")
        ],
        "audit_entries": [
            _row(entry, AUDIT_FIELDS) for entry in badge_selectors.audit_entries(issuer).order_by("pk")
        ],
        "files": _files(
            [
                issuer.image.name or "",
                *(c.image.name or "" for c in classes),
                *(a.baked_image.name or "" for a in assertions),
            ]
        ),
    }


# Reading a backup back -------------------------------------------------------------------------------


def _read(value: Any, kind: str, where: str) -> Any:
    """`value` as the field of kind `kind` holds it, or BackupError naming `where`."""
    if value is None and kind.startswith("optional"):
        return None
    readers: dict[str, Callable[[Any], Any]] = {
        TEXT: lambda v: v if isinstance(v, str) else None,
        OPTIONAL_TEXT: lambda v: v if isinstance(v, str) else None,
        FLAG: lambda v: v if isinstance(v, bool) else None,
        NUMBER: lambda v: v if isinstance(v, int) and not isinstance(v, bool) else None,
        OPTIONAL_NUMBER: lambda v: v if isinstance(v, int) and not isinstance(v, bool) else None,
        WHEN: _when,
        OPTIONAL_WHEN: _when,
        BYTES: _base64,
        JSON: lambda v: v,
        OBJECTS: lambda v: v if isinstance(v, list) and all(isinstance(item, dict) for item in v) else None,
    }
    read = readers[kind](value)
    if read is None and kind != JSON:
        raise BackupError(f"{where} must be {kind}, not {repr(value)[:80]}.")
    return read


def _when(value: Any) -> datetime | None:
    moment = parse_datetime(value) if isinstance(value, str) else None
    return moment if moment is not None and moment.tzinfo is not None else None


def _base64(value: Any) -> bytes | None:
    try:
        return base64.b64decode(value, validate=True) if isinstance(value, str) else None
    except (binascii.Error, ValueError):
        return None


def _object(value: Any, fields: Mapping[str, str], where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BackupError(f"{where} must be an object.")
    missing = [name for name in fields if name not in value]
    if missing:
        raise BackupError(f"{where} lacks {', '.join(missing)}.")
    return {name: _read(value[name], kind, f"{where}.{name}") for name, kind in fields.items()}


def _with_later_fields(item: Any, later: Mapping[str, Callable[[], Any]]) -> Any:
    if not isinstance(item, dict):
        return item
    return {**{name: default() for name, default in later.items() if name not in item}, **item}


@dataclass
class Backup:
    """A backup document, checked field by field."""

    site_url: str
    key_secret_fingerprint: str
    listing: dict[str, Any]
    issuer: dict[str, Any]
    sections: dict[str, list[dict[str, Any]]]
    files: dict[str, bytes] = field(default_factory=dict)


def backup_read(document: Any) -> Backup:
    """The document checked: the right format and version, every field present with the right kind of
    value, and every reference (badge class, key, batch, file) to something in the backup."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"This is not a makeworks issuer backup (no “format”: “{FORMAT}”).")
    if document.get("version") != VERSION:
        found = document.get("version")
        raise BackupError(f"This backup is version {found!r}; this server reads version {VERSION}.")
    header = _object(document, {"site_url": TEXT, "key_secret_fingerprint": TEXT}, "backup")
    sections = {}
    for name, fields in SECTIONS.items():
        items = document.get(name)
        if not isinstance(items, list):
            raise BackupError(f"backup.{name} must be a list.")
        later = ADDED_LATER.get(name, {})
        sections[name] = [
            _object(_with_later_fields(item, later), fields, f"{name}[{n}]") for n, item in enumerate(items)
        ]
    files = document.get("files")
    if not isinstance(files, dict):
        raise BackupError("backup.files must be an object of file names and base64 contents.")
    backup = Backup(
        site_url=header["site_url"],
        key_secret_fingerprint=header["key_secret_fingerprint"],
        listing=_object(document.get("listing"), LISTING_FIELDS, "listing"),
        issuer=_object(document.get("issuer"), ISSUER_FIELDS, "issuer"),
        sections=sections,
        files={name: _read(content, BYTES, f"files[{name!r}]") for name, content in files.items()},
    )
    _references_checked(backup)
    return backup


# Where the files of a backup live in the media storage (the models' upload_to); nothing else is written.
FILE_FOLDERS = ("badges/issuers/", "badges/classes/", "badges/baked/")


def _safe_file_name(name: str) -> bool:
    parts = name.split("/")
    return (
        name.startswith(FILE_FOLDERS)
        and "\\" not in name
        and all(part not in ("", ".", "..") for part in parts)
    )


def _references_checked(backup: Backup) -> None:
    ids = {
        "badge_class": {row["public_id"] for row in backup.sections["badge_classes"]},
        "signing_key": {row["public_id"] for row in backup.sections["signing_keys"]},
        "batch": {row["ref"] for row in backup.sections["issue_batches"]},
    }

    def check(section: str, reference: str, known: set[Any]) -> None:
        for n, row in enumerate(backup.sections[section]):
            if row[reference] is not None and row[reference] not in known:
                where = f"{section}[{n}].{reference}"
                raise BackupError(f"{where} names {row[reference]!r}, which is not in the backup.")

    check("issue_batches", "badge_class", ids["badge_class"])
    check("assertions", "badge_class", ids["badge_class"])
    check("assertions", "signing_key", ids["signing_key"])
    check("assertions", "batch", ids["batch"])
    check("endorsements", "accepted_as", ids["badge_class"])
    for name in backup.files:
        if not _safe_file_name(name):
            raise BackupError(
                f"files[{name!r}]: a backup holds only badge images, under {', '.join(FILE_FOLDERS)}."
            )
    named = [backup.issuer["image"], *(row["image"] for row in backup.sections["badge_classes"])]
    named += [row["baked_image"] for row in backup.sections["assertions"]]
    missing = sorted({name for name in named if name and name not in backup.files})
    if missing:
        raise BackupError(f"The backup names files it does not contain: {', '.join(missing[:5])}.")


# Restoring -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreReport:
    issuer: Issuer
    counts: dict[str, int]
    # Endorsements of another hub's badge class that this database does not have.
    skipped_endorsements: list[str]
    listing_created: bool


def _restorable_here(backup: Backup) -> None:
    if backup.site_url != settings.SITE_URL:
        raise BackupError(
            f"This backup was made at {backup.site_url} and this server is {settings.SITE_URL}: every "
            "badge's id is a URL at the site that issued it, so they would no longer verify. Set SITE_URL "
            f"to {backup.site_url}."
        )
    if backup.key_secret_fingerprint != badge_selectors.key_secret_fingerprint():
        raise BackupError(
            "This backup's signing keys are encrypted with another BADGE_KEY_SECRET than this server's "
            f"(fingerprint {backup.key_secret_fingerprint[:12]}…): set BADGE_KEY_SECRET to the secret the "
            "backup was made with."
        )
    slug = backup.issuer["slug"]
    if Issuer.objects.filter(slug=slug).exists():
        raise BackupError(f"The issuer “{slug}” already exists here; nothing was restored.")
    if Issuer.objects.filter(listing__slug=backup.listing["slug"]).exists():
        raise BackupError(
            f"The hub “{backup.listing['slug']}” already has another badge issuer; nothing was restored."
        )
    models_by_section: tuple[tuple[str, type[models.Model]], ...] = (
        ("signing_keys", SigningKey),
        ("badge_classes", BadgeClass),
        ("assertions", Assertion),
        ("endorsements", Endorsement),
    )
    for section, model in models_by_section:
        ids = [row["public_id"] for row in backup.sections[section]]
        taken = model._default_manager.filter(public_id__in=ids).values_list("public_id", flat=True).first()
        if taken is not None:
            raise BackupError(f"{section} {taken} already exists here; nothing was restored.")


def _file_restored(name: str, content: bytes, created: list[str]) -> str:
    """The stored name of the file: the same name when that file is already there with the same content
    (media kept while the database was lost), a new one when another file has the name."""
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            if stored.read() == content:
                return name
    stored_name = default_storage.save(name, ContentFile(content))
    created.append(stored_name)
    return stored_name


def _checked(obj: models.Model, where: str, exclude: Iterable[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        raise BackupError(f"{where}: {problems}") from None


def _created_at(objects: list[Any], rows: list[dict[str, Any]]) -> None:
    """Give back the times that auto_now_add replaced with "now" while saving."""
    if not objects:
        return
    model = type(objects[0])
    stamped = [f.name for f in model._meta.fields if getattr(f, "auto_now_add", False) and f.name in rows[0]]
    if not stamped:
        return
    for obj, row in zip(objects, rows, strict=True):
        for name in stamped:
            setattr(obj, name, row[name])
    model._default_manager.bulk_update(objects, stamped, batch_size=500)


def _listing_for(backup: Backup) -> tuple[Listing, bool]:
    listing = Listing.objects.filter(slug=backup.listing["slug"]).first()
    if listing is not None:
        return listing, False
    fields = backup.listing
    try:
        created = listing_create(
            name=fields["name"],
            kind=fields["kind"],
            slug=fields["slug"],
            city=fields["city"],
            country=fields["country"],
            website=fields["website"],
            # A draft: the directory's curators complete and publish it.
            status=ListingStatus.DRAFT,
        )
    except ValidationError as error:
        raise BackupError(f"listing: {'; '.join(error.messages)}") from None
    return created, True


def _issuer_restored(backup: Backup, listing: Listing, files: Mapping[str, str]) -> Issuer:
    row = backup.issuer
    issuer = Issuer(listing=listing, **{name: row[name] for name in ISSUER_FIELDS if name != "image"})
    issuer.image.name = files.get(row["image"], "")
    _checked(issuer, "issuer", exclude=["listing", "image"])
    issuer.save()
    _created_at([issuer], [row])
    return issuer


def _rows_restored(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    section: str,
    build: Callable[[dict[str, Any]], Any],
) -> list[Any]:
    objects = []
    for n, row in enumerate(rows):
        obj = build(row)
        _checked(obj, f"{section}[{n}]", exclude=[f.name for f in model._meta.fields if f.is_relation])
        objects.append(obj)
    created = model._default_manager.bulk_create(objects, batch_size=500)
    _created_at(created, rows)
    return created


def _plain(row: Mapping[str, Any], fields: Mapping[str, str], *references: str) -> dict[str, Any]:
    return {name: row[name] for name in fields if name not in references}


@dataclass
class _Restoring:
    """What a restore has written so far, to which the next rows refer."""

    issuer: Issuer
    files: Mapping[str, str]
    keys: dict[str, SigningKey] = field(default_factory=dict)
    classes: dict[str, BadgeClass] = field(default_factory=dict)
    batches: dict[int, IssueBatch] = field(default_factory=dict)

    def key(self, row: dict[str, Any]) -> SigningKey:
        return SigningKey(issuer=self.issuer, **_plain(row, KEY_FIELDS))

    def badge_class(self, row: dict[str, Any]) -> BadgeClass:
        fields = _plain(row, BADGE_CLASS_FIELDS, "image")
        return BadgeClass(issuer=self.issuer, image=self.files[row["image"]], **fields)

    def batch(self, row: dict[str, Any]) -> IssueBatch:
        badge_class = self.classes[row["badge_class"]]
        return IssueBatch(
            issuer=self.issuer, badge_class=badge_class, total=row["total"], skipped=row["skipped"]
        )

    def assertion(self, row: dict[str, Any]) -> Assertion:
        return Assertion(
            **_plain(row, ASSERTION_FIELDS, "badge_class", "signing_key", "batch", "baked_image"),
            badge_class=self.classes[row["badge_class"]],
            signing_key=self.keys[row["signing_key"]] if row["signing_key"] else None,
            batch=self.batches[row["batch"]] if row["batch"] is not None else None,
            baked_image=self.files.get(row["baked_image"], ""),
        )

    def audit_entry(self, row: dict[str, Any]) -> AuditEntry:
        # Backups made before the one audit log name actions and objects the old way.
        action = LEGACY_AUDIT_ACTIONS.get(row["action"], row["action"])
        object_type = LEGACY_AUDIT_OBJECT_TYPES.get(row["object_type"], row["object_type"])
        scope_type, scope_id = scope_key(self.issuer)
        data = {name: row[name] for name in ("before", "after") if row[name] is not None}
        return AuditEntry(
            action=action,
            object_type=object_type,
            # The issuer's own lines name it by its primary key, which is new here.
            object_id=scope_id if object_type == scope_type else row["object_id"],
            scope_type=scope_type,
            scope_id=scope_id,
            data=data,
            created_at=row["created_at"],
        )


def _endorsements_restored(restoring: _Restoring, rows: list[dict[str, Any]]) -> list[str]:
    """Restore the endorsements whose badge class is here (the hub's own, or another hub's already in this
    database); the public ids of the others, which cannot be, are returned."""
    elsewhere = BadgeClass.objects.filter(public_id__in=[row["badge_class"] for row in rows])
    endorsed = {**{c.public_id: c for c in elsewhere}, **restoring.classes}
    kept = [row for row in rows if row["badge_class"] in endorsed]

    def build(row: dict[str, Any]) -> Endorsement:
        return Endorsement(
            **_plain(row, ENDORSEMENT_FIELDS, "badge_class", "accepted_as"),
            endorser=restoring.issuer,
            badge_class=endorsed[row["badge_class"]],
            accepted_as=restoring.classes[row["accepted_as"]] if row["accepted_as"] else None,
        )

    _rows_restored(Endorsement, kept, "endorsements", build)
    return [row["public_id"] for row in rows if row["badge_class"] not in endorsed]


@transaction.atomic
def _restored(backup: Backup, created_files: list[str]) -> RestoreReport:
    # Restoring writes recipient lookups and encrypted keys: only under the secret this database records.
    badge_services.key_secret_check()
    files = {name: _file_restored(name, content, created_files) for name, content in backup.files.items()}
    listing, listing_created = _listing_for(backup)
    restoring = _Restoring(issuer=_issuer_restored(backup, listing, files), files=files)
    sections = backup.sections
    for key in _rows_restored(SigningKey, sections["signing_keys"], "signing_keys", restoring.key):
        restoring.keys[key.public_id] = key
    for badge_class in _rows_restored(
        BadgeClass, sections["badge_classes"], "badge_classes", restoring.badge_class
    ):
        restoring.classes[badge_class.public_id] = badge_class
    batch_rows = sections["issue_batches"]
    batches = _rows_restored(IssueBatch, batch_rows, "issue_batches", restoring.batch)
    restoring.batches = {row["ref"]: batch for row, batch in zip(batch_rows, batches, strict=True)}
    _rows_restored(Assertion, sections["assertions"], "assertions", restoring.assertion)
    skipped = _endorsements_restored(restoring, sections["endorsements"])
    _rows_restored(AuditEntry, sections["audit_entries"], "audit_entries", restoring.audit_entry)
    counts = {name: len(rows) for name, rows in sections.items()}
    counts["endorsements"] -= len(skipped)
    return RestoreReport(
        issuer=restoring.issuer, counts=counts, skipped_endorsements=skipped, listing_created=listing_created
    )


def issuer_restore(*, document: Any) -> RestoreReport:
    """Restore a backup made by issuer_backup, all or nothing: on any refusal no row is written and no
    file it stored is left behind."""
    backup = backup_read(document)
    _restorable_here(backup)
    created_files: list[str] = []
    try:
        return _restored(backup, created_files)
    except BaseException as error:
        for name in created_files:
            default_storage.delete(name)
        if isinstance(error, IntegrityError):
            raise BackupError(f"The database refused the backup: {error}") from None
        raise
