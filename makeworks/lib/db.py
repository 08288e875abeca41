"""Database helpers that are the same for every app."""

from django.db import connection


def commit_without_waiting_for_disk() -> None:
    """Let the current transaction's COMMIT return before PostgreSQL has flushed it to disk.

    Only for work that can be lost in a database crash and be done again: a crash loses at most the last
    fraction of a second of such commits, never corrupts anything, and any later ordinary commit flushes
    them too (the write-ahead log is written in order). Other sessions see the change at once either way.
    It saves one disk flush per transaction, which is most of what a short transaction costs. Must be
    called inside the transaction (`SET LOCAL` ends with it); a no-op on SQLite.
    """
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("commit_without_waiting_for_disk() only applies inside transaction.atomic().")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
