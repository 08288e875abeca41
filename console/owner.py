"""The owners' pages of a hub: who works on its badges and in which role, its signing keys, and its
issuer profile (with the setting that requires two-factor authentication). Every change goes through
badges.services, which writes it to the audit log; badges.permissions decides who may make it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from badges import permissions
from badges import selectors as badge_selectors
from badges.models import Issuer, IssuerMembership, SigningKey, SigningKeyStatus
from badges.permissions import IssuerAction
from badges.services import (
    issuer_member_add,
    issuer_member_change,
    issuer_member_remove,
    issuer_update,
    signing_key_revoke,
    signing_key_rotate,
)
from console import selectors
from console.forms import IssuerProfileForm, MemberAddForm, MemberRoleForm
from console.views import _hub, _hub_context
from makeworks.lib.forms import form_errors_from
from makeworks.lib.requests import signed_in_user


def _staff_page(
    request: HttpRequest,
    issuer: Issuer,
    *,
    add_form: MemberAddForm | None = None,
    refusal: ValidationError | None = None,
) -> HttpResponse:
    context = _hub_context(
        request,
        issuer,
        memberships=badge_selectors.issuer_memberships(issuer),
        add_form=add_form or MemberAddForm(),
        refusal=refusal.messages if refusal is not None else [],
        role_choices=MemberRoleForm.base_fields["role"].choices,  # type: ignore[attr-defined]
    )
    refused = refusal is not None or (add_form is not None and add_form.errors)
    return render(request, "console/staff.html", context, status=400 if refused else 200)


def _hub_membership(issuer: Issuer, membership_id: int) -> IssuerMembership:
    membership = selectors.hub_membership(issuer, membership_id)
    if membership is None:
        raise Http404(_("No such person among this hub's."))
    return membership


def _after_own_change(request: HttpRequest, issuer: Issuer) -> HttpResponse:
    """Where an owner goes once a change is saved: back to the people, unless they gave up managing them."""
    if permissions.can(request.user, IssuerAction.MANAGE_STAFF, issuer):
        return redirect("console:staff", slug=issuer.slug)
    if permissions.can(request.user, IssuerAction.VIEW, issuer):
        return redirect("console:dashboard", slug=issuer.slug)
    return redirect("console:hubs")


@login_required
@require_http_methods(["GET", "POST"])
def staff(request: HttpRequest, slug: str) -> HttpResponse:
    """The hub's people and their roles; posting the form at its foot gives someone a role."""
    issuer = _hub(request, slug, IssuerAction.MANAGE_STAFF)
    if request.method != "POST":
        return _staff_page(request, issuer)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        try:
            membership = issuer_member_add(
                issuer=issuer,
                user=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor=signed_in_user(request),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("%(person)s is now %(role)s of %(issuer)s.")
                % {
                    "person": membership.user.email,
                    "role": str(membership.get_role_display()).lower(),
                    "issuer": issuer.name,
                },
            )
            return redirect("console:staff", slug=issuer.slug)
    return _staff_page(request, issuer, add_form=form)


@login_required
@require_POST
def member_change(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    issuer = _hub(request, slug, IssuerAction.MANAGE_STAFF)
    membership = _hub_membership(issuer, membership_id)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, issuer, refusal=ValidationError(_("Choose owner, editor or staff.")))
    try:
        changed = issuer_member_change(
            membership=membership, role=form.cleaned_data["role"], actor=signed_in_user(request)
        )
    except ValidationError as error:
        return _staff_page(request, issuer, refusal=error)
    messages.success(
        request,
        _("%(person)s is now %(role)s.")
        % {"person": changed.user.email, "role": str(changed.get_role_display()).lower()},
    )
    return _after_own_change(request, issuer)


@login_required
@require_POST
def member_remove(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    issuer = _hub(request, slug, IssuerAction.MANAGE_STAFF)
    membership = _hub_membership(issuer, membership_id)
    try:
        issuer_member_remove(membership=membership, actor=signed_in_user(request))
    except ValidationError as error:
        return _staff_page(request, issuer, refusal=error)
    messages.success(
        request,
        _("%(person)s no longer works on the badges of %(issuer)s.")
        % {"person": membership.user.email, "issuer": issuer.name},
    )
    return _after_own_change(request, issuer)


@login_required
@require_safe
def keys(request: HttpRequest, slug: str) -> HttpResponse:
    issuer = _hub(request, slug, IssuerAction.MANAGE_ISSUER)
    context = _hub_context(request, issuer, keys=selectors.hub_signing_keys(issuer))
    return render(request, "console/keys.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def key_rotate(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask for confirmation, then give the hub a new active key; the old one is retired."""
    issuer = _hub(request, slug, IssuerAction.MANAGE_ISSUER)
    if request.method == "POST":
        key = signing_key_rotate(issuer=issuer, actor=signed_in_user(request))
        messages.success(
            request,
            _("The hub has a new signing key (%(key)s); the previous one is retired.")
            % {"key": key.public_id},
        )
        return redirect("console:keys", slug=issuer.slug)
    context = _hub_context(request, issuer, active=selectors.hub_active_key(issuer))
    return render(request, "console/key_rotate.html", context)


def _hub_key(issuer: Issuer, public_id: str) -> SigningKey:
    key = selectors.hub_signing_key(issuer, public_id)
    if key is None:
        raise Http404(_("No such signing key among this hub's."))
    return key


@login_required
@require_http_methods(["GET", "POST"])
def key_revoke(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    """Ask for confirmation, saying what it means, then revoke a retired key: the badges it signed stop
    verifying. The active key is rotated first, so the hub always has one that signs."""
    issuer = _hub(request, slug, IssuerAction.MANAGE_ISSUER)
    key = _hub_key(issuer, public_id)
    if key.status != SigningKeyStatus.RETIRED:
        messages.error(
            request,
            _("This key is already revoked.")
            if key.status == SigningKeyStatus.REVOKED
            else _(
                "This key signs the hub's new badges: rotate it first, then revoke it once it is retired."
            ),
        )
        return redirect("console:keys", slug=issuer.slug)
    if request.method == "POST":
        try:
            signing_key_revoke(key=key, actor=signed_in_user(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The key %(key)s is revoked; badges it signed no longer verify.") % {"key": key.public_id},
            )
        return redirect("console:keys", slug=issuer.slug)
    context = _hub_context(request, issuer, key=key)
    return render(request, "console/key_revoke.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    """The issuer profile published in every badge, and whether the hub requires two-factor
    authentication."""
    issuer = _hub(request, slug, IssuerAction.MANAGE_ISSUER)
    initial = {
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
        "description": issuer.description,
        "require_two_factor": issuer.require_two_factor,
    }
    form = IssuerProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issuer_update(
                issuer=issuer,
                name=data["name"],
                url=data["url"],
                email=data["email"],
                description=data["description"],
                image=data["image"],
                require_two_factor=data["require_two_factor"],
                actor=signed_in_user(request),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The issuer profile is saved."))
            return redirect("console:profile", slug=issuer.slug)
    context = _hub_context(
        request, issuer, form=form, has_two_factor=permissions.has_two_factor(request.user)
    )
    return render(request, "console/profile.html", context, status=400 if form.errors else 200)
