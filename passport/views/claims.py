"""A badge arriving in its earner's passport: the award e-mail's link (passport.claims) takes the person
to sign-up or log-in for that address, or straight to the badge, and the passport asks them once whether
to show it."""

from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from makeworks.lib.requests import signed_in_user
from passport import claims, selectors
from passport.forms import BadgeDecisionForm
from passport.models import Assertion, Passport, Visibility
from passport.services import passports


def badge_anchor(passport: Passport, public_id: str) -> str:
    """The badge's card on the member's passport, where the question is asked."""
    return reverse("passport_site:passport", kwargs={"handle": passport.handle}) + f"#badge-{public_id}"


@require_safe
def badge_claim(request: HttpRequest, token: str) -> HttpResponse:
    """Where the award e-mail's "add it to your passport" leads: sign-up with the address filled in for
    someone new (the badge is theirs once they confirm it), log-in for an account that has it, the badge
    itself for its holder, and a page that says what to do for anyone signed in with another address."""
    claim = claims.claim_from_token(token)
    if claim is None:
        return render(request, "passport/passport/claim.html", {"claim": None}, status=404)
    here = request.get_full_path()
    if not request.user.is_authenticated:
        if EmailAddress.objects.filter(email__iexact=claim.email).exists():
            return redirect(f"{reverse('account_login')}?{urlencode({'next': here})}")
        # After the address is confirmed in this browser, allauth signs the person in and comes back here.
        return redirect(f"{reverse('account_signup')}?{urlencode({'email': claim.email, 'next': here})}")
    passport = passports.passport_ensure(user=signed_in_user(request))
    if selectors.passport_platform_badge(passport, claim.assertion.public_id) is not None:
        return redirect(badge_anchor(passport, claim.assertion.public_id))
    unconfirmed = EmailAddress.objects.filter(
        user_id=request.user.pk, email__iexact=claim.email, verified=False
    ).exists()
    context = {"claim": claim, "unconfirmed": unconfirmed, "here": here}
    return render(request, "passport/passport/claim.html", context)


@login_required
@require_POST
def badge_decide(request: HttpRequest, public_id: str) -> HttpResponse:
    passport = passports.passport_ensure(user=signed_in_user(request))
    assertion = get_object_or_404(Assertion.objects.select_related("badge_class"), public_id=public_id)
    form = BadgeDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to show this badge or keep it private."))
        return redirect(badge_anchor(passport, public_id))
    show = form.cleaned_data["choice"] == "show"
    try:
        passports.passport_badge_decide(
            passport=passport,
            assertion=assertion,
            show=show,
            publish_passport=show and form.cleaned_data["publish_passport"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(badge_anchor(passport, public_id))
    name = assertion.badge_class.name
    if not show:
        text = _("“%(name)s” stays private: only you see it. You can change this on the badge at any time.")
    elif passport.visibility == Visibility.PRIVATE:
        text = _(
            "“%(name)s” is shown, but your passport is private: nobody sees it until you make your "
            "passport public."
        )
    else:
        text = _("“%(name)s” is shown on your passport.")
    messages.success(request, text % {"name": name})
    return redirect(badge_anchor(passport, public_id))
