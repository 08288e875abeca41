"""Measures the Map of Machinery on one database (DATABASE_URL), writing JSON to BENCH_OUT.

- seeds BENCH_HUBS hubs (default 5,000) with BENCH_MACHINES machines (default 50,000) by bulk insert,
  or reuses them when an earlier run left them there;
- the map's filtered query: machinery_map.selectors.map_search, the selector the page calls, for several
  filter mixes, each a warmed series of BENCH_ROUNDS runs (default 40): p50 and p95;
- the HTTP page /machines/?... from gunicorn on 127.0.0.1, the same mixes;
- export of every facility as OKW JSON through the streaming generator: time, bytes written and peak
  Python memory (tracemalloc), which must stay flat whatever the number of hubs.
"""

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makeworks.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from directory.models import Listing, ListingKind, ListingStatus, Term, Vocabulary  # noqa: E402
from directory.search import Near  # noqa: E402
from directory.seeding import terms_seed  # noqa: E402
from directory.services import listings_bulk_create  # noqa: E402
from machinery_map.models import Equipment, EquipmentAccess, EquipmentStatus, EquipmentType  # noqa: E402
from machinery_map.okw import facilities_json_chunks  # noqa: E402
from machinery_map.seeding import taxonomy_seed  # noqa: E402
from machinery_map.selectors import MapFilters, map_search  # noqa: E402

HUBS = int(os.environ.get("BENCH_HUBS", "5000"))
MACHINES = int(os.environ.get("BENCH_MACHINES", "50000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))
WARMUP = 5
PREFIX = "Bench machines hub"
EXPORT_PEAK_LIMIT_MB = 64
GLASGOW = (55.8642, -4.2518)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "p50": percentile(samples, 0.5),
        "p95": percentile(samples, 0.95),
        "mean": statistics.fmean(samples),
    }


def seed() -> tuple[bool, float]:
    call_command("migrate", verbosity=0)
    taxonomy_seed()
    terms_seed()
    existing = Listing.objects.filter(name__startswith=PREFIX).count()
    if existing == HUBS and Equipment.objects.filter(hub__name__startswith=PREFIX).count() == MACHINES:
        return False, 0.0
    started = time.perf_counter()
    rng = random.Random(7)
    with transaction.atomic():
        Equipment.objects.filter(hub__name__startswith=PREFIX).delete()
        Listing.objects.filter(name__startswith=PREFIX).delete()
        kinds = [ListingKind.MAKERSPACE, ListingKind.WORKSHOP, ListingKind.FABRICATOR]
        hubs = []
        for number in range(HUBS):
            # A quarter of the hubs around Glasgow, the rest spread over Europe, so "near" has work to do.
            if number % 4 == 0:
                latitude, longitude = GLASGOW[0] + rng.uniform(-1, 1), GLASGOW[1] + rng.uniform(-1.5, 1.5)
            else:
                latitude, longitude = rng.uniform(36, 62), rng.uniform(-10, 30)
            hubs.append(
                Listing(
                    name=f"{PREFIX} {number:05d}",
                    slug=f"bench-machines-hub-{number:05d}",
                    kind=kinds[number % 3],
                    status=ListingStatus.PUBLISHED,
                    city="Bench",
                    country="GB",
                    latitude=latitude,
                    longitude=longitude,
                )
            )
        listings_bulk_create(listings=hubs, terms=[[] for _hub in hubs])
        hub_ids = list(Listing.objects.filter(name__startswith=PREFIX).values_list("id", flat=True))
        types = list(EquipmentType.objects.prefetch_related("processes"))
        materials = list(Term.objects.filter(vocabulary=Vocabulary.MATERIAL).values_list("id", flat=True))
        accesses = list(EquipmentAccess)
        statuses = [EquipmentStatus.OPERATIONAL] * 8 + [EquipmentStatus.MAINTENANCE, EquipmentStatus.RETIRED]
        machines = []
        machine_types = []
        for number in range(MACHINES):
            equipment_type = rng.choice(types)
            machine_types.append(equipment_type)
            machines.append(
                Equipment(
                    hub_id=hub_ids[number % len(hub_ids)],
                    equipment_type=equipment_type,
                    make=f"Make {number % 50}",
                    model=f"Model {number % 200}",
                    status=rng.choice(statuses),
                    access=rng.choice(accesses),
                    bed_size_mm=rng.choice([None, 200, 300, 600, 900, 1300, 2500]),
                    build_volume_mm3=rng.choice([None, 1_000_000, 5_000_000, 11_000_000, 40_000_000]),
                )
            )
        created = Equipment.objects.bulk_create(machines, batch_size=5000)
        process_links = Equipment.processes.through
        material_links = Equipment.materials.through
        process_links.objects.bulk_create(
            [
                process_links(equipment_id=machine.pk, manufacturingprocess_id=process.pk)
                for machine, equipment_type in zip(created, machine_types, strict=True)
                for process in equipment_type.processes.all()
            ],
            batch_size=5000,
        )
        material_links.objects.bulk_create(
            [
                material_links(equipment_id=machine.pk, term_id=term_id)
                for machine in created
                for term_id in rng.sample(materials, k=2)
            ],
            batch_size=5000,
        )
    return True, time.perf_counter() - started


def filter_mixes() -> list[tuple[str, MapFilters, dict[str, str]]]:
    near = Near(GLASGOW[0], GLASGOW[1], 50, "55.8642,-4.2518")
    near_query = {"near": "55.8642,-4.2518", "radius": "50"}
    return [
        ("everything, by name", MapFilters(), {}),
        ("one machine type", MapFilters(equipment_types=("laser-cutter",)), {"type": "laser-cutter"}),
        (
            "broad type with its narrower ones",
            MapFilters(equipment_types=("3d-printer",)),
            {"type": "3d-printer"},
        ),
        (
            "process near a place",
            MapFilters(processes=("3d-printing",), near=near),
            {"process": "3d-printing", **near_query},
        ),
        (
            "material and minimum bed size",
            MapFilters(materials=("wood",), min_bed_size_mm=800),
            {"material": "wood", "min_bed": "800"},
        ),
        (
            "type, build volume and access near a place",
            MapFilters(
                equipment_types=("3d-printer",),
                min_build_volume_l=Decimal(5),
                access=(EquipmentAccess.OPEN,),
                near=near,
            ),
            {"type": "3d-printer", "min_volume": "5", "access": "open", **near_query},
        ),
        ("a later page", MapFilters(page=20), {"page": "20"}),
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server() -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "makeworks.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"], cwd=ROOT
    )
    for _attempt in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def time_selector(filters: MapFilters) -> float:
    started = time.perf_counter()
    map_search(filters)
    return (time.perf_counter() - started) * 1000


