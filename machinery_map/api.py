"""The Map of Machinery in the partner API: the equipment taxonomies, machines (paged by cursor and
filtered exactly as the /machines/ page filters them), a hub's machines and one machine. Reads are public;
adding, changing and removing a hub's machines need an API key with the `manage` scope made for the hub's
own issuer, or a signed-in person who may manage them. machinery_map.permissions decides both;
`require_hub_action` is how every view here asks."""

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from directory.models import Listing
from machinery_map import permissions, services
from machinery_map.filters import MachineFilter
from machinery_map.models import HUB_KINDS, Equipment, EquipmentType, ManufacturingProcess
from machinery_map.permissions import MachineAction
from machinery_map.serializers import (
    EquipmentTypeSerializer,
    MachineDetailSerializer,
    MachineListSerializer,
    MachineWriteSerializer,
    ManufacturingProcessSerializer,
)
from makeworks.lib.api.base import HasCredentials, IdCursorPagination, PublicCacheMixin, actor
from makeworks.lib.api.errors import error_responses
from makeworks.lib.api.filters import FormFilterBackend
from makeworks.lib.api.grants import key_grant

TAG = "Map of Machinery"
# Relations the services take as objects rather than as fields.
RELATIONS = ("equipment_type", "processes", "materials", "required_badge_classes")

HUB_EXAMPLE = {
    "slug": "fablab-glasgow",
    "name": "Fablab Glasgow",
    "kind": "makerspace",
    "city": "Glasgow",
    "country": "GB",
    "latitude": 55.8642,
    "longitude": -4.2518,
    "url": "https://makeworks.example/machines/fablab-glasgow/",
    "okw_url": "https://makeworks.example/machines/fablab-glasgow/okw.json",
}
MACHINE_EXAMPLE = {
    "id": 412,
    "hub": HUB_EXAMPLE,
    "equipment_type": {
        "slug": "laser-cutter",
        "name": "Laser cutter",
        "wikipedia_url": "https://en.wikipedia.org/wiki/Laser_cutting",
    },
    "make": "Trotec",
    "model": "Speedy 400",
    "quantity": 1,
    "status": "operational",
    "access": "induction",
    "processes": ["laser-cutting", "laser-engraving"],
    "materials": ["plywood", "acrylic"],
    "bed_size_mm": 1000,
    "build_volume_mm3": None,
    "updated_at": "2026-02-10T09:30:00Z",
}
MACHINE_DETAIL_EXAMPLE = {
    **MACHINE_EXAMPLE,
    "condition": "Good; new lens in 2025.",
    "other_materials": [],
    "x_travel_mm": 1000,
    "y_travel_mm": 610,
    "z_travel_mm": 305,
    "laser_power_w": 80,
    "spindle_speed_rpm": None,
    "nozzle_size_mm": None,
    "axes": 3,
    "power_rating_w": 2500,
    "booking_url": "https://fablab-glasgow.example/book/laser",
    "notes": "Bring your own material or buy ours at the desk.",
    "photo": "",
    "required_badge_classes": [
        {
            "id": "q3dFq0c2rJ7gmRz2sUd2nA",
            "name": "Laser safety induction",
            "issuer": {"slug": "fablab-glasgow", "name": "Fablab Glasgow"},
        }
    ],
    "created_at": "2025-11-03T14:00:00Z",
}
WRITE_EXAMPLE = {
    "equipment_type": "laser-cutter",
    "make": "Trotec",
    "model": "Speedy 400",
    "quantity": 1,
    "access": "induction",
    "materials": ["plywood", "acrylic"],
    "bed_size_mm": 1000,
    "laser_power_w": 80,
    "required_badge_classes": ["q3dFq0c2rJ7gmRz2sUd2nA"],
}
# Reads of views whose writes need credentials are still public: the schema says so, as DRF cannot tell.
# (extend_schema's annotation names strings, but it takes security requirement objects as given.)
PUBLIC_READ_AUTH: Any = [{"apiKey": []}, {"cookieAuth": []}, {}]
HUB_SLUG = OpenApiParameter(
    "slug",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The hub's slug (a makerspace, workshop or fabricator listing).",
    examples=[OpenApiExample("hub", value="fablab-glasgow")],
)
MACHINE_ID = OpenApiParameter(
    "id",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="The machine's id.",
    examples=[OpenApiExample("id", value=412)],
)


def require_hub_action(request: Request, action: MachineAction, hub: Listing) -> None:
    """Raise unless the request's key or person may take `action` on the hub's machines: 401 for a write
    without either, 404 for a hub that is not theirs (or that they may not see), 403 for a key or role
    that lacks the action."""
    grant = key_grant(request)
    if grant is not None:
        permissions.key_require(scopes=grant.scopes, key_issuer_id=grant.issuer_id, action=action, hub=hub)
    elif request.user.is_authenticated or action is MachineAction.VIEW:
        permissions.require(request.user, action, hub)
    else:
        raise NotAuthenticated(HasCredentials.message)


