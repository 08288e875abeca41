"""The console's pages. Each view finds the hub by its slug, asks badges.permissions whether the person
may act on it (a hub where they have no role answers 404, as if it did not exist), validates a form and
calls a service or a selector. Objects named in URLs or posts are looked up within that hub only.
"""

import secrets
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import services as account_services
from badges import permissions
from badges import selectors as badge_selectors
from badges.models import BadgeClass, Issuer
from badges.permissions import IssuerAction
from console import selectors
from console.audit_log import audit_lines, audit_people
from console.bulk import MAX_BYTES, MAX_ROWS, bulk_file_check
from console.bulk import bulk_template as bulk_template_text
from console.forms import (
    AssertionFilterForm,
    AssertionsSelectForm,
    AuditFilterForm,
    BulkConfirmForm,
    BulkRevokeForm,
    BulkUploadForm,
    IssueForm,
    ResendForm,
    RevokeForm,
)
from makeworks.lib.forms import form_errors_from
from makeworks.lib.requests import HtmxHttpRequest, signed_in_user
from passport import selectors as public_selectors
from passport import services
from passport.models import Assertion, VerificationType

ASSERTIONS_PER_PAGE = 50
# Rows of a checked file shown on the preview, so staff can see the columns were read as meant.
PREVIEW_ROWS = 10


def _hub(request: HttpRequest, slug: str, action: IssuerAction) -> Issuer:
    issuer = get_object_or_404(Issuer, slug=slug)
    permissions.require(request.user, action, issuer)
    return issuer


def _hub_context(request: HttpRequest, issuer: Issuer, **extra: Any) -> dict[str, Any]:
    return {"issuer": issuer, "can": permissions.allowed_actions(request.user, issuer), **extra}


def _hub_assertion(issuer: Issuer, public_id: str) -> Assertion:
    assertion = selectors.hub_assertion(issuer, public_id)
    if assertion is None:
        raise Http404(_("No such badge among this hub's."))
    return assertion


def _day_start(day: date | None) -> datetime | None:
    return selectors.day_start(day) if day is not None else None


@login_required
@require_safe
def hubs(request: HttpRequest) -> HttpResponse:
    issuers = permissions.issuers_for(request.user)
    context = {"issuers": issuers, "has_two_factor": permissions.has_two_factor(request.user)}
    return render(request, "console/hubs.html", context)


