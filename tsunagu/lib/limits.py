"""The bounds every typed value is held to: dates, numbers and free text.

One place, so the form fields, the model validators and the database constraints agree.
A date of 9999-12-31 or a window of a billion days once broke every page that computed with
it; a pasted 2.4 MB text took minutes to check for personal identifiers.
"""

import datetime

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

# Dates of events (meetings, reviews, follow-ups, plans, records): 2000-01-01 to 2100-12-31.
# The system started long after 2000, and the law behind it (介護保険法) dates from 2000.
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
# A center's opening day may come before the system and the 介護保険法 (在宅介護支援センター).
EARLIEST_OPENING = datetime.date(1950, 1, 1)

# Free text, in characters. A meeting's minutes are the longest text staff write; a case's
# fields and notes are paragraphs; a short note is a line or two.
MINUTES_CHARS = 20_000
TEXT_CHARS = 4_000
NOTE_CHARS = 1_000

# Counts typed on forms (sort orders, targets, days, years).
MAX_SMALL = 32_767  # what a PostgreSQL smallint holds; SQLite would take anything
MAX_ADVISER_DAYS = 365  # the external advisers' window around a meeting
MAX_RETENTION_YEARS = 100
MAX_CASES_REVIEWED = 999  # cases counted at one meeting


def date_validators(earliest=EARLIEST_DATE, latest=LATEST_DATE) -> list:
    message = f"{earliest:%Y-%m-%d}から{latest:%Y-%m-%d}までの日付を入力してください。"
    return [MinValueValidator(earliest, message), MaxValueValidator(latest, message)]


def number_validators(low: int, high: int) -> list:
    message = f"{low}から{high}までの数で入力してください。"
    return [MinValueValidator(low, message), MaxValueValidator(high, message)]


TOO_LONG = "文章が長すぎます（%(show_value)d文字）。%(limit_value)d文字以内で入力してください。"


def text_validators(limit: int) -> list:
    """For a TextField(max_length=limit): forms already refuse longer text, and this makes
    full_clean() in the services refuse it too."""
    return [MaxLengthValidator(limit, TOO_LONG)]


def date_in_range(field: str, name: str, earliest=EARLIEST_DATE, latest=LATEST_DATE):
    """A database check that the (nullable) date `field` lies in the accepted range."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__gte": earliest, f"{field}__lte": latest}),
        name=name,
    )


def number_in_range(field: str, name: str, low: int, high: int):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": low, f"{field}__lte": high}), name=name
    )
