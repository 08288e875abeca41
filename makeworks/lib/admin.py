"""Django admin pieces every app's back office shares."""

from django.contrib import admin
from django.db import models


class HttpsUrlsAdmin(admin.ModelAdmin):
    """A web address typed without a scheme is taken as https, as Django 6 will do by default."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
