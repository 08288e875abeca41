"""Measures one database (DATABASE_URL): seeds it if needed, then times a fixed query mix four ways.

- service: directory.search called in-process (parse + search), as a view calls it;
- page: the whole HTTP search page from gunicorn on 127.0.0.1;
- bare SQL: the very statements the service sent, replayed on a cursor;
- scan: the baseline a make.works user gets, a case-insensitive substring scan (ILIKE) of the same
  words over the same fields, with a count and a first page.
"""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makeworks.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.http import QueryDict  # noqa: E402

from directory.models import Listing, ListingKind, ListingStatus, Node, Term, Vocabulary  # noqa: E402
from directory.search import parse_search_params, search_listings  # noqa: E402
from directory.search.engine import query_words  # noqa: E402

LISTINGS = int(os.environ.get("BENCH_LISTINGS", "100000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "40"))
WARMUP = 5
COMMON_MATERIAL = "most common material"
# The budgets, judged at 100,000 listings: what the page adds on top of its own SQL (rendering,
# facets' names, middleware), and the page for the word in most listings.
PAGE_OVER_SQL_BUDGET_MS = 8.0
# Measured in turns, round by round (see main).
PAIRED = ("page", "sql")
COMMON_MATERIAL_PAGE_BUDGET_MS = 25.0


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
    # The other bench parts add their own hubs as drafts, which neither search nor this count sees.
    count = Listing.objects.filter(status=ListingStatus.PUBLISHED).count()
    if count == LISTINGS:
        return False, 0.0
    if count:
        raise SystemExit(
            f"The bench database holds {count} listings, not {LISTINGS}: delete it and run again."
        )
    started = time.perf_counter()
    call_command("seed_scale", listings=LISTINGS)
    return True, time.perf_counter() - started


def single_word_terms() -> list[tuple[Term, int]]:
    """Materials and processes named by one word, with how many listings carry each, rarest first."""
    terms = (
        Term.objects.filter(vocabulary__in=[Vocabulary.MATERIAL, Vocabulary.PROCESS])
        .annotate(uses=Count("listings"))
        .filter(uses__gt=0)
        .order_by("uses", "name")
    )
    return [(t, t.uses) for t in terms if len(t.name.split()) == 1 and t.name.isalpha() and len(t.name) >= 6]


def misspell(word: str) -> str:
    """Drop one letter from the middle: "plywood" becomes "plywod"."""
    middle = len(word) // 2
    return word[:middle] + word[middle + 1 :]


def most_common_material() -> Term:
    """The material on the most listings, picked from the data: the word in most hits is the slow case."""
    material = (
        Term.objects.filter(vocabulary=Vocabulary.MATERIAL)
        .annotate(uses=Count("listings"))
        .order_by("-uses", "name")
        .first()
    )
    assert material is not None
    return material


def query_mix() -> list[tuple[str, str]]:
    terms = single_word_terms()
    rare, common = terms[0][0], terms[-1][0]
    middle = terms[len(terms) // 2][0]
    node = Node.objects.annotate(n=Count("listings")).order_by("-n").first()
    assert node is not None
    common_material = most_common_material()
    return [
        ("rare term", f"q={rare.name.lower()}"),
        ("common term", f"q={common.name.lower()}"),
        (COMMON_MATERIAL, f"q={quote_plus(common_material.name.lower())}"),
        ("facets only", f"kind={ListingKind.FABRICATOR}&material={common_material.slug}&node={node.slug}"),
        (
            "text + facets + near",
            f"q={middle.name.lower()}&kind={ListingKind.WORKSHOP}&near={node.latitude},{node.longitude}&radius=25",
        ),
        ("typo", f"q={misspell(middle.name.lower())}"),
    ]


def capture_sql(query: str) -> list[tuple[str, Any]]:
    statements: list[tuple[str, Any]] = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        search_listings(parse_search_params(QueryDict(query)))
    return statements


def time_service(query: str) -> float:
    started = time.perf_counter()
    search_listings(parse_search_params(QueryDict(query)))
    return (time.perf_counter() - started) * 1000


def time_sql(statements: list[tuple[str, Any]]) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def scan_sql(query: str) -> tuple[str, list[Any]] | None:
    """The substring scan for the query's words over name, summary, description and term names."""
    text = QueryDict(query).get("q", "")
    searched = query_words(text)
    if not searched:
        return None
    like = "ILIKE" if connection.vendor == "postgresql" else "LIKE"  # SQLite's LIKE ignores ASCII case
    clauses, params = [], []
    for word in searched:
        pattern = f"%{word}%"
        clauses.append(
            f"(l.name {like} %s OR l.summary {like} %s OR l.description {like} %s OR EXISTS ("
            "SELECT 1 FROM directory_listing_terms lt JOIN directory_term t ON t.id = lt.term_id "
            f"WHERE lt.listing_id = l.id AND t.name {like} %s))"
        )
        params += [pattern] * 4
    where = "l.status = 'published' AND " + " AND ".join(clauses)
    return where, params


def time_scan(where: str, params: list[Any]) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM directory_listing l WHERE {where}", params)
        cursor.fetchall()
        cursor.execute(
            f"SELECT l.id, l.name FROM directory_listing l WHERE {where} ORDER BY l.name LIMIT 20", params
        )
        cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, int]:
    port = free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "makeworks.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def time_page(port: int, query: str) -> float:
    started = time.perf_counter()
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    client.request("GET", f"/search/?{query}")
    response = client.getresponse()
    body = response.read()
    client.close()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 200 or not body:
        raise SystemExit(f"/search/?{query} answered {response.status}")
    return elapsed


def main() -> None:
    seeded, seed_seconds = seed()
    # Statistics and (on PostgreSQL) a vacuumed heap, as autovacuum keeps a production database: a table
    # just bulk-loaded has no visibility map and unset hint bits, which no live site carries for long.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    mix = query_mix()
    server, port = start_server()
    measured: list[dict[str, Any]] = []
    try:
        for name, query in mix:
            results = search_listings(parse_search_params(QueryDict(query)))
            statements = capture_sql(query)
            scan = scan_sql(query)
            # Each measure runs as its own series, warmed up first, as a server answers a steady stream:
            # interleaved, a 300 ms substring scan would evict the web worker's caches before each page.
            measures: dict[str, Callable[[], float]] = {
                "service": partial(time_service, query),
                "page": partial(time_page, port, query),
                "sql": partial(time_sql, statements),
            }
            if scan:
                measures["scan"] = partial(time_scan, *scan)
            samples: dict[str, list[float]] = {key: [] for key in measures}
            for key, measure in measures.items():
                for _warmup in range(WARMUP):
                    measure()
                if key not in PAIRED:
                    samples[key] = [measure() for _round in range(ROUNDS)]
            # The page and its bare SQL are judged by their difference, so they are sampled in turns: a
            # burst of other work on the machine then lands on both alike, not on one series only.
            for _round in range(ROUNDS):
                for key in PAIRED:
                    samples[key].append(measures[key]())
            entry: dict[str, Any] = {
                "name": name,
                "query": query,
                "total": results.total,
                "statements": len(statements),
                **{key: summary(values) for key, values in samples.items() if values},
            }
            measured.append(entry)
            p95 = {key: entry[key]["p95"] for key in ("service", "page", "sql")}
            print(
                f"  {name:22} {results.total:>8,} hits  service p95 {p95['service']:6.1f} ms  "
                f"page p95 {p95['page']:6.1f} ms  sql p95 {p95['sql']:6.1f} ms",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait()

    def overall(key: str, only_text: bool = False) -> float:
        values = [q[key]["p95"] for q in measured if key in q and (not only_text or "scan" in q)]
        return max(values)

    # The issue sets the service and page budgets at 100,000 listings and only the scan target at a
    # million; at other sizes those are reported, not judged.
    at_target_size = LISTINGS == 100_000
    service_budget = 30.0 if connection.vendor == "postgresql" else 60.0
    scan_factor = 20 if LISTINGS >= 1_000_000 else 5
    slowest_ratio = min(q["scan"]["p95"] / q["page"]["p95"] for q in measured if "scan" in q)
    page_over_sql = max(q["page"]["p95"] - q["sql"]["p95"] for q in measured)
    worst_over = max(measured, key=lambda q: q["page"]["p95"] - q["sql"]["p95"])
    common = next(q for q in measured if q["name"] == COMMON_MATERIAL)
    targets = [
        {
            "name": f"search service p95 within {service_budget:.0f} ms (every query, at 100,000 listings)",
            "measured": f"{overall('service'):.1f} ms at worst",
            "met": overall("service") <= service_budget if at_target_size else None,
        },
        {
            "name": f"HTTP page p95 minus bare-SQL p95 at most {PAGE_OVER_SQL_BUDGET_MS:.0f} ms "
            "(every query, at 100,000 listings)",
            "measured": f"{page_over_sql:.1f} ms at worst ({worst_over['name']})",
            "met": page_over_sql <= PAGE_OVER_SQL_BUDGET_MS if at_target_size else None,
        },
        {
            "name": "HTTP page p95 for the most common material at most "
            f"{COMMON_MATERIAL_PAGE_BUDGET_MS:.0f} ms (at 100,000 listings)",
            "measured": f"{common['page']['p95']:.1f} ms ({common['query']}, {common['total']:,} hits)",
            "met": common["page"]["p95"] <= COMMON_MATERIAL_PAGE_BUDGET_MS if at_target_size else None,
        },
        {
            "name": f"HTTP page p95 at least {scan_factor}× faster than the substring scan (text queries)",
            "measured": f"{slowest_ratio:.1f}× at worst",
            "met": slowest_ratio >= scan_factor,
        },
    ]
    out = {
        "vendor": connection.vendor,
        "listings": Listing.objects.count(),
        "seeded": seeded,
        "seed_seconds": seed_seconds,
        "rounds": ROUNDS,
        "queries": measured,
        "targets": targets,
    }
    Path(os.environ["BENCH_OUT"]).write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
