"""Property-based run of the whole partner API schema against the live app (schemathesis).

Migrates and seeds a throwaway SQLite database (seed_demo), adds a few passports and endorsements,
creates a read key and an issuing key for one demo issuer, serves the app with gunicorn on a free
127.0.0.1 port, and runs schemathesis over every operation of /api/schema/: once with the read key,
once more over the writes with the issuing key. Checks: no 5xx (not_a_server_error) and every answer
as the schema says (response_schema_conformance). Exits non-zero on any failure.

Random ids would only ever reach the 404 of detail and write endpoints, so this file is also loaded by
schemathesis as its hooks module (SCHEMATHESIS_HOOKS): a `map_case` hook puts ids that exist in the
seeded database (issuers, badge classes, assertions, endorsements, passports) into two generated
requests out of three, leaving the third as generated. At the end it prints,
per operation, how many requests gunicorn answered with each class of status, read from its access
log, and how long the server took.

    .venv/bin/python .ci/api_fuzz.py [--examples N]
"""

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHECKS = "not_a_server_error,response_schema_conformance"
# The file of real ids the hooks read, named by the orchestrating process.
IDS_ENV = "API_FUZZ_IDS"
# Path parameters filled with real ids, by the collection the path starts with and the parameter's name.
# Listings and nodes need none: schemathesis follows the slugs their lists answer with. Hubs are given
# so that adding machines reaches the run key's own hub (and another, to be refused).
PATH_ID_KINDS = {
    ("issuers", "slug"): "issuers",
    ("badge-classes", "public_id"): "badge_classes",
    ("assertions", "public_id"): "assertions",
    ("endorsements", "public_id"): "endorsements",
    ("passports", "handle"): "passports",
    ("machines", "id"): "machines",
    ("hubs", "slug"): "hubs",
}
SELF_LINKED = {"GET /api/v1/issuers/{slug}/"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    for _attempt in range(100):
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before it answered")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def schemathesis(
    port: int, token: str, examples: int, env: dict[str, str], *selection: str
) -> tuple[int, tuple[int, int]]:
    base = f"http://127.0.0.1:{port}"
    command = [
        str(BIN / "schemathesis"), "run", f"{base}/api/schema/", "--url", base,
        "--checks", CHECKS, "--max-examples", str(examples), "--header", f"Authorization: Bearer {token}",
        "--request-timeout", "20", "--seed", "8", "--generation-database", "none", *selection,
    ]  # fmt: skip
    run = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    print(run.stdout, end="", flush=True)
    return run.returncode, cases_judged(run.stdout, run.returncode)


# schemathesis closes with "Test cases:" then "  N generated, N passed" or "  N generated, K found U
# unique failures"; this reads that line into (passed, failed) for the run's closing count.
CASES_LINE = re.compile(r"^\s*(\d+) generated, (?:(\d+) passed|(\d+) found \d+ unique failures?)")


def cases_judged(output: str, status: int) -> tuple[int, int]:
    for line in reversed(output.splitlines()):
        if match := CASES_LINE.match(re.sub(r"\x1b\[[0-9;]*m", "", line)):
            generated, failed = int(match[1]), int(match[3] or 0)
            return generated - failed, failed or int(status != 0)
    return 0, 1  # schemathesis ended without judging any case: the step failed


# Demo data for the endpoints seed_demo leaves empty, made in the throwaway database by this file run
# with --make-fixtures: it prints the ids the hooks then use.


