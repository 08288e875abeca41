"""Move the listings' history into the one audit log (audit.AuditEntry), losing no line: each keeps its
time, who did it, what, the listing's id and name, and which fields changed how."""

from django.db import migrations

ACTION_PREFIX = "directory.listing."
OBJECT_TYPE = "directory.listing"
BATCH = 1000


def forwards(apps, schema_editor):
    ListingChange = apps.get_model("directory", "ListingChange")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    new = [
        AuditEntry(
            actor_id=old.actor_id,
            action=ACTION_PREFIX + old.action,
            object_type=OBJECT_TYPE,
            # A deleted listing's lines keep no id; none can be looked up by it, as before, but the
            # curators' and the admin's lists still show them by name.
            object_id=str(old.listing_id) if old.listing_id is not None else "",
            object_label=old.listing_name,
            data={"changes": old.changes} if old.changes else {},
            created_at=old.created_at,
        )
        for old in ListingChange.objects.order_by("pk").iterator(chunk_size=BATCH)
    ]
    AuditEntry.objects.bulk_create(new, batch_size=BATCH)


def backwards(apps, schema_editor):
    ListingChange = apps.get_model("directory", "ListingChange")
    Listing = apps.get_model("directory", "Listing")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    entries = AuditEntry.objects.filter(object_type=OBJECT_TYPE).order_by("pk")
    existing = set(Listing.objects.values_list("pk", flat=True))
    old = []
    for entry in entries.iterator(chunk_size=BATCH):
        listing_id = int(entry.object_id) if entry.object_id else None
        old.append(
            ListingChange(
                listing_id=listing_id if listing_id in existing else None,
                listing_name=entry.object_label,
                actor_id=entry.actor_id,
                action=entry.action.removeprefix(ACTION_PREFIX),
                changes=entry.data.get("changes") or {},
            )
        )
    created = ListingChange.objects.bulk_create(old, batch_size=BATCH)
    # auto_now_add stamped them "now"; give back the times they were written.
    for row, entry in zip(created, entries, strict=True):
        row.created_at = entry.created_at
    ListingChange.objects.bulk_update(created, ["created_at"], batch_size=BATCH)
    entries.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("directory", "0005_delivery_queued_at"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
