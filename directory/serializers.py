"""The partner API's shapes of the directory: listings (list, detail and search hits), terms and nodes.
They only shape data; reads come from the models and directory.search, never from here."""

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from directory.models import Listing, ListingKind, ListingPhoto, Node, Term, Vocabulary
from makeworks.lib.api.base import ModelSerializer, StrictCharField
from makeworks.lib.urls import site_url


class _ListingUrlMixin:
    """Each listing's public page, from one reverse() per serializer rather than one per row."""

    context: dict[str, Any]

    def listing_url(self, slug: str) -> str:
        prefix = self.context.get("_listing_url_prefix")
        if prefix is None:
            prefix = site_url(reverse("directory:listing", kwargs={"slug": "_"}).removesuffix("_/"))
            self.context["_listing_url_prefix"] = prefix
        return f"{prefix}{slug}/"


class ListingListSerializer(_ListingUrlMixin, ModelSerializer[Listing]):
    node: serializers.SlugRelatedField[Node] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    country = StrictCharField(source="country.code", help_text="ISO 3166-1 alpha-2 code, or empty.")
    url = serializers.SerializerMethodField(help_text="The listing's public page.")

    class Meta:
        model = Listing
        fields = [
            "slug", "name", "kind", "summary", "city", "country", "latitude", "longitude", "node",
            "verified", "url", "created_at", "updated_at",
        ]  # fmt: skip

    def get_url(self, listing: Listing) -> str:
        return self.listing_url(listing.slug)


class TermBriefSerializer(ModelSerializer[Term]):
    class Meta:
        model = Term
        fields = ["vocabulary", "slug", "name", "name_fr"]


class PhotoSerializer(ModelSerializer[ListingPhoto]):
    image = serializers.SerializerMethodField()
    thumbnail = serializers.SerializerMethodField()

    class Meta:
        model = ListingPhoto
        fields = ["image", "thumbnail", "width", "height", "alt_text"]

    def get_image(self, photo: ListingPhoto) -> str:
        return site_url(photo.image.url) if photo.image else ""

    def get_thumbnail(self, photo: ListingPhoto) -> str:
        return site_url(photo.thumbnail.url) if photo.thumbnail else ""


class ListingDetailSerializer(ListingListSerializer):
    terms = TermBriefSerializer(many=True, read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)

    class Meta(ListingListSerializer.Meta):
        fields = [
            *ListingListSerializer.Meta.fields,
            "description", "address", "postcode", "website", "social_links", "year_founded", "team_size",
            "minimum_order", "lead_time", "batch_sizes", "works_with", "production_access", "languages",
            "certifications", "circularity", "video_url", "terms", "photos",
        ]  # fmt: skip


class SearchHitSerializer(serializers.Serializer):
    slug = StrictCharField()
    name = StrictCharField()
    kind = serializers.ChoiceField(choices=ListingKind.choices)
    kind_label = StrictCharField()
    summary = StrictCharField()
    city = StrictCharField()
    country = StrictCharField(help_text="ISO 3166-1 alpha-2 code, or empty.")
    country_name = StrictCharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    verified = serializers.BooleanField()
    node_name = StrictCharField()
    url = serializers.SerializerMethodField(help_text="The listing's public page.")
    distance_km = serializers.FloatField(allow_null=True, help_text="From the `near` place, when given.")
    thumbnail_url = serializers.SerializerMethodField()

    def get_url(self, hit: Any) -> str:
        return site_url(hit.url)

    def get_thumbnail_url(self, hit: Any) -> str:
        return site_url(hit.thumbnail_url) if hit.thumbnail_url else ""


class FacetValueSerializer(serializers.Serializer):
    value = StrictCharField(help_text="What to pass in the query parameter of this facet.")
    label = StrictCharField()  # type: ignore[assignment]
    count = serializers.IntegerField(help_text="Hits with this value (estimated when `approximate`).")
    selected = serializers.BooleanField()


class FacetsSerializer(serializers.Serializer):
    kind = FacetValueSerializer(many=True)
    node = FacetValueSerializer(many=True)
    material = FacetValueSerializer(many=True, required=False)
    process = FacetValueSerializer(many=True, required=False)
    sector = FacetValueSerializer(many=True, required=False)
    service = FacetValueSerializer(many=True, required=False)


class SearchResultsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Number of hits (estimated when `approximate`).")
    approximate = serializers.BooleanField(
        help_text="True when the total and facet counts were estimated from a sample of a large result."
    )
    corrected_query = StrictCharField(
        help_text="The query as searched after spelling correction, when it differs from `q`; else empty."
    )
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    results = SearchHitSerializer(many=True)
    facets = FacetsSerializer()


class TermSerializer(ModelSerializer[Term]):
    parent: serializers.SlugRelatedField[Term] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="slug", read_only=True, allow_null=True, help_text="The broader term's slug."
    )

    class Meta:
        model = Term
        fields = ["vocabulary", "slug", "name", "name_fr", "parent", "wikipedia_url", "wikidata_url"]


class TaxonomySerializer(serializers.Serializer):
    vocabulary = serializers.ChoiceField(choices=Vocabulary.choices)
    label = StrictCharField()  # type: ignore[assignment]
    term_count = serializers.IntegerField()


class NodeSerializer(ModelSerializer[Node]):
    country = StrictCharField(source="country.code", help_text="ISO 3166-1 alpha-2 code.")
    listing_count = serializers.IntegerField(help_text="Published listings in the node.")
    url = serializers.SerializerMethodField(help_text="The node's public page.")

    class Meta:
        model = Node
        fields = [
            "slug", "name", "name_fr", "country", "description", "description_fr", "latitude", "longitude",
            "zoom", "listing_count", "url",
        ]  # fmt: skip

    def get_url(self, node: Node) -> str:
        return site_url(node.get_absolute_url())
