"""Billing accounts: opened at activation from the application's profile; plan changes kept and dated."""

import datetime

import pytest
from django.utils import timezone

from billing import accounts
from billing.models import BillingAccount, PackageOrder, PlanChange
from billing.tests.factories import make_account
from onboarding import services
from onboarding.models import Application


def test_activation_opens_the_account_with_the_wizard_plan_and_the_billing_profile(applicant, reviewer):
    application = Application.objects.create(
        applicant=applicant,
        status=Application.Status.APPROVED,
        legal_name="Çağlayan Mahallesi Muhtarlığı",
        tax_number="10000000146",
        tax_number_kind="tckn",
        tax_office="Kağıthane",
        address="Çağlayan Mah. Vatan Cad. No: 5",
        province="34",
        district="Kağıthane",
        email="muhtar@caglayan.test",
        billing_type_id=None,
    )
    from billing.models import BillingType, CreditPackage

    application.billing_type = BillingType.objects.get(code="prepaid")
    application.credit_package = CreditPackage.objects.get(credits=5_000)
    application.e_invoice_user = False
    application.save()

    services.activate_application(application, actor=reviewer)

    account = BillingAccount.objects.get(application=application)
    assert account.code == application.reference
    assert account.plan == "prepaid" and account.owner == applicant
    assert account.legal_name == "Çağlayan Mahallesi Muhtarlığı"
    assert account.tax_number == "10000000146" and account.tax_office == "Kağıthane"
    assert account.address == "Çağlayan Mah. Vatan Cad. No: 5\nKağıthane / İstanbul"
    assert account.invoice_email == "muhtar@caglayan.test"
    assert account.document_profile == "e_arsiv"
    [change] = account.plan_changes.all()
    assert (change.from_plan, change.to_plan, change.actor) == ("", "prepaid", reviewer)
    # The package chosen in the wizard waits for payment.
    [order] = PackageOrder.objects.filter(account=account)
    assert order.credits == 5_000 and order.status == "pending"
    # Opening twice opens one account.
    assert accounts.open_account(application).pk == account.pk


def test_finance_changes_the_plan_from_a_date_with_a_reason(applicant, finance):
    account = make_account(applicant, plan="prepaid")
    today = timezone.localdate()
    next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)

    with pytest.raises(accounts.AccountError, match="gerekçe"):
        accounts.change_plan(account, to_plan="invoiced", effective_from=next_month, reason=" ", actor=finance)
    with pytest.raises(accounts.AccountError, match="geçmiş"):
        accounts.change_plan(
            account, to_plan="invoiced", effective_from=today - datetime.timedelta(days=1), reason="x", actor=finance
        )
    change = accounts.change_plan(
        account, to_plan="invoiced", effective_from=next_month, reason="Müşteri faturalıya geçti", actor=finance
    )

    assert (change.from_plan, change.to_plan, change.actor) == ("prepaid", "invoiced", finance)
    account.refresh_from_db()
    assert account.plan == "prepaid"  # not yet
    assert accounts.plan_on(account, today) == "prepaid"
    assert accounts.plan_on(account, next_month) == "invoiced"
    assert accounts.refresh_plans(next_month) == 1
    account.refresh_from_db()
    assert account.plan == "invoiced"
    history = accounts.PlanHistory([account.pk])
    moment = datetime.datetime.combine(next_month, datetime.time(0, 30), tzinfo=timezone.get_current_timezone())
    assert history.plan(account.pk, moment) == "invoiced"
    assert history.plan(account.pk, moment - datetime.timedelta(hours=1)) == "prepaid"


def test_a_change_effective_today_applies_at_once(applicant, finance):
    account = make_account(applicant, plan="invoiced")

    accounts.change_plan(
        account, to_plan="prepaid", effective_from=timezone.localdate(), reason="Ön ödemeliye geçti", actor=finance
    )

    account.refresh_from_db()
    assert account.plan == "prepaid"
    assert PlanChange.objects.filter(account=account).count() == 2


def test_finance_changes_the_plan_in_the_admin(client, finance, applicant):
    account = make_account(applicant, plan="invoiced")
    client.force_login(finance)
    url = f"/admin/billing/billingaccount/{account.pk}/plan/"

    page = client.get(url)
    refused = client.post(url, {"to_plan": "prepaid", "effective_from": "2020-01-01", "reason": "x"})
    done = client.post(
        url, {"to_plan": "prepaid", "effective_from": timezone.localdate().isoformat(), "reason": "Talep üzerine"}
    )

    assert page.status_code == 200 and 'for="id_reason"' in page.content.decode()
    assert refused.status_code == 200 and "geçmiş bir tarihten" in refused.content.decode()
    assert done.status_code == 302
    account.refresh_from_db()
    assert account.plan == "prepaid"


def test_reviewers_cannot_open_accounts_or_change_plans(client, reviewer, applicant):
    account = make_account(applicant)
    client.force_login(reviewer)

    assert client.get(f"/admin/billing/billingaccount/{account.pk}/change/").status_code == 403
    assert client.get(f"/admin/billing/billingaccount/{account.pk}/plan/").status_code == 403


def test_plans_catch_up_however_long_the_daily_job_did_not_run(applicant, finance):
    account = make_account(applicant, plan="prepaid")
    later = timezone.localdate() + datetime.timedelta(days=3)
    accounts.change_plan(account, to_plan="invoiced", effective_from=later, reason="Faturalıya geçiş", actor=finance)

    assert accounts.refresh_plans(later + datetime.timedelta(days=40)) == 1
    assert accounts.refresh_plans(later + datetime.timedelta(days=41)) == 0
    account.refresh_from_db()
    assert account.plan == "invoiced"
