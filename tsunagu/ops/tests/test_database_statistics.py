"""SQLite's planner statistics are refreshed after migrations, big imports and daily."""

import io

from django.core.management import call_command
from django.db import connection

from tsunagu.lib.planner import BIG_IMPORT, after_import, after_migrate


def statistics_rows() -> int | None:
    """Rows of sqlite_stat1, None when ANALYZE never ran (or on PostgreSQL)."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone()[0]:
            return None
        cursor.execute("SELECT count(*) FROM sqlite_stat1")
        return cursor.fetchone()[0]


def forget_statistics():
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone()[0]:
                cursor.execute("DELETE FROM sqlite_stat1")


def test_the_daily_command_analyses_sqlite_and_leaves_postgresql_to_autovacuum(
    db, municipality, center
):
    forget_statistics()
    out = io.StringIO()
    call_command("optimize_database", stdout=out)
    if connection.vendor == "sqlite":
        assert statistics_rows() > 0
        assert "統計を更新しました" in out.getvalue()
    else:
        assert "autovacuum" in out.getvalue()


def test_migrating_analyses_sqlite(db, municipality, center):
    forget_statistics()
    after_migrate(sender=None, using="default")
    assert statistics_rows() == (None if connection.vendor != "sqlite" else statistics_rows())
    if connection.vendor == "sqlite":
        assert statistics_rows() > 0


def test_only_a_big_import_refreshes_them_once_committed(
    db, municipality, center, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as small:
        after_import(BIG_IMPORT - 1)
    assert small == []
    forget_statistics()
    with django_capture_on_commit_callbacks(execute=True) as big:
        after_import(BIG_IMPORT)
    assert len(big) == 1
    if connection.vendor == "sqlite":
        assert statistics_rows() > 0


def test_the_hourly_periodic_work_analyses_once_a_day(db, municipality, center):
    import datetime

    from tsunagu.lib.planner import DAILY_HOUR, daily

    forget_statistics()
    other_hour = datetime.datetime(2026, 12, 7, (DAILY_HOUR + 1) % 24, 0)
    assert daily(other_hour) is False
    if connection.vendor == "sqlite":
        assert not statistics_rows()
    the_hour = datetime.datetime(2026, 12, 7, DAILY_HOUR, 1)
    assert daily(the_hour) is (connection.vendor == "sqlite")
    if connection.vendor == "sqlite":
        assert statistics_rows() > 0
