"""Badge classes in the console: everyone on the hub sees them; editors and owners create and correct
them, with images checked, ESCO alignments typed one a line and tags separated by commas; each creation
and change is in the audit log."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from badges import selectors as badge_selectors
from badges.models import AuditAction, BadgeClass
from tests.console.test_console_access import Hubs, console_url, text_of
from tests.factories import badge_png

pytestmark = pytest.mark.django_db

ESCO_LINE = (
    "working with machinery and specialised equipment | http://data.europa.eu/esco/skill/S8 | ESCO | S8"
)


def class_data(**changes: object) -> dict[str, object]:
    return {
        "name": "Sewing machine operator",
        "description": "Threads, adjusts and sews on the hub's machines.",
        "image": SimpleUploadedFile("sewing.png", badge_png(), "image/png"),
        "criteria_narrative": "- Sewed straight and zigzag seams",
        "criteria_url": "",
        "alignments": ESCO_LINE + "\n\nrepairing textiles | https://example.org/skills/repair",
        "tags": "textiles, sewing, textiles, ",
        "valid_days": "365",
        **changes,
    }


def test_staff_see_the_hub_badge_classes_but_are_not_offered_to_create_one(
    client: Client, hubs: Hubs
) -> None:
    client.force_login(hubs.a.people["staff"])

    page = client.get(console_url("badge_classes", hubs.a)).content.decode()

    assert "Laser cutting at Glasgow" in page
    assert "Laser cutting at Paris" not in page
    assert console_url("badge_class_new", hubs.a) not in page
    assert console_url("badge_class_edit", hubs.a, public_id=hubs.a.badge_class.public_id) not in page


def test_an_editor_creates_a_badge_class_with_alignments_and_tags(editor: Client, hubs: Hubs) -> None:
    response = editor.post(console_url("badge_class_new", hubs.a), class_data())

    assert response.status_code == 302
    created = BadgeClass.objects.get(issuer=hubs.a.issuer, name="Sewing machine operator")
    assert created.alignments == [
        {
            "targetName": "working with machinery and specialised equipment",
            "targetUrl": "http://data.europa.eu/esco/skill/S8",
            "targetFramework": "ESCO",
            "targetCode": "S8",
        },
        {"targetName": "repairing textiles", "targetUrl": "https://example.org/skills/repair"},
    ]
    assert created.tags == ["textiles", "sewing"]
    assert created.valid_days == 365
    entry = badge_selectors.audit_entries(hubs.a.issuer).first()
    assert entry is not None
    assert (entry.action, entry.actor, entry.object_id) == (
        AuditAction.BADGE_CLASS_CREATED,
        hubs.a.people["editor"],
        created.public_id,
    )
    assert "Sewing machine operator" in editor.get(response["Location"]).content.decode()


def test_an_alignment_line_without_a_web_address_is_named_by_its_line(editor: Client, hubs: Hubs) -> None:
    response = editor.post(
        console_url("badge_class_new", hubs.a), class_data(alignments=ESCO_LINE + "\nsewing")
    )

    assert response.status_code == 400
    assert "Line 2: write “name | web address”" in text_of(response.content.decode())
    assert not BadgeClass.objects.filter(name="Sewing machine operator").exists()


def test_an_unsafe_svg_is_refused_with_the_reason_and_nothing_is_created(editor: Client, hubs: Hubs) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    image = SimpleUploadedFile("badge.svg", svg, "image/svg+xml")

    response = editor.post(console_url("badge_class_new", hubs.a), class_data(image=image))

    assert response.status_code == 400
    assert "This SVG cannot be a badge image" in text_of(response.content.decode())
    assert not BadgeClass.objects.filter(name="Sewing machine operator").exists()


def test_a_badge_class_needs_criteria(editor: Client, hubs: Hubs) -> None:
    response = editor.post(console_url("badge_class_new", hubs.a), class_data(criteria_narrative=""))

    assert response.status_code == 400
    assert "Say how to earn the badge" in text_of(response.content.decode())


def test_the_edit_form_shows_the_class_as_it_is(editor: Client, hubs: Hubs) -> None:
    editor.post(console_url("badge_class_new", hubs.a), class_data())
    created = BadgeClass.objects.get(name="Sewing machine operator")

    page = editor.get(console_url("badge_class_edit", hubs.a, public_id=created.public_id)).content.decode()

    assert ESCO_LINE in page
    assert "repairing textiles | https://example.org/skills/repair" in page
    assert 'value="textiles, sewing"' in page


def test_an_editor_corrects_a_class_keeping_its_image_and_the_change_is_audited(
    editor: Client, hubs: Hubs
) -> None:
    badge_class = hubs.a.badge_class
    image_before = badge_class.image.name
    url = console_url("badge_class_edit", hubs.a, public_id=badge_class.public_id)
    page = text_of(editor.get(url).content.decode())

    response = editor.post(
        url,
        {
            "name": "Laser cutter operator",
            "description": badge_class.description,
            "criteria_narrative": badge_class.criteria_narrative,
            "tags": "laser cutting",
        },
    )

    assert "2 badges of this class have been awarded and show what you save here" in page
    assert response.status_code == 302
    badge_class.refresh_from_db()
    assert (badge_class.name, badge_class.tags, badge_class.image.name) == (
        "Laser cutter operator",
        ["laser cutting"],
        image_before,
    )
    entry = badge_selectors.audit_entries(hubs.a.issuer).first()
    assert entry is not None
    assert (entry.action, entry.actor) == (AuditAction.BADGE_CLASS_UPDATED, hubs.a.people["editor"])
    assert entry.before == {"name": "Laser cutting at Glasgow", "tags": []}
    assert entry.after == {"name": "Laser cutter operator", "tags": ["laser cutting"]}


def test_a_new_image_replaces_the_old_one(editor: Client, hubs: Hubs) -> None:
    badge_class = hubs.a.badge_class
    image_before = badge_class.image.name
    data = class_data(image=SimpleUploadedFile("new.png", badge_png("#c1121f"), "image/png"))

    editor.post(console_url("badge_class_edit", hubs.a, public_id=badge_class.public_id), data)

    badge_class.refresh_from_db()
    assert badge_class.image.name != image_before
    with badge_class.image.open("rb") as stored:
        # Re-encoded: the new picture, not the upload's bytes.
        assert Image.open(stored).convert("RGB").getpixel((0, 0)) == (193, 18, 31)
