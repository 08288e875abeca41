"""Template tags of the console: whether to offer its link, and audit values shown as JSON."""

import json
from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser, User

from badges.permissions import issuers_for

register = template.Library()


@register.simple_tag
def console_available(user: User | AnonymousUser) -> bool:
    """Whether `user` works on any hub's badges (one query; none for visitors who are not signed in)."""
    return user.is_authenticated and issuers_for(user).exists()


@register.filter
def as_json(value: Any) -> str:
    """An audit entry's before or after as compact JSON, as it is stored, rather than Python's repr."""
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)
