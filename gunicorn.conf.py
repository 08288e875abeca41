"""gunicorn reads this file from the directory it starts in (the image's /app, the repository in CI and
`make bench`); command-line flags still choose the bind address and the number of workers."""

import gc
from typing import Any


def post_worker_init(worker: Any) -> None:
    # Django's settings, apps and libraries, loaded once per worker, live as long as it does. Frozen,
    # the collector stops walking them: a full collection otherwise goes through some 150,000 objects
    # every few hundred requests and stalls whichever request triggered it by tens of milliseconds.
    gc.collect()
    gc.freeze()