def make_fixtures(issuer_slug: str) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import User

    from badges.models import BadgeClass, Issuer
    from badges.services.endorsements import endorsement_give
    from machinery_map.models import Equipment
    from passport import services
    from passport.models import Assertion, Visibility
    from passport.services.passports import passport_badge_show, passport_ensure, passport_update

    own = Issuer.objects.get(slug=issuer_slug)
    other = Issuer.objects.exclude(pk=own.pk).order_by("id").first()
    assert other is not None, "seed_demo made a single issuer; the fuzz run needs two"
    own_classes = list(BadgeClass.objects.filter(issuer=own).order_by("id")[:3])
    other_classes = list(BadgeClass.objects.filter(issuer=other).order_by("id")[:3])
    handles = []
    for visibility in (Visibility.PUBLIC, Visibility.UNLISTED, Visibility.PRIVATE):
        email = f"fuzz-{visibility}@example.org"
        user = User.objects.create_user(username=f"fuzz-{visibility}", email=email)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        passport = passport_update(
            passport=passport_ensure(user=user),
            handle=f"fuzz-{visibility}",
            display_name=f"Fuzz {visibility}",
            location="Glasgow",
            visibility=visibility,
        )
        for badge_class in own_classes:
            assertion = services.assertion_issue(
                badge_class=badge_class, recipient_email=email, send_email=False
            )
            passport_badge_show(passport=passport, assertion=assertion, visibility=Visibility.PUBLIC)
        handles.append(passport.handle)
    endorsements = [
        endorsement_give(endorser=own, badge_class=other_classes[0], comment="Same induction.", actor=None),
        endorsement_give(
            endorser=other, badge_class=own_classes[0], accepted_as=other_classes[0], comment="", actor=None
        ),
    ]
    return {
        "issuers": [own.slug, other.slug],
        "badge_classes": [badge_class.public_id for badge_class in own_classes + other_classes[:1]],
        "own_badge_classes": [badge_class.public_id for badge_class in own_classes],
        "other_badge_classes": [badge_class.public_id for badge_class in other_classes],
        "assertions": list(
            Assertion.objects.filter(badge_class__issuer=own)
            .order_by("id")
            .values_list("public_id", flat=True)[:4]
        ),
        "endorsements": [endorsement.public_id for endorsement in endorsements],
        "hubs": [own.listing.slug, other.listing.slug],
        # The own hub's machines (editable with the run's key) and one of another hub's (refused).
        "machines": [
            str(machine_id)
            for machine_id in [
                *Equipment.objects.filter(hub=own.listing).order_by("id").values_list("id", flat=True)[:3],
                *Equipment.objects.exclude(hub=own.listing).order_by("id").values_list("id", flat=True)[:1],
            ]
        ],
        "passports": handles,
        "skills": ["S8", "http://data.europa.eu/esco/skill/S7"],
    }


# The schemathesis hooks (this file, loaded by schemathesis through SCHEMATHESIS_HOOKS).


def register_hooks() -> None:
    import zlib

    import schemathesis

    ids: dict[str, list[str]] = json.loads(Path(os.environ[IDS_ENV]).read_text())

    def pick(kind: str, seed: int) -> str | None:
        values = ids.get(kind) or []
        return values[seed % len(values)] if values else None

    @schemathesis.hook
    def map_case(context: Any, case: Any) -> Any:
        # Chosen from what was generated, so the same generated case always becomes the same request.
        seed = zlib.crc32(repr((case.path_parameters, case.query, case.body)).encode())
        operation = f"{case.method.upper()} {case.path}"
        # The issuer's profile, which schemathesis reaches from /issuers/ by itself, is left alone: a read
        # whose only input is one of two ids mostly repeats itself, which slows Hypothesis down a lot.
        if seed % 3 == 2 or operation in SELF_LINKED:
            return case
        collection = case.path.removeprefix("/api/v1/").split("/", 1)[0]
        for name in list(case.path_parameters or {}):
            real = pick(PATH_ID_KINDS.get((collection, name), ""), seed)
            if real is not None:
                case.path_parameters[name] = real
        if operation == "POST /api/v1/issuers/{slug}/endorsements/" and isinstance(case.body, dict):
            case.body["badge_class"] = pick("other_badge_classes", seed)
            if "accepted_as" in case.body:
                case.body["accepted_as"] = pick("own_badge_classes", seed)
        if isinstance(case.query, dict):
            if operation == "GET /api/v1/search/passports/":
                if "skill" in case.query:
                    case.query["skill"] = pick("skills", seed)
                if "badge" in case.query:
                    case.query["badge"] = pick("badge_classes", seed)
            if "badge_class" in case.query and operation == "GET /api/v1/issuers/{slug}/assertions/":
                case.query["badge_class"] = pick("own_badge_classes", seed)
        return case


# What the server answered, per operation, from gunicorn's access log ("METHOD PATH STATUS MS" lines):
# requests sent, answers by status class, and the server's time in all and at most, in milliseconds.


def operation_patterns(port: int) -> list[tuple[str, str, re.Pattern[str]]]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/schema/?format=json", timeout=20) as answer:
        schema = json.load(answer)
    patterns = []
    for template, operations in schema["paths"].items():
        expression = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        for method in operations:
            if method in {"get", "post", "put", "patch", "delete"}:
                patterns.append((method.upper(), template, re.compile(f"^{expression}$")))
    return patterns


def _row(name: str, row: Counter[str], slowest: int) -> str:
    sent = sum(row[bucket] for bucket in ("2xx", "4xx", "404", "5xx"))
    return (
        f"{name:<60} {sent:>5} {row['2xx']:>5} {row['4xx']:>5} {row['404']:>5} {row['5xx']:>4} "
        f"{row['ms']:>6} {slowest:>5}"
    )


