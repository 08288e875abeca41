"""Template tags for the site's frame: whether to offer the staff console link."""

from django import template
from django.contrib.auth.models import AnonymousUser, User

from badges.permissions import issuers_for

register = template.Library()


@register.simple_tag
def console_available(user: User | AnonymousUser) -> bool:
    """Whether `user` works on any hub's badges (one query; none for visitors who are not signed in)."""
    return user.is_authenticated and issuers_for(user).exists()
