"""Field classes the apps share for names and titles: whatever writes them (a form, the API, an import,
the admin, a seed), bidirectional control characters never reach the database or a public page."""

from typing import Any

from django import forms
from django.db import models

from makeworks.lib.text import strip_bidi


class NameFormField(forms.CharField):
    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return strip_bidi(value) if isinstance(value, str) else value


class NameField(models.CharField):
    """A CharField for a name or title shown to the public, stripped of bidi controls on every save (also
    bulk_create and update()) and in model forms, so the instance in hand holds what is stored."""

    def deconstruct(self) -> Any:
        # Stored exactly as a CharField: migrations need not know, and no app gets one for this class.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return strip_bidi(value) if isinstance(value, str) else value

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = strip_bidi(value)
            setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return strip_bidi(value) if isinstance(value, str) else value

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": NameFormField, **kwargs})
