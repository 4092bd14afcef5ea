"""Calendar months in Istanbul time: the boundaries every finance figure is grouped by."""

import datetime
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.utils import timezone

# Statements, sales and usage are counted by the calendar month in Turkey, whatever the server's own zone.
ISTANBUL = ZoneInfo("Europe/Istanbul")


def this_month(now: datetime.datetime | None = None) -> datetime.date:
    """The first day of the current month in Istanbul."""
    return timezone.localdate(now or timezone.now(), timezone=ISTANBUL).replace(day=1)


def add_months(month: datetime.date, months: int) -> datetime.date:
    return month + relativedelta(months=months)


def month_starts_at(month: datetime.date) -> datetime.datetime:
    """Midnight at the start of `month`'s first day, Istanbul time (an aware datetime)."""
    return datetime.datetime.combine(month.replace(day=1), datetime.time.min, tzinfo=ISTANBUL)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every month from `first` to `last`, both included (first days)."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months
