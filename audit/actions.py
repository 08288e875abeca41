"""The audited actions every domain declares: a dotted name ("badges.assertion.revoked") and the label
people read. Each domain registers its own choices when its app is ready, so the log can name an action
without importing the domain that wrote it."""

from django.db.models import TextChoices
from django.utils.functional import Promise

_LABELS: dict[str, str | Promise] = {}


def actions_register(choices: type[TextChoices]) -> None:
    """Make `choices` known to the audit log. Its values must be dotted names starting with the app."""
    for value, label in zip(choices.values, choices.labels, strict=True):
        if "." not in value:
            raise ValueError(
                f"Audit action {value!r} must be a dotted name such as 'badges.assertion.revoked'."
            )
        _LABELS[value] = label


def action_known(action: str) -> bool:
    return action in _LABELS


def action_label(action: str) -> str | Promise:
    """What people read for `action`; the raw name if no app declares it any more."""
    return _LABELS.get(action, action)


def actions_declared() -> list[str]:
    """Every action the apps have declared, so the pages that read the log can prove they tell them all."""
    return sorted(_LABELS)
