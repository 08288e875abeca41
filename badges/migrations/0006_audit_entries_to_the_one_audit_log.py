"""Move the issuers' audit log into the one audit log (audit.AuditEntry), losing no line: each keeps its
time, who did it, what and to which object, with the action and object names of the new log."""

from django.db import migrations

# Frozen here, as they were when this migration was written (badges.models may change later).
ACTIONS = {
    "assertion_issued": "badges.assertion.issued",
    "assertions_issued": "badges.assertions.issued",
    "assertion_revoked": "badges.assertion.revoked",
    "signing_key_rotated": "badges.signing_key.rotated",
    "signing_key_revoked": "badges.signing_key.revoked",
    "member_added": "badges.member.added",
    "member_changed": "badges.member.changed",
    "member_removed": "badges.member.removed",
    "issuer_updated": "badges.issuer.updated",
    "badge_class_created": "badges.badge_class.created",
    "badge_class_updated": "badges.badge_class.updated",
    "endorsement_given": "badges.endorsement.given",
    "endorsement_withdrawn": "badges.endorsement.withdrawn",
}
OBJECT_TYPES = {
    "assertion": "passport.assertion",
    "badge_class": "badges.badgeclass",
    "endorsement": "badges.endorsement",
    "issuer": "badges.issuer",
    "issuer_membership": "badges.issuermembership",
    "signing_key": "badges.signingkey",
}
SCOPE_TYPE = "badges.issuer"
BATCH = 1000


def _data(before, after):
    return {name: value for name, value in (("before", before), ("after", after)) if value is not None}


def forwards(apps, schema_editor):
    OldEntry = apps.get_model("badges", "AuditEntry")
    Issuer = apps.get_model("badges", "Issuer")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    names = dict(Issuer.objects.values_list("pk", "name"))
    new = []
    for old in OldEntry.objects.order_by("pk").iterator(chunk_size=BATCH):
        object_type = OBJECT_TYPES.get(old.object_type, old.object_type)
        # The issuer's own lines named it by its slug; the one log names objects without a public id by
        # their primary key.
        object_id = str(old.issuer_id) if object_type == SCOPE_TYPE else old.object_id
        new.append(
            AuditEntry(
                actor_id=old.actor_id,
                action=ACTIONS.get(old.action, old.action),
                object_type=object_type,
                object_id=object_id,
                object_label=names[old.issuer_id] if object_type == SCOPE_TYPE else "",
                scope_type=SCOPE_TYPE,
                scope_id=str(old.issuer_id),
                data=_data(old.before, old.after),
                created_at=old.created_at,
            )
        )
    AuditEntry.objects.bulk_create(new, batch_size=BATCH)


def backwards(apps, schema_editor):
    OldEntry = apps.get_model("badges", "AuditEntry")
    Issuer = apps.get_model("badges", "Issuer")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    actions = {new: old for old, new in ACTIONS.items()}
    object_types = {new: old for old, new in OBJECT_TYPES.items()}
    slugs = dict(Issuer.objects.values_list("pk", "slug"))
    entries = AuditEntry.objects.filter(scope_type=SCOPE_TYPE).order_by("pk")
    old = []
    for entry in entries.iterator(chunk_size=BATCH):
        issuer_id = int(entry.scope_id)
        object_type = object_types.get(entry.object_type, entry.object_type)
        old.append(
            OldEntry(
                issuer_id=issuer_id,
                actor_id=entry.actor_id,
                action=actions.get(entry.action, entry.action),
                object_type=object_type,
                object_id=slugs[issuer_id] if object_type == "issuer" else entry.object_id,
                before=entry.data.get("before"),
                after=entry.data.get("after"),
            )
        )
    created = OldEntry.objects.bulk_create(old, batch_size=BATCH)
    # auto_now_add stamped them "now"; give back the times they were written.
    for row, entry in zip(created, entries, strict=True):
        row.created_at = entry.created_at
    OldEntry.objects.bulk_update(created, ["created_at"], batch_size=BATCH)
    entries.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("badges", "0005_key_secret_fingerprint"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
