"""The settings of a Celery worker that a test runs in a process of its own (tests/outage.py): the site's
own, read from the environment the test gives it, plus what makes a test of a killed worker quick."""

import os

from makeworks.settings import *  # noqa: F403
from makeworks.settings import CELERY_BROKER_TRANSPORT_OPTIONS

# The test's own queue, so the worker takes nothing another run left on the broker.
CELERY_TASK_DEFAULT_QUEUE = os.environ["TEST_WORKER_QUEUE"]
# Redis looks for tasks whose worker died every second, rather than every 100 s, so one whose visibility
# timeout (a few seconds in the test) is over is handed out again at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
