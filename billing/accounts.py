"""Billing accounts: opened when an application is activated, with the plan chosen in the wizard and the billing
profile copied from the application; plan changes kept with who, when, from, to, why and from which date."""

import bisect
import datetime

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import BillingAccount, Plan, PlanChange
from onboarding.models import Application
from onboarding.turkish import province_name


class AccountError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def billing_address(application: Application) -> str:
    province = province_name(application.province)
    place = " / ".join(part for part in (application.district, province) if part)
    return "\n".join(part for part in (application.address.strip(), place) if part)


@transaction.atomic
def open_account(application: Application, *, actor=None, now: datetime.datetime | None = None) -> BillingAccount:
    """The application's billing account, opened once (a second call returns the first)."""
    now = now or timezone.now()
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("billing_type", "applicant")
        .get(pk=application.pk)
    )
    existing = BillingAccount.objects.filter(application=locked).first()
    if existing is not None:
        return existing
    if locked.billing_type is None:
        raise AccountError(_("Başvuruda ödeme tipi seçilmemiş; hesap açılamaz."))
    account = BillingAccount.objects.create(
        code=locked.reference,
        application=locked,
        owner=locked.applicant,
        plan=locked.billing_type.code,
        legal_name=locked.legal_name,
        tax_number=locked.tax_number,
        tax_office=locked.tax_office,
        address=billing_address(locked),
        invoice_email=locked.email or locked.applicant.email,
        e_invoice_user=bool(locked.e_invoice_user),
        opened_at=now,
    )
    PlanChange.objects.create(
        account=account,
        from_plan="",
        to_plan=account.plan,
        effective_from=timezone.localdate(now),
        reason=_("Başvuru onaylanıp hesap açıldı."),
        actor=actor,
    )
    if account.plan == Plan.PREPAID and locked.credit_package_id:
        from billing.orders import place_order

        # The package chosen in the wizard is the first order, awaiting payment.
        place_order(account, locked.credit_package, actor=locked.applicant, key=f"first-order:{account.pk}")
    return account


@transaction.atomic
def change_plan(
    account: BillingAccount,
    *,
    to_plan: str,
    effective_from: datetime.date,
    reason: str,
    actor,
) -> PlanChange:
    """Finance moves an account to the other plan from a date (today or later: what is billed stays billed)."""
    locked = BillingAccount.objects.select_for_update().get(pk=account.pk)
    reason = (reason or "").strip()
    if to_plan not in Plan.values:
        raise AccountError(_("Geçersiz ödeme planı."))
    if not reason:
        raise AccountError(_("Plan değişikliği için gerekçe yazın."))
    today = timezone.localdate()
    if effective_from < today:
        raise AccountError(_("Plan değişikliği geçmiş bir tarihten başlayamaz; en erken bugün."))
    current = plan_on(locked, effective_from)
    if current == to_plan:
        raise AccountError(_("Hesap o tarihte zaten bu planda."))
    change = PlanChange.objects.create(
        account=locked,
        from_plan=current,
        to_plan=to_plan,
        effective_from=effective_from,
        reason=reason,
        actor=actor,
    )
    if effective_from <= today:
        BillingAccount.objects.filter(pk=locked.pk).update(plan=to_plan)
        account.plan = to_plan
    return change


def plan_on(account: BillingAccount, day: datetime.date) -> str:
    change = account.plan_changes.filter(effective_from__lte=day).order_by("-effective_from", "-id").first()
    if change is None:
        first = account.plan_changes.order_by("effective_from", "id").first()
        return first.to_plan if first else account.plan
    return change.to_plan


class PlanHistory:
    """The plans of many accounts over time, loaded in one query: `plan(account_id, moment)` without more."""

    def __init__(self, account_ids):
        self._days: dict[int, list[datetime.date]] = {}
        self._plans: dict[int, list[str]] = {}
        rows = (
            PlanChange.objects.filter(account_id__in=list(account_ids))
            .order_by("account_id", "effective_from", "id")
            .values_list("account_id", "effective_from", "to_plan")
        )
        for account_id, day, plan in rows:
            days, plans = self._days.setdefault(account_id, []), self._plans.setdefault(account_id, [])
            if days and days[-1] == day:
                plans[-1] = plan
            else:
                days.append(day)
                plans.append(plan)

    def plan(self, account_id: int, moment: datetime.datetime) -> str | None:
        days = self._days.get(account_id)
        if not days:
            return None
        index = bisect.bisect_right(days, timezone.localtime(moment).date()) - 1
        return self._plans[account_id][max(index, 0)]


def refresh_plans(today: datetime.date | None = None) -> int:
    """Bring `BillingAccount.plan` up to the latest change in effect by `today` (the daily billing job); however long
    the job did not run, every account whose plan lags its history is found, in one query."""
    today = today or timezone.localdate()
    latest = (
        PlanChange.objects.filter(account=OuterRef("pk"), effective_from__lte=today)
        .order_by("-effective_from", "-id")
        .values("to_plan")[:1]
    )
    stale = (
        BillingAccount.objects.annotate(in_effect=Subquery(latest))
        .exclude(in_effect=None)
        .exclude(plan=F("in_effect"))
        .values_list("pk", "in_effect")
    )
    changed = 0
    for account_id, plan in stale:
        changed += BillingAccount.objects.filter(pk=account_id).update(plan=plan)
    return changed
