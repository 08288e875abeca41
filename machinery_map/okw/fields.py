"""The Open Know-Where layout shared by export and import: which OKW property holds which of our fields.

The specification names properties in camelCase ("gpsCoordinates"); real producers often write them in
snake_case ("gps_coordinates"). Import folds every key to snake_case first, so one table serves both;
export writes camelCase, as the specification does.
"""

import re

from machinery_map.models import EquipmentAccess, EquipmentStatus

# Whole-number machine properties: OKW name (snake_case) -> Equipment field. Units are OKW's: mm, mm³, W, rpm.
EQUIPMENT_INTEGERS = {
    "quantity": "quantity",
    "bed_size": "bed_size_mm",
    "build_volume": "build_volume_mm3",
    "x_travel": "x_travel_mm",
    "y_travel": "y_travel_mm",
    "z_travel": "z_travel_mm",
    "laser_power": "laser_power_w",
    "maximum_spindle_speed": "spindle_speed_rpm",
    "axes": "axes",
    "power_rating": "power_rating_w",
}
EQUIPMENT_TEXTS = {
    "make": "make",
    "model": "model",
    "serial_number": "serial_number",
    "condition": "condition",
    "notes": "notes",
}
# Machine properties this site adds to the OKW document, read back on import: its status, who may use
# it, where to book it, which badges it requires and its photo.
EQUIPMENT_OWN = {"status", "access", "booking_url", "required_badges", "image"}
# Properties of a machine that import reads itself; any other is kept in okw_properties as it came.
EQUIPMENT_READ = (
    set(EQUIPMENT_INTEGERS)
    | set(EQUIPMENT_TEXTS)
    | EQUIPMENT_OWN
    | {"equipment_type", "manufacturing_process", "manufacturing_processes", "materials_worked"}
    | {"nozzle_size", "access_type"}
)  # fmt: skip

FACILITY_STATUSES = ("Active", "Planned", "Temporary Closure", "Closed")
ACCESS_TYPES = ("Restricted", "Restricted with public hours", "Shared space", "Public", "Membership")
BATCH_SIZES = ("0 -- 50 units", "50 -- 500 units", "500 -- 5000 units", "5000 + units")

# A machine's access as OKW's coarser vocabulary names it (OKW allows accessType on equipment too).
ACCESS_TO_OKW = {
    EquipmentAccess.OPEN: "Public",
    # "Public" in OKW explicitly allows that training may be required first.
    EquipmentAccess.INDUCTION: "Public",
    EquipmentAccess.MEMBERS: "Membership",
    EquipmentAccess.STAFF: "Restricted",
}
OKW_TO_ACCESS = {
    "public": EquipmentAccess.OPEN,
    "restricted with public hours": EquipmentAccess.INDUCTION,
    "membership": EquipmentAccess.MEMBERS,
    "shared space": EquipmentAccess.MEMBERS,
    "restricted": EquipmentAccess.STAFF,
}
STATUS_WORDS = {
    "operational": EquipmentStatus.OPERATIONAL,
    "active": EquipmentStatus.OPERATIONAL,
    "working": EquipmentStatus.OPERATIONAL,
    "maintenance": EquipmentStatus.MAINTENANCE,
    "under maintenance": EquipmentStatus.MAINTENANCE,
    "broken": EquipmentStatus.MAINTENANCE,
    "retired": EquipmentStatus.RETIRED,
}

CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
NON_WORD = re.compile(r"[\s\-]+")


def snake_case(key: str) -> str:
    """ "gpsCoordinates", "GPS Coordinates" and "gps_coordinates" all become "gps_coordinates"."""
    return NON_WORD.sub("_", CAMEL_BOUNDARY.sub("_", key.strip())).lower()


def camel_case(key: str) -> str:
    first, *rest = key.split("_")
    return first + "".join(word[:1].upper() + word[1:] for word in rest)
