"""Open Know-Where in and out: hubs as ManufacturingFacility documents (export) and OKW files read into
hubs and machines (import). See export.py, planning.py, importing.py and keeping.py for the rules each
follows."""

from machinery_map.okw.export import (
    facilities_json_chunks,
    facilities_yaml_chunks,
    facility_url,
    hub_document,
    json_text,
    yaml_text,
)
from machinery_map.okw.importing import okw_import
from machinery_map.okw.reading import OkwFileError
from machinery_map.okw.report import ImportNote, OkwImportReport

__all__ = [
    "ImportNote",
    "OkwFileError",
    "OkwImportReport",
    "facilities_json_chunks",
    "facilities_yaml_chunks",
    "facility_url",
    "hub_document",
    "json_text",
    "okw_import",
    "yaml_text",
]
