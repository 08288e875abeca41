"""Open Badges conformance: badges this app issues, checked by the IMS reference validator.

Issues hosted and signed badges (baked as PNG and SVG) into a fresh database, serves the app on
127.0.0.1 with gunicorn, and runs ../shared/tools/ob-conformance/ob_verify.py on each. Good badges
must pass; a revoked (hosted and signed), a tampered and an expired one must fail. An issuer that
rotated its key is judged too: its hosted badges, its new-key signed badges and its old-key signed
badges by URL must pass; an old-key signed badge given as its JWS is expected to fail, because
validator-core 1.1.2 trusts only a key named in the issuer profile's publicKey
(tasks/crypto.py verify_key_ownership: `key_id not in list_of(issuer_node.get('publicKey'))`),
which it also takes as single-valued (tasks/validation.py, the Profile validators have no
`many: True`), so a profile can vouch for one key at a time. Exits 1 on any other verdict.

    .venv/bin/python .ci/conformance.py [--keep]
"""

import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Beside the checkout as in CI (../shared/tools/ob-conformance), or wherever OB_CONFORMANCE says.
SHARED = Path(os.environ.get("OB_CONFORMANCE", ROOT.parent / "shared" / "tools" / "ob-conformance"))
OB_VENV = Path(os.environ.get("OB_VENV", Path.home() / ".cache" / "ob-conformance-venv"))
EARNER = "conformance@example.org"
SVG_BADGE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
    '<circle cx="32" cy="32" r="30" fill="#e76f51"/></svg>'
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def png_badge() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "#2a9d8f").save(buffer, "PNG")
    return buffer.getvalue()


def make_badges(workdir: Path) -> list[tuple[str, str, bool]]:
    """Issue the badges to check; returns (name, validator input, should pass)."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import transaction

    from badges import services as badge_services
    from directory import services as directory_services
    from directory.models import ListingKind, ListingStatus
    from passport import selectors, services

    call_command("migrate", verbosity=0)
    hub = directory_services.listing_create(
        name="Conformance Makerspace", kind=ListingKind.MAKERSPACE, status=ListingStatus.PUBLISHED
    )
    issuer = badge_services.issuer_create(
        listing=hub,
        name="Conformance Makerspace",
        url="https://conformance.example",
        email="badges@conformance.example",
    )
    png_class = badge_services.badge_class_create(
        issuer=issuer,
        name="Laser safety",
        description="Operates the laser cutter safely.",
        image=SimpleUploadedFile("laser.png", png_badge(), "image/png"),
        criteria_narrative="Completed the induction.",
    )
    svg_class = badge_services.badge_class_create(
        issuer=issuer,
        name="CNC router",
        description="Runs a CNC router job from file to part.",
        image=SimpleUploadedFile("cnc.svg", SVG_BADGE.encode(), "image/svg+xml"),
        criteria_narrative="Cut a part under supervision.",
    )

    def issue(badge_class: Any, *, signed: bool, **kwargs: Any) -> Any:
        # Commits, so the bake task queued on commit runs (eagerly here) and the image is baked.
        with transaction.atomic():
            assertion = services.assertion_issue(
                badge_class=badge_class, recipient_email=EARNER, signed=signed, send_email=False, **kwargs
            )
        assertion.refresh_from_db()
        return assertion

    def baked_file(assertion: Any, name: str) -> str:
        path = workdir / name
        path.write_bytes(assertion.baked_image.read())
        return str(path)

    cases: list[tuple[str, str, bool]] = []
    hosted = issue(png_class, signed=False)
    signed = issue(png_class, signed=True)
    hosted_svg = issue(svg_class, signed=False)
    signed_svg = issue(svg_class, signed=True)
    cases += [
        ("hosted, by URL", selectors.assertion_url(hosted), True),
        ("hosted, baked PNG", baked_file(hosted, "hosted.png"), True),
        ("hosted, baked SVG", baked_file(hosted_svg, "hosted.svg"), True),
        ("signed, JWS", signed.jws, True),
        ("signed, baked PNG", baked_file(signed, "signed.png"), True),
        ("signed, baked SVG", baked_file(signed_svg, "signed.svg"), True),
    ]
    cases += [
        ("signed, by URL", selectors.assertion_url(signed), True),
        ("hosted, baked PNG by URL", selectors.assertion_baked_url(hosted), True),
        ("signed, baked SVG by URL", selectors.assertion_baked_url(signed_svg), True),
    ]
    cases += rotation_cases(issue, baked_file)
    revoked_hosted = issue(png_class, signed=False)
    services.assertion_revoke(assertion=revoked_hosted, reason="Conformance: revoked")
    revoked_signed = issue(png_class, signed=True)
    services.assertion_revoke(assertion=revoked_signed, reason="Conformance: revoked")
    header, _payload, signature = signed.jws.split(".")
    tampered = ".".join([header, issue(png_class, signed=True).jws.split(".")[1], signature])
    long_ago = datetime.now(UTC) - timedelta(days=400)
    expired = issue(png_class, signed=True, issued_on=long_ago, expires=long_ago + timedelta(days=30))
    cases += [
        ("revoked hosted (410)", selectors.assertion_url(revoked_hosted), False),
        ("revoked signed (revocation list)", revoked_signed.jws, False),
        ("tampered JWS", tampered, False),
        ("expired", expired.jws, False),
    ]
    return cases


def first_reason(output: str) -> str:
    """The validator's first error for a badge it judged invalid, so a verdict shows its reason."""
    try:
        judged = json.loads(output)
    except ValueError:
        return output.strip()[-300:]
    messages = judged.get("report", {}).get("messages", [])
    errors = [m.get("result", "") for m in messages if m.get("messageLevel") == "ERROR"]
    return next(iter(judged.get("harness", {}).get("errors", []) + errors), "(no message)")


