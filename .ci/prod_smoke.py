"""Production smoke run: the app built and served the way docker-compose.yml serves it, then visited.

With DJANGO_ENV=production: `check --deploy` must print no warning; collectstatic builds the manifest
into a temporary STATIC_ROOT; a fresh database (SQLite, or --database-url) is migrated and seeded with
the demo data (a listing with a photo included); gunicorn's sync workers serve the app behind nginx,
started from the repository's own deploy/nginx/makeworks.conf.template (the file the nginx container
mounts), which serves /static/ and /media/ itself. Then, through nginx: home, search, a listing with
photos, an assertion and a badge class page, /verify/, /machines/ and the API docs each answer 200, and
so do every stylesheet and script they name (from the manifest: hashed names) and the listing's photos.
Last, a few clients trickle their headers and bodies very slowly while /healthz/ must keep answering
within a second, which sync workers facing clients directly cannot do.

    .venv/bin/python .ci/prod_smoke.py [--database-url URL]

Ends with one line `prod-smoke: N passed, M failed`; exits non-zero when anything failed.
`--slow-clients-direct` runs only the slow-client part against gunicorn without nginx, to show what
nginx prevents (it fails there).
"""

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TEMPLATE = ROOT / "deploy" / "nginx" / "makeworks.conf.template"
# A name collectstatic's manifest gave: the file's name, a 12-digit content hash, its extension.
HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
GUNICORN_WORKERS = 2
SLOW_CLIENTS = 2 * GUNICORN_WORKERS
HEALTHZ_LIMIT_SECONDS = 1.0


class Results:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        if ok:
            self.passed += 1
            print(f"ok   {name}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {name}{': ' + detail if detail else ''}", flush=True)
        return ok


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], name: str) -> None:
    for _attempt in range(200):
        if process.poll() is not None:
            raise SystemExit(f"{name} stopped before it answered")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{name} did not start")


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def nginx_binary() -> str:
    """Debian's nginx; CI runs as root, so it is installed when missing."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("nginx is missing: apt-get install -y nginx-light (as root)")

    def apt_get(*args: str) -> int:
        apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        return subprocess.run(
            ["apt-get", *args], env=apt_env, stdout=subprocess.DEVNULL, check=False
        ).returncode

    # An old package list may name a version the mirror no longer has: then update and try again.
    if apt_get("install", "-y", "-q", "nginx-light"):
        apt_get("update", "-q")
        apt_get("install", "-y", "-q", "nginx-light")
    found = shutil.which("nginx", path="/usr/sbin:/sbin:/usr/bin")
    if not found:
        raise SystemExit("nginx could not be installed")
    return found


def production_env(workdir: Path, port: int, database_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_TASK_ALWAYS_EAGER", "DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="makeworks.settings",
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        BADGE_KEY_SECRET=secrets.token_urlsafe(40),
        SITE_URL=f"http://127.0.0.1:{port}",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # The run speaks plain HTTP on 127.0.0.1; a real deployment keeps the redirect to https.
        SECURE_SSL_REDIRECT="0",
        TRUSTED_PROXY_COUNT="1",
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        DATABASE_URL=database_url,
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        MAP_TILE_URL="",
        GEOCODER_URL="",
    )
    return env


def render_nginx(workdir: Path, port: int, upstream_port: int) -> Path:
    """The repository's server block, filled in as the nginx image's entrypoint does, inside a main
    configuration that keeps nginx's pid, logs and buffers in the work folder."""
    values = {
        "NGINX_PORT": f"127.0.0.1:{port}",
        "MAKEWORKS_UPSTREAM": f"127.0.0.1:{upstream_port}",
        # Never asked: the upstream is an address, not a name.
        "MAKEWORKS_RESOLVER": "127.0.0.1",
        "MAKEWORKS_STATIC_ROOT": str(workdir / "static"),
        "MAKEWORKS_MEDIA_ROOT": str(workdir / "media"),
    }
    server = TEMPLATE.read_text()
    for name, value in values.items():
        server = server.replace("${" + name + "}", value)
    uncommented = "\n".join(line for line in server.splitlines() if not line.lstrip().startswith("#"))
    leftover = re.findall(r"\$\{[A-Z_]+\}", uncommented)
    if leftover:
        raise SystemExit(f"{TEMPLATE.name} names placeholders this run does not fill: {leftover}")
    (workdir / "makeworks.conf").write_text(server)
    main = workdir / "nginx.conf"
    main.write_text(
        f"""worker_processes 1;
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {workdir}/nginx-access.log;
    client_body_temp_path {workdir}/nginx-body;
    proxy_temp_path {workdir}/nginx-proxy;
    fastcgi_temp_path {workdir}/nginx-fastcgi;
    uwsgi_temp_path {workdir}/nginx-uwsgi;
    scgi_temp_path {workdir}/nginx-scgi;
    include {workdir}/makeworks.conf;
}}
"""
    )
    return main


