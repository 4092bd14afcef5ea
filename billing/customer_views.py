"""The customer's account page: balance, expiry, low-balance threshold, package orders, ledger history.

Only the account's owner sees any of it: anyone else, staff included, gets a 404 (finance works in the admin and the
finance pages). Reads go through get_account_for_user / get_order_for_user; writes through billing's services.
"""

import datetime
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from billing import ledger, orders, payments
from billing.estimates import with_amounts
from billing.forms import OrderForm, PackageSelectForm, ThresholdForm
from billing.models import BillingAccount, CreditPackage, PackageOrder, Plan
from billing.pricing import package_amounts
from billing.taxes import rates_on
from billing.thresholds import set_low_balance_threshold

LEDGER_PAGE_SIZE = 20
RECENT_ORDERS = 10


def get_account_for_user(user, code: str) -> BillingAccount:
    """The user's own billing account by its code; anyone else's (or none) is a 404."""
    try:
        return BillingAccount.objects.get(code=code, owner=user)
    except BillingAccount.DoesNotExist:
        raise Http404 from None


def get_order_for_user(user, code: str, order_code: str) -> PackageOrder:
    """The user's own order on their account; anyone else's (or none) is a 404."""
    try:
        return PackageOrder.objects.select_related("account", "package").get(
            code=order_code, account__code=code, account__owner=user
        )
    except PackageOrder.DoesNotExist:
        raise Http404 from None


def statements_url(account: BillingAccount) -> str:
    # The statements pages are built beside these; the agreed path stands in until their URL name exists.
    try:
        return reverse("billing:statements", args=[account.code])
    except NoReverseMatch:
        return f"/musteri/{account.code}/faturalar/"


def _account_url(account: BillingAccount, anchor: str = "") -> str:
    return reverse("billing:account", args=[account.code]) + (f"#{anchor}" if anchor else "")


def _render_account(request: HttpRequest, account: BillingAccount, *, threshold_form=None, status=200):
    entries = Paginator(
        account.ledger_entries.select_related("order").order_by("-created_at", "-id"), LEDGER_PAGE_SIZE
    ).get_page(request.GET.get("sayfa"))
    is_prepaid = account.plan == Plan.PREPAID
    expiry = ledger.next_expiry(account) if is_prepaid else None
    context = {
        "account": account,
        "is_prepaid": is_prepaid,
        "next_expiry": {"at": expiry[0], "credits": expiry[1]} if expiry else None,
        "threshold_form": threshold_form
        or ThresholdForm(initial={"low_balance_threshold": account.low_balance_threshold}),
        "entries": entries,
        "orders": list(account.orders.select_related("package").order_by("-created_at", "-id")[:RECENT_ORDERS]),
        "statements_url": statements_url(account),
    }
    return render(request, "billing/account.html", context, status=status)


@login_required
@require_safe
def account(request: HttpRequest, code: str) -> HttpResponse:
    return _render_account(request, get_account_for_user(request.user, code))


@login_required
@require_POST
def threshold(request: HttpRequest, code: str) -> HttpResponse:
    """Set or clear the low-balance threshold."""
    account = get_account_for_user(request.user, code)
    form = ThresholdForm(request.POST)
    if not form.is_valid():
        return _render_account(request, account, threshold_form=form, status=400)
    value = form.cleaned_data["low_balance_threshold"]
    account = set_low_balance_threshold(account, threshold=value)
    if value is None:
        messages.success(request, _("Düşük bakiye uyarısı kapatıldı."))
    elif account.low_balance_alerted:
        messages.warning(
            request,
            _(
                "Eşik kaydedildi. Bakiyeniz şu anda eşiğin altında: bakiyeniz eşiğe yükselip yeniden altına "
                "indiğinde size e-posta göndereceğiz."
            ),
        )
    else:
        messages.success(
            request, _("Eşik kaydedildi. Bakiyeniz eşiğin altına indiğinde size bir kez e-posta göndeririz.")
        )
    return redirect(_account_url(account, "esik"))


def _refuse_unless_prepaid(request: HttpRequest, account: BillingAccount) -> HttpResponse | None:
    if account.plan != Plan.PREPAID:
        messages.error(request, _("Paket siparişi yalnızca ön ödemeli hesaplar içindir."))
        return redirect(_account_url(account))
    return None