def status_table(log: Path, patterns: list[tuple[str, str, re.Pattern[str]]]) -> str:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    slowest: dict[str, int] = defaultdict(int)
    for line in log.read_text(errors="replace").splitlines():
        method, _space, rest = line.partition(" ")
        rest, _space, milliseconds = rest.rpartition(" ")
        path, _space, status = rest.rpartition(" ")
        if not status.isdigit() or not milliseconds.isdigit() or not path.startswith("/api/v1/"):
            continue
        name = next(
            (f"{method} {template}" for verb, template, pattern in patterns
             if verb == method and pattern.match(path)),
            None,
        )  # fmt: skip
        if name is None:
            continue
        code = int(status)
        bucket = "2xx" if code < 300 else "404" if code == 404 else "4xx" if code < 500 else "5xx"
        counts[name][bucket] += 1
        counts[name]["ms"] += int(milliseconds)
        slowest[name] = max(slowest[name], int(milliseconds))
    lines = [
        f"{'operation':<60} {'sent':>5} {'2xx':>5} {'4xx':>5} {'404':>5} {'5xx':>4} {'ms':>6} {'max':>5}"
    ]
    totals: Counter[str] = Counter()
    for name in sorted(counts, key=lambda item: item.split(" ", 1)[::-1]):
        row = counts[name]
        totals.update(row)
        lines.append(_row(name, row, slowest[name]))
    lines.append(_row("all", totals, max(slowest.values(), default=0)))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=int(os.environ.get("API_FUZZ_EXAMPLES", "25")))
    parser.add_argument("--make-fixtures", metavar="ISSUER", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.make_fixtures:
        print(json.dumps(make_fixtures(arguments.make_fixtures)))
        return 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="makeworks-api-fuzz-") as workdir:
        port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "makeworks.settings",
            "DATABASE_URL": f"sqlite:///{workdir}/fuzz.sqlite3",
            "MEDIA_ROOT": f"{workdir}/media",
            "SITE_URL": f"http://127.0.0.1:{port}",
            "DEBUG": "false",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "MAP_TILE_URL": "",
            "GEOCODER_URL": "",
            # The run sends thousands of requests from one address with two keys.
            "API_THROTTLE_KEY": "1000000/minute",
            "API_THROTTLE_ANONYMOUS": "1000000/minute",
        }
        for name in ("REDIS_URL", "CELERY_TASK_ALWAYS_EAGER"):
            env.pop(name, None)
        print("== Seeding a throwaway database", flush=True)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "seed_demo")
        issuer = manage(
            env,
            "shell",
            "-v",
            "0",
            "-c",
            "from badges.models import Issuer; print(Issuer.objects.order_by('id').first().slug)",
        ).splitlines()[-1]
        fixtures = subprocess.run(
            [sys.executable, __file__, "--make-fixtures", issuer],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        ).stdout.splitlines()[-1]  # fmt: skip
        ids_file = Path(workdir) / "ids.json"
        ids_file.write_text(fixtures)
        read_key = manage(
            env, "create_api_key", "--name", "fuzz read", "--scopes", "read", "--issuer", issuer
        )
        issue_key = manage(
            env, "create_api_key", "--name", "fuzz issue", "--scopes", "read,issue,manage", "--issuer", issuer
        )
        access_log = Path(workdir) / "access.log"
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "makeworks.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "2", "--log-level", "warning", "--access-logfile", str(access_log),
             "--access-logformat", "%(m)s %(U)s %(s)s %(M)s"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        hooks_env = {**env, "SCHEMATHESIS_HOOKS": str(Path(__file__).resolve()), IDS_ENV: str(ids_file)}
        try:
            wait_for(port, server)
            print("== schemathesis: every operation, read key", flush=True)
            status, (read_passed, read_failed) = schemathesis(port, read_key, arguments.examples, hooks_env)
            print("== schemathesis: writes, issuing key", flush=True)
            write_status, (write_passed, write_failed) = schemathesis(
                port, issue_key, arguments.examples, hooks_env,
                "--include-method", "POST", "--include-method", "PATCH",
            )  # fmt: skip
            failures = status | write_status
            patterns = operation_patterns(port)
        finally:
            server.terminate()
            server.wait(timeout=30)
        print("== Answers per operation (both runs)", flush=True)
        print(status_table(access_log, patterns))
    print(f"== Done in {time.monotonic() - started:.0f} s", flush=True)
    print(f"api-fuzz: {read_passed + write_passed} passed, {read_failed + write_failed} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
elif os.environ.get(IDS_ENV):
    register_hooks()
