"""Open data: the published catalogue as CSV and JSON downloads, and the admin's CSV import page."""

from collections.abc import Iterator

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from accounts import services as account_services
from directory.models import Node
from directory.permissions import Action, can, require
from directory.services.opendata import (
    LICENCE_URL,
    ImportReport,
    listings_csv_chunks,
    listings_import,
    listings_json_chunks,
)

# The import runs within the request, so the admin takes files of a few thousand rows at most.
MAX_IMPORT_BYTES = 2 * 1024 * 1024


def _download(chunks: Iterator[str], *, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response


def _node_for_export(request: HttpRequest, slug: str) -> Node:
    node = get_object_or_404(Node, slug=slug)
    require(request.user, Action.EXPORT, node)
    return node


@require_safe
def node_export_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    node = _node_for_export(request, slug)
    return _download(
        listings_csv_chunks(node=node),
        content_type="text/csv; charset=utf-8",
        filename=f"makeworks-{node.slug}-listings.csv",
    )


@require_safe
def node_export_json(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    node = _node_for_export(request, slug)
    return _download(
        listings_json_chunks(node=node, source_url=request.build_absolute_uri()),
        content_type="application/json",
        filename=f"makeworks-{node.slug}-listings.json",
    )


@require_safe
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    require(request.user, Action.EXPORT)
    return _download(
        listings_csv_chunks(), content_type="text/csv; charset=utf-8", filename="makeworks-listings.csv"
    )


@require_safe
def export_json(request: HttpRequest) -> StreamingHttpResponse:
    require(request.user, Action.EXPORT)
    return _download(
        listings_json_chunks(source_url=request.build_absolute_uri()),
        content_type="application/json",
        filename="makeworks-listings.json",
    )


class ListingsUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file (UTF-8)"))
    skip_invalid = forms.BooleanField(
        label=_("Skip invalid rows"),
        required=False,
        help_text=_("Import the valid rows and list the others, instead of importing nothing."),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 2 MB: import it in parts, or with manage.py import_listings.")
            )
        return bytes(upload.read())


class ListingsConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    skip_invalid = forms.BooleanField(required=False, widget=forms.HiddenInput)


def _upload_purpose(node: Node) -> str:
    # With the person who uploaded it, so a token only confirms its own upload, into its own node.
    return f"opendata-import:{node.pk}"


def node_import_listings(
    request: HttpRequest, *, node_id: int, admin_context: dict[str, object]
) -> HttpResponse:
    """The admin's import page for a node: upload a CSV file, read the check's report, then confirm.

    The checked file waits in the database between the two steps (any web process may take the
    confirmation), so the curator need not upload it again.
    """
    node = get_object_or_404(Node, pk=node_id)
    user = request.user
    if not isinstance(user, User) or not can(user, Action.CURATE, node):
        raise PermissionDenied
    upload_form = ListingsUploadForm()
    confirm_form = None
    report: ImportReport | None = None
    if request.method == "POST" and "confirm" in request.POST:
        submitted = ListingsConfirmForm(request.POST)
        # Taking the checked upload deletes it, so a confirmation posted twice imports it once.
        upload = (
            account_services.checked_upload_take(
                user=user, purpose=_upload_purpose(node), token=submitted.cleaned_data["token"]
            )
            if submitted.is_valid()
            else None
        )
        if upload is None:
            messages.error(request, _("This check has expired; upload the file again."))
        else:
            skip_invalid = submitted.cleaned_data["skip_invalid"]
            report = listings_import(
                data=bytes(upload.data), node=node, actor=user, skip_invalid=skip_invalid
            )
            if report.written:
                messages.success(request, report.summary)
                # Curators without the admin's listing permissions see the result on the node's page.
                if not user.has_perm("directory.view_listing"):
                    return HttpResponseRedirect(node.get_absolute_url())
                changelist = reverse("admin:directory_listing_changelist")
                return HttpResponseRedirect(f"{changelist}?node__id__exact={node.pk}")
    elif request.method == "POST":
        upload_form = ListingsUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            data = upload_form.cleaned_data["file"]
            skip_invalid = upload_form.cleaned_data["skip_invalid"]
            report = listings_import(data=data, node=node, dry_run=True, skip_invalid=skip_invalid)
            if report.writable:
                token = account_services.checked_upload_keep(
                    user=user, purpose=_upload_purpose(node), data=data, options={}
                )
                confirm_form = ListingsConfirmForm(initial={"token": token, "skip_invalid": skip_invalid})
    context = {
        **admin_context,
        "title": _("Import listings into %(node)s") % {"node": node.label},
        "node": node,
        "opts": Node._meta,
        "upload_form": upload_form,
        "confirm_form": confirm_form,
        "report": report,
        "max_megabytes": MAX_IMPORT_BYTES // (1024 * 1024),
    }
    return render(request, "directory/admin/import_listings.html", context)
