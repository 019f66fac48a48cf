import threading

import pytest
from django.db import connection, connections, transaction

from tsunagu.audit.models import AuditEntry
from tsunagu.audit.services import log
from tsunagu.audit.verification import verify_database

WRITERS, EACH = 8, 25


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_build_one_unbroken_chain():
    # PostgreSQL: all writers at once, each on its own connection, waiting on the chain head.
    # SQLite's shared in-memory test database cannot make writers wait (it fails at once with
    # "table is locked"), so there they take turns, still each on its own connection.
    together = connection.vendor == "postgresql"
    start = threading.Barrier(WRITERS if together else 1)
    errors = []

    def writer(number):
        try:
            start.wait()
            for i in range(EACH):
                # Half inside a longer transaction, as services call log().
                if i % 2:
                    with transaction.atomic():
                        log("test.concurrent", summary=f"{number}-{i}", writer=number)
                else:
                    log("test.concurrent", summary=f"{number}-{i}", writer=number)
        except Exception as error:  # reported below, in the test thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
        if not together:
            thread.join()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, WRITERS * EACH + 1)
    )
    result = verify_database()
    assert result.problems == [] and result.count == WRITERS * EACH
