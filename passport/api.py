"""Awarded badges and Maker Passports in the partner API: read a badge by its id (public), list an
issuer's (its keys and staff), issue and revoke (the `issue` scope), verify any badge (public); list
public passports, read one by its handle and search them by skill (public), each showing only what the
member made public, exactly as its page at /p/<handle>/ does."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from badges.models import BadgeClass, Issuer
from badges.permissions import IssuerAction, require_issuer_action
from makeworks.lib.api.base import (
    CredentialsRequired,
    HasCredentials,
    IdCursorPagination,
    NewestCursorPagination,
    PagePagination,
    PublicCacheMixin,
    actor,
)
from makeworks.lib.api.errors import PayloadTooLarge, error_responses
from makeworks.lib.api.filters import FormFilterBackend
from makeworks.lib.api.idempotency import idempotent
from makeworks.lib.api.parameters import BADGE_CLASS_ID, page_parameters
from makeworks.lib.api.parsers import BoundedJSONParser
from passport import permissions, selectors, services
from passport.filters import IssuedAssertionFilter, MakerSearchFilter
from passport.models import Assertion, Passport, VerificationType, Visibility
from passport.serializers import (
    AssertionIssueSerializer,
    AssertionRevokeSerializer,
    AssertionSerializer,
    IssuedAssertionSerializer,
    PassportDetailSerializer,
    PassportListSerializer,
    PassportSearchHitSerializer,
    VerificationReportSerializer,
    VerifyRequestSerializer,
)
from passport.verification import badge_verify

TAG = "Badges"
# A baked badge is a badge image (at most 2 MB) and its assertion; anything much larger is not one.
MAX_VERIFY_UPLOAD_BYTES = 5 * 1024 * 1024
ASSERTIONS = Assertion.objects.select_related("badge_class__issuer")

ISSUE_EXAMPLE = {
    "recipient_email": "ada@example.org",
    "recipient_name": "Ada Lovelace",
    "evidence_url": "https://fablab-glasgow.example/projects/ada-lamp",
    "narrative": "Cut a two-material lamp unsupervised.",
    "verification": "signed",
    "send_email": True,
}
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=(
        "Any unique string (a UUID is best). A retry with the same key and body answers the first "
        "response and issues nothing; the same key with another body is a 409. Kept for 24 hours."
    ),
    examples=[OpenApiExample("uuid", value="6f1c2d9e-8d53-4d5e-9d0f-2f2b8a1c7e41")],
)


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="An awarded badge",
        description=(
            "What the badge's public page shows, with its status. Its Open Badges document stays at "
            "`document_url` (a revoked one answers 410 there)."
        ),
        parameters=[
            OpenApiParameter(
                "public_id",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="The assertion's public id.",
                examples=[OpenApiExample("id", value="Zk3b2Q0xv1mT8hNw4pL6aA")],
            )
        ],
        responses={200: AssertionSerializer, **error_responses(404, 429)},
    )
)
class AssertionDetailView(PublicCacheMixin, generics.RetrieveAPIView):
    serializer_class = AssertionSerializer
    queryset = ASSERTIONS
    lookup_field = "public_id"

    def get_object(self) -> Assertion:
        assertion: Assertion = super().get_object()
        self.last_modified = max(
            filter(None, [assertion.created_at, assertion.revoked_at, assertion.baked_at])
        )
        return assertion


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="An issuer's awarded badges",
        description="Newest first. Needs an API key made for this issuer (any scope) or a role on it.",
        responses={200: IssuedAssertionSerializer(many=True), **error_responses(400, 401, 403, 404, 429)},
    )
)
class IssuerAssertionsView(generics.ListAPIView):
    serializer_class = IssuedAssertionSerializer
    pagination_class = NewestCursorPagination
    permission_classes = [CredentialsRequired]
    # The OpenAPI schema reads the filters' model here, as get_queryset needs a request.
    queryset = ASSERTIONS
    filter_backends = [DjangoFilterBackend]
    filterset_class = IssuedAssertionFilter

    def get_queryset(self) -> QuerySet[Assertion]:
        issuer = get_object_or_404(Issuer, slug=self.kwargs["slug"])
        require_issuer_action(self.request, IssuerAction.VIEW, issuer)
        return super().get_queryset().filter(badge_class__issuer=issuer)


class AssertionIssueView(generics.GenericAPIView):
    serializer_class = AssertionIssueSerializer
    permission_classes = [HasCredentials]

    @extend_schema(
        tags=[TAG],
        summary="Award a badge",
        description=(
            "Issue a badge of this class to an e-mail address, hosted or signed with the issuer's key. "
            "It is baked into the badge image and e-mailed to the recipient after the answer. Needs an "
            "API key with the `issue` scope made for the class's issuer (or a signed-in editor or owner)."
        ),
        parameters=[
            BADGE_CLASS_ID,
            IDEMPOTENCY_HEADER,
        ],
        request=AssertionIssueSerializer,
        responses={201: IssuedAssertionSerializer, **error_responses(400, 401, 403, 404, 409, 415, 429)},
        examples=[OpenApiExample("a signed award", value=ISSUE_EXAMPLE, request_only=True)],
    )
    def post(self, request: Request, public_id: str) -> Response:
        badge_class = get_object_or_404(BadgeClass.objects.select_related("issuer"), public_id=public_id)
        require_issuer_action(request, IssuerAction.ISSUE, badge_class.issuer)

        def issue() -> Response:
            given = AssertionIssueSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            award = dict(given.validated_data)
            signed = award.pop("verification") == VerificationType.SIGNED
            assertion = services.assertion_issue(
                badge_class=badge_class, signed=signed, actor=actor(request), **award
            )
            return Response(IssuedAssertionSerializer(assertion).data, status=status.HTTP_201_CREATED)

        return idempotent(request, issue)


class AssertionRevokeView(generics.GenericAPIView):
    serializer_class = AssertionRevokeSerializer
    permission_classes = [HasCredentials]

    @extend_schema(
        tags=[TAG],
        summary="Revoke a badge",
        description=(
            "Revoke for good, with the reason verifiers will show. Needs an API key with the `issue` "
            "scope made for the badge's issuer (or a signed-in editor or owner)."
        ),
        parameters=[OpenApiParameter("public_id", OpenApiTypes.STR, OpenApiParameter.PATH)],
        request=AssertionRevokeSerializer,
        responses={200: IssuedAssertionSerializer, **error_responses(400, 401, 403, 404, 415, 429)},
        examples=[
            OpenApiExample("a reason", value={"reason": "Awarded to the wrong person."}, request_only=True)
        ],
    )
    def post(self, request: Request, public_id: str) -> Response:
        assertion = get_object_or_404(ASSERTIONS, public_id=public_id)
        require_issuer_action(request, IssuerAction.REVOKE, assertion.badge_class.issuer)
        given = AssertionRevokeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        revoked = services.assertion_revoke(
            assertion=assertion, reason=given.validated_data["reason"], actor=actor(request)
        )
        return Response(IssuedAssertionSerializer(get_object_or_404(ASSERTIONS, pk=revoked.pk)).data)


class VerifyView(generics.GenericAPIView):
    serializer_class = VerifyRequestSerializer
    parser_classes = [BoundedJSONParser, MultiPartParser]

    @extend_schema(
        tags=[TAG],
        summary="Verify a badge",
        description=(
            "Check an Open Badges 2.0 assertion given as its URL, a JWS, its JSON, or a baked PNG or "
            "SVG (multipart/form-data, at most 5 MB), from this site or any other. The answer lists every "
            "check with its result; `valid` is true only when none failed."
        ),
        request={"application/json": VerifyRequestSerializer, "multipart/form-data": VerifyRequestSerializer},
        responses={200: VerificationReportSerializer, **error_responses(400, 413, 415, 429)},
        examples=[
            OpenApiExample(
                "a hosted badge",
                value={
                    "url": "https://makeworks.example/badges/assertions/Zk3b2Q0xv1mT8hNw4pL6aA/",
                    "recipient_email": "ada@example.org",
                },
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        declared = request.META.get("CONTENT_LENGTH", "")
        if declared.isdigit() and int(declared) > MAX_VERIFY_UPLOAD_BYTES + 64 * 1024:
            raise PayloadTooLarge(_("The image is larger than 5 MB; a baked badge is much smaller."))
        given = VerifyRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        image = b""
        if data.get("image"):
            if data["image"].size > MAX_VERIFY_UPLOAD_BYTES:
                raise PayloadTooLarge(_("The image is larger than 5 MB; a baked badge is much smaller."))
            image = data["image"].read()
        report = badge_verify(
            url=data.get("url", ""),
            jws=data.get("jws", ""),
            assertion_json=data.get("assertion_json", ""),
            image=image,
            recipient_email=data.get("recipient_email", ""),
        )
        body = {
            "valid": report.valid,
            "verification_type": report.verification_type,
            "checks": [{"name": c.name, "passed": c.passed, "detail": c.detail} for c in report.checks],
            "assertion": report.assertion,
            "badge_class": report.badge_class,
            "issuer": report.issuer,
        }
        return Response(VerificationReportSerializer(body).data)


PASSPORT_TAG = "Passports"
PASSPORT_EXAMPLE = {
    "handle": "ada",
    "display_name": "Ada Lovelace",
    "location": "Glasgow",
    "languages": "English, French",
    "photo": "",
    "url": "https://makeworks.example/p/ada/",
    "updated_at": "2026-02-01T12:00:00Z",
}
PASSPORT_DETAIL_EXAMPLE = {
    **PASSPORT_EXAMPLE,
    "bio": "Furniture maker; CNC and laser work for small batches.",
    "badges": [
        {
            "id": "Zk3b2Q0xv1mT8hNw4pL6aA",
            "badge_class": {"id": "q3dFq0c2rJ7gmRz2sUd2nA", "name": "Laser cutter operator"},
            "issuer": {"slug": "fablab-glasgow", "name": "Fablab Glasgow"},
            "image": "https://makeworks.example/badges/classes/q3dFq0c2rJ7gmRz2sUd2nA/image",
            "issued_on": "2026-01-10T09:00:00Z",
            "expires": None,
            "status": "valid",
            "verification": "signed",
            "assertion_url": "https://makeworks.example/badges/assertions/Zk3b2Q0xv1mT8hNw4pL6aA/",
            "endorsements": 1,
        }
    ],
    "external_badges": [],
    "affiliations": [
        {
            "listing": "fablab-glasgow",
            "listing_name": "Fablab Glasgow",
            "listing_url": "https://makeworks.example/listings/fablab-glasgow/",
            "role": "Volunteer technician",
            "start_date": "2024-09-01",
            "end_date": None,
            "confirmed": True,
        }
    ],
    "experience": [
        {
            "title": "Plywood stool",
            "description": "A flat-pack stool cut on the CNC router.",
            "links": ["https://example.org/stool"],
            "images": [],
        }
    ],
}
HANDLE = OpenApiParameter(
    "handle",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The passport's handle, as in its address /p/<handle>/.",
    examples=[OpenApiExample("handle", value="ada")],
)


@extend_schema_view(
    get=extend_schema(
        tags=[PASSPORT_TAG],
        summary="Public Maker Passports",
        description=(
            "Every public passport, in the order they were made, a page at a time (follow `next`). "
            "Unlisted and private passports are never listed. To find makers by skill, use "
            "/search/passports/."
        ),
        responses={200: PassportListSerializer(many=True), **error_responses(400, 429)},
        examples=[OpenApiExample("a passport", value=PASSPORT_EXAMPLE, response_only=True)],
    )
)
class PassportListView(PublicCacheMixin, generics.ListAPIView):
    serializer_class = PassportListSerializer
    pagination_class = IdCursorPagination

    def get_queryset(self) -> QuerySet[Passport]:
        return Passport.objects.filter(visibility=Visibility.PUBLIC)


class PassportDetailView(PublicCacheMixin, generics.GenericAPIView):
    serializer_class = PassportDetailSerializer

    @extend_schema(
        tags=[PASSPORT_TAG],
        summary="A Maker Passport",
        description=(
            "A public or unlisted passport by its handle, as anyone sees its page: the badges the "
            "member made public, each with its state and its public assertion, badges from other "
            "issuers with the result of their last check, affiliations (confirmed by the hub or "
            "self-declared) and experience. A private passport is a 404, whoever asks."
        ),
        parameters=[HANDLE],
        responses={200: PassportDetailSerializer, **error_responses(404, 429)},
        examples=[OpenApiExample("a passport", value=PASSPORT_DETAIL_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, handle: str) -> Response:
        passport = selectors.passport_by_handle(handle)
        anyone = AnonymousUser()
        if not permissions.passport_visible_to(anyone, passport):
            raise Http404(_("No such passport."))
        page = selectors.passport_page(passport, anyone)
        return Response(
            self.get_serializer(passport, context={**self.get_serializer_context(), "page": page}).data
        )


@extend_schema_view(
    get=extend_schema(
        tags=[PASSPORT_TAG],
        operation_id="passports_search",
        summary="Find makers by skill",
        description=(
            "The search of the /p/ page, with the same parameters: public passports showing a public, "
            "standing badge aligned to a skill (an alignment's name, code or URL, whatever the case) "
            "or of a badge class, optionally within a radius of a place, nearest first. Without "
            "parameters, every public passport by name."
        ),
        parameters=page_parameters(items="Passports"),
        responses={200: PassportSearchHitSerializer(many=True), **error_responses(400, 404, 429)},
    )
)
class PassportSearchView(PublicCacheMixin, generics.ListAPIView):
    serializer_class = PassportSearchHitSerializer
    pagination_class = PagePagination
    filter_backends = [FormFilterBackend]
    filterset_class = MakerSearchFilter

    def get_queryset(self) -> QuerySet[Passport]:
        # Every passport: the search itself keeps to the public ones.
        return Passport.objects.all()


urlpatterns = [
    path("passports/", PassportListView.as_view(), name="passport-list"),
    path("passports/<slug:handle>/", PassportDetailView.as_view(), name="passport-detail"),
    path("search/passports/", PassportSearchView.as_view(), name="passport-search"),
    path("assertions/<slug:public_id>/", AssertionDetailView.as_view(), name="assertion-detail"),
    path("assertions/<slug:public_id>/revoke/", AssertionRevokeView.as_view(), name="assertion-revoke"),
    path("badge-classes/<slug:public_id>/assertions/", AssertionIssueView.as_view(), name="assertion-issue"),
    path("issuers/<slug:slug>/assertions/", IssuerAssertionsView.as_view(), name="issuer-assertions"),
    path("verify", VerifyView.as_view(), name="verify"),
]
