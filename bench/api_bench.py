"""Measures the partner API under load on one database (DATABASE_URL), next to the HTML search page.

Serves the app with gunicorn on 127.0.0.1 (2 sync workers) and drives it with BENCH_API_CLIENTS
processes, each on one keep-alive connection, for BENCH_API_SECONDS per target:
- the listings search endpoint (/api/v1/search/listings/) over the query mix of search_bench.py;
- the HTML search page (/search/) over the same mix;
- issuing (POST /api/v1/badge-classes/<id>/assertions/) with an issuing key, hosted badges, whose bake
  and e-mail tasks are queued for a worker as in production (in memory here, never run).
Then awarding as a hub without a broker runs it (issue 14): a second gunicorn, 2 sync workers, with eager
Celery (the default without REDIS_URL), so each award's bake and e-mail run inside its request after the
commit; one client awards hosted badges for BENCH_API_SECONDS.
Reports requests per second, p50 and p95 latency, errors (any unexpected status) and the server's CPU
per request: the utime + stime ticks in /proc of the gunicorn master and its workers, read just before
and just after the timed window, divided by the requests answered in it. Writes JSON with "targets" to
BENCH_OUT. Run as a subprocess with DATABASE_URL set, as bench/run.py runs the others.
"""

import http.client
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Eager awards bake into media files: they go to a directory of this run's own, removed at the end, for
# this process (the badge class image it stores) and for the servers alike.
MEDIA_ROOT = os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="makeworks-api-bench-"))
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
# Issue 14: awarding with eager Celery, one client, 2 sync workers.
AWARDS_PER_SECOND = 100.0
AWARD_CPU_MS = 8.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


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


def server_ticks(master: int) -> dict[int, int]:
    """utime + stime, in clock ticks, of the gunicorn master and each of its workers, by pid."""

    def stat(pid: int) -> list[str]:
        # The command name (field 2) is in parentheses and may hold spaces: split after it.
        text = Path(f"/proc/{pid}/stat").read_text()
        return text[text.rindex(")") + 2 :].split()

    pids = [master]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(stat(int(entry.name))[1]) == master:
                    pids.append(int(entry.name))
            except (OSError, ValueError):
                continue
    ticks = {}
    for pid in pids:
        fields = stat(pid)
        # Fields 14 and 15 (utime, stime), counted from 1; here from field 3 at index 0.
        ticks[pid] = int(fields[11]) + int(fields[12])
    return ticks


def load(
    port: int,
    name: str,
    per_client: list[list[tuple[str, str, bytes, dict[str, str]]]],
    expected: int,
    server: subprocess.Popen[bytes],
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
    ticks_before = server_ticks(server.pid)
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
    ticks_after = server_ticks(server.pid)
    if ticks_after.keys() != ticks_before.keys():
        raise SystemExit(f"gunicorn's processes changed during {name}: its CPU cannot be counted")
    server_cpu_ms = (sum(ticks_after.values()) - sum(ticks_before.values())) * 1000 / CLOCK_TICKS
    load_average = os.getloadavg()[0]
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
        "server_cpu_ms": server_cpu_ms,
        "server_cpu_ms_per_request": server_cpu_ms / len(latencies) if latencies else 0.0,
        "load_average": load_average,
    }
    print(
        f"  {name:24} {measured['requests_per_second']:7.1f} req/s  p50 {measured['p50']:6.1f} ms  "
        f"p95 {measured['p95']:6.1f} ms  server CPU {measured['server_cpu_ms_per_request']:5.2f} ms/req  "
        f"errors {len(errors)}  (load {load_average:.2f})",
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


def start_server(port: int, *, eager: bool = False) -> subprocess.Popen[bytes]:
    """gunicorn on `port`. Bake and e-mail tasks go to a queue (in memory) for a worker, as in production,
    and are never run here; with `eager`, they run in the request after its commit, as on a hub without
    a broker. E-mails are built in full either way and dropped by the dummy backend."""
    env = {
        **os.environ,
        "DEBUG": "false",
        "API_THROTTLE_KEY": "100000000/minute",
        "API_THROTTLE_ANONYMOUS": "100000000/minute",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "CELERY_TASK_ALWAYS_EAGER": "true" if eager else "false",
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

        def awards(client: int | str) -> list[tuple[str, str, bytes, dict[str, str]]]:
            return [
                ("POST", f"/api/v1/badge-classes/{badge_class_id}/assertions/",
                 json.dumps({"recipient_email": f"maker-{client}-{n}@example.org"}).encode(), headers)
                for n in range(100_000)
            ]  # fmt: skip

        api_search = load(port, "API search", rotated("/api/v1/search/listings/"), 200, server)
        page_search = load(port, "HTML search page", rotated("/search/"), 200, server)
        issuing = load(port, "API issue (hosted)", [awards(n) for n in range(CLIENTS)], 201, server)
    finally:
        server.terminate()
        server.wait()
    port = search_bench.free_port()
    server = start_server(port, eager=True)
    try:
        awarding = load(port, "API award (eager, 1 client)", [awards("eager")], 201, server)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(MEDIA_ROOT, ignore_errors=True)
    runs = [api_search, page_search, issuing, awarding]
    targets = [
        {
            "name": f"API search p95 within {API_VS_PAGE_FACTOR}× the HTML search page p95",
            "measured": f"{api_search['p95']:.1f} ms vs {page_search['p95']:.1f} ms",
            "met": api_search["p95"] <= API_VS_PAGE_FACTOR * page_search["p95"],
        },
        {
            "name": "zero errors under load (API search, HTML page, issuing, awarding)",
            "measured": ", ".join(f"{run['name']}: {run['errors']}" for run in runs),
            "met": all(run["errors"] == 0 for run in runs),
        },
        {
            "name": f">= {AWARDS_PER_SECOND:.0f} awards/s (eager Celery, 1 client, {WORKERS} sync workers)",
            "measured": f"{awarding['requests_per_second']:.1f}/s, p50 {awarding['p50']:.1f} ms, "
            f"p95 {awarding['p95']:.1f} ms",
            "met": awarding["requests_per_second"] >= AWARDS_PER_SECOND,
        },
        {
            "name": f"<= {AWARD_CPU_MS:.0f} ms server CPU per award (gunicorn master + workers, /proc ticks)",
            "measured": f"{awarding['server_cpu_ms_per_request']:.2f} ms "
            f"(load average {awarding['load_average']:.2f})",
            "met": awarding["server_cpu_ms_per_request"] <= AWARD_CPU_MS,
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