def _machines(machines: QuerySet[Equipment]) -> QuerySet[Equipment]:
    """Machines with everything their list shape names, so a page costs the same whatever its size."""
    return machines.select_related("hub", "equipment_type").prefetch_related("processes", "materials")


def _machine_details() -> QuerySet[Equipment]:
    return (
        _machines(Equipment.objects.all())
        .select_related("hub__badge_issuer")
        .prefetch_related("required_badge_classes__issuer")
    )


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="Equipment types",
        description=(
            "The kinds of machine hubs have, each with its broader type (`parent`; filtering by a type "
            "covers its narrower ones), the processes it usually does, and its Wikipedia and Wikidata "
            "pages, by which Open Know-Where names equipment types."
        ),
        responses={200: EquipmentTypeSerializer(many=True), **error_responses(429)},
        examples=[
            OpenApiExample(
                "a type",
                value={
                    "slug": "sla-printer",
                    "name": "3D printer (SLA/resin)",
                    "name_fr": "Imprimante 3D (SLA/résine)",
                    "parent": "3d-printer",
                    "wikipedia_url": "https://en.wikipedia.org/wiki/Stereolithography",
                    "wikidata_url": "https://www.wikidata.org/wiki/Q1072349",
                    "processes": ["stereolithography"],
                },
                response_only=True,
            )
        ],
    )
)
class EquipmentTypeListView(PublicCacheMixin, generics.ListAPIView):
    serializer_class = EquipmentTypeSerializer
    queryset = (
        EquipmentType.objects.select_related("parent").prefetch_related("processes").order_by("name", "id")
    )


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="Manufacturing processes",
        description=(
            "What machines do, each with its Wikipedia and Wikidata pages, by which Open Know-Where names "
            "manufacturing processes."
        ),
        responses={200: ManufacturingProcessSerializer(many=True), **error_responses(429)},
        examples=[
            OpenApiExample(
                "a process",
                value={
                    "slug": "laser-cutting",
                    "name": "Laser cutting",
                    "name_fr": "Découpe laser",
                    "wikipedia_url": "https://en.wikipedia.org/wiki/Laser_cutting",
                    "wikidata_url": "https://www.wikidata.org/wiki/Q1369318",
                },
                response_only=True,
            )
        ],
    )
)
class ManufacturingProcessListView(PublicCacheMixin, generics.ListAPIView):
    serializer_class = ManufacturingProcessSerializer
    queryset = ManufacturingProcess.objects.order_by("name", "id")


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="Machines",
        description=(
            "The machines of published hubs that are not retired and match every filter, with the same "
            "parameters as the /machines/ page, in the order they were added, a page at a time (follow "
            "`next`). An unknown type, process, material or place is a 400 naming the parameter."
        ),
        responses={200: MachineListSerializer(many=True), **error_responses(400, 429)},
        examples=[OpenApiExample("a machine", value=MACHINE_EXAMPLE, response_only=True)],
    )
)
class MachineListView(PublicCacheMixin, generics.ListAPIView):
    serializer_class = MachineListSerializer
    pagination_class = IdCursorPagination
    filter_backends = [FormFilterBackend]
    filterset_class = MachineFilter

    def get_queryset(self) -> QuerySet[Equipment]:
        return _machines(Equipment.objects.all())


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        summary="A hub's machines",
        auth=PUBLIC_READ_AUTH,
        description=(
            "Every machine of one hub, retired ones included (see `status`). Each names the hub's "
            "Open Know-Where document (`hub.okw_url`). A draft hub's machines are a 404 except for "
            "its own keys and the people who may edit it."
        ),
        parameters=[HUB_SLUG],
        responses={200: MachineListSerializer(many=True), **error_responses(404, 429)},
        examples=[OpenApiExample("a machine", value=MACHINE_EXAMPLE, response_only=True)],
    )
)
class HubMachinesView(PublicCacheMixin, generics.ListCreateAPIView):
    serializer_class = MachineListSerializer
    # Paged as /machines/ is: the two lists share one schema component, so they must share its shape.
    pagination_class = IdCursorPagination
    permission_classes = [HasCredentials]

    def hub(self) -> Listing:
        hub = get_object_or_404(
            Listing.objects.select_related("badge_issuer"), slug=self.kwargs["slug"], kind__in=HUB_KINDS
        )
        require_hub_action(self.request, MachineAction.VIEW, hub)
        return hub

    def get_queryset(self) -> QuerySet[Equipment]:
        return _machines(Equipment.objects.filter(hub=self.hub())).order_by(
            "equipment_type__name", "make", "model", "id"
        )

    @extend_schema(
        tags=[TAG],
        summary="Add a machine to a hub",
        description=(
            "Needs an API key with the `manage` scope made for the hub's own issuer, or a signed-in "
            "person who may manage the hub's machines (its listing's editors, its issuer's editors and "
            "owners). Types, processes and materials are named by slug, badge classes by public id; "
            "without `processes` the machine does the usual processes of its type."
        ),
        parameters=[HUB_SLUG],
        request=MachineWriteSerializer,
        responses={201: MachineDetailSerializer, **error_responses(400, 401, 403, 404, 415, 429)},
        examples=[
            OpenApiExample("a laser cutter", value=WRITE_EXAMPLE, request_only=True),
            OpenApiExample("the machine", value=MACHINE_DETAIL_EXAMPLE, response_only=True),
        ],
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        hub = self.hub()
        require_hub_action(request, MachineAction.MANAGE, hub)
        given = MachineWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        equipment = services.equipment_create(
            hub=hub,
            actor=actor(request),
            equipment_type=data.pop("equipment_type"),
            processes=data.pop("processes", None),
            materials=data.pop("materials", ()),
            required_badge_classes=data.pop("required_badge_classes", ()),
            **data,
        )
        created = _machine_details().get(pk=equipment.pk)
        return Response(MachineDetailSerializer(created).data, status=status.HTTP_201_CREATED)


class MachineDetailView(PublicCacheMixin, generics.GenericAPIView):
    serializer_class = MachineDetailSerializer
    permission_classes = [HasCredentials]

    def machine(self, action: MachineAction) -> Equipment:
        equipment = get_object_or_404(_machine_details(), pk=self.kwargs["pk"])
        require_hub_action(self.request, action, equipment.hub)
        # The answer shows the hub too, so a renamed hub is a change.
        self.last_modified = max(equipment.updated_at, equipment.hub.updated_at)
        return equipment

    @extend_schema(
        tags=[TAG],
        summary="A machine",
        auth=PUBLIC_READ_AUTH,
        description=(
            "Everything the hub's machines page shows of one machine, with the badges it requires; "
            "its hub's Open Know-Where document is at `hub.okw_url`."
        ),
        parameters=[MACHINE_ID],
        responses={200: MachineDetailSerializer, **error_responses(404, 429)},
        examples=[OpenApiExample("a machine", value=MACHINE_DETAIL_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(self.machine(MachineAction.VIEW)).data)

    @extend_schema(
        tags=[TAG],
        summary="Change a machine",
        description=(
            "Send only the fields to change; a list sent replaces the machine's list. Needs the `manage` "
            "scope of the hub's own issuer, or a signed-in person who may manage its machines."
        ),
        parameters=[MACHINE_ID],
        request=MachineWriteSerializer(partial=True),
        responses={200: MachineDetailSerializer, **error_responses(400, 401, 403, 404, 415, 429)},
        examples=[
            OpenApiExample(
                "under maintenance",
                value={"status": "maintenance", "notes": "New tube on order."},
                request_only=True,
            )
        ],
    )
    def patch(self, request: Request, pk: int) -> Response:
        equipment = self.machine(MachineAction.MANAGE)
        given = MachineWriteSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        relations = {name: data.pop(name) for name in RELATIONS if name in data}
        services.equipment_update(equipment=equipment, actor=actor(request), **relations, **data)
        updated = _machine_details().get(pk=equipment.pk)
        return Response(self.get_serializer(updated).data)

    @extend_schema(
        tags=[TAG],
        summary="Remove a machine",
        description=(
            "Removes the machine for good (to keep it listed but unusable, set its `status` to "
            "`retired`). Needs the `manage` scope of the hub's own issuer, or a signed-in person who "
            "may manage its machines."
        ),
        parameters=[MACHINE_ID],
        request=None,
        responses={204: None, **error_responses(401, 403, 404, 429)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        equipment = self.machine(MachineAction.MANAGE)
        services.equipment_delete(equipment=equipment, actor=actor(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("equipment-types/", EquipmentTypeListView.as_view(), name="equipment-type-list"),
    path(
        "manufacturing-processes/",
        ManufacturingProcessListView.as_view(),
        name="manufacturing-process-list",
    ),
    path("machines/", MachineListView.as_view(), name="machine-list"),
    path("machines/<int:pk>/", MachineDetailView.as_view(), name="machine-detail"),
    path("hubs/<slug:slug>/machines/", HubMachinesView.as_view(), name="hub-machines"),
]