def rotation_cases(issue: Any, baked_file: Any) -> list[tuple[str, str, bool]]:
    """A second issuer awards badges, rotates its key, and awards more."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from badges import services as badge_services
    from directory import services as directory_services
    from directory.models import ListingKind, ListingStatus
    from passport import selectors

    hub = directory_services.listing_create(
        name="Rotating Makerspace", kind=ListingKind.MAKERSPACE, status=ListingStatus.PUBLISHED
    )
    issuer = badge_services.issuer_create(
        listing=hub,
        name="Rotating Makerspace",
        url="https://rotating.example",
        email="badges@rotating.example",
    )
    badge_class = badge_services.badge_class_create(
        issuer=issuer,
        name="Bandsaw",
        description="Uses the bandsaw safely.",
        image=SimpleUploadedFile("bandsaw.png", png_badge(), "image/png"),
        criteria_narrative="Cut a curve under supervision.",
    )
    hosted = issue(badge_class, signed=False)
    old_signed = issue(badge_class, signed=True)
    badge_services.signing_key_rotate(issuer=issuer)
    new_signed = issue(badge_class, signed=True)
    return [
        ("rotated: hosted, by URL", selectors.assertion_url(hosted), True),
        ("rotated: hosted, baked PNG", baked_file(hosted, "rotated-hosted.png"), True),
        ("rotated: new-key signed, JWS", new_signed.jws, True),
        ("rotated: new-key signed, baked PNG", baked_file(new_signed, "rotated-new.png"), True),
        ("rotated: new-key signed, by URL", selectors.assertion_url(new_signed), True),
        ("rotated: old-key signed, by URL", selectors.assertion_url(old_signed), True),
        # Expected to fail: see the module's docstring (the validator trusts the profile's one key).
        ("rotated: old-key signed, JWS", old_signed.jws, False),
    ]


def main() -> int:
    if not (SHARED / "ob_verify.py").exists():
        print(f"conformance: {SHARED} is missing; skipped")
        return 0
    subprocess.run(["bash", str(SHARED / "setup.sh")], check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="ob-conformance-"))
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "makeworks.settings",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DEBUG": "false",
        "CELERY_TASK_ALWAYS_EAGER": "true",
    }
    environment.pop("REDIS_URL", None)
    os.environ.update(environment)
    os.environ.pop("REDIS_URL", None)
    cases = make_badges(workdir)

    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "makeworks.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=environment,
        stderr=subprocess.DEVNULL,
    )
    failures = []
    try:
        for _attempt in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        for name, badge, should_pass in cases:
            result = subprocess.run(
                [str(OB_VENV / "bin" / "python"), str(SHARED / "ob_verify.py"), badge,
                 "--recipient-email", EARNER, "--loopback-only", "--report-only"],
                capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            passed = result.returncode == 0
            outcome = "ok" if passed == should_pass else "WRONG"
            print(f"  {outcome:5} {name:34} validator says {'valid' if passed else 'invalid'}")
            if not passed:
                print(f"        why: {first_reason(result.stdout)[:300]}")
            if passed != should_pass:
                failures.append(name)
                try:
                    print(json.dumps(json.loads(result.stdout).get("report", {}), indent=2)[:3000])
                except ValueError:
                    print(result.stdout[-2000:], result.stderr[-2000:])
    finally:
        server.terminate()
        server.wait()
    if failures:
        print(f"Judged wrongly by the IMS validator: {', '.join(failures)}")
    # The plain closing line .ci/run counts (.ci/tally.py): one case a badge.
    print(f"conformance: {len(cases) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
