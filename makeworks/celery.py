"""The Celery app, and how the site hands work to it once a transaction commits.

Work that must follow a commit (baking and e-mailing a badge, delivering a contact message, telling a
claimant the decision) is never recorded only as a broker message: its row already says it is still to
do (an assertion not yet baked or e-mailed, a message without `sent_at`, a claim without `notified_at`),
and says when it was last handed to the broker. So the database row is the outbox, and a broker that is
down loses nothing:

- `enqueue_on_commit` publishes the task after the commit; when the broker refuses, it logs, marks the
  rows "not queued" (through `unqueued`), and lets the request finish normally: the commit has happened,
  so a 500 would only invite a duplicate.
- A Celery beat sweep, every minute, queues again the pending rows that were never queued or were queued
  long ago (a lost message). The tasks are idempotent and claim their work, so a duplicate does no harm.

A separate outbox table would duplicate what the rows already say, and need its own relay; the one kind
of work without a row of its own, allauth's e-mails, is handled in accounts.adapter.
"""

import logging
import os
import time
from collections.abc import Callable
from typing import Any

from celery import Celery, Task
from django.db import DatabaseError, transaction
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makeworks.settings")

app = Celery("makeworks")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


# After a failed publish, this process does not try the broker again for a few seconds: a broker that
# hangs rather than refuses costs one request its socket timeout, not every task of every request. It is
# only a shortcut; what was not queued is on its rows, for the sweep.
BROKER_RETRY_AFTER_SECONDS = 10
_broker_down_until: dict[str, float] = {}


def enqueue(task: Task, *args: Any, unqueued: Callable[[], object] | None = None) -> bool:
    """Publish `task(*args)` now; False, logged, when the broker cannot be reached.

    `unqueued` records durably that the work still waits for the broker (so the sweep picks it up at
    once); it runs only on failure. A task run in-process (eager) raises its own errors as before.
    """
    broker_url = str(task.app.conf.broker_url)
    eager = task.app.conf.task_always_eager
    try:
        if not eager and time.monotonic() < _broker_down_until.get(broker_url, 0.0):
            raise OperationalError("the broker failed a moment ago")
        task.apply_async(args=args)
    except OperationalError:
        _broker_down_until[broker_url] = time.monotonic() + BROKER_RETRY_AFTER_SECONDS
        # The task's name only: its arguments may carry what logs must not (a rendered e-mail's links).
        logger.warning("Broker unreachable: a %s task was not queued", task.name)
        if unqueued is not None:
            try:
                unqueued()
            except DatabaseError:
                logger.exception("Could not mark the work of a %s task as not queued", task.name)
        return False
    _broker_down_until.pop(broker_url, None)
    return True


def enqueue_on_commit(task: Task, *args: Any, unqueued: Callable[[], object] | None = None) -> None:
    """Queue `task(*args)` once the current transaction commits (nothing if it rolls back), never
    failing the request that committed: see `enqueue`."""
    transaction.on_commit(lambda: enqueue(task, *args, unqueued=unqueued))
