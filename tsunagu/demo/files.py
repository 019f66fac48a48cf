"""The demo's data files (data/demo/) and how they are read.

Dates in JSON are relative to the day of loading (days_ago, days after a meeting); the
importers' own files (CSV) hold real dates, written on WRITTEN_ON, and the loader moves them by
the days since, so that the demo is as fresh, or as stale, on any day as on the day it was
written.
"""

import datetime
import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data" / "demo"
WRITTEN_ON = datetime.date(2026, 12, 7)


def data_path(name: str) -> Path:
    """A file of the demo, named relative to data/demo/ (../samples/… for the shared samples)."""
    return (DATA / name).resolve()


@cache
def _parsed(name: str):
    return json.loads(data_path(name).read_text(encoding="utf-8"))


def read_json(name: str):
    """The contents of data/demo/<name>; callers must not change what they get."""
    return _parsed(name)


def days_ago(days: int, today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=days)
