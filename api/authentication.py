"""`Authorization: Bearer mw_live_…` for the partner API. A key that is unknown, revoked or expired is
refused with a 401 saying which, never treated as anonymous."""

from django.contrib.auth.models import AnonymousUser, User
from django.utils import formats
from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from api.keys import selectors, services
from api.keys.models import APIKeyStatus
from makeworks.lib.api.grants import KeyGrant


class APIKeyAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User | AnonymousUser, KeyGrant] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(
                _("Send the key as “Authorization: Bearer mw_live_…”, with nothing else after it."),
                code="malformed_key",
            )
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            token = ""
        key = selectors.api_key_for_token(token)
        if key is None:
            raise AuthenticationFailed(_("This API key is not known."), code="unknown_key")
        if key.status == APIKeyStatus.REVOKED:
            raise AuthenticationFailed(_("This API key was revoked."), code="key_revoked")
        if key.status == APIKeyStatus.EXPIRED:
            expired = formats.date_format(key.expires_at, "DATETIME_FORMAT") if key.expires_at else ""
            raise AuthenticationFailed(
                _("This API key expired on %(date)s UTC.") % {"date": expired}, code="key_expired"
            )
        services.api_key_touch(key=key)
        grant = KeyGrant(
            key_id=key.pk, prefix=key.prefix, scopes=frozenset(key.scopes), issuer_id=key.issuer_id
        )
        # The person who made the key is named as the actor in the issuer's audit log; what the key
        # may do is decided by its grant alone, never by that person's roles.
        creator = key.created_by
        user: User | AnonymousUser = creator if creator is not None and creator.is_active else AnonymousUser()
        return user, grant

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'
