"""Write static/geo/countries.geojson, the maps' offline basemap, from Natural Earth's 1:110m countries.

The source is world-atlas's `countries-110m.json` (TopoJSON of Natural Earth's Admin 0 countries,
public domain; https://github.com/topojson/world-atlas). Coordinates keep two decimals (about a
kilometre, finer than the 1:110m lines themselves) and each country only its ISO code and name, so the
file stays small enough for every map page to fetch when tiles cannot be had.
"""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

DECIMALS = 2


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Each arc's points in degrees: a quantized topology stores deltas from the previous point."""
    (scale_x, scale_y), (left, bottom) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * scale_x + left, DECIMALS), round(y * scale_y + bottom, DECIMALS)))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """A ring from its arcs; a negative index (~i) is arc i reversed. Arcs share their end points."""
    ring: list[tuple[float, float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points[1:] if ring else points)
    # Rounding may leave neighbouring points equal: drop the repeats.
    return [point for position, point in enumerate(ring) if position == 0 or point != ring[position - 1]]


def geojson(topology: dict[str, Any]) -> dict[str, Any]:
    arcs = _arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            coordinates: Any = [_ring(ring, arcs) for ring in geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            coordinates = [[_ring(ring, arcs) for ring in polygon] for polygon in geometry["arcs"]]
        else:
            continue
        properties = geometry.get("properties", {})
        features.append(
            {
                "type": "Feature",
                "properties": {"iso": properties.get("isoA2", ""), "name": properties.get("name", "")},
                "geometry": {"type": geometry["type"], "coordinates": coordinates},
            }
        )
    return {"type": "FeatureCollection", "features": features}


class Command(BaseCommand):
    help = "Write static/geo/countries.geojson from world-atlas's countries-110m.json (Natural Earth)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, help="countries-110m.json from world-atlas")

    def handle(self, *args: Any, **options: Any) -> None:
        topology = json.loads(options["source"].read_text(encoding="utf-8"))
        target = Path(settings.BASE_DIR) / "static" / "geo" / "countries.geojson"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(geojson(topology), separators=(",", ":")), encoding="utf-8")
        self.stdout.write(f"Wrote {target} ({target.stat().st_size:,} bytes).")
