"""Measures the partner API under load on one database (DATABASE_URL), next to the HTML search page.

Serves the app with gunicorn on 127.0.0.1 (2 sync workers) and drives it with BENCH_API_CLIENTS
processes, each on one keep-alive connection, for BENCH_API_SECONDS per target:
- the listings search endpoint (/api/v1/search/listings/) over the query mix of search_bench.py;
- the HTML search page (/search/) over the same mix;
- issuing (POST /api/v1/badge-classes/<id>/assertions/) with an issuing key, hosted badges, whose bake
  and e-mail tasks are queued for a worker as in production (in memory here, never run).
Reports requests per second, p50 and p95 latency and errors (any unexpected status); writes JSON with
"targets" to BENCH_OUT. Run as a subprocess with DATABASE_URL set, as bench/run.py runs the others.
"""

import http.client
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import search_bench  # noqa: E402  (sets Django up on DATABASE_URL and knows the query mix)
from django.core.management import call_command  # noqa: E402

from api.keys import services as partner_services  # noqa: E402
from badges import services as badge_services  # noqa: E402
from directory import services as directory_services  # noqa: E402
from directory.models import ListingKind, ListingStatus  # noqa: E402

SECONDS = float(os.environ.get("BENCH_API_SECONDS", "10"))
WARMUP_SECONDS = 3.0
CLIENTS = int(os.environ.get("BENCH_API_CLIENTS", "4"))
WORKERS = 2
# Within this factor of the HTML page's p95, the API's search adds nothing that matters on top of the
# search itself (it renders JSON instead of a template).
API_VS_PAGE_FACTOR = 1.5


def percentile(samples: list[float], fraction: float) -> float:
    return search_bench.percentile(samples, fraction)