@login_required
@require_safe
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    issuer = _hub(request, slug, IssuerAction.VIEW)
    context = _hub_context(request, issuer, dashboard=selectors.hub_dashboard(issuer))
    return render(request, "console/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def issue(request: HttpRequest, slug: str) -> HttpResponse:
    issuer = _hub(request, slug, IssuerAction.ISSUE)
    form = IssueForm(
        request.POST or None,
        initial={"submission": secrets.token_urlsafe(16)},
        badge_classes=selectors.hub_badge_classes(issuer),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assertion = services.assertion_issue(
                badge_class=data["badge_class"],
                recipient_email=data["recipient_email"],
                recipient_name=data["recipient_name"],
                evidence_url=data["evidence_url"],
                narrative=data["narrative"],
                signed=data["verification"] == VerificationType.SIGNED,
                expires=_day_start(data["expires"]),
                actor=signed_in_user(request),
                submission_key=data["submission"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) != "already_issued" or not error.params:
                form_errors_from(form, error)
            else:
                messages.info(request, " ".join(error.messages))
                return redirect("console:assertion", slug=issuer.slug, public_id=error.params["public_id"])
        else:
            # Said the same way whether or not the broker took the tasks at once: the badge is issued,
            # and its bake and e-mail are recorded on it until they are done (passport.services.delivery).
            messages.success(
                request,
                _("The badge is issued. It is being baked and e-mailed to %(email)s.")
                % {"email": data["recipient_email"]},
            )
            return redirect("console:assertion", slug=issuer.slug, public_id=assertion.public_id)
    context = _hub_context(request, issuer, form=form)
    return render(request, "console/issue.html", context, status=400 if form.errors else 200)


def _upload_purpose(issuer: Issuer) -> str:
    # With the person who uploaded it, so a token only ever confirms its own upload, in its own hub.
    return f"console-bulk:{issuer.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def bulk_issue(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a CSV file, read the preview that checks every row, then confirm to issue them all.

    The checked file and the options chosen with it wait in the database between the two steps (any web
    process may take the confirmation), so the confirmation issues exactly what was previewed.
    """
    issuer = _hub(request, slug, IssuerAction.ISSUE)
    badge_classes = selectors.hub_badge_classes(issuer)
    if request.method == "POST" and "confirm" in request.POST:
        return _bulk_confirm(request, issuer, badge_classes)
    form = BulkUploadForm(request.POST or None, request.FILES or None, badge_classes=badge_classes)
    context = _hub_context(
        request,
        issuer,
        upload_form=form,
        preview_rows=PREVIEW_ROWS,
        max_rows=MAX_ROWS,
        max_megabytes=MAX_BYTES // (1024 * 1024),
    )
    if request.method == "POST" and form.is_valid():
        context.update(_bulk_check(request, issuer, form))
    refused = form.errors or ("checked" in context and not context["checked"].ready)
    return render(request, "console/bulk.html", context, status=400 if refused else 200)


def _bulk_check(request: HttpRequest, issuer: Issuer, form: BulkUploadForm) -> dict[str, Any]:
    """The preview of an uploaded file; a file whose every row is valid waits in the database for its
    confirmation. A refusal of the whole batch goes on the form."""
    data = form.cleaned_data
    signed = data["verification"] == VerificationType.SIGNED
    expires = _day_start(data["expires"])
    try:
        checked = bulk_file_check(
            data=data["file"], badge_class=data["badge_class"], signed=signed, expires=expires
        )
    except ValidationError as error:
        form_errors_from(form, error)
        return {}
    preview = {
        "checked": checked,
        "preview": list(zip(checked.lines, checked.awards, strict=True)),
        "badge_class": data["badge_class"],
        "signed": signed,
        "expires": expires,
    }
    if checked.ready or checked.partly_ready:
        token = account_services.checked_upload_keep(
            user=signed_in_user(request),
            purpose=_upload_purpose(issuer),
            data=data["file"],
            options={
                "badge_class": data["badge_class"].pk,
                "signed": signed,
                "expires": expires.isoformat() if expires else None,
                # What the preview offered to issue: the confirmation issues these rows or nothing.
                "lines": checked.valid_lines,
            },
        )
        preview["confirm_form"] = BulkConfirmForm(initial={"token": token})
    return preview


def _bulk_confirm(request: HttpRequest, issuer: Issuer, badge_classes: QuerySet[BadgeClass]) -> HttpResponse:
    """Issue the rows the preview offered, checked again (a row whose person got the badge since, from
    another upload, is refused now): all of them in one batch, or none if the check changed."""
    form = BulkConfirmForm(request.POST)
    # Taking the checked upload deletes it, so a confirmation posted twice issues it once.
    upload = (
        account_services.checked_upload_take(
            user=signed_in_user(request), purpose=_upload_purpose(issuer), token=form.cleaned_data["token"]
        )
        if form.is_valid()
        else None
    )
    if upload is None:
        messages.error(request, _("This check has expired; upload the file again."))
        return redirect("console:bulk_issue", slug=issuer.slug)
    options = upload.options
    badge_class = badge_classes.filter(pk=options["badge_class"]).first()
    expires = datetime.fromisoformat(options["expires"]) if options["expires"] else None
    try:
        checked = (
            bulk_file_check(
                data=bytes(upload.data), badge_class=badge_class, signed=options["signed"], expires=expires
            )
            if badge_class is not None
            else None
        )
        if (
            badge_class is None
            or checked is None
            or not checked.valid_lines
            or checked.valid_lines != options.get("lines")
        ):
            messages.error(request, _("The file no longer passes its check; upload it again."))
            return redirect("console:bulk_issue", slug=issuer.slug)
        batch = services.issue_batch_create(
            badge_class=badge_class,
            awards=checked.valid_awards,
            created_by=signed_in_user(request),
            signed=options["signed"],
            expires=expires,
            skipped=checked.skipped(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("console:bulk_issue", slug=issuer.slug)
    messages.success(
        request,
        ngettext(
            "%(count)d badge is issued; it is being baked and e-mailed.",
            "%(count)d badges are issued; they are being baked and e-mailed.",
            batch.total,
        )
        % {"count": batch.total},
    )
    return redirect("console:batch", slug=issuer.slug, batch_id=batch.pk)


@login_required
@require_safe
def bulk_template(request: HttpRequest, slug: str) -> HttpResponse:
    """The CSV file to fill in: the columns the upload reads and one example row."""
    issuer = _hub(request, slug, IssuerAction.ISSUE)
    response = HttpResponse(bulk_template_text(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{issuer.slug}-bulk-issue-template.csv"'
    return response


@login_required
@require_safe
def batch(request: HtmxHttpRequest, slug: str, batch_id: int) -> HttpResponse:
    issuer = _hub(request, slug, IssuerAction.VIEW)
    issue_batch = selectors.hub_batch(issuer, batch_id)
    if issue_batch is None:
        raise Http404(_("No such batch among this hub's."))
    context = _hub_context(request, issuer, batch=issue_batch, progress=selectors.batch_progress(issue_batch))
    # htmx polls for the progress region alone; without JavaScript the whole page is reloaded.
    template = "console/_batch_progress.html" if request.htmx else "console/batch.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_POST
def batch_retry(request: HttpRequest, slug: str, batch_id: int) -> HttpResponse:
    issuer = _hub(request, slug, IssuerAction.ISSUE)
    issue_batch = selectors.hub_batch(issuer, batch_id)
    if issue_batch is None:
        raise Http404(_("No such batch among this hub's."))
    retried = services.issue_batch_retry(batch=issue_batch)
    messages.success(
        request,
        ngettext(
            "%(count)d badge is being delivered again.",
            "%(count)d badges are being delivered again.",
            retried,
        )
        % {"count": retried},
    )
    return redirect("console:batch", slug=issuer.slug, batch_id=issue_batch.pk)


def _assertion_query(form: AssertionFilterForm) -> selectors.AssertionQuery:
    if not form.is_bound:
        return selectors.AssertionQuery()
    form.is_valid()
    # Only the valid filters are in cleaned_data, so one bad date leaves the others in force.
    data = form.cleaned_data
    return selectors.AssertionQuery(
        badge_class=data.get("badge_class"),
        recipient=data.get("recipient", ""),
        issued_from=data.get("issued_from"),
        issued_to=data.get("issued_to"),
        status=data.get("status", ""),
        batch=data.get("batch"),
    )


@login_required
@require_safe
def assertions(request: HttpRequest, slug: str) -> HttpResponse:
    issuer = _hub(request, slug, IssuerAction.VIEW)
    form = AssertionFilterForm(request.GET or None, badge_classes=selectors.hub_badge_classes(issuer))
    found = selectors.hub_assertions(issuer, _assertion_query(form))
    page = Paginator(found, ASSERTIONS_PER_PAGE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    context = _hub_context(
        request, issuer, form=form, page=page, filters=filters.urlencode(), now=timezone.now()
    )
    return render(request, "console/assertions.html", context, status=400 if form.errors else 200)


@login_required
@require_safe
def assertions_export(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    issuer = _hub(request, slug, IssuerAction.VIEW)
    form = AssertionFilterForm(request.GET or None, badge_classes=selectors.hub_badge_classes(issuer))
    found = selectors.hub_assertions(issuer, _assertion_query(form))
    response = StreamingHttpResponse(
        selectors.assertions_csv_chunks(found), content_type="text/csv; charset=utf-8"
    )
    filename = f"{issuer.slug}-badges-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def assertions_revoke(request: HttpRequest, slug: str) -> HttpResponse:
    """Revoke the badges picked on the list: a first post shows them and asks for the reason, a second
    (with `confirm`) revokes them all or none."""
    issuer = _hub(request, slug, IssuerAction.REVOKE)
    candidates = selectors.hub_assertions(issuer, selectors.AssertionQuery())
    if "confirm" in request.POST:
        form = BulkRevokeForm(request.POST, assertions=candidates)
        if form.is_valid():
            try:
                revoked = services.assertions_revoke(
                    assertions=list(form.cleaned_data["assertions"]),
                    reason=form.cleaned_data["reason"],
                    actor=signed_in_user(request),
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(
                    request,
                    ngettext("%(count)d badge revoked.", "%(count)d badges revoked.", len(revoked))
                    % {"count": len(revoked)},
                )
                return redirect("console:assertions", slug=issuer.slug)
        chosen = form.cleaned_data.get("assertions", [])
    else:
        picked = AssertionsSelectForm(request.POST, assertions=candidates)
        if not picked.is_valid():
            messages.error(request, _("Select the badges to revoke first."))
            return redirect("console:assertions", slug=issuer.slug)
        chosen = picked.cleaned_data["assertions"]
        form = BulkRevokeForm(initial={"assertions": chosen}, assertions=candidates)
    context = _hub_context(request, issuer, form=form, chosen=chosen)
    return render(request, "console/assertions_revoke.html", context, status=400 if form.errors else 200)


def _assertion_page(
    request: HttpRequest,
    issuer: Issuer,
    assertion: Assertion,
    *,
    revoke_form: RevokeForm | None = None,
    resend_form: ResendForm | None = None,
) -> HttpResponse:
    context = _hub_context(
        request,
        issuer,
        page=public_selectors.assertion_page(assertion),
        assertion=assertion,
        delivering=selectors.assertion_delivering(assertion),
        stuck=selectors.assertion_stuck(assertion),
        revoke_form=revoke_form or RevokeForm(),
        resend_form=resend_form or ResendForm(),
    )
    refused = (revoke_form and revoke_form.errors) or (resend_form and resend_form.errors)
    return render(request, "console/assertion.html", context, status=400 if refused else 200)


@login_required
@require_safe
def assertion(request: HtmxHttpRequest, slug: str, public_id: str) -> HttpResponse:
    issuer = _hub(request, slug, IssuerAction.VIEW)
    found = _hub_assertion(issuer, public_id)
    if request.htmx:
        # htmx polls for the delivery region alone while the badge is being baked and e-mailed.
        context = _hub_context(
            request,
            issuer,
            assertion=found,
            page=public_selectors.assertion_page(found),
            delivering=selectors.assertion_delivering(found),
        )
        response = render(request, "console/_assertion_delivery.html", context)
    else:
        response = _assertion_page(request, issuer, found)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_POST
def assertion_revoke(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    issuer = _hub(request, slug, IssuerAction.REVOKE)
    found = _hub_assertion(issuer, public_id)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.assertion_revoke(
                assertion=found, reason=form.cleaned_data["reason"], actor=signed_in_user(request)
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The badge is revoked."))
            return redirect("console:assertion", slug=issuer.slug, public_id=found.public_id)
    return _assertion_page(request, issuer, found, revoke_form=form)


@login_required
@require_POST
def assertion_resend(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    issuer = _hub(request, slug, IssuerAction.ISSUE)
    found = _hub_assertion(issuer, public_id)
    form = ResendForm(request.POST)
    if form.is_valid():
        try:
            queued = services.assertion_email_resend(
                assertion=found, recipient_email=form.cleaned_data["recipient_email"]
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            if queued:
                messages.success(request, _("The award e-mail is on its way again."))
            else:
                messages.info(request, _("The award e-mail is already waiting to be sent."))
            return redirect("console:assertion", slug=issuer.slug, public_id=found.public_id)
    return _assertion_page(request, issuer, found, resend_form=form)


AUDIT_ENTRIES_PER_PAGE = 50


@login_required
@require_safe
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    """The hub's audit log, newest first, for those who may read it (owners and site administrators)."""
    issuer = _hub(request, slug, IssuerAction.READ_AUDIT_LOG)
    entries = badge_selectors.audit_entries(issuer)
    form = AuditFilterForm(request.GET or None, people=audit_people(entries))
    if form.is_bound and form.is_valid():
        if form.cleaned_data["action"]:
            entries = entries.filter(action=form.cleaned_data["action"])
        if form.cleaned_data["person"]:
            entries = entries.filter(actor=form.cleaned_data["person"])
    page = Paginator(entries, AUDIT_ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    context = _hub_context(
        request,
        issuer,
        page=page,
        lines=audit_lines(issuer, page.object_list),
        form=form,
        filters=filters.urlencode(),
    )
    return render(request, "console/audit_log.html", context, status=400 if form.errors else 200)
