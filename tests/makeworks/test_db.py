"""commit_without_waiting_for_disk: only the transaction that asks for it skips the flush."""

import pytest
from django.db import connection, transaction

from makeworks.lib.db import commit_without_waiting_for_disk

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="synchronous_commit is a PostgreSQL setting"
)


def synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return str(cursor.fetchone()[0])


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_next_transaction_waits_for_the_disk_again() -> None:
    # An award's own commit must stay durable: the setting may not leak from a bake into the session.
    with transaction.atomic():
        commit_without_waiting_for_disk()
        assert synchronous_commit() == "off"
    with transaction.atomic():
        assert synchronous_commit() == "on"


@pytest.mark.django_db(transaction=True)
def test_asking_outside_a_transaction_is_refused_on_postgresql_and_ignored_on_sqlite() -> None:
    if connection.vendor == "postgresql":
        with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
            commit_without_waiting_for_disk()
    else:
        commit_without_waiting_for_disk()
        with transaction.atomic():
            commit_without_waiting_for_disk()