def client_loop(
    port: int, requests: list[tuple[str, str, bytes, dict[str, str]]], seconds: float, expected: int, out: Any
) -> None:
    """One client: cycle through `requests` on a keep-alive connection until time is up."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + seconds
    position = 0
    while time.perf_counter() < deadline:
        method, url, body, headers = requests[position % len(requests)]
        position += 1
        started = time.perf_counter()
        try:
            connection.request(method, url, body=body or None, headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            errors.append(f"{url}: {error}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status != expected:
            errors.append(f"{method} {url} answered {response.status}")
    connection.close()
    out.put((latencies, errors))


def load(
    port: int, name: str, per_client: list[list[tuple[str, str, bytes, dict[str, str]]]], expected: int
) -> dict[str, Any]:
    # A warm-up through the whole mix from as many clients, so both workers have imported, connected and
    # read the pages of the database each query needs before timing starts.
    warm: multiprocessing.Queue[Any] = multiprocessing.Queue()
    warmers = [
        multiprocessing.Process(target=client_loop, args=(port, requests, WARMUP_SECONDS, expected, warm))
        for requests in per_client
    ]
    for process in warmers:
        process.start()
    for _process in warmers:
        warm.get()
    for process in warmers:
        process.join()
    queue: multiprocessing.Queue[Any] = multiprocessing.Queue()
    started = time.perf_counter()
    processes = [
        multiprocessing.Process(target=client_loop, args=(port, requests, SECONDS, expected, queue))
        for requests in per_client
    ]
    for process in processes:
        process.start()
    results = [queue.get() for _process in processes]
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - started
    latencies = [value for samples, _errors in results for value in samples]
    errors = [error for _samples, found in results for error in found]
    measured = {
        "name": name,
        "requests": len(latencies),
        "requests_per_second": len(latencies) / elapsed,
        "p50": percentile(latencies, 0.5),
        "p95": percentile(latencies, 0.95),
        "mean": statistics.fmean(latencies) if latencies else 0.0,
        "errors": len(errors),
        "first_errors": errors[:5],
    }
    print(
        f"  {name:24} {measured['requests_per_second']:7.1f} req/s  p50 {measured['p50']:6.1f} ms  "
        f"p95 {measured['p95']:6.1f} ms  errors {len(errors)}",
        flush=True,
    )
    return measured


def issuing_key() -> tuple[str, str]:
    """A fresh hub, badge class and issuing key in the bench database: (badge class id, token)."""
    stamp = str(time.time_ns())
    hub = directory_services.listing_create(
        name=f"API bench hub {stamp}", kind=ListingKind.MAKERSPACE, status=ListingStatus.DRAFT
    )
    issuer = badge_services.issuer_create(
        listing=hub, name="API bench hub", url="https://bench.example", email="badges@bench.example"
    )
    badge_class = badge_services.badge_class_create(
        issuer=issuer, name="API bench skill", description="Measured.", image=search_bench_png(),
        criteria_narrative="Measured.",
    )  # fmt: skip
    _key, token = partner_services.api_key_create(name="API bench", scopes=["issue"], issuer=issuer)
    return badge_class.public_id, token


def search_bench_png() -> Any:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "#264653").save(buffer, "PNG")
    return SimpleUploadedFile("bench.png", buffer.getvalue(), "image/png")


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DEBUG": "false",
        "API_THROTTLE_KEY": "100000000/minute",
        "API_THROTTLE_ANONYMOUS": "100000000/minute",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        # Bake and e-mail tasks go to a queue (in memory) for a worker, as in production; not run here.
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "makeworks.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _attempt in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=0.5).request("GET", "/healthz/")
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def main() -> None:
    # Seeded like search_bench when empty; a database it seeded is reused even after the badge benches
    # added their (draft) hubs to it.
    call_command("migrate", verbosity=0)
    seeded = False
    if not search_bench.Listing.objects.exists():
        seeded, _seconds = search_bench.seed()
    mix = [query for _name, query in search_bench.query_mix()]
    badge_class_id, token = issuing_key()
    port = search_bench.free_port()
    server = start_server(port)
    try:

        def rotated(path: str) -> list[list[tuple[str, str, bytes, dict[str, str]]]]:
            """The mix for each client, each starting at another query so the workers see all at once."""
            requests: list[tuple[str, str, bytes, dict[str, str]]] = [
                ("GET", f"{path}?{query}", b"", {}) for query in mix
            ]
            return [requests[n % len(requests) :] + requests[: n % len(requests)] for n in range(CLIENTS)]

        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

        def awards(client: int) -> list[tuple[str, str, bytes, dict[str, str]]]:
            return [
                ("POST", f"/api/v1/badge-classes/{badge_class_id}/assertions/",
                 json.dumps({"recipient_email": f"maker-{client}-{n}@example.org"}).encode(), headers)
                for n in range(100_000)
            ]  # fmt: skip

        api_search = load(port, "API search", rotated("/api/v1/search/listings/"), 200)
        page_search = load(port, "HTML search page", rotated("/search/"), 200)
        issuing = load(port, "API issue (hosted)", [awards(n) for n in range(CLIENTS)], 201)
    finally:
        server.terminate()
        server.wait()
    runs = [api_search, page_search, issuing]
    targets = [
        {
            "name": f"API search p95 within {API_VS_PAGE_FACTOR}× the HTML search page p95",
            "measured": f"{api_search['p95']:.1f} ms vs {page_search['p95']:.1f} ms",
            "met": api_search["p95"] <= API_VS_PAGE_FACTOR * page_search["p95"],
        },
        {
            "name": "zero errors under load (API search, HTML page, issuing)",
            "measured": ", ".join(f"{run['name']}: {run['errors']}" for run in runs),
            "met": all(run["errors"] == 0 for run in runs),
        },
    ]
    out = {
        "vendor": search_bench.connection.vendor,
        "listings": search_bench.Listing.objects.count(),
        "seeded": seeded,
        "workers": WORKERS,
        "clients": CLIENTS,
        "seconds": SECONDS,
        "runs": runs,
        "targets": targets,
    }
    Path(os.environ["BENCH_OUT"]).write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
