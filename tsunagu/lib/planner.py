"""Keeping SQLite's query planner informed.

SQLite chooses indexes from the statistics ANALYZE leaves in sqlite_stat1 and never gathers
them by itself: a database that was never analysed plans as if every table were small (the
center dashboard took 123 ms at prefecture scale, 25 ms after ANALYZE). PostgreSQL's
autovacuum analyses tables as they change, so there is nothing to do there.

ANALYZE with `analysis_limit` (SQLite ≥ 3.32) looks at a sample of each index instead of all
of it, so it takes milliseconds even on a large database; the statistics are approximate,
which is all the planner needs. (`PRAGMA optimize` would choose the tables itself, but before
SQLite 3.46 it only considers tables the same connection has queried, and a management
command's connection has queried none.) Run after migrations (signal below), after big
imports (`after_import`) and daily: `manage.py run_periodic` (hourly, from the systemd timer)
calls `daily` every hour and it analyses in the hour DAILY_HOUR (local time) only;
`manage.py optimize_database` does it at once.
"""

import datetime
import logging

from django.db import connections, transaction

logger = logging.getLogger(__name__)

# Rows an import must add before the statistics are refreshed after it.
BIG_IMPORT = 500
# Index entries ANALYZE reads per index (SQLite's suggested range is 100–1000).
ANALYSIS_LIMIT = 1000
# Local hour of the daily refresh: a quiet hour (about 0.05 s at prefecture scale either way).
DAILY_HOUR = 3


def optimize(using: str = "default") -> bool:
    """Refresh the planner's statistics on SQLite; returns whether anything was run."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return True


def after_import(rows: int, using: str = "default") -> None:
    """Call inside an import's transaction: once it commits, refresh the statistics if the
    import was big enough to change the plans."""
    if rows >= BIG_IMPORT:
        transaction.on_commit(lambda: optimize(using), using=using)


def after_migrate(sender: object, using: str = "default", **kwargs: object) -> None:
    """post_migrate handler (connected once, in tsunagu.ops.apps.OpsConfig.ready)."""
    if optimize(using):
        logger.info("SQLite の統計を更新しました（ANALYZE）。")


def daily(now: datetime.datetime, using: str = "default") -> bool:
    """Called by every hourly run of the periodic work: refresh the statistics in the run of
    DAILY_HOUR (local time of `now`), once a day; returns whether anything was run."""
    if now.hour != DAILY_HOUR:
        return False
    return optimize(using)
