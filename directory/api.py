"""The directory in the partner API: published listings (paged by cursor, and searched exactly as the
search page searches), taxonomies and their terms, and nodes. All public, for anyone."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404, QueryDict
from django.urls import path
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from directory.filters import ListingFilter
from directory.models import Listing, ListingKind, ListingStatus, Node, Term, Vocabulary
from directory.search import SearchParamsError, parse_search_params, search_listings
from directory.search.params import (
    DEFAULT_RADIUS_KM,
    MAX_FILTER_VALUES,
    MAX_QUERY_LENGTH,
    MAX_RADIUS_KM,
    TERM_PARAMS,
)
from directory.serializers import (
    ListingDetailSerializer,
    ListingListSerializer,
    NodeSerializer,
    SearchResultsSerializer,
    TaxonomySerializer,
    TermSerializer,
)
from makeworks.lib.api.base import IdCursorPagination, PublicCacheMixin
from makeworks.lib.api.errors import PageNotFound, error_responses
from makeworks.lib.api.parameters import near_parameters, page_parameters

TAG = "Directory"
SEARCH_PARAMS = ("q", "kind", "node", *TERM_PARAMS, "near", "radius", "sort", "page")
MAX_SEARCH_PAGE_SIZE = 100

LISTING_EXAMPLE = {
    "slug": "clyde-cnc",
    "name": "Clyde CNC",
    "kind": "fabricator",
    "summary": "CNC milling of plywood and aluminium, one-offs to small batches.",
    "city": "Glasgow",
    "country": "GB",
    "latitude": 55.8642,
    "longitude": -4.2518,
    "node": "glasgow",
    "verified": True,
    "url": "https://makeworks.example/listings/clyde-cnc/",
    "created_at": "2025-03-01T10:00:00Z",
    "updated_at": "2026-01-12T16:30:00Z",
}


def _search_errors(query: QueryDict) -> dict[str, list[str]]:
    """Each parameter's own problems, found by parsing it alone (with `near` for a distance sort or a
    radius), so that a partner learns which parameter to fix."""
    fields: dict[str, list[str]] = {}
    for name in ("near", *(other for other in SEARCH_PARAMS if other != "near")):
        if name not in query:
            continue
        alone = QueryDict(mutable=True)
        alone.setlist(name, query.getlist(name))
        if name in ("sort", "radius") and "near" in query:
            alone.setlist("near", query.getlist("near"))
        try:
            parse_search_params(alone)
        except SearchParamsError as error:
            # The place's own problem is reported once, under `near`.
            messages = [message for message in error.messages if message not in fields.get("near", [])]
            if messages:
                fields[name] = messages
    return fields


def _page_size(query: QueryDict) -> int:
    value = query.get("page_size", "")
    if not value:
        return 20
    if not value.isdigit() or not 1 <= int(value) <= MAX_SEARCH_PAGE_SIZE:
        raise ValidationError(
            {"page_size": [_("The page size must be a whole number from 1 to %(max)d.") % {"max": 100}]}
        )
    return int(value)


def _list_parameter(name: str, description: str, example: str) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        OpenApiTypes.STR,
        many=True,
        description=description,
        examples=[OpenApiExample(name, value=example)],
    )


class ListingSearchView(PublicCacheMixin, generics.GenericAPIView):
    """Not a django-filter FilterSet, unlike the plain lists: the search engine answers a page of hits with
    facets, totals and a corrected query rather than a queryset to filter, and its parser (shared with the
    search page) reports a list of messages rather than a form's errors per field. A FilterSet here would
    filter nothing and only wrap the parser, so the parameters are described by hand, from the parser's
    own limits."""

    serializer_class = SearchResultsSerializer

    @extend_schema(
        tags=[TAG],
        operation_id="listings_search",
        summary="Search listings",
        description=(
            "The search of the directory's search page, with the same parameters, facets and `near` "
            "filter: words in any order (typos corrected), filters combined with AND within a facet's "
            "values ORed, and every facet's counts for the current filters. Repeat a filter parameter "
            "for several values (`kind=fabricator&kind=workshop`), up to "
            f"{MAX_FILTER_VALUES}. Results above 2,000 hits carry estimated counts (`approximate`)."
        ),
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                description=f"Words to search for (at most {MAX_QUERY_LENGTH} characters).",
                examples=[OpenApiExample("words", value="cnc plywood")],
            ),
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                many=True,
                enum=ListingKind.values,
                description="Kinds of listing.",
                examples=[OpenApiExample("kind", value=["fabricator"])],
            ),
            _list_parameter("node", "Slugs of nodes (regional chapters).", "glasgow"),
            *[
                _list_parameter(
                    vocabulary, f"Slugs of {vocabulary} terms; a term covers its narrower ones.", slug
                )
                for vocabulary, slug in zip(
                    TERM_PARAMS, ("plywood", "cnc-milling", "furniture", "prototyping"), strict=True
                )
            ],
            *near_parameters(default_km=DEFAULT_RADIUS_KM, max_km=MAX_RADIUS_KM),
            OpenApiParameter(
                "sort",
                OpenApiTypes.STR,
                enum=["relevance", "distance", "name", "newest"],
                description="Default: relevance with words, distance with `near`, else name.",
                examples=[OpenApiExample("sort", value="name")],
            ),
            *page_parameters(items="Hits", max_size=MAX_SEARCH_PAGE_SIZE),
        ],
        responses={200: SearchResultsSerializer, **error_responses(400, 404, 429)},
    )
    def get(self, request: Request) -> Response:
        page_size = _page_size(request.query_params)
        try:
            params = parse_search_params(request.query_params, per_page=page_size)
        except SearchParamsError as error:
            fields = _search_errors(request.query_params) or {"non_field_errors": error.messages}
            raise ValidationError(fields) from None
        results = search_listings(params)
        if results.page_out_of_range:
            raise PageNotFound(_("There is no page %(page)d of these results.") % {"page": params.page})
        data = {
            "total": results.total,
            "approximate": results.approximate,
            "corrected_query": results.corrected_text,
            "page": params.page,
            "page_size": page_size,
            "num_pages": results.num_pages,
            "results": results.hits,
            "facets": results.facets,
        }
        return Response(self.get_serializer(data).data)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="List published listings",
        description=(
            "Every published listing in the order they were added, a page at a time: follow `next` "
            "until it is null to copy the whole catalogue. For searching, use /search/listings/."
        ),
        responses={200: ListingListSerializer(many=True), **error_responses(400, 429)},
        examples=[OpenApiExample("a listing", value=LISTING_EXAMPLE, response_only=True)],
    )
)
class ListingListView(PublicCacheMixin, generics.ListAPIView):
    serializer_class = ListingListSerializer
    pagination_class = IdCursorPagination

    filter_backends = [DjangoFilterBackend]
    filterset_class = ListingFilter

    def get_queryset(self) -> QuerySet[Listing]:
        return Listing.objects.published().select_related("node")


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="A published listing",
        description="Everything the listing's public page shows; never its contact e-mail or phone.",
        responses={200: ListingDetailSerializer, **error_responses(404, 429)},
    )
)
class ListingDetailView(PublicCacheMixin, generics.RetrieveAPIView):
    serializer_class = ListingDetailSerializer
    lookup_field = "slug"
    queryset = (
        Listing.objects.filter(status=ListingStatus.PUBLISHED)
        .select_related("node")
        .prefetch_related("terms", "photos")
    )

    def get_object(self) -> Listing:
        listing: Listing = super().get_object()
        self.last_modified = listing.updated_at
        return listing


class TaxonomyListView(PublicCacheMixin, generics.GenericAPIView):
    serializer_class = TaxonomySerializer
    pagination_class = None

    @extend_schema(
        tags=[TAG],
        summary="The four vocabularies",
        description="Materials, processes, sectors and services: the vocabularies listings are described by.",
        responses={200: TaxonomySerializer(many=True), **error_responses(429)},
    )
    def get(self, request: Request) -> Response:
        counts = dict(
            Term.objects.values_list("vocabulary")
            .annotate(count=Count("id"))
            .values_list("vocabulary", "count")
        )
        data = [
            {"vocabulary": vocabulary, "label": str(label), "term_count": counts.get(vocabulary, 0)}
            for vocabulary, label in Vocabulary.choices
        ]
        return Response(self.get_serializer(data, many=True).data)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="Terms of a vocabulary",
        description=(
            "Every term of one vocabulary, each with its broader term (`parent`) and, where known, its "
            "Wikipedia and Wikidata pages (Open Know-Where identifies materials and processes by them)."
        ),
        parameters=[
            OpenApiParameter(
                "vocabulary",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=Vocabulary.values,
                description="material, process, sector or service.",
                examples=[OpenApiExample("materials", value="material")],
            )
        ],
        responses={200: TermSerializer(many=True), **error_responses(404, 429)},
    )
)
class TermListView(PublicCacheMixin, generics.ListAPIView):
    serializer_class = TermSerializer

    def get_queryset(self) -> QuerySet[Term]:
        vocabulary = self.kwargs["vocabulary"]
        if vocabulary not in Vocabulary.values:
            raise Http404(_("There is no vocabulary “%(name)s”.") % {"name": vocabulary[:40]})
        return Term.objects.filter(vocabulary=vocabulary).select_related("parent").order_by("name", "id")


def _nodes() -> QuerySet[Node]:
    return Node.objects.annotate(
        listing_count=Count("listings", filter=Q(listings__status=ListingStatus.PUBLISHED))
    ).order_by("name", "id")


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="Nodes",
        description="The directory's regional chapters, each with its number of published listings.",
        responses={200: NodeSerializer(many=True), **error_responses(429)},
    )
)
class NodeListView(PublicCacheMixin, generics.ListAPIView):
    serializer_class = NodeSerializer

    def get_queryset(self) -> QuerySet[Node]:
        return _nodes()


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="A node",
        description="One regional chapter; its listings are at /listings/?node=<slug>.",
        responses={200: NodeSerializer, **error_responses(404, 429)},
    )
)
class NodeDetailView(PublicCacheMixin, generics.RetrieveAPIView):
    serializer_class = NodeSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Node]:
        return _nodes()


urlpatterns = [
    path("search/listings/", ListingSearchView.as_view(), name="listing-search"),
    path("listings/", ListingListView.as_view(), name="listing-list"),
    path("listings/<slug:slug>/", ListingDetailView.as_view(), name="listing-detail"),
    path("taxonomies/", TaxonomyListView.as_view(), name="taxonomy-list"),
    path("taxonomies/<str:vocabulary>/terms/", TermListView.as_view(), name="term-list"),
    path("nodes/", NodeListView.as_view(), name="node-list"),
    path("nodes/<slug:slug>/", NodeDetailView.as_view(), name="node-detail"),
]
