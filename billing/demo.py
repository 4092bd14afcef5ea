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
import io
from dataclasses import dataclass
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from stdnum.tr import vkn

from accounts import roles
from accounts.models import User
from billing import ledger, orders
from billing.accounts import open_account
from billing.models import BillingAccount, BillingType, CreditPackage, PackageOrder, Plan, PlanChange
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
    rows: int  # report rows (messages) a month; 1–3 parts each
    e_invoice_user: bool = False
    package: int | None = None  # credits of the package bought (prepaid)
    threshold: int | None = None
    grants: tuple = ()  # (credits, granted on, expires on)
    tax_office: str = "Şişli"
    district: str = "Şişli"
    province: str = "34"


CUSTOMERS = [
    Customer(
        "TS-DEMA-PRP2",
        "Ege Tekstil Sanayi ve Ticaret A.Ş.",
        "company",
        "prepaid",
        "applicant",
        300,
        package=1_000,
        threshold=500,
        tax_office="Bornova",
        district="Bornova",
        province="35",
    ),
    Customer(
        "TS-DEMA-PRP3",
        "Güneş Özel Sağlık Hizmetleri Ltd. Şti.",
        "hospital",
        "prepaid",
        "customer",
        600,
        package=5_000,
        threshold=1_500,
        grants=((1_000, datetime.date(2026, 11, 20), datetime.date(2026, 12, 20)),),
        tax_office="Çankaya",
        district="Çankaya",
        province="06",
    ),
    Customer(
        "TS-DEMA-PRP4",
        "Çağlayan Mahallesi Muhtarlığı",
        "headman_office",
        "prepaid",
        "customer",
        40,
        package=1_000,
        threshold=150,
        grants=((400, datetime.date(2026, 5, 10), datetime.date(2026, 8, 10)),),
        tax_office="Kağıthane",
        district="Kağıthane",
    ),
    Customer(
        "TS-DEMA-NVC2",
        "Şişli Belediyesi Basın Yayın Müdürlüğü",
        "municipality",
        "invoiced",
        "applicant",
        900,
        e_invoice_user=True,
    ),
    Customer(
        "TS-DEMA-NVC3",
        "İzmir Ticaret Odası",
        "chamber",
        "invoiced",
        "customer",
        1_200,
        e_invoice_user=True,
        tax_office="Konak",
        district="Konak",
        province="35",
    ),
    Customer(
        "TS-DEMA-NVC4",
        "Ankara Fen Lisesi Okul Aile Birliği",
        "school",
        "invoiced",
        "customer",
        120,
        tax_office="Yenimahalle",
        district="Yenimahalle",
        province="06",
    ),
]
# Güneş was invoiced until the end of August, then moved to prepaid (a plan change finance recorded).
SWITCHED = {"TS-DEMA-PRP3": (Plan.INVOICED, datetime.date(2026, 9, 1))}


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


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=ISTANBUL)


def _owner(customer: Customer, applicant: User) -> User:
    if customer.owner == "applicant":
        return applicant
    user = User.objects.filter(email__iexact=CUSTOMER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            email=CUSTOMER_EMAIL,
            password=CUSTOMER_PASSWORD,
            full_name="Kemal Öztürk",
            email_confirmed_at=timezone.now(),
        )
        user.groups.add(Group.objects.get(name=roles.APPLICANTS))
    return user


def _open(customer: Customer, owner: User, reviewer: User, index: int) -> BillingAccount:
    """An active application (as if reviewed and activated when it was opened) and its billing account."""
    opened = _at(DEMO_FIRST_MONTH - datetime.timedelta(days=12 + index))
    first_plan = SWITCHED.get(customer.code, (customer.plan, None))[0]
    application = Application.objects.create(
        reference=customer.code,
        applicant=owner,
        status=Application.Status.ACTIVE,
        institution_type=InstitutionType.objects.get(code=customer.type_code),
        legal_name=customer.legal_name,
        tax_number=_tax_number(index + 1),
        tax_number_kind="vkn",
        tax_office=customer.tax_office,
        address=f"Cumhuriyet Cad. No: {10 + index}",
        province=customer.province,
        district=customer.district,
        phone="+902123731000",
        email=f"muhasebe{index + 1}@demo-musteri.test",
        signatory_name=owner.full_name,
        signatory_title="Yetkili",
        billing_type=BillingType.objects.get(code=first_plan),
        credit_package=CreditPackage.objects.get(credits=customer.package) if customer.package else None,
        e_invoice_user=customer.e_invoice_user,
        submitted_at=opened - datetime.timedelta(days=20),
    )
    Application.objects.filter(pk=application.pk).update(created_at=opened - datetime.timedelta(days=25))
    account = open_account(application, actor=reviewer, now=opened)
    PlanChange.objects.filter(account=account).update(effective_from=opened.date())
    if customer.code in SWITCHED:
        plan, since = customer.plan, SWITCHED[customer.code][1]
        PlanChange.objects.create(
            account=account,
            from_plan=first_plan,
            to_plan=plan,
            effective_from=since,
            reason="Müşterinin talebiyle ön ödemeliye geçildi.",
        )
        BillingAccount.objects.filter(pk=account.pk).update(plan=plan)
        account.plan = plan
    return account


