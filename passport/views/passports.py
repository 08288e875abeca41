"""The Maker Passport's pages: a member's passport at /p/<handle>/ (what each visitor may see of it),
the member's own pages to edit it, add badges, affiliations and projects, export it and delete the
account, the page where listings' owners confirm affiliations, and the search for makers by skill."""

import json
import math
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from makeworks.lib.forms import form_errors_from
from makeworks.lib.ratelimit import Limit, attempt_allowed
from makeworks.lib.requests import signed_in_user
from passport import permissions, selectors
from passport.forms import (
    AccountDeleteForm,
    AffiliationForm,
    BadgeVisibilityForm,
    ExternalBadgeForm,
    MakerSearchForm,
    PassportForm,
    ProjectForm,
)
from passport.models import Affiliation, Assertion, ExperienceProject, ExternalBadge, Passport, Visibility
from passport.selectors import SEARCH_PER_PAGE, MakerSearch
from passport.services import external_badges, members, passports

# Adding a badge may fetch documents from other servers, so a member may try only so often.
BADGE_ADD_LIMIT = Limit(count=30, seconds=3600)


def _own_passport(request: HttpRequest) -> Passport:
    return passports.passport_ensure(user=signed_in_user(request))


def _visible_passport(request: HttpRequest, handle: str) -> Passport:
    passport = selectors.passport_by_handle(handle)
    if not permissions.passport_visible_to(request.user, passport):
        raise Http404(_("No such passport."))
    return passport


@require_safe
def passport_detail(request: HttpRequest, handle: str) -> HttpResponse:
    passport = _visible_passport(request, handle)
    page = selectors.passport_page(passport, request.user)
    context: dict[str, Any] = {"page": page}
    if page.owner:
        context["visibility_choices"] = Visibility.choices
    return render(request, "passport/passport/detail.html", context)


@require_safe
def passport_badge(request: HttpRequest, handle: str, kind: str, public_id: str) -> HttpResponse:
    """One badge of a passport, at a link the member may share even when the badge is unlisted."""
    passport = _visible_passport(request, handle)
    owner = permissions.is_passport_owner(request.user, passport)
    badge: selectors.PlatformBadge | ExternalBadge | None
    if kind == "platform":
        badge = selectors.passport_platform_badge(passport, public_id)
    else:
        badge = selectors.passport_external_badge(passport, public_id)
    if badge is None or not permissions.badge_visible(badge.visibility, owner=owner, listed=False):
        raise Http404(_("No such badge on this passport."))
    context = {"passport": passport, "badge": badge, "kind": kind, "owner": owner}
    return render(request, "passport/passport/badge.html", context)


@require_safe
def passport_export(request: HttpRequest, handle: str) -> HttpResponse:
    passport = selectors.passport_by_handle(handle)
    if not permissions.is_passport_owner(request.user, passport):
        raise Http404(_("No such passport."))
    body = json.dumps(selectors.passport_export(passport), ensure_ascii=False, indent=2, default=str)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="passport-{passport.handle}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def my_passport(request: HttpRequest) -> HttpResponse:
    return redirect("passport_site:passport", handle=_own_passport(request).handle)


@login_required
@require_http_methods(["GET", "POST"])
def passport_edit(request: HttpRequest) -> HttpResponse:
    passport = _own_passport(request)
    initial = {
        "display_name": passport.display_name,
        "handle": passport.handle,
        "visibility": passport.visibility,
        "bio": passport.bio,
        "location": passport.location,
        "languages": passport.languages,
    }
    form = PassportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            passports.passport_update(
                passport=passport,
                handle=data["handle"],
                display_name=data["display_name"],
                bio=data["bio"],
                location=data["location"],
                languages=data["languages"],
                visibility=data["visibility"],
                photo=data["photo"],
                remove_photo=data["remove_photo"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Your passport is saved."))
            return redirect("passport_site:passport", handle=passport.handle)
    return render(request, "passport/passport/edit.html", {"form": form, "passport": passport})


@login_required
@require_POST
def badge_visibility(request: HttpRequest, kind: str, public_id: str) -> HttpResponse:
    passport = _own_passport(request)
    form = BadgeVisibilityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose who can see this badge."))
        return redirect("passport_site:passport", handle=passport.handle)
    visibility = form.cleaned_data["visibility"]
    try:
        if kind == "platform":
            assertion = get_object_or_404(Assertion, public_id=public_id)
            passports.passport_badge_show(passport=passport, assertion=assertion, visibility=visibility)
        else:
            badge = get_object_or_404(ExternalBadge, passport=passport, public_id=public_id)
            external_badges.external_badge_show(badge=badge, visibility=visibility)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Who can see this badge is saved."))
    return redirect(reverse("passport_site:passport", kwargs={"handle": passport.handle}) + "#badges")


@login_required
@require_http_methods(["GET", "POST"])
def badge_add(request: HttpRequest) -> HttpResponse:
    passport = _own_passport(request)
    form = ExternalBadgeForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not attempt_allowed(scope="passport-badge-add", key=str(passport.user_id), limit=BADGE_ADD_LIMIT):
            form.add_error(None, _("You have added many badges in the last hour; please try again later."))
            status = 429
        else:
            try:
                badge = external_badges.external_badge_add(passport=passport, **form.given())
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "“%(name)s” verified and is on your passport. Only you see it until you "
                        "choose otherwise."
                    )
                    % {"name": badge.name},
                )
                return redirect(
                    reverse("passport_site:passport", kwargs={"handle": passport.handle}) + "#badges"
                )
    return render(
        request, "passport/passport/badge_add.html", {"form": form, "passport": passport}, status=status
    )


