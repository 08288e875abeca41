"""How the partner API reads JSON bodies: through makeworks.lib.safe_json, so a body nested a hundred
thousand deep is a 400 in the API's error shape, never a RecursionError (a 500, and with DEBUG a
traceback page of a hundred kilobytes)."""

from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from makeworks.lib import safe_json


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, reading at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes and at most
    safe_json.MAX_DEPTH levels of nesting."""

    def parse(
        self,
        stream: IO[bytes],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        # DRF may hand over the request itself, whose read() skips Django's own size check.
        body = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(body) > limit:
            raise RequestDataTooBig(_("The request body is larger than this API accepts."))
        # DRF puts the charset the request names, or DEFAULT_CHARSET, in the context.
        charset = str((parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET)
        try:
            text: bytes | str = body if charset.lower() in ("utf-8", "utf8") else body.decode(charset)
            return safe_json.loads(text)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(_("The body is not text in the character set it names.")) from None
        except safe_json.JSONReadError as error:
            raise ParseError(_("JSON parse error: %(reason)s") % {"reason": error}) from None