# Fetching through nginx: pages and what they load.


def get(port: int, path: str, accept: str = "text/html") -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept": accept, "Accept-Encoding": "gzip"})
        answer = connection.getresponse()
        return answer.status, {key.lower(): value for key, value in answer.getheaders()}, answer.read()
    finally:
        connection.close()


class Assets(HTMLParser):
    """The stylesheets, scripts and images a page names, and the links it makes to uploaded media."""

    def __init__(self) -> None:
        super().__init__()
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []
        self.media: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {key: value or "" for key, value in attrs}
        if tag == "link" and "stylesheet" in named.get("rel", "").split():
            self.stylesheets.append(named.get("href", ""))
        elif tag == "script" and named.get("src"):
            self.scripts.append(named["src"])
        for key in ("src", "href"):
            if tag in {"img", "a", "source"} and named.get(key, "").startswith("/media/"):
                self.media.append(named[key])


def check_page(results: Results, port: int, name: str, path: str, *, photos: bool = False) -> None:
    status, _headers, body = get(port, path)
    if not results.check(f"{name} {path} answers 200", status == 200, f"{status}"):
        return
    page = Assets()
    page.feed(body.decode("utf-8", "replace"))
    results.check(f"{name} names a stylesheet", bool(page.stylesheets), "no <link rel=stylesheet>")
    for kind, urls in (("stylesheet", page.stylesheets), ("script", page.scripts)):
        for url in urls:
            if not url.startswith("/static/"):
                continue
            results.check(f"{name} {kind} {url} is a manifest name", bool(HASHED.search(url)))
            asset_status, asset_headers, _body = get(port, url, accept="*/*")
            results.check(f"{name} {kind} {url} answers 200", asset_status == 200, f"{asset_status}")
            if kind == "stylesheet":
                content_type = asset_headers.get("content-type", "")
                results.check(f"{name} {url} is CSS", content_type.startswith("text/css"), content_type)
    if photos:
        results.check(f"{name} shows uploaded photos", bool(page.media), "no /media/ image or link")
        for url in sorted(set(page.media)):
            photo_status, photo_headers, _body = get(port, url, accept="image/*")
            results.check(f"{name} photo {url} answers 200", photo_status == 200, f"{photo_status}")
            content_type = photo_headers.get("content-type", "")
            results.check(f"{name} photo {url} is an image", content_type.startswith("image/"), content_type)
            nosniff = photo_headers.get("x-content-type-options") == "nosniff"
            results.check(f"{name} photo {url} is served with nosniff", nosniff)


# Slow clients: each connects and then trickles, one byte at a time, a request it never finishes.


def trickle(port: int, opening: bytes, stop: threading.Event) -> None:
    with suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=5) as client:
        client.sendall(opening)
        while not stop.wait(0.5):
            client.sendall(b"x")