def time_page(port: int, query: dict[str, str]) -> float:
    started = time.perf_counter()
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    client.request("GET", f"/machines/?{urlencode(query)}")
    response = client.getresponse()
    body = response.read()
    client.close()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 200 or not body:
        raise SystemExit(f"/machines/?{urlencode(query)} answered {response.status}")
    return elapsed


def series(measure: Any) -> list[float]:
    for _warmup in range(WARMUP):
        measure()
    return [measure() for _round in range(ROUNDS)]


def measure_export() -> dict[str, Any]:
    """Time one pass as it runs in production, then measure peak memory on a second pass (tracing every
    allocation slows Python several times over, so it would spoil the time)."""
    started = time.perf_counter()
    written = 0
    facilities = 0
    for chunk in facilities_json_chunks():
        written += len(chunk.encode())
        facilities += chunk.count('"recordData"')
    seconds = time.perf_counter() - started
    tracemalloc.start()
    for _chunk in facilities_json_chunks():
        pass
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"seconds": seconds, "bytes": written, "facilities": facilities, "peak_mb": peak / 1024 / 1024}


def main() -> None:
    # Two shared cores make every timing depend on what else runs: the load is recorded beside the numbers.
    load_before = os.getloadavg()
    seeded, seed_seconds = seed()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    server, port = start_server()
    queries: list[dict[str, Any]] = []
    try:
        for name, filters, query in filter_mixes():
            results = map_search(filters)
            queries.append(
                {
                    "name": name,
                    "query": urlencode(query),
                    "hubs": results.total,
                    "selector": summary(series(lambda filters=filters: time_selector(filters))),
                    "page": summary(series(lambda query=query: time_page(port, query))),
                }
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
    export = measure_export()
    worst = max(query["selector"]["p95"] for query in queries)
    worst_page = max(query["page"]["p95"] for query in queries)
    postgresql = connection.vendor == "postgresql"
    result: dict[str, Any] = {
        "vendor": connection.vendor,
        "hubs": HUBS,
        "machines": MACHINES,
        "rounds": ROUNDS,
        "seeded": seeded,
        "seed_seconds": seed_seconds,
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "queries": queries,
        "export": export,
        "targets": [
            {
                "name": "map filtered query p95 within 50 ms on PostgreSQL",
                "measured": f"worst p95 {worst:.1f} ms (HTTP page worst p95 {worst_page:.1f} ms)",
                "met": worst <= 50 if postgresql else None,
            },
            {
                "name": f"export streams: peak memory under {EXPORT_PEAK_LIMIT_MB} MB whatever the count",
                "measured": f"{export['facilities']:,} facilities, {export['bytes'] / 1024 / 1024:.1f} MB "
                f"written in {export['seconds']:.1f} s, peak {export['peak_mb']:.1f} MB",
                "met": export["peak_mb"] < EXPORT_PEAK_LIMIT_MB,
            },
        ],
    }
    Path(os.environ.get("BENCH_OUT", ROOT / "bench" / "results-machinery.json")).write_text(
        json.dumps(result, indent=2) + "\n"
    )
    for entry in queries:
        print(
            f"  {entry['name']}: {entry['hubs']:,} hubs, selector p95 {entry['selector']['p95']:.1f} ms, "
            f"page p95 {entry['page']['p95']:.1f} ms"
        )
    print(f"  load average (1, 5, 15 min): before {load_before}, after {result['load_average']['after']}")
    for target in result["targets"]:
        print(f"  {target['name']}: {target['measured']} (met: {target['met']})")


if __name__ == "__main__":
    main()
