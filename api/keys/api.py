"""The partner API's answer to "which key is this?": a client checks its key and what it may do."""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from api.keys.models import APIKey
from badges.models import Issuer
from makeworks.lib.api.base import ModelSerializer
from makeworks.lib.api.errors import error_responses
from makeworks.lib.api.grants import key_grant


class APIKeySerializer(ModelSerializer[APIKey]):
    issuer: serializers.SlugRelatedField[Issuer] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=["read", "issue", "manage"]))

    class Meta:
        model = APIKey
        fields = ["name", "prefix", "scopes", "issuer", "created_at", "expires_at", "last_used_at"]


class CurrentKeyView(generics.GenericAPIView):
    serializer_class = APIKeySerializer

    @extend_schema(
        tags=["Keys"],
        summary="The key in use",
        description="The API key this request was sent with: its name, scopes, issuer and expiry.",
        responses={200: APIKeySerializer, **error_responses(401, 429)},
        examples=[
            OpenApiExample(
                "an issuing key",
                value={
                    "name": "Learning platform",
                    "prefix": "mw_live_ab12cd34",
                    "scopes": ["read", "issue"],
                    "issuer": "fablab-glasgow",
                    "created_at": "2026-01-05T09:00:00Z",
                    "expires_at": None,
                    "last_used_at": "2026-02-01T12:00:00Z",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        grant = key_grant(request)
        if grant is None:
            raise NotAuthenticated()
        key = get_object_or_404(APIKey.objects.select_related("issuer"), pk=grant.key_id)
        return Response(self.get_serializer(key).data)


urlpatterns = [path("key/", CurrentKeyView.as_view(), name="current-key")]
