"""The hub's badge classes in the console: everyone working on the hub sees them; editors and owners
create and correct them through badges.services, which checks the image and writes the audit log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from badges import selectors as badge_selectors
from badges.models import BadgeClass, Issuer
from badges.permissions import IssuerAction
from badges.services import badge_class_create
from badges.services.issuers import badge_class_update
from console import selectors
from console.forms import BadgeClassForm
from console.views import _hub, _hub_context
from makeworks.lib.forms import form_errors_from
from makeworks.lib.requests import signed_in_user


def _hub_badge_class(issuer: Issuer, public_id: str) -> BadgeClass:
    badge_class = selectors.hub_badge_class(issuer, public_id)
    if badge_class is None:
        raise Http404(_("No such badge class among this hub's."))
    return badge_class


def _form_page(request: HttpRequest, issuer: Issuer, form: BadgeClassForm, **extra: object) -> HttpResponse:
    context = _hub_context(request, issuer, form=form, **extra)
    status = 400 if form.errors else 200
    return render(request, "console/badge_class_form.html", context, status=status)


@login_required
@require_safe
def badge_classes(request: HttpRequest, slug: str) -> HttpResponse:
    issuer = _hub(request, slug, IssuerAction.VIEW)
    found = [
        (badge_class, badge_selectors.badge_class_url(badge_class))
        for badge_class in selectors.hub_badge_classes_counted(issuer)
    ]
    return render(request, "console/badge_classes.html", _hub_context(request, issuer, found=found))


@login_required
@require_http_methods(["GET", "POST"])
def badge_class_new(request: HttpRequest, slug: str) -> HttpResponse:
    issuer = _hub(request, slug, IssuerAction.MANAGE_BADGE_CLASSES)
    form = BadgeClassForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = badge_class_create(
                issuer=issuer,
                name=data["name"],
                description=data["description"],
                image=data["image"],
                criteria_narrative=data["criteria_narrative"],
                criteria_url=data["criteria_url"],
                alignments=data["alignments"],
                tags=data["tags"],
                valid_days=data["valid_days"],
                actor=signed_in_user(request),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The badge class %(name)s is created.") % {"name": created.name})
            return redirect("console:badge_classes", slug=issuer.slug)
    return _form_page(request, issuer, form)


@login_required
@require_http_methods(["GET", "POST"])
def badge_class_edit(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    issuer = _hub(request, slug, IssuerAction.MANAGE_BADGE_CLASSES)
    badge_class = _hub_badge_class(issuer, public_id)
    form = BadgeClassForm(
        request.POST or None,
        request.FILES or None,
        initial=BadgeClassForm.initial_from(badge_class),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            badge_class_update(
                badge_class=badge_class,
                name=data["name"],
                description=data["description"],
                image=data["image"],
                criteria_narrative=data["criteria_narrative"],
                criteria_url=data["criteria_url"],
                alignments=data["alignments"],
                tags=data["tags"],
                valid_days=data["valid_days"],
                actor=signed_in_user(request),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The badge class %(name)s is saved.") % {"name": data["name"]})
            return redirect("console:badge_classes", slug=issuer.slug)
    return _form_page(request, issuer, form, badge_class=badge_class)
