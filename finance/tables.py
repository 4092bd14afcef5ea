"""What a finance list is made of: its columns, its key figures and its charts, independent of HTML, CSV or XLSX."""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from finance.periods import ISTANBUL

# The kinds of value a cell holds; each is shown, written to CSV and typed in XLSX its own way.
TEXT = "text"
NUMBER = "number"  # a whole number (credits, parts, counts)
MONEY = "money"  # TRY, two decimals
DATE = "date"
MONTH = "month"
DATETIME = "datetime"
CHOICE = "choice"  # a stored code shown by its label
BOOL = "bool"


def as_date(value) -> datetime.date | None:
    """A date as Istanbul sees it: an aware datetime is converted first, so 23:30 UTC on the 31st is the 1st."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, ISTANBUL).date() if timezone.is_aware(value) else value.date()
    return value


def as_local_datetime(value) -> datetime.datetime | None:
    """An aware datetime in Istanbul time, without its zone (for spreadsheets, which have none)."""
    if value is None:
        return None
    if timezone.is_aware(value):
        value = timezone.localtime(value, ISTANBUL)
    return value.replace(tzinfo=None)


def day_format(*, with_time: bool = False) -> str:
    """04.12.2026 in Turkish (as invoices write dates), the locale's short date otherwise."""
    if (get_language() or "tr").startswith("tr"):
        return "d.m.Y H:i" if with_time else "d.m.Y"
    return "SHORT_DATETIME_FORMAT" if with_time else "SHORT_DATE_FORMAT"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = TEXT
    choices: Mapping | None = None
    # "account": the cell links to the account's page in the admin (the row carries `account_id`).
    link: str = ""

    @property
    def is_numeric(self) -> bool:
        return self.kind in (NUMBER, MONEY)

    def text(self, value) -> str:
        """The value as the page shows it, in the active language (Turkish: 1.234,56 and 04.12.2026)."""
        if value is None or value == "":
            return "—"
        if self.kind == MONEY:
            return formats.number_format(Decimal(value), decimal_pos=2, use_l10n=True, force_grouping=True)
        if self.kind == NUMBER:
            return formats.number_format(int(value), decimal_pos=0, use_l10n=True, force_grouping=True)
        if self.kind == DATE:
            return formats.date_format(as_date(value), day_format())
        if self.kind == MONTH:
            return formats.date_format(as_date(value), "YEAR_MONTH_FORMAT")
        if self.kind == DATETIME:
            return formats.date_format(as_local_datetime(value), day_format(with_time=True))
        if self.kind == CHOICE:
            return str(self.choices.get(value, value)) if self.choices else str(value)
        if self.kind == BOOL:
            return str(_("Evet") if value else _("Hayır"))
        return str(value)


def choices(text_choices) -> dict:
    """A TextChoices class as {value: label}."""
    return dict(text_choices.choices)


@dataclass(frozen=True)
class Figure:
    """One key figure over the whole filtered list (not only the page shown)."""

    label: str
    value: Any
    kind: str = NUMBER
    note: str = ""

    @property
    def text(self) -> str:
        return Column("", "", self.kind).text(self.value if self.value is not None else 0)


@dataclass
class Dataset:
    label: str
    data: list


@dataclass
class Chart:
    """A chart and the table of the same numbers (shown beside it, for screen readers and without colour)."""

    id: str
    title: str
    description: str
    label_heading: str
    labels: list[str]
    datasets: list[Dataset]
    kind: str = "bar"  # bar | line
    unit: str = NUMBER  # NUMBER | MONEY
    stacked: bool = False
    horizontal: bool = False
    extra: dict = field(default_factory=dict)

    def config(self) -> dict:
        """What the page's script needs, JSON-safe (Decimal becomes a float: the table keeps the exact value)."""
        return {
            "id": self.id,
            "title": str(self.title),
            "kind": self.kind,
            "unit": self.unit,
            "stacked": self.stacked,
            "horizontal": self.horizontal,
            "labels": [str(label) for label in self.labels],
            "datasets": [
                {"label": str(d.label), "data": [float(v) if v is not None else 0 for v in d.data]}
                for d in self.datasets
            ],
        }

    @property
    def table_rows(self) -> list[tuple[str, list[str]]]:
        column = Column("", "", self.unit)
        return [
            (str(label), [column.text(d.data[i] if d.data[i] is not None else 0) for d in self.datasets])
            for i, label in enumerate(self.labels)
        ]

    @property
    def is_empty(self) -> bool:
        return not self.labels or not any(any(v for v in d.data) for d in self.datasets)


def series(rows: Sequence[Mapping], *, key: str, labels: Sequence, value: str) -> list:
    """The values of `rows` in the order of `labels` (zero where a label has no row)."""
    by_key = {row[key]: row[value] for row in rows}
    return [by_key.get(label) or 0 for label in labels]
