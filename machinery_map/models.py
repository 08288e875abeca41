"""The Map of Machinery: each hub's equipment, the taxonomies that classify it, and the Open Know-Where
record that ties an imported facility to its listing.

Writes go through machinery_map.services; nothing here has side effects in save().
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from badges.models import BadgeClass
from directory.models import Listing, ListingKind, Term, localized
from machinery_map.matching import wikipedia_article
from machinery_map.taxonomy import OTHER_TYPE
from makeworks.fields import NameField

# The kinds of listing that are hubs with machines people can use or hire.
HUB_KINDS = (ListingKind.MAKERSPACE, ListingKind.WORKSHOP, ListingKind.FABRICATOR)


class ManufacturingProcess(models.Model):
    """What a machine does, as Open Know-Where names it: by Wikipedia article."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = NameField(_("name"), max_length=120)
    name_fr = NameField(_("name in French"), max_length=120, blank=True)
    wikipedia_url = models.URLField(_("Wikipedia URL"))
    wikidata_url = models.URLField(_("Wikidata URL"), blank=True)
    # Other names dirty input uses for it, folded as machinery_map.matching folds text.
    aliases = models.JSONField(_("aliases"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("manufacturing process")
        verbose_name_plural = _("manufacturing processes")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self.name, self.name_fr)


class EquipmentType(models.Model):
    """A kind of machine ("laser cutter", "3D printer (SLA/resin)"); a broader type covers its narrower
    ones in a search, so "3D printer" finds every technology."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = NameField(_("name"), max_length=120)
    name_fr = NameField(_("name in French"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("broader type"),
    )
    wikipedia_url = models.URLField(_("Wikipedia URL"))
    wikidata_url = models.URLField(_("Wikidata URL"), blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    processes = models.ManyToManyField(
        ManufacturingProcess, blank=True, related_name="+", verbose_name=_("usual processes")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("equipment type")
        verbose_name_plural = _("equipment types")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self.name, self.name_fr)


class EquipmentStatus(models.TextChoices):
    OPERATIONAL = "operational", _("Operational")
    MAINTENANCE = "maintenance", _("Under maintenance")
    RETIRED = "retired", _("Retired")


class EquipmentAccess(models.TextChoices):
    OPEN = "open", _("Open to anyone")
    INDUCTION = "induction", _("After an induction")
    MEMBERS = "members", _("Members only")
    STAFF = "staff", _("Operated by staff")


def equipment_photo_path(equipment: "Equipment", filename: str) -> str:
    return f"machines/{equipment.hub_id}/{filename}"


class Equipment(models.Model):
    """One kind of machine at a hub (with how many of it there are). Sizes are in millimetres, power in
    watts, as Open Know-Where gives them."""

    hub = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="equipment", verbose_name=_("hub")
    )
    equipment_type = models.ForeignKey(
        EquipmentType, on_delete=models.PROTECT, related_name="equipment", verbose_name=_("type")
    )
    make = NameField(_("make"), max_length=120, blank=True)
    model = NameField(_("model"), max_length=120, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=120, blank=True)
    quantity = models.PositiveSmallIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    condition = models.CharField(_("condition"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=EquipmentStatus.choices, default=EquipmentStatus.OPERATIONAL
    )
    processes = models.ManyToManyField(
        ManufacturingProcess, blank=True, related_name="equipment", verbose_name=_("manufacturing processes")
    )
    materials = models.ManyToManyField(
        Term,
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": "material"},
        verbose_name=_("materials worked"),
    )
    # Materials a file named that the vocabulary does not know, kept as given (usually Wikipedia URLs).
    other_materials = models.JSONField(_("other materials"), default=list, blank=True)

    bed_size_mm = models.PositiveIntegerField(_("bed size (mm)"), null=True, blank=True)
    build_volume_mm3 = models.PositiveBigIntegerField(_("build volume (mm³)"), null=True, blank=True)
    x_travel_mm = models.PositiveIntegerField(_("X travel (mm)"), null=True, blank=True)
    y_travel_mm = models.PositiveIntegerField(_("Y travel (mm)"), null=True, blank=True)
    z_travel_mm = models.PositiveIntegerField(_("Z travel (mm)"), null=True, blank=True)
    laser_power_w = models.PositiveIntegerField(_("laser power (W)"), null=True, blank=True)
    spindle_speed_rpm = models.PositiveIntegerField(_("maximum spindle speed (rpm)"), null=True, blank=True)
    nozzle_size_mm = models.DecimalField(
        _("nozzle size (mm)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    axes = models.PositiveSmallIntegerField(
        _("axes"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    power_rating_w = models.PositiveIntegerField(_("power rating (W)"), null=True, blank=True)

    access = models.CharField(
        _("access"), max_length=16, choices=EquipmentAccess.choices, default=EquipmentAccess.INDUCTION
    )
    booking_url = models.URLField(_("booking link"), blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    photo = models.ImageField(_("photo"), upload_to=equipment_photo_path, blank=True)
    required_badge_classes = models.ManyToManyField(
        BadgeClass,
        blank=True,
        related_name="+",
        verbose_name=_("required badges"),
        help_text=_("Badges a person must hold (or an endorsed equivalent) to use this machine."),
    )
    # The machine's public Open Know-Where record as imports gave it (camelCase keys), so that exporting it
    # again loses nothing: the properties we have no field for (throughput, maintenance schedule...) and
    # the source's own words for those we map (see machinery_map.okw.keeping).
    okw_properties = models.JSONField(default=dict, blank=True)
    # The machine's mapped values as the last import left them: a group of fields still equal to these is
    # exported in the source's words, one edited here since in ours.
    okw_imported_values = models.JSONField(default=dict, blank=True)
    # Set when an Open Know-Where import created the machine: what identifies it within its facility, so a
    # re-import updates it and a machine the source no longer lists is removed.
    import_key = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["equipment_type__name", "make", "model", "id"]
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        # The map's filters read a machine's status, hub and id straight from these indexes, so matching
        # thousands of machines never visits the wide rows (trailing key columns rather than INCLUDE, which
        # SQLite lacks).
        indexes = [
            models.Index(fields=["equipment_type", "status", "hub", "id"], name="equipment_type_status_hub"),
            models.Index(
                fields=["hub", "status", "id", "equipment_type", "access", "bed_size_mm", "build_volume_mm3"],
                name="equipment_hub_status_filters",
            ),
            models.Index(fields=["bed_size_mm", "status", "hub", "id"], name="equipment_bed_size_hub"),
            models.Index(
                fields=["build_volume_mm3", "status", "hub", "id"], name="equipment_build_volume_hub"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def type_label(self) -> str:
        """The type's name; for an "other" machine, the type its OKW source named, when there is one."""
        named = self.okw_properties.get("equipmentType") if isinstance(self.okw_properties, dict) else None
        if self.equipment_type.slug == OTHER_TYPE and isinstance(named, str) and named.strip():
            article = wikipedia_article(named)
            return (article.replace("_", " ") if article else named.strip())[:120]
        return self.equipment_type.label

    @property
    def title(self) -> str:
        make_model = " ".join(part for part in (self.make, self.model) if part)
        return f"{self.type_label} ({make_model})" if make_model else self.type_label


class OkwFacility(models.Model):
    """What ties an imported Open Know-Where facility to its listing: the identities a re-import finds it
    by (OkwIdentity), and the facility properties the directory has no field for."""

    listing = models.OneToOneField(Listing, on_delete=models.CASCADE, related_name="okw_facility")
    facility_status = models.CharField(max_length=40, blank=True)
    access_type = models.CharField(max_length=60, blank=True)
    typical_batch_size = models.CharField(max_length=60, blank=True)
    processes = models.ManyToManyField(ManufacturingProcess, blank=True, related_name="+")
    # The facility's public OKW record as imports gave it (camelCase, private contact details and machines
    # left out), merged file after file: what exporting it again writes back (machinery_map.okw.keeping).
    properties = models.JSONField(default=dict, blank=True)
    # The mapped values as the last import left them, to tell the source's words from later edits here.
    imported_values = models.JSONField(default=dict, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Open Know-Where facility")
        verbose_name_plural = _("Open Know-Where facilities")

    def __str__(self) -> str:
        return str(self.listing_id)


class OkwIdentity(models.Model):
    """One name a facility was known by: its OKW id in some file, the URL of our own export, or (for a
    record without an id) its folded name and rounded coordinates. A facility keeps every one, so a file
    naming it by any of them finds it, and an identity is never moved to another facility."""

    facility = models.ForeignKey(OkwFacility, on_delete=models.CASCADE, related_name="identities")
    key = models.CharField(max_length=500, unique=True)

    class Meta:
        verbose_name = _("Open Know-Where identity")
        verbose_name_plural = _("Open Know-Where identities")

    def __str__(self) -> str:
        return self.key
