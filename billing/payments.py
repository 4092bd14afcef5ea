"""How a package order is paid: the seam for a payment provider.

Today the only method is a bank transfer (havale/EFT) with the order code in the description, confirmed by finance
in the admin. A card provider would implement the same two methods — what to show the customer, and a callback that
ends in `billing.orders.confirm_payment(order, actor=None, reference=<provider's id>)` — and be added to METHODS.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Instructions:
    title: str
    lines: list[tuple[str, str]]  # (label, value), shown as a definition list and copied into the e-mail
    note: str


class BankTransfer:
    code = "bank_transfer"
    label = _("Havale / EFT")

    def instructions(self, order) -> Instructions:
        bank = settings.PORTAL_BANK_ACCOUNT
        return Instructions(
            title=str(_("Havale / EFT ile ödeme")),
            lines=[
                (str(_("Banka")), bank["bank"]),
                (str(_("Hesap sahibi")), bank["holder"]),
                (str(_("IBAN")), bank["iban"]),
                (str(_("Tutar")), f"{order.total:.2f} TL".replace(".", ",")),
                (str(_("Açıklama")), order.code),
            ],
            note=str(
                _(
                    "Açıklamaya sipariş kodunu yazın. Ödemeniz muhasebe ekibimizce onaylandığında kontörler "
                    "hesabınıza yüklenir ve size e-posta ile bildirilir."
                )
            ),
        )


METHODS = {BankTransfer.code: BankTransfer()}


def method_for(order):
    return METHODS[order.payment_method]