@login_required
@require_POST
def badge_remove(request: HttpRequest, public_id: str) -> HttpResponse:
    passport = _own_passport(request)
    badge = get_object_or_404(ExternalBadge, passport=passport, public_id=public_id)
    external_badges.external_badge_remove(badge=badge)
    messages.success(request, _("The badge is removed from your passport."))
    return redirect(reverse("passport_site:passport", kwargs={"handle": passport.handle}) + "#badges")


@login_required
@require_http_methods(["GET", "POST"])
def affiliation_add(request: HttpRequest) -> HttpResponse:
    passport = _own_passport(request)
    form = AffiliationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            passports.affiliation_add(
                passport=passport,
                listing=data["listing"],
                role=data["role"],
                start_date=data["start_date"],
                end_date=data["end_date"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("The affiliation is added. It shows as self-declared until the hub confirms it.")
            )
            return redirect(
                reverse("passport_site:passport", kwargs={"handle": passport.handle}) + "#affiliations"
            )
    return render(request, "passport/passport/affiliation_add.html", {"form": form, "passport": passport})


@login_required
@require_POST
def affiliation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    passport = _own_passport(request)
    passports.affiliation_delete(affiliation=get_object_or_404(Affiliation, passport=passport, pk=pk))
    messages.success(request, _("The affiliation is removed."))
    return redirect(reverse("passport_site:passport", kwargs={"handle": passport.handle}) + "#affiliations")


@login_required
@require_http_methods(["GET", "POST"])
def project_add(request: HttpRequest) -> HttpResponse:
    passport = _own_passport(request)
    form = ProjectForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            passports.project_add(
                passport=passport,
                title=data["title"],
                description=data["description"],
                links=data["links"].splitlines(),
                images=data["images"],
                image_description=data["image_description"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The project is added to your passport."))
            return redirect(
                reverse("passport_site:passport", kwargs={"handle": passport.handle}) + "#experience"
            )
    return render(request, "passport/passport/project_add.html", {"form": form, "passport": passport})


@login_required
@require_POST
def project_remove(request: HttpRequest, pk: int) -> HttpResponse:
    passport = _own_passport(request)
    passports.project_delete(project=get_object_or_404(ExperienceProject, passport=passport, pk=pk))
    messages.success(request, _("The project is removed."))
    return redirect(reverse("passport_site:passport", kwargs={"handle": passport.handle}) + "#experience")


@login_required
@require_http_methods(["GET", "POST"])
def affiliations_to_confirm(request: HttpRequest) -> HttpResponse:
    """Affiliations waiting on the listings the member owns or curates; hubs' badge staff also have
    the console's page for theirs."""
    user = signed_in_user(request)
    if request.method == "POST":
        try:
            affiliation_id = int(request.POST.get("affiliation", ""))
        except ValueError:
            raise Http404(_("No such affiliation waiting.")) from None
        affiliation = get_object_or_404(Affiliation, pk=affiliation_id, confirmed_at__isnull=True)
        if not permissions.affiliation_confirmable_by(user, affiliation.listing):
            raise Http404(_("No such affiliation waiting."))
        passports.affiliation_confirm(affiliation=affiliation, actor=user)
        messages.success(
            request,
            _("%(name)s's affiliation with %(listing)s is confirmed.")
            % {"name": affiliation.passport.display_name, "listing": affiliation.listing.name},
        )
        return redirect("passport_site:affiliations_to_confirm")
    pending = [
        affiliation
        for affiliation in selectors.affiliations_to_confirm(user)
        if permissions.affiliation_confirmable_by(user, affiliation.listing)
    ]
    return render(request, "passport/passport/affiliations_to_confirm.html", {"pending": pending})


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = AccountDeleteForm(request.POST or None, user=user)
    sole = members.sole_owned_issuers(user)
    if request.method == "POST" and form.is_valid():
        try:
            members.account_delete(user=user)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            logout(request)
            messages.success(request, _("Your account and your passport are deleted."))
            return redirect("pages:home")
    return render(request, "passport/passport/account_delete.html", {"form": form, "sole_owned": sole})


@require_safe
def maker_search(request: HttpRequest) -> HttpResponse:
    """Without a query, every public passport by name; with one, those matching it."""
    form = MakerSearchForm(request.GET or None)
    search: MakerSearch | None = MakerSearch()
    if form.is_bound:
        data = form.cleaned_data if form.is_valid() else None
        search = (
            MakerSearch(skill=data["skill"].strip(), badge_class=data["badge"], near=data["place"])
            if data is not None
            else None
        )
    page = None
    if search is not None:
        page = Paginator(selectors.maker_search(search), SEARCH_PER_PAGE).get_page(request.GET.get("page"))
        for passport in page.object_list:
            squared = getattr(passport, "distance_squared", None)
            passport.distance_km = math.sqrt(squared) if squared is not None else None  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(
        request, "passport/passport/search.html", context, status=200 if search is not None else 400
    )
