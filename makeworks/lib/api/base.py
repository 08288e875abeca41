"""What every view of the partner API shares: pagination, permissions that need credentials, and the
caching of anonymous public reads. Imports no app: the apps' api modules build on it."""

import copy
import hashlib
from datetime import datetime
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from makeworks.lib.api.grants import CREDENTIALS_MISSING, is_anonymous


class StrictCharField(serializers.CharField):
    """Text, and only text. DRF's CharField turns a number into its digits, so `12345` became a badge
    class's name; a client that sends a number or true where text is expected has a bug we should name.
    Every text field of the API is one of these (tests/api/test_strict_text.py checks)."""

    default_error_messages = {
        "not_text": gettext_lazy("Send text here (a JSON string), not a number or true/false.")
    }

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("not_text")
        return super().to_internal_value(data)


class StrictSlugField(StrictCharField, serializers.SlugField):
    """A slug, given as text: `12345` is a valid slug, but not when it came as a number."""


_Model = TypeVar("_Model", bound=models.Model)


class ModelSerializer(serializers.ModelSerializer[_Model]):
    """DRF's ModelSerializer whose fields made from text columns are StrictCharFields."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.SlugField: StrictSlugField,
    }

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        """DRF builds a ModelSerializer's fields from its model on every instance, which was a tenth of
        the CPU of awarding a badge over the API. They depend on the serializer class alone (its Meta and
        declared fields), so each class builds them once and every instance gets its own copy, made as
        DRF copies declared fields: each field is made again from the arguments it was made with."""
        built = _BUILT_FIELDS.get(type(self))
        if built is None:
            built = _BUILT_FIELDS.setdefault(type(self), super().get_fields())
        return copy.deepcopy(built)


# The fields each ModelSerializer class built, never handed out themselves (see get_fields).
_BUILT_FIELDS: dict[
    type[serializers.ModelSerializer[Any]], dict[str, serializers.Field[Any, Any, Any, Any]]
] = {}


class PagePagination(PageNumberPagination):
    """Numbered pages for small collections (nodes, issuers, badge classes): the total is cheap there."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class IdCursorPagination(CursorPagination):
    """Opaque cursors in id order for large collections: no count, and a page costs the same at the end
    of 100,000 rows as at the start; rows added meanwhile are neither skipped nor repeated."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "id"


class NewestCursorPagination(IdCursorPagination):
    ordering = "-id"


class PublicCacheMixin:
    """Anonymous GETs of public data get an ETag, Cache-Control: public and a 304 when the client
    already holds the same answer; requests with a key or a session are marked private, as they may
    be counted against a limit or see more. Views set `self.last_modified` when their data says when
    it last changed."""

    last_modified: datetime | None = None

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        patch_vary_headers(response, ("Authorization", "Cookie"))
        if not is_anonymous(request):
            patch_cache_control(response, private=True, no_cache=True)
            return response
        response.render()
        response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
        patch_cache_control(response, public=True, max_age=settings.API_PUBLIC_MAX_AGE)
        last_modified = int(self.last_modified.timestamp()) if self.last_modified else None
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        # A 304 is a plain HttpResponse; DRF hands it on to Django untouched, as it would a Response.
        return cast(
            Response,
            get_conditional_response(
                request._request, etag=response["ETag"], last_modified=last_modified, response=response
            ),
        )


class HasCredentials(BasePermission):
    """Writes need an API key or a signed-in person; what they may do is asked per object afterwards."""

    message = CREDENTIALS_MISSING

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return not is_anonymous(request)


class CredentialsRequired(BasePermission):
    """For reads that are not public: an API key or a signed-in person, whatever the method."""

    message = HasCredentials.message

    def has_permission(self, request: Request, view: APIView) -> bool:
        return not is_anonymous(request)


def actor(request: Request) -> User | None:
    """The person the audit log names for a request: the signed-in person, or the key's creator."""
    return request.user if isinstance(request.user, User) and request.user.is_authenticated else None
