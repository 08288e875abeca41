"""The catalogue: listings (who makes or supplies), the terms that describe them, and regional nodes.

Writes go through directory.services, which also keeps the search index in step; nothing here has
side effects in save().
"""

from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from makeworks.fields import NameField
from makeworks.lib.language import LANGUAGE_MAX_LENGTH


def prefers_french() -> bool:
    return (get_language() or "").startswith("fr")


class LocalizedText(NamedTuple):
    text: str
    language: str


def localized(name: str, name_fr: str, *, french: bool | None = None) -> str:
    """The French name on French pages when there is one, the English name otherwise. Callers naming
    many things at once pass `french`, worked out once, as asking for the language is not free."""
    if french is None:
        french = prefers_french()
    return name_fr if french and name_fr else name


class Node(models.Model):
    """A regional chapter of the directory, looked after by its own curators."""

    name = NameField(_("name"), max_length=120)
    name_fr = NameField(_("name in French"), max_length=120, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    country = CountryField(_("country"))
    description = models.TextField(_("description"), blank=True)
    # The node's own words in French, which its curators write beside the English (Markdown, as it).
    description_fr = models.TextField(_("description in French"), blank=True)
    latitude = models.FloatField(_("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    zoom = models.PositiveSmallIntegerField(
        _("map zoom"), default=12, validators=[MinValueValidator(1), MaxValueValidator(18)]
    )
    curators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="curated_nodes", verbose_name=_("curators")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("node")
        verbose_name_plural = _("nodes")

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("directory:node", kwargs={"slug": self.slug})

    @property
    def label(self) -> str:
        return localized(self.name, self.name_fr)

    @property
    def about(self) -> "LocalizedText":
        """The description in the page's language, or in the other one when only that one is written
        (with its language, so the page can mark it for screen readers and translators)."""
        french = prefers_french()
        texts = [("fr", self.description_fr), ("en", self.description)]
        for language, text in texts if french else reversed(texts):
            if text.strip():
                return LocalizedText(text=text, language=language)
        return LocalizedText(text="", language="")


class Vocabulary(models.TextChoices):
    MATERIAL = "material", _("Material")
    PROCESS = "process", _("Process")
    SECTOR = "sector", _("Sector")
    SERVICE = "service", _("Service")


class TermQuerySet(models.QuerySet["Term"]):
    def branches(self, root_ids: Iterable[int]) -> list[list[int]]:
        """For each root term, its id and those of every narrower term below it, from one query.

        A term stands for its whole branch, in a search and in the index: "Wood" covers "Plywood".
        """
        children: dict[int, list[int]] = {}
        # Only the links between terms, unsorted: a search with a facet asks this of every term.
        for term_id, parent_id in self.filter(parent__isnull=False).order_by().values_list("id", "parent_id"):
            children.setdefault(parent_id, []).append(term_id)
        branches = []
        for root in root_ids:
            found: dict[int, None] = {}
            stack = [root]
            while stack:
                current = stack.pop()
                if current not in found:
                    found[current] = None
                    stack.extend(children.get(current, []))
            branches.append(list(found))
        return branches


class Term(models.Model):
    """A word of one of the four hierarchical vocabularies that describe what a listing does.

    One table for all four keeps facet counting to a single join and GROUP BY.
    """

    vocabulary = models.CharField(_("vocabulary"), max_length=16, choices=Vocabulary.choices)
    name = NameField(_("name"), max_length=120)
    name_fr = NameField(_("name in French"), max_length=120, blank=True)
    slug = models.SlugField(_("slug"), max_length=120)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("broader term"),
    )
    # Open Know-Where identifies processes and materials by Wikipedia URL; Wikidata is the stable id.
    wikipedia_url = models.URLField(_("Wikipedia URL"), blank=True)
    wikidata_url = models.URLField(_("Wikidata URL"), blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["vocabulary", "name"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "slug"], name="term_unique_slug_per_vocabulary"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self.name, self.name_fr)


class ListingKind(models.TextChoices):
    FABRICATOR = "fabricator", _("Fabricator")
    MATERIAL_SUPPLIER = "supplier", _("Material supplier")
    WORKSHOP = "workshop", _("Workshop")
    FOOD_PRODUCER = "food", _("Food producer")
    MAKERSPACE = "makerspace", _("Makerspace / hub")


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class TeamSize(models.TextChoices):
    SOLO = "1", _("1 person")
    SMALL = "2-5", _("2–5 people")
    MEDIUM = "6-20", _("6–20 people")
    LARGE = "21-100", _("21–100 people")
    VERY_LARGE = "100+", _("More than 100 people")


class BatchSize(models.TextChoices):
    ONE_OFF = "one-off", _("One-off")
    SMALL_BATCH = "small", _("Small batch")
    LARGE_BATCH = "large", _("Large batch")


class Clientele(models.TextChoices):
    PUBLIC = "public", _("The public")
    STUDENTS = "students", _("Students")
    PROFESSIONALS = "professionals", _("Professionals")
    BUSINESSES = "businesses", _("Businesses")


class ProductionAccess(models.TextChoices):
    CLOSED = "closed", _("Closed")
    TRADE_COUNTER = "trade-counter", _("Trade counter")
    BY_APPOINTMENT = "appointment", _("By appointment")
    WORKSHOPS = "workshops", _("Workshops and classes")
    OPEN = "open", _("Open")


class ListingQuerySet(models.QuerySet["Listing"]):
    def published(self) -> "ListingQuerySet":
        return self.filter(status=ListingStatus.PUBLISHED)


class Listing(models.Model):
    """An organisation that makes or supplies: a fabricator, supplier, workshop, food producer or hub."""

    kind = models.CharField(_("kind"), max_length=16, choices=ListingKind.choices)
    name = NameField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    node = models.ForeignKey(
        Node,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="listings",
        verbose_name=_("node"),
    )
    terms = models.ManyToManyField(Term, blank=True, related_name="listings", verbose_name=_("terms"))

    address = models.CharField(_("street address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    country = CountryField(_("country"), blank=True)
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )

    website = models.URLField(_("website"), blank=True)
    # Never shown on a page or in an export: visitors reach the listing through the contact form.
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    social_links = models.JSONField(_("social links"), default=list, blank=True)

    year_founded = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1000), MaxValueValidator(2100)],
    )
    team_size = models.CharField(_("team size"), max_length=8, choices=TeamSize.choices, blank=True)
    minimum_order = models.CharField(_("minimum order"), max_length=120, blank=True)
    lead_time = models.CharField(_("lead time"), max_length=120, blank=True)
    batch_sizes = models.JSONField(_("batch sizes"), default=list, blank=True)
    works_with = models.JSONField(_("works with"), default=list, blank=True)
    production_access = models.JSONField(_("production access"), default=list, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    certifications = models.JSONField(_("certifications"), default=list, blank=True)
    circularity = models.TextField(
        _("circularity"), blank=True, help_text=_("By-products and waste streams offered to others.")
    )
    video_url = models.URLField(_("video portrait"), blank=True)
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="owned_listings", verbose_name=_("owners")
    )
    # The id a listing has in the source it was imported from, so importing the same file again
    # updates the listing instead of adding a second one.
    external_id = models.CharField(_("external id"), max_length=100, blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=ListingStatus.choices, default=ListingStatus.DRAFT
    )
    verified = models.BooleanField(_("verified"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        indexes = [
            models.Index(fields=["status", "kind"], name="listing_status_kind"),
            models.Index(fields=["status", "node"], name="listing_status_node"),
            models.Index(fields=["latitude", "longitude"], name="listing_lat_lng"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"], condition=~models.Q(external_id=""), name="listing_unique_external_id"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:listing", kwargs={"slug": self.slug})

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")


class Claim(models.Model):
    """A member asking to become an owner of a listing; a curator of its node decides."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="claims")
    claimant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claims")
    message = models.TextField(_("message"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    # The claimant's language when claiming, which the decision e-mail is written in.
    language = models.CharField(_("language"), max_length=LANGUAGE_MAX_LENGTH, default="en", editable=False)
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the curator tells the claimant, sent with the decision.
    response = models.TextField(_("response"), max_length=2000, blank=True)
    # Set once the decision e-mail has gone, so a retried task never sends it twice.
    notified_at = models.DateTimeField(null=True, blank=True)
    # When the decision e-mail was last handed to the broker; empty when the broker refused it (see the
    # delivery sweep in directory.tasks).
    notification_queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "claimant"],
                condition=models.Q(status="pending"),
                name="claim_one_pending_per_claimant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claimant} → {self.listing}"


class ChangeAction(models.TextChoices):
    """What the directory writes to the audit log about a listing (audit.services.audit_log): its history."""

    CREATED = "directory.listing.created", _("Created")
    UPDATED = "directory.listing.updated", _("Edited")
    PUBLISHED = "directory.listing.published", _("Published")
    UNPUBLISHED = "directory.listing.unpublished", _("Unpublished")
    VERIFIED = "directory.listing.verified", _("Verified")
    UNVERIFIED = "directory.listing.unverified", _("Verification removed")
    PHOTO_ADDED = "directory.listing.photo_added", _("Photo added")
    PHOTO_REMOVED = "directory.listing.photo_removed", _("Photo removed")
    OWNER_ADDED = "directory.listing.owner_added", _("Owner added")
    IMPORTED = "directory.listing.imported", _("Imported")
    DELETED = "directory.listing.deleted", _("Deleted")


class NodeAction(models.TextChoices):
    """What the directory writes to the audit log about a node."""

    DESCRIBED = "directory.node.described", _("Description edited")


class ContactMessage(models.Model):
    """A visitor's message to a listing, kept until the e-mail task has sent it (and its copy)."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    sender_name = NameField(_("your name"), max_length=120)
    sender_email = models.EmailField(_("your e-mail"))
    body = models.TextField(_("message"), max_length=5000)
    # The sender's language: both e-mails are written in it (the listing's reads the sender's words anyway).
    language = models.CharField(_("language"), max_length=LANGUAGE_MAX_LENGTH, default="en", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When its delivery was last handed to the broker; empty when the broker refused it (see the
    # delivery sweep in directory.tasks).
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.sender_email} → {self.listing_id}"


def listing_photo_path(photo: "ListingPhoto", filename: str) -> str:
    return f"listings/{photo.listing_id}/{filename}"


class ListingPhoto(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("photo"), upload_to=listing_photo_path, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(_("thumbnail"), upload_to=listing_photo_path, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(_("description for screen readers"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.alt_text or f"Photo {self.pk} of {self.listing_id}"


class Place(models.Model):
    """A town of the gazetteer that "near" resolves without any online service: the world's towns from
    GeoNames (loaded by a migration, see directory/gazetteer.py) and the towns of listings and nodes."""

    name = NameField(max_length=120)
    country = CountryField(blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    # GeoNames' count; 0 for a town recorded from a listing. A name several towns share means the most
    # populous unless the visitor names the country.
    population = models.PositiveBigIntegerField(default=0)
    geonames_id = models.PositiveIntegerField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlaceName(models.Model):
    """One way of writing a town's name ("Köln", "Cologne", "Colonia"), case- and accent-folded, so a
    typed name is found by one indexed look-up whatever its language or accents."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")
    key = models.CharField(max_length=200)
    # The town's own name (GeoNames' main one): ahead of towns that merely have it as another name.
    main = models.BooleanField(default=False)

    class Meta:
        # Its index, key first, is the look-up's.
        constraints = [models.UniqueConstraint(fields=["key", "place"], name="placename_unique_key_place")]

    def __str__(self) -> str:
        return self.key


class SearchWord(models.Model):
    """A word that occurs in some listing's name, summary, city or terms.

    Search corrects a query word it does not know to the nearest of these (by trigram similarity),
    so "plywod" finds plywood makers. Words are only added, never changed.
    """

    word = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return self.word


class SearchEntry(models.Model):
    """What search reads about a published listing, and nothing else.

    Search touches many rows per query; reading them from this narrow table instead of the wide
    listing row makes it several times faster. Only published listings have an entry. Kept in step
    by directory.search, called from the services; PostgreSQL adds a `vector` column (migration 0002).
    """

    listing = models.OneToOneField(Listing, primary_key=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16)
    node = models.ForeignKey(
        Node, null=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    sort_name = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    # listing id modulo 256: facets over a very large result are counted on a fixed sample of buckets.
    sample = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [
            # With the id, so an index alone gives the exact order and a page can stop after its rows.
            models.Index(fields=["sort_name", "listing"], name="searchentry_sort_name"),
            models.Index(fields=["created_at", "listing"], name="searchentry_created"),
            models.Index(fields=["latitude", "longitude"], name="searchentry_lat_lng"),
            models.Index(fields=["kind"], name="searchentry_kind"),
            models.Index(fields=["node"], name="searchentry_node"),
            models.Index(fields=["sample"], name="searchentry_sample"),
        ]

    def __str__(self) -> str:
        return self.sort_name
