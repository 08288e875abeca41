"""Measures badge issuing and verification on one database (DATABASE_URL), in a fresh issuer.

- signing: bare RS256 signatures per second with the issuer's own key (PyJWT), the ceiling;
- issuing: signed assertions per second through passport.services.assertions_issue, one batch of
  BENCH_ASSERTIONS, whole (validation, hashing, the JSON-LD documents, signing, the rows); baking and
  e-mail are queued for a worker, as in production, and not run here; and one at a time through
  assertion_issue, for comparison;
- verification: the verification service on a local hosted assertion, p50 and p95.
"""

import io
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makeworks.settings")
django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from PIL import Image  # noqa: E402

from badges import services as badge_services  # noqa: E402
from badges.models import SigningKey  # noqa: E402
from badges.openbadges import signing  # noqa: E402
from directory import services as directory_services  # noqa: E402
from directory.models import ListingKind, ListingStatus  # noqa: E402
from makeworks.celery import app as celery_app  # noqa: E402
from passport import selectors, services  # noqa: E402
from passport.verification import badge_verify  # noqa: E402

ASSERTIONS = int(os.environ.get("BENCH_ASSERTIONS", "10000"))
SIGNATURES = int(os.environ.get("BENCH_SIGNATURES", "2000"))
VERIFICATIONS = int(os.environ.get("BENCH_VERIFICATIONS", "200"))
SINGLES = int(os.environ.get("BENCH_SINGLE_ASSERTIONS", "500"))


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "#264653").save(buffer, "PNG")
    return SimpleUploadedFile("bench.png", buffer.getvalue(), "image/png")


def main() -> None:
    call_command("migrate", verbosity=0)
    # Baking and e-mail belong to the worker: queued here (in memory), never run in this process.
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "memory://localhost/"
    stamp = str(time.time_ns())
    hub = directory_services.listing_create(
        name=f"Bench hub {stamp}", kind=ListingKind.MAKERSPACE, status=ListingStatus.DRAFT
    )
    issuer = badge_services.issuer_create(
        listing=hub, name="Bench hub", url="https://bench.example", email="badges@bench.example"
    )
    badge_class = badge_services.badge_class_create(
        issuer=issuer,
        name="Bench skill",
        description="Measured.",
        image=png(),
        criteria_narrative="Measured.",
    )
    key = SigningKey.objects.get(issuer=issuer, status="active")
    private_pem = badge_services.signing_key_private_pem(key=key)

    sample = services.assertion_issue(
        badge_class=badge_class, recipient_email="sample@example.org", signed=True, send_email=False
    )
    payload = signing.unverified_payload(sample.jws)
    started = time.perf_counter()
    for _n in range(SIGNATURES):
        signing.sign(payload, private_pem)
    signs_per_second = SIGNATURES / (time.perf_counter() - started)

    # One batch, as a hub's bulk issue sends it: the whole of it, in one transaction.
    awards = [services.Award(f"maker{n}@example.org", recipient_name=f"Maker {n}") for n in range(ASSERTIONS)]
    started = time.perf_counter()
    services.assertions_issue(badge_class=badge_class, awards=awards, signed=True)
    issues_per_second = ASSERTIONS / (time.perf_counter() - started)
    # A single award, as the console's "issue one badge" sends it, for comparison.
    started = time.perf_counter()
    for n in range(SINGLES):
        services.assertion_issue(
            badge_class=badge_class, recipient_email=f"single{n}@example.org", signed=True, send_email=False
        )
    singles_per_second = SINGLES / (time.perf_counter() - started)

    hosted = services.assertion_issue(
        badge_class=badge_class, recipient_email="hosted@example.org", signed=False, send_email=False
    )
    url = selectors.assertion_url(hosted)
    report = badge_verify(url=url)
    if not report.valid:
        raise SystemExit(f"the local hosted assertion does not verify: {report.failures}")
    samples = []
    for _n in range(VERIFICATIONS):
        started = time.perf_counter()
        badge_verify(url=url, recipient_email="hosted@example.org")
        samples.append((time.perf_counter() - started) * 1000)

    out: dict[str, Any] = {
        "assertions": ASSERTIONS,
        "signatures": SIGNATURES,
        "signs_per_second": signs_per_second,
        "issues_per_second": issues_per_second,
        "singles_per_second": singles_per_second,
        "verification_ms": {
            "p50": percentile(samples, 0.5),
            "p95": percentile(samples, 0.95),
            "mean": statistics.fmean(samples),
        },
        "targets": [
            {
                "name": "signed assertions issued per second: at least half of bare RS256 signings",
                "measured": f"{issues_per_second:.0f}/s issued vs {signs_per_second:.0f}/s signed "
                f"({issues_per_second / signs_per_second:.0%})",
                "met": issues_per_second >= signs_per_second / 2,
            },
            {
                "name": "verification of a local hosted assertion p95 under 20 ms",
                "measured": f"{percentile(samples, 0.95):.1f} ms",
                "met": percentile(samples, 0.95) < 20,
            },
        ],
    }
    print(
        f"  signing {signs_per_second:.0f}/s, issuing {issues_per_second:.0f}/s in a batch, "
        f"{singles_per_second:.0f}/s one by one, "
        f"verification p95 {out['verification_ms']['p95']:.1f} ms",
        flush=True,
    )
    Path(os.environ["BENCH_OUT"]).write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
