"""The console's endorsement pages, for a hub's owners: the endorsements the hub gives, endorsing another
hub's badge class (optionally accepted in place of one of ours) and withdrawing an endorsement.

Mounted under /console/<slug>/endorsements/ by console.urls. Every view asks
badges.permissions for IssuerAction.ENDORSE on the hub named in the URL; choices in the form are limited
to other hubs' classes and this hub's own, so a forged post naming anything else is an invalid choice.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from badges import permissions
from badges import selectors as badge_selectors
from badges.models import BadgeClass, Issuer
from badges.permissions import IssuerAction
from badges.services.endorsements import MAX_COMMENT_LENGTH, endorsement_give, endorsement_withdraw
from makeworks.lib.forms import form_errors_from
from makeworks.lib.requests import signed_in_user

# Badge classes listed at once on the endorse page; a search narrows them down.
CANDIDATES_SHOWN = 50


class EndorseForm(forms.Form):
    badge_class = forms.ModelChoiceField(
        queryset=BadgeClass.objects.none(),
        to_field_name="public_id",
        label=gettext_lazy("Badge to endorse"),
        error_messages={
            "required": gettext_lazy("Choose the badge to endorse."),
            "invalid_choice": gettext_lazy(
                "Choose one of the badges listed: another hub's badge that you do not endorse yet."
            ),
        },
    )
    accepted_as = forms.ModelChoiceField(
        queryset=BadgeClass.objects.none(),
        to_field_name="public_id",
        required=False,
        label=gettext_lazy("Accepted in place of"),
        empty_label=gettext_lazy("None: only recognise it"),
        help_text=gettext_lazy(
            "One of your own badges that holders of the endorsed badge are treated as holding, for "
            "example to use your machines."
        ),
        error_messages={"invalid_choice": gettext_lazy("Choose one of your own hub's badges.")},
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Why you trust this badge; published with the endorsement. Markdown."),
    )

    def __init__(
        self, *args: Any, candidates: QuerySet[BadgeClass], own_classes: QuerySet[BadgeClass], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["badge_class"].queryset = candidates  # type: ignore[attr-defined]
        self.fields["accepted_as"].queryset = own_classes  # type: ignore[attr-defined]


def _hub(request: HttpRequest, slug: str) -> Issuer:
    issuer = get_object_or_404(Issuer, slug=slug)
    permissions.require(request.user, IssuerAction.ENDORSE, issuer)
    return issuer


def _hub_context(request: HttpRequest, issuer: Issuer, **extra: Any) -> dict[str, Any]:
    return {"issuer": issuer, "can": permissions.allowed_actions(request.user, issuer), **extra}


@login_required
@require_safe
def endorsements(request: HttpRequest, slug: str) -> HttpResponse:
    issuer = _hub(request, slug)
    context = _hub_context(
        request,
        issuer,
        given=badge_selectors.endorsements_given(issuer, withdrawn=True),
        received=badge_selectors.endorsements_received(issuer),
    )
    return render(request, "console/endorsements.html", context)


def _shown_candidates(issuer: Issuer, query: str, selected: str) -> list[BadgeClass]:
    """The classes to list: the first matches of the search, and the one already picked, if any."""
    candidates = badge_selectors.endorsable_badge_classes(issuer)
    shown = list(badge_selectors.endorsable_badge_classes(issuer, query=query)[:CANDIDATES_SHOWN])
    if selected and all(badge_class.public_id != selected for badge_class in shown):
        shown = list(candidates.filter(public_id=selected)) + shown
    return shown


@login_required
@require_http_methods(["GET", "POST"])
def endorse(request: HttpRequest, slug: str) -> HttpResponse:
    issuer = _hub(request, slug)
    candidates = badge_selectors.endorsable_badge_classes(issuer)
    form = EndorseForm(
        request.POST or None,
        candidates=candidates,
        own_classes=badge_selectors.issuer_badge_classes(issuer),
        initial={"badge_class": request.GET.get("badge_class", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            endorsement = endorsement_give(
                endorser=issuer,
                badge_class=data["badge_class"],
                accepted_as=data["accepted_as"],
                comment=data["comment"],
                actor=signed_in_user(request),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("%(issuer)s now endorses “%(badge)s” of %(other)s.")
                % {
                    "issuer": issuer.name,
                    "badge": endorsement.badge_class.name,
                    "other": endorsement.badge_class.issuer.name,
                },
            )
            return redirect("console:endorsements", slug=issuer.slug)
    query = (request.POST.get("q") or request.GET.get("q") or "").strip()[:200]
    selected = str(form["badge_class"].value() or "")
    context = _hub_context(
        request,
        issuer,
        form=form,
        query=query,
        selected=selected,
        shown=_shown_candidates(issuer, query, selected),
        shown_limit=CANDIDATES_SHOWN,
    )
    return render(request, "console/endorse.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def withdraw(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    issuer = _hub(request, slug)
    found = badge_selectors.endorsements_given(issuer, withdrawn=True).filter(public_id=public_id).first()
    if found is None:
        raise Http404(_("No such endorsement among this hub's."))
    try:
        endorsement_withdraw(endorsement=found, actor=signed_in_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(issuer)s no longer endorses “%(badge)s”.")
            % {"issuer": issuer.name, "badge": found.badge_class.name},
        )
    return redirect("console:endorsements", slug=issuer.slug)


# Included by console.urls under "<slug>/endorsements/", in the console's namespace.
urlpatterns = [
    path("", endorsements, name="endorsements"),
    path("new/", endorse, name="endorse"),
    path("<slug:public_id>/withdraw/", withdraw, name="endorsement_withdraw"),
]