@contextmanager
def slow_clients(port: int) -> Iterator[None]:
    stop = threading.Event()
    host = f"Host: 127.0.0.1:{port}\r\n".encode()
    openings = [
        b"GET / HTTP/1.1\r\n" + host + b"X-Slow: ",
        b"POST /verify/ HTTP/1.1\r\n" + host + b"Content-Type: text/plain\r\nContent-Length: 100000\r\n\r\n",
    ]
    threads = [
        threading.Thread(target=trickle, args=(port, openings[number % 2], stop), daemon=True)
        for number in range(SLOW_CLIENTS)
    ]
    for thread in threads:
        thread.start()
    # Long enough for every slow client to hold whatever it can (a worker, without nginx).
    time.sleep(1.0)
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=5)


def healthz_seconds(port: int) -> float:
    started = time.monotonic()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=HEALTHZ_LIMIT_SECONDS * 5)
        connection.request("GET", "/healthz/", headers={"Host": f"127.0.0.1:{port}"})
        answer = connection.getresponse()
        answer.read()
        connection.close()
        if answer.status != 200:
            return float("inf")
    except OSError:
        return float("inf")
    return time.monotonic() - started


def check_slow_clients(results: Results, port: int, label: str) -> None:
    timings = []
    with slow_clients(port):
        for _attempt in range(8):
            timings.append(healthz_seconds(port))
            time.sleep(0.25)
    slowest = max(timings)
    results.check(
        f"/healthz/ {label} stays under {HEALTHZ_LIMIT_SECONDS:.0f} s while {SLOW_CLIENTS} clients trickle "
        f"(slowest {slowest:.3f} s of {len(timings)})",
        slowest < HEALTHZ_LIMIT_SECONDS,
        ", ".join(f"{timing:.3f}" for timing in timings),
    )


# The run.


def build(results: Results, env: dict[str, str]) -> bool:
    """check --deploy and collectstatic run beside the database steps (they share nothing), then all
    four are judged; the run goes on only when every one passed."""
    # Checked with what a real deployment has: an https site that redirects plain HTTP.
    deploy_env = {
        **env,
        "SITE_URL": "https://makeworks.example.org",
        "ALLOWED_HOSTS": "makeworks.example.org",
    }
    deploy_env.pop("SECURE_SSL_REDIRECT")
    started = time.monotonic()
    check_deploy = manage_start(deploy_env, "check", "--deploy", "--fail-level", "WARNING")
    collectstatic = manage_start(env, "collectstatic", "--noinput", "-v", "0")
    beside = [
        ("manage.py check --deploy: no warning", check_deploy),
        ("collectstatic (manifest, compressed)", collectstatic),
    ]
    ok = True
    for name, args in [
        ("migrate a fresh database", ("migrate", "--noinput", "-v", "0")),
        ("seed_demo", ("seed_demo",)),
    ]:
        done = manage(env, *args)
        took = f"{name} ({time.monotonic() - started:.1f} s)"
        ok = results.check(took, done.returncode == 0, (done.stdout + done.stderr)[-3000:])
        if not ok:
            break
    for name, process in beside:
        output, _none = process.communicate(timeout=300)
        ok &= results.check(name, process.returncode == 0, output[-3000:])
    return ok


def manage_start(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "manage.py", *args]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


# Run in the seeded database by this file with --paths: the pages to visit that need an id, a listing
# with a photo made when the seed gave none (through the same service an upload goes through).
def demo_paths() -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from badges.models import BadgeClass
    from directory.models import Listing
    from directory.seeding import demo_photo
    from directory.services.listings import photo_add
    from passport.models import Assertion

    listing = Listing.objects.published().filter(photos__isnull=False).order_by("id").first()
    if listing is None:
        listing = Listing.objects.published().order_by("id").first()
        assert listing is not None, "seed_demo published no listing"
        image = demo_photo(seed=1, label=listing.name)
        upload = SimpleUploadedFile("smoke.jpg", image.read(), content_type="image/jpeg")
        photo_add(listing=listing, upload=upload, alt_text=listing.name)
    assertion = Assertion.objects.filter(revoked=False).order_by("id").first()
    badge_class = BadgeClass.objects.order_by("id").first()
    assert assertion is not None, "seed_demo issued no badge"
    assert badge_class is not None, "seed_demo made no badge class"
    return {
        "listing": listing.get_absolute_url(),
        "assertion": f"/badges/assertions/{assertion.public_id}/",
        "badge_class": f"/badges/classes/{badge_class.public_id}/",
    }


