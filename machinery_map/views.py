"""The Map of Machinery's pages and Open Know-Where documents. Each view validates its input, asks a
selector or calls a service, and renders."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from directory import permissions as directory_permissions
from machinery_map import okw, selectors, services
from machinery_map.forms import CanIMakeForm, EquipmentForm, MapFilterForm
from machinery_map.models import Equipment
from machinery_map.permissions import MachineAction, can, require
from makeworks.lib.requests import HtmxHttpRequest

OKW_DOWNLOAD_HEADERS = {"Access-Control-Allow-Origin": "*"}


def _map_context() -> dict[str, str]:
    return {"map_tile_url": settings.MAP_TILE_URL, "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION}


@require_safe
def machine_map(request: HtmxHttpRequest) -> HttpResponse:
    choices = selectors.filter_choices()
    form = MapFilterForm(request.GET, choices=choices)
    context: dict[str, object] = {"form": form, **_map_context()}
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    # htmx swaps the form with the hubs, so a message shows under the field it is about.
    template = "machinery_map/_map_search.html" if partial else "machinery_map/map.html"
    if form.is_valid():
        results = selectors.map_search(form.filters())
        context["results"] = results
        status = 404 if results.page_out_of_range else 200
    else:
        status = 400
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_safe
def can_i_make(request: HttpRequest) -> HttpResponse:
    """Open to visitors: the machines' own rules for everyone, the badge checks once signed in."""
    choices = selectors.filter_choices()
    asked = bool(request.GET)
    form = CanIMakeForm(request.GET if asked else None, choices=choices)
    context: dict[str, object] = {"form": form, **_map_context()}
    status = 200
    if asked and form.is_valid():
        results = selectors.map_search(form.filters())
        selectors.verdicts_mark(user=request.user, results=results)
        context["results"] = results
    elif asked:
        status = 400
    return render(request, "machinery_map/can_i_make.html", context, status=status)


@require_safe
def hub_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.hub_page(slug)
    require(request.user, MachineAction.VIEW, page.hub)
    context = {
        "page": page,
        "can_manage": can(request.user, MachineAction.MANAGE, page.hub),
        "can_edit_listing": directory_permissions.can(
            request.user, directory_permissions.Action.EDIT, page.hub
        ),
        **_map_context(),
    }
    return render(request, "machinery_map/hub.html", context)


def _visible_hub_document(request: HttpRequest, slug: str) -> dict[str, object]:
    page = selectors.hub_page(slug)
    require(request.user, MachineAction.VIEW, page.hub)
    return okw.hub_document(page.hub)


@require_safe
def hub_okw_json(request: HttpRequest, slug: str) -> HttpResponse:
    document = _visible_hub_document(request, slug)
    return HttpResponse(
        okw.json_text(document), content_type="application/json", headers=OKW_DOWNLOAD_HEADERS
    )


@require_safe
def hub_okw_yaml(request: HttpRequest, slug: str) -> HttpResponse:
    document = _visible_hub_document(request, slug)
    return HttpResponse(
        okw.yaml_text(document), content_type="application/yaml; charset=utf-8", headers=OKW_DOWNLOAD_HEADERS
    )


@require_safe
def all_okw_json(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(okw.facilities_json_chunks(), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="facilities-okw.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def all_okw_yaml(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        okw.facilities_yaml_chunks(), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="facilities-okw.yaml"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _equipment_form_page(
    request: HttpRequest, *, page: selectors.HubPage, equipment: Equipment | None
) -> HttpResponse:
    posted = request.method == "POST"
    form = EquipmentForm(
        request.POST if posted else None, request.FILES if posted else None, instance=equipment
    )
    status = 200
    if posted:
        if form.is_valid():
            try:
                arguments = form.service_arguments()
                if equipment is None:
                    services.equipment_create(hub=page.hub, actor=request.user, **arguments)
                    messages.success(request, _("The machine was added."))
                else:
                    services.equipment_update(equipment=equipment, actor=request.user, **arguments)
                    messages.success(request, _("The machine was saved."))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("machinery_map:hub", slug=page.hub.slug)
        status = 400
    context = {"page": page, "form": form, "equipment": equipment}
    return render(request, "machinery_map/equipment_form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def equipment_new(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.hub_page(slug)
    require(request.user, MachineAction.MANAGE, page.hub)
    return _equipment_form_page(request, page=page, equipment=None)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def equipment_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    page = selectors.hub_page(slug)
    # Permission first, so a guessed id says nothing to someone with no role at this hub.
    require(request.user, MachineAction.MANAGE, page.hub)
    equipment = selectors.hub_equipment(page.hub, pk)
    return _equipment_form_page(request, page=page, equipment=equipment)


@require_POST
@login_required
def equipment_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponseRedirect:
    page = selectors.hub_page(slug)
    require(request.user, MachineAction.MANAGE, page.hub)
    equipment = selectors.hub_equipment(page.hub, pk)
    services.equipment_delete(equipment=equipment, actor=request.user)
    messages.success(request, _("The machine was removed."))
    return redirect("machinery_map:hub", slug=page.hub.slug)
