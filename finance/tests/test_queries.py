"""Every finance page and export runs the same number of queries with 4 accounts as with 16: nothing is fetched per
row (the rows' numbers are aggregated in SQL and their accounts joined or loaded once per page)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from billing import ledger
from billing.accounts import change_plan
from billing.models import BillingAccount
from finance.periods import add_months, this_month
from finance.reports import REPORTS
from finance.tests.helpers import buy, grant, issue, make_account, usage

pytestmark = pytest.mark.django_db

THIS = this_month()
MONTHS = [add_months(THIS, -n) for n in (3, 2, 1)]
URLS = [reverse("finance:dashboard")] + [reverse(f"finance:{report.name}") for report in REPORTS]
# Wide enough that every list shows every row of the data below.
WIDE = {"start": MONTHS[0].strftime("%Y-%m"), "end": THIS.strftime("%Y-%m"), "days": "60"}


def add_customers(count: int, finance) -> None:
    """`count` accounts with something on every list: usage, an order, expiring credits, statements, a plan change."""
    for _ in range(count):
        n = BillingAccount.objects.count()
        prepaid = make_account(f"Ön Ödemeli Kurum {n}")
        invoiced = make_account(f"Faturalı Kurum {n}", plan="invoiced")
        buy(prepaid, 1_000, paid_at=timezone.now(), actor=finance)
        grant(prepaid, 50, expires_at=timezone.now() + datetime.timedelta(days=20))
        ledger.debit(prepaid, key=f"use-{prepaid.pk}", credits=900)
        BillingAccount.objects.filter(pk=prepaid.pk).update(low_balance_threshold=500)
        for month in MONTHS:
            usage(prepaid, month, delivered=100 + n, undelivered=2)
            usage(invoiced, month, delivered=1_000 + n, pending=1)
        issue(invoiced, MONTHS[0], "100.00")
        issue(invoiced, MONTHS[1], "120.00")
        change_plan(
            invoiced, to_plan="prepaid", effective_from=THIS + datetime.timedelta(days=40), reason="x", actor=finance
        )


def count_queries(client, url: str, query: dict) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries.captured_queries), len(response.content) if not response.streaming else 0


def measure(client) -> dict:
    counts = {}
    for url in URLS:
        counts[url] = count_queries(client, url, WIDE)[0]
        if url != URLS[0]:
            export = url + "disa-aktar.csv"
            counts[export] = count_queries(client, export, WIDE)[0]
    return counts


def test_every_page_and_export_runs_a_constant_number_of_queries(client, finance):
    add_customers(2, finance)
    client.force_login(finance)
    few = measure(client)
    rows_before = len(client.get(reverse("finance:outstanding"), WIDE).context["table"])

    add_customers(6, finance)
    many = measure(client)

    assert len(client.get(reverse("finance:outstanding"), WIDE).context["table"]) == 4 * rows_before
    assert many == few
    # And a small number: the session and permissions, a count, a page, the figures and the charts.
    assert max(few.values()) <= 16, few
