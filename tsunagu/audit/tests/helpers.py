"""Ways around the database's append-only guard, for tests that tamper on purpose.

The guard is lifted inside the test's transaction, which is rolled back afterwards, and put
back before the context ends; nothing outside a test can use this.
"""

import contextlib
import datetime
import importlib
from unittest import mock

from django.db import connection
from django.utils import timezone

from tsunagu.audit.services import log

triggers = importlib.import_module("tsunagu.audit.migrations.0005_append_only_triggers")


@contextlib.contextmanager
def guard_lifted():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {triggers.ENTRY} DISABLE TRIGGER audit_entry_append_only")
            yield cursor
            cursor.execute(f"ALTER TABLE {triggers.ENTRY} ENABLE TRIGGER audit_entry_append_only")
        else:
            cursor.execute("DROP TRIGGER audit_entry_append_only")
            yield cursor
            cursor.execute(triggers.SQLITE[0])


def log_at(when: datetime.datetime, action: str, **kwargs):
    """An entry written at `when` (the clock is stopped, as the chain takes `at` from it)."""
    with mock.patch.object(timezone, "now", return_value=when):
        return log(action, **kwargs)


def tokyo(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))
