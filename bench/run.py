"""`make bench`: seed a large catalogue and measure search on SQLite and, when DATABASE_URL names a
PostgreSQL server, on PostgreSQL too. Writes bench/results.json and bench/results.md.

Environment: BENCH_LISTINGS (default 100000), BENCH_ROUNDS (timed runs per query, default 40),
BENCH_ONLY (comma-separated parts to run: search, badges, machinery, api, listing_form; default all).
Each part runs in its own process per database, so settings are read afresh. Every part writes JSON with
a "targets" list ({name, measured, met}) and may add a "summary" sentence for the report.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
PYTHON = sys.executable

# The parts after search: (name, script, heading). The machinery bench seeds 5,000 published hubs of its
# own, so it runs in a database of its own beside the search one.
PARTS = [
    ("badges", "badges_bench.py", "Badges"),
    ("machinery", "machinery_bench.py", "Machinery map and Open Know-Where"),
    ("api", "api_bench.py", "Partner API under gunicorn"),
    ("listing_form", "listing_form_bench.py", "Listing form"),
]
# The listing form needs only the vocabulary and one listing, so it skips the search part's 100,000.
OWN_DATABASE = {"machinery", "listing_form"}


def postgres_bench_url(url: str, name: str) -> str:
    """The same server as DATABASE_URL, in a database of the bench's own so dev data is untouched."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/makeworks_bench_{name}"))


def ensure_postgres_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    listings = int(os.environ.get("BENCH_LISTINGS", "100000"))
    database_url = os.environ.get("DATABASE_URL", "")
    vendors = ["sqlite"]
    if database_url.startswith(("postgres://", "postgresql://")):
        vendors.append("postgresql")

    def bench_database(vendor: str, name: str) -> str:
        if vendor == "sqlite":
            return f"sqlite:///{BENCH_DIR / f'bench-{name}.sqlite3'}"
        url = postgres_bench_url(database_url, name)
        ensure_postgres_database(url)
        return url

    only = {part for part in os.environ.get("BENCH_ONLY", "").split(",") if part}
    databases: dict[str, Any] = {}
    results: dict[str, Any] = {"listings": listings, "databases": databases}
    for vendor in vendors:
        env = {**os.environ, "DATABASE_URL": bench_database(vendor, str(listings)), "DEBUG": "false"}
        env.pop("REDIS_URL", None)
        if not only or "search" in only:
            print(f"== {vendor}: search at {listings:,} listings", flush=True)
            databases[vendor] = run_part("search_bench.py", env, vendor)
        for name, script, _heading in PARTS:
            if (not only or name in only) and (BENCH_DIR / script).exists():
                print(f"== {vendor}: {name}", flush=True)
                part_env = env
                if name in OWN_DATABASE:
                    part_env = {**env, "DATABASE_URL": bench_database(vendor, name)}
                results.setdefault(name, {})[vendor] = run_part(script, part_env, vendor)

    (BENCH_DIR / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    markdown = render_markdown(results)
    (BENCH_DIR / "results.md").write_text(markdown)
    print(markdown)
    failed = [
        f"{vendor}: {target['name']}"
        for measured in (results["databases"], *(results.get(name, {}) for name, _s, _h in PARTS))
        for vendor, data in measured.items()
        for target in data["targets"]
        if target["met"] is False
    ]
    if failed:
        print("Targets missed:\n  " + "\n  ".join(failed))
    return 0


def run_part(script: str, env: dict[str, str], vendor: str) -> dict[str, Any]:
    out = BENCH_DIR / f"results-{vendor}.json"
    subprocess.run(
        [PYTHON, str(BENCH_DIR / script)], env={**env, "BENCH_OUT": str(out)}, cwd=ROOT, check=True
    )
    data: dict[str, Any] = json.loads(out.read_text())
    out.unlink()
    return data


def render_targets(targets: list[dict[str, Any]]) -> list[str]:
    lines = ["| target | measured | met |", "| --- | --- | --- |"]
    for target in targets:
        met = {True: "yes", False: "NO", None: "not judged here"}[target["met"]]
        lines.append(f"| {target['name']} | {target['measured']} | {met} |")
    return lines


def render_part(heading: str, measured: dict[str, Any]) -> list[str]:
    lines = [f"# {heading}", ""]
    for vendor, data in measured.items():
        lines += [f"## {vendor}", ""]
        if data.get("summary"):
            lines += [data["summary"], ""]
        lines += [*render_targets(data["targets"]), ""]
    return lines


def render_badges(results: dict[str, Any]) -> list[str]:
    lines = ["# Badges", ""]
    for vendor, data in results.get("badges", {}).items():
        verification = data["verification_ms"]
        lines += [
            f"## {vendor}",
            "",
            f"{data['assertions']:,} signed assertions issued through the service in one batch "
            f"({data['singles_per_second']:.0f}/s when issued one by one); bare RS256 signing "
            f"measured with the same key over {data['signatures']:,} signatures. Verification of a local "
            f"hosted assertion: p50 {verification['p50']:.1f} ms, p95 {verification['p95']:.1f} ms.",
            "",
        ]
        lines += [*render_targets(data["targets"]), ""]
    return lines


def render_markdown(results: dict[str, Any]) -> str:
    lines = [f"# Search benchmark at {results['listings']:,} listings", ""]
    for vendor, data in results["databases"].items():
        lines += [
            f"## {vendor}",
            "",
            f"Seeded in {data['seed_seconds']:.1f} s ({(data['seeded'] and 'this run') or 'reused'}); "
            f"{data['rounds']} timed runs per query. Times in milliseconds, p50 / p95.",
            "",
            "| query | hits | service | HTTP page | bare SQL | substring scan (ILIKE) | page vs scan |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for query in data["queries"]:
            scan = query.get("scan")
            scan_cell = f"{scan['p50']:.1f} / {scan['p95']:.1f}" if scan else "n/a (no text)"
            ratio = f"{scan['p95'] / query['page']['p95']:.0f}×" if scan else ""
            lines.append(
                f"| {query['name']} `{query['query']}` | {query['total']:,} "
                f"| {query['service']['p50']:.1f} / {query['service']['p95']:.1f} "
                f"| {query['page']['p50']:.1f} / {query['page']['p95']:.1f} "
                f"| {query['sql']['p50']:.1f} / {query['sql']['p95']:.1f} | {scan_cell} | {ratio} |"
            )
        lines += ["", *render_targets(data["targets"]), ""]
    lines += render_badges(results)
    for name, _script, heading in PARTS[1:]:
        if results.get(name):
            lines += render_part(heading, results[name])
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
