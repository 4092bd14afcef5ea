"""The embedded mode's billing demo: prepaid and invoiced customers with months of history, built through the
services production uses (accounts opened at activation, orders paid and confirmed, operator reports imported,
statements issued), so the finance user opens a working area and the customer sees a balance and statements.

Deterministic and anchored to fixed months: history from DEMO_FIRST_MONTH through the month before DEMO_MONTH is
imported and billed; DEMO_MONTH's operator report is the file shipped in the repo (DEMO_REPORT), left for the
newcomer to import (admin → Teslim raporları → İçe aktar, or `python manage.py import_delivery_report`) and bill
(`python manage.py issue_statements --month 2026-11`). Idempotent: a customer that exists (by account code) is
skipped, so a second run adds nothing.
"""

import datetime
import random
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import Group
from django.db import transaction
from stdnum.tr import vkn

from accounts import roles
from accounts.models import User
from billing import ledger, orders
from billing.accounts import change_plan_history, open_account
from billing.models import BillingAccount, BillingType, CreditPackage
from onboarding.models import Application, InstitutionType

ISTANBUL = datetime.timezone(datetime.timedelta(hours=3))
DEMO_FIRST_MONTH = datetime.date(2026, 5, 1)
DEMO_MONTH = datetime.date(2026, 11, 1)
DEMO_REPORT = Path(__file__).resolve().parent / "demo" / "teslim-raporu-2026-11.csv"
CUSTOMER_EMAIL = "musteri@demo.local"
CUSTOMER_PASSWORD = "Musteri-Demo-2026"  # noqa: S105 (a demo login, printed by load_demo_data)


@dataclass(frozen=True)
class Customer:
    code: str
    legal_name: str
    type_code: str
    plan: str
    owner: str  # "applicant" (the demo applicant) or "customer"
    monthly_messages: int  # sent a month, roughly
    e_invoice_user: bool = False
    package: int | None = None  # credits of the package bought (prepaid)
    threshold: int | None = None
    validity_months: int | None = None
    tax_office: str = "Şişli"
    district: str = "Şişli"
    province: str = "34"


CUSTOMERS = [
    Customer("TS-DEMA-PRP2", "Ege Tekstil Sanayi ve Ticaret A.Ş.", "company", "prepaid", "applicant", 4_200,
             package=10_000, threshold=5_000, tax_office="Bornova", district="Bornova", province="35"),
    Customer("TS-DEMA-PRP3", "Güneş Özel Sağlık Hizmetleri Ltd. Şti.", "private_hospital", "prepaid", "customer",
             9_000, package=50_000, threshold=10_000, validity_months=12, tax_office="Çankaya", district="Çankaya",
             province="06"),
    Customer("TS-DEMA-PRP4", "Çağlayan Mahallesi Muhtarlığı", "headman", "prepaid", "customer", 350,
             package=1_000, threshold=300, validity_months=6, tax_office="Kağıthane", district="Kağıthane"),
    Customer("TS-DEMA-NVC2", "Şişli Belediyesi Basın Yayın Müdürlüğü", "municipality", "invoiced", "applicant",
             38_000, e_invoice_user=True),
    Customer("TS-DEMA-NVC3", "İzmir Ticaret Odası", "chamber", "invoiced", "customer", 61_000, e_invoice_user=True,
             tax_office="Konak", district="Konak", province="35"),
    Customer("TS-DEMA-NVC4", "Ankara Fen Lisesi Okul Aile Birliği", "school", "invoiced", "customer", 2_600,
             tax_office="Yenimahalle", district="Yenimahalle", province="06"),
]


def _tax_number(seed: int) -> str:
    """A valid VKN, the same for the same seed."""
    candidate = 1_000_000_000 + seed * 7_919
    while not vkn.is_valid(str(candidate)):
        candidate += 1
    return str(candidate)


def months(first: datetime.date, last: datetime.date):
    month = first
    while month <= last:
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)