@login_required
@require_safe
def order_new(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1 of an order: the packages on sale today with their price, each tax and the total."""
    account = get_account_for_user(request.user, code)
    if refused := _refuse_unless_prepaid(request, account):
        return refused
    rates = rates_on()
    packages = with_amounts(list(CreditPackage.objects.filter(is_active=True).priced()), rates)
    return render(
        request,
        "billing/order_new.html",
        {"account": account, "packages": [p for p in packages if p.amounts], "form": PackageSelectForm()},
    )


def _provisional_order(account: BillingAccount, package: CreditPackage, amounts) -> PackageOrder:
    """An unsaved order with today's amounts, for the confirmation page's payment instructions (its code comes when
    the order is placed)."""
    return PackageOrder(
        code=_("(siparişi verdiğinizde verilecek sipariş kodu)"),
        account=account,
        package=package,
        credits=package.credits,
        validity_months=package.validity_months,
        net=amounts.net,
        kdv_rate=amounts.kdv_rate,
        kdv=amounts.kdv,
        oiv_rate=amounts.oiv_rate,
        oiv=amounts.oiv,
        total=amounts.total,
    )


def _render_confirm(request, account, package, form) -> HttpResponse:
    amounts = package_amounts(package)
    if amounts is None:
        messages.error(request, _("Bu paketin bugün geçerli bir fiyatı yok."))
        return redirect("billing:order-new", code=account.code)
    order = _provisional_order(account, package, amounts)
    return render(
        request,
        "billing/order_confirm.html",
        {
            "account": account,
            "package": package,
            "amounts": amounts,
            "form": form,
            "instructions": payments.method_for(order).instructions(order),
            "method": payments.method_for(order),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_confirm(request: HttpRequest, code: str) -> HttpResponse:
    """Step 2: what to pay (net, KDV, ÖİV, total) and how; posting it places the order.

    The form carries a key made when the page was shown, so a double submit (or the page posted again after going
    back) places one order: billing.orders.place_order returns the first order for a key it has seen.
    """
    account = get_account_for_user(request.user, code)
    if request.method == "GET":
        if refused := _refuse_unless_prepaid(request, account):
            return refused
        choice = PackageSelectForm(request.GET)
        if not choice.is_valid():
            messages.error(request, _("Lütfen satışta olan bir paket seçin."))
            return redirect("billing:order-new", code=account.code)
        package = choice.cleaned_data["package"]
        form = OrderForm(initial={"package": package.pk, "key": uuid.uuid4()})
        return _render_confirm(request, account, package, form)

    form = OrderForm(request.POST)
    if not form.is_valid():
        if "package" in form.errors:
            messages.error(request, " ".join(form.errors["package"]))
        else:
            messages.error(request, _("Sipariş formu eksik geldi; lütfen paketi yeniden seçin."))
        return redirect("billing:order-new", code=account.code)
    try:
        # The key is the account's own: another account's key can never return this account someone else's order.
        order = orders.place_order(
            account,
            form.cleaned_data["package"],
            actor=request.user,
            key=f"customer:{account.pk}:{form.cleaned_data['key']}",
        )
    except orders.OrderError as error:
        messages.error(request, error.message)
        return redirect(_account_url(account))
    messages.success(request, _("Siparişiniz alındı. Ödeme bilgileri aşağıda."))
    return redirect("billing:order", code=account.code, order_code=order.code)


def _pay_by(order: PackageOrder) -> datetime.datetime:
    return order.created_at + datetime.timedelta(days=settings.PORTAL_ORDER_PAYMENT_DAYS)


@login_required
@require_safe
def order_detail(request: HttpRequest, code: str, order_code: str) -> HttpResponse:
    order = get_order_for_user(request.user, code, order_code)
    is_pending = order.status == PackageOrder.Status.PENDING
    return render(
        request,
        "billing/order_detail.html",
        {
            "account": order.account,
            "order": order,
            "is_pending": is_pending,
            "instructions": payments.method_for(order).instructions(order) if is_pending else None,
            "pay_by": _pay_by(order) if is_pending else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_cancel(request: HttpRequest, code: str, order_code: str) -> HttpResponse:
    """An unpaid order is cancelled after the customer confirms it (GET asks, POST cancels)."""
    order = get_order_for_user(request.user, code, order_code)
    if request.method == "GET":
        if order.status != PackageOrder.Status.PENDING:
            return redirect("billing:order", code=code, order_code=order.code)
        return render(request, "billing/order_cancel.html", {"account": order.account, "order": order})
    try:
        orders.cancel_order(order, actor=request.user)
    except orders.OrderError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Sipariş iptal edildi."))
    return redirect("billing:order", code=code, order_code=order.code)


urlpatterns = [
    path("<reference:code>/", account, name="account"),
    path("<reference:code>/uyari-esigi/", threshold, name="threshold"),
    path("<reference:code>/paket-siparisi/", order_new, name="order-new"),
    path("<reference:code>/paket-siparisi/onay/", order_confirm, name="order-confirm"),
    path("<reference:code>/siparisler/<str:order_code>/", order_detail, name="order"),
    path("<reference:code>/siparisler/<str:order_code>/iptal/", order_cancel, name="order-cancel"),
]
