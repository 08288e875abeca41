"""The web container's health check (docker-compose.yml): /healthz/ of the gunicorn in this container.

Asked the way nginx asks, with the public host name and scheme, because production Django refuses a
Host outside ALLOWED_HOSTS and redirects plain-HTTP requests to https. Exits 0 only on a 200.
"""

import os
import sys
import urllib.error
import urllib.request
from urllib.parse import urlsplit

site = urlsplit(os.environ.get("SITE_URL", "http://127.0.0.1:8000"))
request = urllib.request.Request(
    "http://127.0.0.1:8000/healthz/",
    headers={"Host": site.netloc, "X-Forwarded-Proto": site.scheme or "http"},
)
try:
    with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310 -- a fixed local http URL
        sys.exit(0 if answer.status == 200 else 1)
except (OSError, urllib.error.URLError) as error:
    print(f"healthz: {error}", file=sys.stderr)
    sys.exit(1)