def _grant(account: BillingAccount, customer: Customer, month: datetime.date) -> None:
    """The customer's bonuses given in `month` (granted, not paid, with an expiry: drawn first, the rest expires)."""
    for credits, granted, expires in customer.grants:
        if granted.replace(day=1) == month:
            ledger.credit(
                account,
                key=f"demo-grant:{customer.code}:{granted}",
                credits=credits,
                kind=ledger.Kind.GRANT,
                source="granted",
                expires_at=_at(expires, 23),
                description="Hoş geldin hediyesi",
                now=_at(granted),
            )


def _top_up(account: BillingAccount, customer: Customer, owner: User, finance: User, day: datetime.date, need: int):
    """Prepaid: buy the customer's package (paid and confirmed the same day) until `need` credits are there."""
    package = CreditPackage.objects.get(credits=customer.package)
    number = 0
    month_end = _at(day.replace(day=1) + relativedelta(months=1), 0)

    def usable() -> int:
        # What is there minus what expires before the month's usage is imported.
        expiring = account.credit_lots.filter(remaining__gt=0, expires_at__lt=month_end).aggregate(s=Sum("remaining"))
        return BillingAccount.objects.get(pk=account.pk).balance - (expiring["s"] or 0)

    while usable() < need:
        number += 1
        pending = PackageOrder.objects.filter(account=account, status=PackageOrder.Status.PENDING).first()
        order = pending or orders.place_order(
            account, package, actor=owner, key=f"demo:{account.code}:{day}:{number}"
        )
        PackageOrder.objects.filter(pk=order.pk).update(created_at=_at(day, 9))
        orders.confirm_payment(order, actor=finance, reference=f"EFT-{day:%Y%m%d}-{number}", now=_at(day, 15))


def month_report(
    accounts: list[tuple[BillingAccount, Customer]], month: datetime.date, *, now=None, settle: bool = False
) -> str:
    """The operator's report for `month` as CSV text: each customer's rows, deterministic; `settle` gives the
    operator's later report of the same rows, every pending one settled (delivered, or now and then undelivered)."""
    from billing.deliveries import write_demo_report

    out = io.StringIO()
    for number, (account, customer) in enumerate(accounts):
        part = io.StringIO()
        write_demo_report(part, [account.code], month, messages=customer.rows, now=now, seed=2026, settle=settle)
        lines = part.getvalue().splitlines(keepends=True)
        out.writelines(lines if number == 0 else lines[1:])
    return out.getvalue()


def _demo_customers(applicant: User, reviewer: User) -> list[tuple[BillingAccount, Customer]]:
    existing = set(BillingAccount.objects.filter(code__in=[c.code for c in CUSTOMERS]).values_list("code", flat=True))
    return [
        (_open(customer, _owner(customer, applicant), reviewer, index), customer)
        for index, customer in enumerate(CUSTOMERS)
        if customer.code not in existing
    ]


@transaction.atomic
def load_billing_history(applicant: User, reviewer: User, finance: User) -> list[str]:
    """Open the demo customers that are missing and give them DEMO_FIRST_MONTH … the month before DEMO_MONTH of
    history: packages bought and paid, each month's operator report imported, invoiced months billed."""
    from billing.deliveries import import_delivery_report
    from billing.statements import issue_statements

    added = _demo_customers(applicant, reviewer)
    if not added:
        return []
    for month in months(DEMO_FIRST_MONTH, DEMO_MONTH):
        for account, customer in added:
            _grant(account, customer, month)
            switched = SWITCHED.get(customer.code)
            if customer.plan == Plan.PREPAID and (switched is None or month >= switched[1]):
                # Bought as needed: enough for a month at up to two parts a message.
                _top_up(
                    account, customer, account.owner, finance, month + datetime.timedelta(days=1), 2 * customer.rows
                )
        if month == DEMO_MONTH:
            break  # DEMO_MONTH's report is the shipped file, for the newcomer to import
        following = month + relativedelta(months=1)
        for settle, hour in ((False, 8), (True, 20)):  # the month's report, then the later one settling pending rows
            report = month_report(added, month, now=_at(following, 0), settle=settle)
            result = import_delivery_report(
                io.BytesIO(report.encode()),
                file_name=f"demo-{month:%Y-%m}{'-settled' if settle else ''}.csv",
                user=finance,
                now=_at(following, hour),
            )
            if not result.ok:
                raise RuntimeError(f"demo report {month:%Y-%m} refused: {result.errors[:3]} {result.refusals}")
        issue_statements(month=month, now=_at(following + datetime.timedelta(days=1), 9))
    ledger.expire_credits(now=timezone.now())
    for account, customer in added:
        if customer.threshold:
            BillingAccount.objects.filter(pk=account.pk).update(
                low_balance_threshold=customer.threshold,
                low_balance_alerted=BillingAccount.objects.get(pk=account.pk).balance < customer.threshold,
            )
    return [account.code for account, _ in added]


def write_demo_month_report(path: Path = DEMO_REPORT) -> int:
    """(Re)write the shipped report of DEMO_MONTH for the demo customers (they must exist); returns its rows."""
    accounts = [(BillingAccount.objects.get(code=customer.code), customer) for customer in CUSTOMERS]
    text = month_report(accounts, DEMO_MONTH, now=_at(DEMO_MONTH + relativedelta(months=1), 0))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return text.count("\n") - 1