def visit(results: Results, port: int, env: dict[str, str]) -> None:
    found = subprocess.run(
        [sys.executable, __file__, "--paths"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if not results.check("demo pages found", found.returncode == 0, found.stderr[-3000:]):
        return
    paths = json.loads(found.stdout.splitlines()[-1])
    status, _headers, _body = get(port, "/healthz/", accept="application/json")
    results.check("/healthz/ answers 200 through nginx", status == 200, f"{status}")
    pages: list[tuple[str, str, bool]] = [
        ("home", "/", False),
        ("search", "/search/?q=laser", False),
        ("listing", paths["listing"], True),
        ("assertion", paths["assertion"], False),
        ("badge class", paths["badge_class"], False),
        ("verify", "/verify/", False),
        ("machines", "/machines/", False),
        ("API docs", "/api/docs/", False),
    ]
    for name, path, photos in pages:
        check_page(results, port, name, path, photos=photos)


@contextmanager
def serving(command: list[str], env: dict[str, str], port: int, name: str) -> Iterator[None]:
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_for_port(port, process, name)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def run(results: Results, arguments: argparse.Namespace, workdir: Path) -> None:
    nginx = nginx_binary()
    port, upstream_port = free_port(), free_port()
    database_url = arguments.database_url or f"sqlite:///{workdir}/smoke.sqlite3"
    env = production_env(workdir, port, database_url)
    if not build(results, env):
        return
    gunicorn = [
        str(BIN / "gunicorn"), "makeworks.wsgi:application", "--bind", f"127.0.0.1:{upstream_port}",
        "--workers", str(GUNICORN_WORKERS), "--log-level", "warning",
    ]  # fmt: skip
    config = render_nginx(workdir, port, upstream_port)
    tested = subprocess.run(
        [nginx, "-t", "-q", "-c", str(config)], capture_output=True, text=True, check=False
    )
    if not results.check(
        f"nginx accepts {TEMPLATE.relative_to(ROOT)}", tested.returncode == 0, tested.stderr
    ):
        return
    nginx_command = [nginx, "-c", str(config)]
    with serving(gunicorn, env, upstream_port, "gunicorn"), serving(nginx_command, env, port, "nginx"):
        if arguments.slow_clients_direct:
            check_slow_clients(results, upstream_port, "straight from gunicorn")
            return
        visit(results, port, env)
        check_slow_clients(results, port, "through nginx")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="", help="an empty database to use, not a new SQLite file")
    parser.add_argument("--slow-clients-direct", action="store_true")
    parser.add_argument("--paths", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.paths:
        print(json.dumps(demo_paths()))
        return 0
    started = time.monotonic()
    results = Results()
    with tempfile.TemporaryDirectory(prefix="makeworks-prod-smoke-") as folder:
        workdir = Path(folder)
        # nginx's workers run as nobody when CI starts nginx as root: they must read the collected files.
        workdir.chmod(0o755)
        try:
            run(results, arguments, workdir)
        except SystemExit as stopped:
            results.check("smoke run completed", False, str(stopped))
        for log in ("nginx-error.log",):
            if results.failed and (workdir / log).exists():
                print(f"== {log}\n{(workdir / log).read_text()[-3000:]}")
    print(f"== {time.monotonic() - started:.0f} s")
    print(f"prod-smoke: {results.passed} passed, {results.failed} failed")
    return 1 if results.failed or not results.passed else 0


if __name__ == "__main__":
    sys.exit(main())
