"""Issuers, hubs, badge classes and endorsements in the partner API. Reads are public; creating and
changing badge classes, and giving and withdrawing an issuer's endorsements, need an API key with the
`manage` scope made for that issuer, or a signed-in person whose role allows it. badges.permissions
decides both; its `require_issuer_action` is how every API view asks."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from badges import selectors, services
from badges.filters import EndorsementGivenFilter
from badges.models import BadgeClass, Endorsement, Issuer
from badges.permissions import IssuerAction, require_issuer_action
from badges.serializers import (
    BadgeClassSerializer,
    BadgeClassWriteSerializer,
    EndorsementDetailSerializer,
    EndorsementGiveSerializer,
    EndorsementListSerializer,
    HubSerializer,
    IssuerSerializer,
)
from badges.services.endorsements import endorsement_give, endorsement_withdraw
from badges.services.issuers import badge_class_update
from directory.models import Listing, ListingKind
from makeworks.lib.api.base import HasCredentials, PublicCacheMixin, actor
from makeworks.lib.api.errors import error_responses
from makeworks.lib.api.parameters import BADGE_CLASS_ID

TAG = "Badges"
BADGE_CLASS_EXAMPLE = {
    "name": "Laser cutter operator",
    "description": "Runs the laser cutter safely, from file to finished part.",
    "image": (
        "data:image/png;base64,"
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYGAAAAAEAAH2FzhVAAAAAElFTkSuQmCC"
    ),
    "criteria_narrative": "Passed the laser safety induction and cut a two-material job unsupervised.",
    "criteria_url": "",
    "alignments": [
        {
            "targetName": "working with machinery and specialised equipment",
            "targetUrl": "http://data.europa.eu/esco/skill/S8",
            "targetFramework": "ESCO",
            "targetCode": "S8",
        }
    ],
    "tags": ["laser cutting"],
    "valid_days": 365,
}


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="Badge issuers",
        description="Every hub's Open Badges issuer profile.",
        responses={200: IssuerSerializer(many=True), **error_responses(429)},
    )
)
class IssuerListView(PublicCacheMixin, generics.ListAPIView):
    serializer_class = IssuerSerializer
    queryset = Issuer.objects.select_related("listing").order_by("name", "id")


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="A badge issuer",
        description="The issuer's profile; its JSON-LD document is at `document_url`.",
        responses={200: IssuerSerializer, **error_responses(404, 429)},
    )
)
class IssuerDetailView(PublicCacheMixin, generics.RetrieveAPIView):
    serializer_class = IssuerSerializer
    queryset = Issuer.objects.select_related("listing")
    lookup_field = "slug"


def _hubs() -> QuerySet[Listing]:
    return (
        Listing.objects.published().filter(kind=ListingKind.MAKERSPACE).select_related("node", "badge_issuer")
    )


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="Hubs",
        description="Published makerspaces and hubs, each with its badge issuer when it awards badges.",
        responses={200: HubSerializer(many=True), **error_responses(429)},
    )
)
class HubListView(PublicCacheMixin, generics.ListAPIView):
    serializer_class = HubSerializer

    def get_queryset(self) -> QuerySet[Listing]:
        return _hubs().order_by("name", "id")


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="A hub",
        description=(
            "A published makerspace or hub with its badge issuer; its full listing is at /listings/<slug>/."
        ),
        responses={200: HubSerializer, **error_responses(404, 429)},
    )
)
class HubDetailView(PublicCacheMixin, generics.RetrieveAPIView):
    serializer_class = HubSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Listing]:
        return _hubs()


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="An issuer's badge classes",
        description="The achievements an issuer awards badges for.",
        responses={200: BadgeClassSerializer(many=True), **error_responses(404, 429)},
    )
)
class IssuerBadgeClassesView(PublicCacheMixin, generics.ListCreateAPIView):
    serializer_class = BadgeClassSerializer
    permission_classes = [HasCredentials]

    def issuer(self) -> Issuer:
        return get_object_or_404(Issuer, slug=self.kwargs["slug"])

    def get_queryset(self) -> QuerySet[BadgeClass]:
        return BadgeClass.objects.filter(issuer=self.issuer()).select_related("issuer").order_by("name", "id")

    @extend_schema(
        tags=[TAG],
        summary="Create a badge class",
        description=(
            "Needs an API key with the `manage` scope made for this issuer (or a signed-in editor or "
            "owner). The image is a PNG or SVG sent as base64; SVGs with scripts, event attributes, "
            "external links or styles are refused with the reason."
        ),
        request=BadgeClassWriteSerializer,
        responses={201: BadgeClassSerializer, **error_responses(400, 401, 403, 404, 413, 415, 429)},
        examples=[OpenApiExample("a laser badge", value=BADGE_CLASS_EXAMPLE, request_only=True)],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        issuer = self.issuer()
        require_issuer_action(request, IssuerAction.MANAGE_BADGE_CLASSES, issuer)
        given = BadgeClassWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        badge_class = services.badge_class_create(issuer=issuer, actor=actor(request), **given.validated_data)
        return Response(BadgeClassSerializer(badge_class).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="A badge class",
        description="One achievement; its Open Badges JSON-LD document is at `document_url`.",
        parameters=[BADGE_CLASS_ID],
        responses={200: BadgeClassSerializer, **error_responses(404, 429)},
    )
)
class BadgeClassDetailView(PublicCacheMixin, generics.RetrieveAPIView):
    serializer_class = BadgeClassSerializer
    permission_classes = [HasCredentials]
    queryset = BadgeClass.objects.select_related("issuer")
    lookup_field = "public_id"

    @extend_schema(
        tags=[TAG],
        summary="Change a badge class",
        description=(
            "Send only the fields to change. Badges already awarded point at the class, so they show the "
            "change: this is for corrections, not for another achievement. Needs the `manage` scope."
        ),
        parameters=[OpenApiParameter("public_id", OpenApiTypes.STR, OpenApiParameter.PATH)],
        request=BadgeClassWriteSerializer(partial=True),
        responses={200: BadgeClassSerializer, **error_responses(400, 401, 403, 404, 413, 415, 429)},
        examples=[OpenApiExample("new tags", value={"tags": ["laser cutting", "safety"]}, request_only=True)],
    )
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        badge_class: BadgeClass = self.get_object()
        require_issuer_action(request, IssuerAction.MANAGE_BADGE_CLASSES, badge_class.issuer)
        given = BadgeClassWriteSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        current = {
            "name": badge_class.name,
            "description": badge_class.description,
            "criteria_narrative": badge_class.criteria_narrative,
            "criteria_url": badge_class.criteria_url,
            "alignments": badge_class.alignments,
            "tags": badge_class.tags,
            "valid_days": badge_class.valid_days,
        }
        updated = badge_class_update(
            badge_class=badge_class, actor=actor(request), **{**current, **given.validated_data}
        )
        return Response(BadgeClassSerializer(updated).data)


ENDORSEMENT_TAG = "Endorsements"
ENDORSEMENT_EXAMPLE = {
    "id": "V1bq0mC8a2Tz7Rk4pW9xLg",
    "endorser": {"slug": "makerspace-accra", "name": "Makerspace Accra"},
    "badge_class": {
        "id": "q3dFq0c2rJ7gmRz2sUd2nA",
        "name": "Laser cutter operator",
        "issuer": {"slug": "fablab-glasgow", "name": "Fablab Glasgow"},
    },
    "accepted_as": {
        "id": "Hn4cW7yUe0bQ2sLk9Xa1Pg",
        "name": "Laser safety induction",
        "issuer": {"slug": "makerspace-accra", "name": "Makerspace Accra"},
    },
    "issued_on": "2026-02-03T10:15:00Z",
    "withdrawn": False,
    "withdrawn_at": None,
    "document_url": "https://makeworks.example/badges/endorsements/V1bq0mC8a2Tz7Rk4pW9xLg/",
    "comment": "Their induction covers everything ours does; holders may use our laser.",
}
GIVE_EXAMPLE = {
    "badge_class": "q3dFq0c2rJ7gmRz2sUd2nA",
    "accepted_as": "Hn4cW7yUe0bQ2sLk9Xa1Pg",
    "comment": "Their induction covers everything ours does; holders may use our laser.",
}
ENDORSEMENT_ID = OpenApiParameter(
    "public_id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The endorsement's public id.",
    examples=[OpenApiExample("id", value="V1bq0mC8a2Tz7Rk4pW9xLg")],
)


def _endorsements(endorsements: QuerySet[Endorsement]) -> QuerySet[Endorsement]:
    """Endorsements with everything their API shape names, so a page costs the same whatever its size."""
    return endorsements.select_related("endorser", "badge_class__issuer", "accepted_as__issuer")


@extend_schema_view(
    get=extend_schema(
        tags=[ENDORSEMENT_TAG],
        summary="Who recognises a badge class",
        description=(
            "The standing endorsements of one badge class: other hubs vouching for it, each perhaps "
            "accepting it in place of one of their own badges. By endorsing hub."
        ),
        parameters=[BADGE_CLASS_ID],
        responses={200: EndorsementListSerializer(many=True), **error_responses(404, 429)},
        examples=[OpenApiExample("an endorsement", value=ENDORSEMENT_EXAMPLE, response_only=True)],
    )
)
class BadgeClassEndorsementsView(PublicCacheMixin, generics.ListAPIView):
    serializer_class = EndorsementListSerializer

    def get_queryset(self) -> QuerySet[Endorsement]:
        badge_class = get_object_or_404(BadgeClass, public_id=self.kwargs["public_id"])
        return _endorsements(selectors.badge_class_endorsements(badge_class))


@extend_schema_view(
    get=extend_schema(
        tags=[ENDORSEMENT_TAG],
        summary="Endorsements an issuer gives",
        description=(
            "The other hubs' badge classes this issuer vouches for: standing ones first, newest first; "
            "with `withdrawn=true`, the withdrawn ones after them."
        ),
        responses={200: EndorsementListSerializer(many=True), **error_responses(400, 404, 429)},
    )
)
class IssuerEndorsementsView(PublicCacheMixin, generics.ListCreateAPIView):
    serializer_class = EndorsementListSerializer
    permission_classes = [HasCredentials]
    # The OpenAPI schema reads the filters' model here, as get_queryset needs a request.
    queryset = Endorsement.objects.none()
    filter_backends = [DjangoFilterBackend]
    filterset_class = EndorsementGivenFilter

    def issuer(self) -> Issuer:
        return get_object_or_404(Issuer, slug=self.kwargs["slug"])

    def get_queryset(self) -> QuerySet[Endorsement]:
        return _endorsements(selectors.endorsements_given(self.issuer(), withdrawn=True))

    @extend_schema(
        tags=[ENDORSEMENT_TAG],
        summary="Endorse another hub's badge class",
        description=(
            "Publish an Open Badges endorsement by this issuer of another hub's badge class, optionally "
            "accepting it in place of one of this issuer's own classes (`accepted_as`), so machines that "
            "require that badge admit its holders. Needs an API key with the `manage` scope made for "
            "this issuer (or a signed-in owner). A hub cannot endorse its own badges, nor endorse the "
            "same class twice while the first endorsement stands: a retry after a lost answer is refused "
            "as a duplicate, and the list above shows that the endorsement was given."
        ),
        request=EndorsementGiveSerializer,
        responses={201: EndorsementDetailSerializer, **error_responses(400, 401, 403, 404, 415, 429)},
        examples=[
            OpenApiExample("accepted in place of our own", value=GIVE_EXAMPLE, request_only=True),
            OpenApiExample("the endorsement", value=ENDORSEMENT_EXAMPLE, response_only=True),
        ],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        endorser = self.issuer()
        require_issuer_action(request, IssuerAction.ENDORSE, endorser)
        given = EndorsementGiveSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        endorsement = endorsement_give(endorser=endorser, actor=actor(request), **given.validated_data)
        created = get_object_or_404(_endorsements(Endorsement.objects.all()), pk=endorsement.pk)
        return Response(EndorsementDetailSerializer(created).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        tags=[ENDORSEMENT_TAG],
        summary="Endorsements an issuer's badges receive",
        description="The standing endorsements of any of this issuer's badge classes, by class and hub.",
        responses={200: EndorsementListSerializer(many=True), **error_responses(404, 429)},
    )
)
class IssuerEndorsementsReceivedView(PublicCacheMixin, generics.ListAPIView):
    serializer_class = EndorsementListSerializer

    def get_queryset(self) -> QuerySet[Endorsement]:
        issuer = get_object_or_404(Issuer, slug=self.kwargs["slug"])
        return _endorsements(selectors.endorsements_received(issuer))


@extend_schema_view(
    get=extend_schema(
        tags=[ENDORSEMENT_TAG],
        summary="An endorsement",
        description=(
            "One endorsement, standing or withdrawn. Its Open Badges Endorsement document, which "
            "verifiers read, is at `document_url`."
        ),
        parameters=[ENDORSEMENT_ID],
        responses={200: EndorsementDetailSerializer, **error_responses(404, 429)},
        examples=[OpenApiExample("an endorsement", value=ENDORSEMENT_EXAMPLE, response_only=True)],
    )
)
class EndorsementDetailView(PublicCacheMixin, generics.RetrieveAPIView):
    serializer_class = EndorsementDetailSerializer
    queryset = _endorsements(Endorsement.objects.all())
    lookup_field = "public_id"

    def get_object(self) -> Endorsement:
        endorsement: Endorsement = super().get_object()
        self.last_modified = endorsement.withdrawn_at or endorsement.issued_on
        return endorsement


class EndorsementWithdrawView(generics.GenericAPIView):
    serializer_class = EndorsementDetailSerializer
    permission_classes = [HasCredentials]

    @extend_schema(
        tags=[ENDORSEMENT_TAG],
        summary="Withdraw an endorsement",
        description=(
            "Stop vouching for the badge class. The endorsement stays, marked withdrawn, so its document "
            "tells verifiers it was withdrawn (410). Needs an API key with the `manage` scope made for "
            "the endorsing issuer (or a signed-in owner). No body."
        ),
        parameters=[ENDORSEMENT_ID],
        request=None,
        responses={200: EndorsementDetailSerializer, **error_responses(400, 401, 403, 404, 429)},
    )
    def post(self, request: Request, public_id: str) -> Response:
        endorsement = get_object_or_404(_endorsements(Endorsement.objects.all()), public_id=public_id)
        require_issuer_action(request, IssuerAction.ENDORSE, endorsement.endorser)
        withdrawn = endorsement_withdraw(endorsement=endorsement, actor=actor(request))
        return Response(self.get_serializer(withdrawn).data)


urlpatterns = [
    path("issuers/", IssuerListView.as_view(), name="issuer-list"),
    path("issuers/<slug:slug>/", IssuerDetailView.as_view(), name="issuer-detail"),
    path("issuers/<slug:slug>/badge-classes/", IssuerBadgeClassesView.as_view(), name="issuer-badge-classes"),
    path("hubs/", HubListView.as_view(), name="hub-list"),
    path("hubs/<slug:slug>/", HubDetailView.as_view(), name="hub-detail"),
    path("badge-classes/<slug:public_id>/", BadgeClassDetailView.as_view(), name="badge-class-detail"),
    path(
        "badge-classes/<slug:public_id>/endorsements/",
        BadgeClassEndorsementsView.as_view(),
        name="badge-class-endorsements",
    ),
    path("issuers/<slug:slug>/endorsements/", IssuerEndorsementsView.as_view(), name="issuer-endorsements"),
    path(
        "issuers/<slug:slug>/endorsements/received/",
        IssuerEndorsementsReceivedView.as_view(),
        name="issuer-endorsements-received",
    ),
    path("endorsements/<slug:public_id>/", EndorsementDetailView.as_view(), name="endorsement-detail"),
    path(
        "endorsements/<slug:public_id>/withdraw/",
        EndorsementWithdrawView.as_view(),
        name="endorsement-withdraw",
    ),
]
